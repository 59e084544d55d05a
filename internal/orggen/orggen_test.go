package orggen_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/internal/orggen"
	"lederradar/survey"
)

// TestGenerate checks the shape of a small generated organisation: every
// leader in a department of 8–40, teams that cross departments, two
// closed rounds with most answered, an open one under way with a link
// for everyone that opens their invitation.
func TestGenerate(t *testing.T) {
	ctx := context.Background()
	db, in := mustOpenDB(t)
	const n = 400
	org, err := orggen.Generate(ctx, db, in, survey.DefaultInstrumentFile(), orggen.Config{People: n, Seed: 3, Now: time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	people, err := db.FindPeople(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(people) != n || org.People != n {
		t.Fatalf("%d people, want %d", len(people), n)
	}
	members, err := db.FindGroupMembers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	depts, err := db.FindGroups(ctx, survey.Department)
	if err != nil {
		t.Fatal(err)
	}
	for i, g := range depts {
		if size := len(members[g.ID]); size < 8 || (size > 40 && i != len(depts)-1) {
			t.Errorf("department %q has %d people", g.Name, size)
		}
	}
	deptOf := map[int64]int64{}
	for _, p := range people {
		if p.DepartmentID == 0 {
			t.Errorf("%s has no department", p.Name)
		}
		deptOf[p.ID] = p.DepartmentID
	}
	teams, err := db.FindGroups(ctx, survey.Team)
	if err != nil {
		t.Fatal(err)
	}
	crossing := 0
	for _, g := range teams {
		seen := map[int64]bool{}
		for _, id := range members[g.ID] {
			seen[deptOf[id]] = true
		}
		if len(seen) > 1 {
			crossing++
		}
	}
	if len(teams) != n/20 || crossing < len(teams)/2 {
		t.Errorf("%d teams, %d crossing departments", len(teams), crossing)
	}
	if len(org.ClosedRounds) != 2 || org.OpenRound.Status != survey.RoundOpen {
		t.Fatalf("rounds: %+v, open %+v", org.ClosedRounds, org.OpenRound)
	}
	for _, r := range org.ClosedRounds {
		got, err := db.FindSubmittedResponses(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != org.Submitted[r.ID] || len(got) < n*7/10 || len(got) > n*9/10 {
			t.Errorf("round %s: %d submitted (org says %d)", r.Name, len(got), org.Submitted[r.ID])
		}
	}
	if len(org.Links) != n {
		t.Fatalf("%d links, want %d", len(org.Links), n)
	}
	states := map[orggen.State]int{}
	for _, l := range org.Links {
		states[l.State]++
		inv, err := db.FindInvitationByTokenHash(ctx, auth.HashToken(l.Token))
		if err != nil || inv.PersonID != l.PersonID || inv.RoundID != org.OpenRound.ID {
			t.Fatalf("link of person %d: %+v, %v", l.PersonID, inv, err)
		}
	}
	if states[orggen.NotStarted] == 0 || states[orggen.Started] == 0 || states[orggen.Submitted] == 0 {
		t.Errorf("open round states %v: want some of each", states)
	}
	if _, err := orggen.Generate(ctx, db, in, survey.DefaultInstrumentFile(), orggen.Config{People: 3}); err == nil {
		t.Error("an organisation of 3 was generated")
	}
}

// mustOpenDB opens an empty database in a temporary directory, closed
// with the test, and returns it with the default instrument.
func mustOpenDB(t *testing.T) (*data.DB, *survey.Instrument) {
	t.Helper()
	db, err := data.Open(filepath.Join(t.TempDir(), "gen.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	in, err := survey.DefaultInstrument()
	if err != nil {
		t.Fatal(err)
	}
	return db, in
}

func TestLinksFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "links")
	want := []orggen.Link{{PersonID: 1, Token: "abc", State: orggen.Started}, {PersonID: 22, Token: "d-e_f", State: orggen.NotStarted}}
	if err := orggen.WriteLinks(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := orggen.ReadLinks(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("ReadLinks = %+v, want %+v", got, want)
	}
}

// TestGenerate360 checks the 360 rounds: the newest closed round and the
// open one ask five raters about every leader (a manager, two peers, two
// employees), about four in five answered in the closed round and a
// quarter so far in the open one, whose links open a rater's form about
// their leader; the closed round keeps its raters' report.
func TestGenerate360(t *testing.T) {
	ctx := context.Background()
	db, in := mustOpenDB(t)
	const n = 300
	org, err := orggen.Generate(ctx, db, in, survey.DefaultInstrumentFile(), orggen.Config{People: n, Seed: 5, Now: orggen.FixtureNow, ThreeSixty: true})
	if err != nil {
		t.Fatal(err)
	}
	rounds, err := db.FindRounds(ctx) // the newest first
	if err != nil {
		t.Fatal(err)
	}
	kinds := []survey.RoundKind{rounds[0].Kind, rounds[1].Kind, rounds[2].Kind}
	if want := []survey.RoundKind{survey.ThreeSixty, survey.ThreeSixty, survey.SelfOnly}; !slices.Equal(kinds, want) {
		t.Errorf("round kinds, newest first: %v, want %v", kinds, want)
	}
	closed, open := org.ClosedRounds[1], org.OpenRound
	for _, tc := range []struct {
		round    survey.Round
		min, max int
	}{{closed, 5 * n * 7 / 10, 5 * n * 9 / 10}, {open, 5 * n * 15 / 100, 5 * n * 35 / 100}} {
		if got := org.RatersSubmitted[tc.round.ID]; got < tc.min || got > tc.max {
			t.Errorf("round %s: %d raters submitted, want %d–%d", tc.round.Name, got, tc.min, tc.max)
		}
	}
	if len(org.RaterLinks) != 5*n {
		t.Fatalf("%d raters' links, want %d", len(org.RaterLinks), 5*n)
	}
	relations := map[int64][]survey.Relation{}
	states := map[orggen.State]int{}
	for _, l := range org.RaterLinks {
		inv, err := db.FindInvitationByTokenHash(ctx, auth.HashToken(l.Token))
		if err != nil || inv.SubjectID != l.SubjectID || inv.Relation != l.Relation || inv.RoundID != open.ID || inv.PersonID == l.SubjectID {
			t.Fatalf("rater link of %d: %+v, %v", l.SubjectID, inv, err)
		}
		relations[l.SubjectID] = append(relations[l.SubjectID], l.Relation)
		states[l.State]++
	}
	want := []survey.Relation{survey.Employee, survey.Employee, survey.Manager, survey.Peer, survey.Peer}
	for leader, rels := range relations {
		if slices.Sort(rels); !slices.Equal(rels, want) {
			t.Fatalf("leader %d's raters: %v, want %v", leader, rels, want)
		}
	}
	if len(relations) != n || states[orggen.Started] == 0 || states[orggen.NotStarted] < 5*n/2 {
		t.Errorf("%d leaders rated, raters' states %v", len(relations), states)
	}
	if _, err := db.RoundOthersReport(ctx, &closed, 5); err != nil {
		t.Errorf("the closed 360 round's raters' report: %v", err)
	}
}

func TestRaterLinksFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rater-links")
	want := []orggen.RaterLink{{SubjectID: 4, Relation: survey.Manager, Token: "abc", State: orggen.Submitted},
		{SubjectID: 9, Relation: survey.Employee, Token: "d-e_f", State: orggen.NotStarted}}
	if err := orggen.WriteRaterLinks(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := orggen.ReadRaterLinks(path)
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("ReadRaterLinks = %+v, %v; want %+v", got, err, want)
	}
	if _, err := orggen.ReadRaterLinks(filepath.Join(t.TempDir(), "none")); err == nil {
		t.Error("read a file that is not there")
	}
}
