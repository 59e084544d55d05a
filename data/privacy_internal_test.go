package data

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"lederradar/internal/auth"
	"lederradar/survey"
)

// TestAnswersCarryNothingButTheValue fails when a column is added to
// answers: an answer must carry no IP address, user agent or timestamp
// (DESIGN.md C10). Adding one needs a decision, not a migration alone.
func TestAnswersCarryNothingButTheValue(t *testing.T) {
	t.Parallel()
	d, err := Open(filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	got, err := columns(t.Context(), d.read, "answers")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"response_id", "item_id", "value"}; !slices.Equal(got, want) {
		t.Errorf("answers has columns %v, want exactly %v", got, want)
	}
	// Nor may any other table keep an address or a user agent.
	tables, err := tableNames(t.Context(), d.read)
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range tables {
		cols, err := columns(t.Context(), d.read, table)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cols {
			lc := strings.ToLower(c)
			if lc == "ip" || strings.HasPrefix(lc, "ip_") || strings.HasSuffix(lc, "_ip") || strings.Contains(lc, "agent") || strings.Contains(lc, "addr") {
				t.Errorf("table %s has column %s", table, c)
			}
		}
	}
}

func tableNames(ctx context.Context, q queryer) ([]string, error) {
	rows, err := q.QueryContext(ctx, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

func columns(ctx context.Context, q queryer, table string) ([]string, error) {
	rows, err := q.QueryContext(ctx, "SELECT name FROM pragma_table_info(?) ORDER BY cid", table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// TestErasePersonLeavesNoRow walks every table the schema has — so a table
// added later is checked too — and finds no row that refers to the erased
// person, their responses or their invitations, nor their e-mail address.
func TestErasePersonLeavesNoRow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, err := Open(filepath.Join(t.TempDir(), "erase.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	in, err := survey.DefaultInstrument()
	if err != nil {
		t.Fatal(err)
	}
	if err := d.EnsureInstrument(ctx, in, survey.DefaultInstrumentFile()); err != nil {
		t.Fatal(err)
	}
	dept := survey.Group{Kind: survey.Department, Name: "Dept"}
	team := survey.Group{Kind: survey.Team, Name: "Team"}
	for _, g := range []*survey.Group{&dept, &team} {
		if err := d.CreateGroup(ctx, g); err != nil {
			t.Fatal(err)
		}
	}
	var people []survey.Person
	for i := range 3 {
		p := survey.Person{Email: fmt.Sprintf("p%d@example.dk", i), Name: fmt.Sprintf("Vibeke Erasetest %d", i), DepartmentID: dept.ID}
		if err := d.CreatePerson(ctx, &p); err != nil {
			t.Fatal(err)
		}
		if err := d.AddTeamMember(ctx, team.ID, p.ID); err != nil {
			t.Fatal(err)
		}
		people = append(people, p)
	}
	victim := people[1]
	item := in.Competences[0].Items[0].ID
	for _, name := range []string{"R1", "R2"} {
		r := survey.Round{Name: name, Status: survey.RoundOpen, InstrumentVersion: in.Version}
		if err := d.CreateRound(ctx, &r); err != nil {
			t.Fatal(err)
		}
		for _, p := range people {
			_, hash := auth.NewToken()
			inv := survey.Invitation{RoundID: r.ID, PersonID: p.ID, Relation: survey.Self}
			if err := d.CreateInvitation(ctx, &inv, p.ID, hash); err != nil {
				t.Fatal(err)
			}
			_, sh := auth.NewToken()
			if err := d.CreateSession(ctx, sh, inv.ID, time.Hour, time.Hour); err != nil {
				t.Fatal(err)
			}
			_, oh := auth.NewToken()
			if err := d.OpenLink(ctx, LinkSession{TokenHash: oh, InvitationID: inv.ID, Idle: time.Hour, MaxAge: time.Hour, Browser: "chrome", OS: "windows"}); err != nil {
				t.Fatal(err)
			}
			key := fmt.Sprintf("%s-%d", name, p.ID)
			if _, err := d.SaveAnswers(ctx, AnswerSave{RoundID: r.ID, SubjectID: p.ID, RaterID: p.ID, Relation: survey.Self, FormKey: key, Answers: survey.Answers{item: 4}}); err != nil {
				t.Fatal(err)
			}
			if _, err := d.SubmitResponse(ctx, r.ID, p.ID, p.ID, survey.Self, key+"-s"); err != nil {
				t.Fatal(err)
			}
		}
		// She shares her radar with the team, as does another member.
		for _, p := range []survey.Person{victim, people[0]} {
			if err := d.GiveTeamMapConsent(ctx, r.ID, team.ID, p.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := d.BeginLoginAttempt(ctx, victim.Email, time.Hour); err != nil {
		t.Fatal(err)
	}
	// Mail to everyone, with a relay's reply that names the address.
	if _, err := d.write.ExecContext(ctx, `INSERT INTO outbox (kind, invitation_id, tag, status, next_attempt_at, last_error, created_at)
		SELECT 'reminder', i.id, 'd7', 'failed', ?1, '550 unknown ' || p.email, ?1 FROM invitations i JOIN people p ON p.id = i.person_id`,
		formatTime(d.now())); err != nil {
		t.Fatal(err)
	}

	ids := func(query string) []int64 {
		t.Helper()
		rows, err := d.read.QueryContext(ctx, query, victim.ID)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			out = append(out, id)
		}
		return out
	}
	responses := ids("SELECT id FROM responses WHERE subject_id = ?1 OR rater_id = ?1")
	invitations := ids("SELECT id FROM invitations WHERE person_id = ?1 OR subject_id = ?1")
	if len(responses) != 2 || len(invitations) != 2 {
		t.Fatalf("set-up: %d responses, %d invitations", len(responses), len(invitations))
	}

	if err := d.ErasePerson(ctx, victim.ID, "user:1"); err != nil {
		t.Fatal(err)
	}

	// Which values in which columns would point at the victim.
	person := []any{victim.ID}
	refs := map[string][]any{
		"person_id": person, "subject_id": person, "rater_id": person,
		"response_id": anys(responses), "invitation_id": anys(invitations),
		"email": {victim.Email, strings.ToUpper(victim.Email)},
	}
	ownID := map[string][]any{"people": person, "responses": anys(responses), "invitations": anys(invitations)}
	tables, err := tableNames(ctx, d.read)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, table := range tables {
		cols, err := columns(ctx, d.read, table)
		if err != nil {
			t.Fatal(err)
		}
		for _, col := range cols {
			vals := refs[col]
			if col == "id" {
				vals = ownID[table]
			}
			for _, v := range vals {
				checked++
				// Names come from sqlite_schema, not from input.
				found, err := exists(ctx, d.read, fmt.Sprintf("SELECT 1 FROM %q WHERE %q = ?", table, col), v)
				if err != nil {
					t.Fatal(err)
				}
				if found {
					t.Errorf("table %s still has %s = %v after the erasure", table, col, v)
				}
			}
		}
		// No text column anywhere holds the name or the e-mail address.
		for _, col := range cols {
			for _, s := range []string{victim.Email, victim.Name} {
				found, err := exists(ctx, d.read, fmt.Sprintf("SELECT 1 FROM %q WHERE instr(lower(CAST(%q AS TEXT)), lower(?)) > 0", table, col), s)
				if err != nil {
					t.Fatal(err)
				}
				if found {
					t.Errorf("table %s column %s still holds %q", table, col, s)
				}
			}
		}
	}
	if checked < 10 {
		t.Errorf("checked only %d references; is the walk still finding the tables?", checked)
	}

	// The others are untouched.
	for _, p := range []survey.Person{people[0], people[2]} {
		var n int
		if err := d.read.QueryRowContext(ctx, "SELECT count(*) FROM responses WHERE subject_id = ?", p.ID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 2 {
			t.Errorf("person %d has %d responses after another's erasure, want 2", p.ID, n)
		}
	}
}

func anys(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}

// TestMigration0003 upgrades a database that 0002 left, with rounds in
// every state, and checks closed_at: set for closed rounds only, from the
// announced close date where that has passed.
func TestMigration0003(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	oldDatabase(t, path, 2, "0003_retention.sql",
		"INSERT INTO instruments (version, body) VALUES ('v1', x'00')",
		"INSERT INTO rounds (id, name, status, instrument_version, closes_at, created_at) VALUES (1, 'past', 'closed', 'v1', '2024-05-01T00:00:00Z', '2024-04-01T00:00:00Z')",
		"INSERT INTO rounds (id, name, status, instrument_version, closes_at, created_at) VALUES (2, 'future', 'closed', 'v1', '2999-01-01T00:00:00Z', '2024-04-01T00:00:00Z')",
		"INSERT INTO rounds (id, name, status, instrument_version, created_at) VALUES (3, 'undated', 'closed', 'v1', '2024-04-01T00:00:00Z')",
		"INSERT INTO rounds (id, name, status, instrument_version, closes_at, created_at) VALUES (4, 'open', 'open', 'v1', '2024-05-01T00:00:00Z', '2024-04-01T00:00:00Z')")
	before := time.Now().UTC().Truncate(time.Second)
	d, err := Open(path)
	if err != nil {
		t.Fatalf("Open of a 0002 database: %v", err)
	}
	defer d.Close()
	after := time.Now().UTC().Add(time.Second)

	for id, check := range map[int64]func(time.Time) bool{
		1: func(c time.Time) bool { return c.Equal(time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)) },
		2: func(c time.Time) bool { return !c.Before(before) && c.Before(after) },
		3: func(c time.Time) bool { return !c.Before(before) && c.Before(after) },
		4: func(c time.Time) bool { return c.IsZero() },
	} {
		r, err := d.FindRoundByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !check(r.ClosedAt) {
			t.Errorf("round %s: closed_at = %v", r.Name, r.ClosedAt)
		}
	}
}
