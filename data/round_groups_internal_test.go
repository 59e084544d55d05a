package data

import (
	"context"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"lederradar/internal/csvfile"
	"lederradar/survey"
)

// TestClosedRoundKeepsItsGroups closes a round and then changes the
// organisation in every way an administrator can: the closed round's
// report inputs keep the departments, teams and members it closed with,
// names and all, while an open round follows today's. Only an erasure
// takes a person out of it; retention takes it all.
func TestClosedRoundKeepsItsGroups(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, open, _, people := testOrg(t, Options{}, 6)
	mk := func(kind survey.GroupKind, name string) survey.Group {
		g := survey.Group{Kind: kind, Name: name}
		if err := d.CreateGroup(ctx, &g); err != nil {
			t.Fatal(err)
		}
		return g
	}
	move := func(p, dept int64) {
		person, err := d.FindPersonByID(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		person.DepartmentID = dept
		if err := d.UpdatePerson(ctx, person); err != nil {
			t.Fatal(err)
		}
	}
	a, b, tm := mk(survey.Department, "Afdeling A"), mk(survey.Department, "Afdeling B"), mk(survey.Team, "Tværs")
	move(people[0], a.ID)
	move(people[1], a.ID)
	move(people[2], b.ID)
	for _, p := range []int64{people[0], people[2]} {
		if err := d.AddTeamMember(ctx, tm.ID, p); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.SetRoundStatus(ctx, open.ID, survey.RoundClosed); err != nil {
		t.Fatal(err)
	}
	wantGroups := []survey.Group{a, b, tm}
	wantMembers := map[int64][]int64{a.ID: {people[0], people[1]}, b.ID: {people[2]}, tm.ID: {people[0], people[2]}}
	everyone := func() []int64 {
		ps, err := d.FindPeople(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ids := []int64{}
		for _, p := range ps {
			ids = append(ids, p.ID)
		}
		return ids
	}
	wantPeople := everyone()
	check := func(t *testing.T, roundID int64, groups []survey.Group, members map[int64][]int64) {
		t.Helper()
		in, err := d.FindReportInputs(ctx, roundID, false)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(in.People, wantPeople) {
			t.Errorf("people = %v, want %v", in.People, wantPeople)
		}
		if !reflect.DeepEqual(in.Groups, groups) {
			t.Errorf("groups = %v, want %v", in.Groups, groups)
		}
		if !reflect.DeepEqual(in.Members, members) {
			t.Errorf("members = %v, want %v", in.Members, members)
		}
	}
	check(t, open.ID, wantGroups, wantMembers)

	// Everything an administrator can change.
	move(people[0], b.ID)
	if err := d.SetPersonTeams(ctx, people[2], nil); err != nil {
		t.Fatal(err)
	}
	if err := d.AddTeamMember(ctx, tm.ID, people[3]); err != nil {
		t.Fatal(err)
	}
	if err := d.RenameGroup(ctx, tm.ID, "Omdøbt"); err != nil {
		t.Fatal(err)
	}
	if err := d.DeleteGroup(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	u := mk(survey.Team, "Ny")
	if err := d.AddTeamMember(ctx, u.ID, people[1]); err != nil {
		t.Fatal(err)
	}
	if _, err := d.ImportPeople(ctx, []csvfile.PersonRow{
		{Line: 2, Email: "p004@example.dk", Name: "P004", Department: "Afdeling B", Teams: []string{"Tværs2"}},
		{Line: 3, Email: "ny@example.dk", Name: "Ny Person", Department: "Afdeling B", Teams: []string{"Tværs"}},
	}); err != nil {
		t.Fatal(err)
	}
	if err := d.CreatePerson(ctx, &survey.Person{Email: "nyere@example.dk", Name: "Aaa Nyere"}); err != nil {
		t.Fatal(err)
	}
	check(t, open.ID, wantGroups, wantMembers)

	// A round closed now closes with today's groups.
	later := &survey.Round{Name: "senere", Status: survey.RoundOpen, InstrumentVersion: "gc-1"}
	if err := d.CreateRound(ctx, later); err != nil {
		t.Fatal(err)
	}
	if err := d.SetRoundStatus(ctx, later.ID, survey.RoundClosed); err != nil {
		t.Fatal(err)
	}
	today, err := d.FindGroups(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	todayMembers, err := d.FindGroupMembers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	closedOpen := wantPeople
	wantPeople = everyone()
	check(t, later.ID, today, todayMembers)
	wantPeople = closedOpen

	// An erasure takes the person out of every round.
	if err := d.ErasePerson(ctx, people[0], "test"); err != nil {
		t.Fatal(err)
	}
	wantPeople = slices.DeleteFunc(slices.Clone(wantPeople), func(id int64) bool { return id == people[0] })
	check(t, open.ID, wantGroups, map[int64][]int64{a.ID: {people[1]}, b.ID: {people[2]}, tm.ID: {people[2]}})

	// Retention takes the round with its groups.
	if _, err := d.DeleteExpiredRounds(ctx, time.Now().AddDate(100, 0, 0)); err != nil {
		t.Fatal(err)
	}
	var left int
	if err := d.read.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM round_groups) + (SELECT count(*) FROM round_members)").Scan(&left); err != nil || left != 0 {
		t.Errorf("%d rows of deleted rounds' groups left (%v)", left, err)
	}
}

// TestMigration0007 opens a database that 0006 left with a closed and an
// open round: the closed one keeps today's groups from then on.
func TestMigration0007(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	oldDatabase(t, path, 6, "0007_round_groups.sql",
		"INSERT INTO instruments (version, body) VALUES ('gc-1', X'')",
		"INSERT INTO rounds (id, name, status, instrument_version, created_at) VALUES (1, 'r1', 'closed', 'gc-1', '2026-01-01T00:00:00Z'), (2, 'r2', 'open', 'gc-1', '2026-02-01T00:00:00Z')",
		"INSERT INTO groups (id, kind, name) VALUES (10, 'department', 'A'), (20, 'team', 'T')",
		"INSERT INTO people (id, email, name, department_id) VALUES (1, 'a@x.dk', 'A', 10), (2, 'b@x.dk', 'B', NULL)",
		"INSERT INTO team_members (team_id, person_id) VALUES (20, 1), (20, 2)",
		"INSERT INTO audit_log (at, actor, action, target, detail) VALUES ('2026-01-02T00:00:00Z', 'user:1', 'group.delete', 'group:30', '')")
	d, err := Open(path)
	if err != nil {
		t.Fatalf("Open of a 0006 database: %v", err)
	}
	defer d.Close()
	if _, err := d.write.ExecContext(ctx, "DELETE FROM team_members WHERE team_id = 20 AND person_id = 2"); err != nil {
		t.Fatal(err)
	}
	in, err := d.FindReportInputs(ctx, 1, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.CreatePerson(ctx, &survey.Person{Email: "c@x.dk", Name: "AAA"}); err != nil {
		t.Fatal(err)
	}
	if in, err := d.FindReportInputs(ctx, 1, false); err != nil {
		t.Fatal(err)
	} else if !reflect.DeepEqual(in.People, []int64{1, 2}) {
		t.Errorf("closed round's people = %v, want those of the migration", in.People)
	}
	g := survey.Group{Kind: survey.Team, Name: "Ny"}
	if err := d.CreateGroup(ctx, &g); err != nil {
		t.Fatal(err)
	}
	if g.ID != 31 {
		t.Errorf("the first group after the migration got id %d, want 31 (the audit log names 30)", g.ID)
	}
	if want := map[int64][]int64{10: {1}, 20: {1, 2}}; !reflect.DeepEqual(in.Members, want) {
		t.Errorf("closed round's members = %v, want %v", in.Members, want)
	}
	if in, err := d.FindReportInputs(ctx, 2, false); err != nil {
		t.Fatal(err)
	} else if want := map[int64][]int64{10: {1}, 20: {1}, g.ID: {}}; !reflect.DeepEqual(in.Members, want) {
		t.Errorf("open round's members = %v, want %v", in.Members, want)
	}
}
