package data

import (
	"bytes"
	"context"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"lederradar/survey"
)

// keptReportDB makes a database with a closed round 1 — people 1–3 in
// department 10, people 1 and 2 in team 20, person 4 in no group;
// links for 1 and 2, a
// submitted response of 1 with its tally and one of 2 without — and an
// open round 2 in which 1 has a link and a submitted response; and a
// kept report of round 1, with threshold 5.
func keptReportDB(t *testing.T) *DB {
	t.Helper()
	ctx := context.Background()
	d := openMigrated(t, "kept.db", Options{})
	for _, q := range []string{
		"INSERT INTO instruments (version, body) VALUES ('kr-1', X'')",
		"INSERT INTO groups (id, kind, name) VALUES (10, 'department', 'A'), (20, 'team', 'T')",
		"INSERT INTO people (id, email, name, department_id) VALUES (1, 'a@x.dk', 'A', 10), (2, 'b@x.dk', 'B', 10), (3, 'c@x.dk', 'C', 10), (4, 'd@x.dk', 'D', NULL)",
		"INSERT INTO team_members (team_id, person_id) VALUES (20, 1), (20, 2)",
		"INSERT INTO rounds (id, name, status, instrument_version, created_at) VALUES (1, 'r1', 'open', 'kr-1', '2026-01-01T00:00:00Z'), (2, 'r2', 'open', 'kr-1', '2026-02-01T00:00:00Z')",
		`INSERT INTO invitations (id, round_id, person_id, subject_id, relation, token_hash, created_at) VALUES
			(1, 1, 1, 1, 'self', 'h1', '2026-01-01T00:00:00Z'), (2, 1, 2, 2, 'self', 'h2', '2026-01-01T00:00:00Z'),
			(3, 2, 1, 1, 'self', 'h3', '2026-02-01T00:00:00Z')`,
		`INSERT INTO responses (id, round_id, subject_id, rater_id, relation, submitted_at) VALUES
			(1, 1, 1, 1, 'self', '2026-01-02T00:00:00Z'), (2, 1, 2, 2, 'self', '2026-01-02T00:00:00Z'),
			(3, 2, 1, 1, 'self', '2026-02-02T00:00:00Z')`,
		"INSERT INTO answers (response_id, item_id, value) VALUES (1, 'i1', 4), (2, 'i1', 3), (3, 'i1', 5)",
		"INSERT INTO answer_tallies (response_id, tally) VALUES (1, X'01'), (3, X'03')",
		"UPDATE rounds SET status = 'closed' WHERE id = 1",
	} {
		if _, err := d.write.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if ok, err := d.StoreRoundReport(ctx, 1, StoredReport{MinGroup: 5, Format: 1, Body: []byte("report")}); err != nil || !ok {
		t.Fatalf("StoreRoundReport = %v, %v", ok, err)
	}
	return d
}

// TestKeptReportSurvivesChange makes every change to what a closed
// round's report is built from, by the data API and by plain SQL with its
// cascades, and changes to everything else: the kept report and the
// round's threshold stay exactly as they were (migration 0009), so no
// report before and after a change exists to subtract one from the
// other. Only retention, which deletes the round, deletes its report.
func TestKeptReportSurvivesChange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	sqlChange := func(q string) func(*DB) error {
		return func(d *DB) error {
			_, err := d.write.ExecContext(ctx, q)
			return err
		}
	}
	for _, c := range []struct {
		name    string
		change  func(*DB) error
		dropped bool
	}{
		{"retention", func(d *DB) error { _, err := d.DeleteExpiredRounds(ctx, time.Now().Add(time.Hour)); return err }, true},
		{"the round deleted", sqlChange("DELETE FROM rounds WHERE id = 1"), true},

		{"erasure of a respondent", func(d *DB) error { return d.ErasePerson(ctx, 1, "test") }, false},
		{"erasure of someone without a link", func(d *DB) error { return d.ErasePerson(ctx, 3, "test") }, false},
		{"erasure of someone in no group", func(d *DB) error { return d.ErasePerson(ctx, 4, "test") }, false},
		{"a response deleted", sqlChange("DELETE FROM responses WHERE id = 2"), false},
		{"a response unsubmitted", sqlChange("UPDATE responses SET submitted_at = NULL WHERE id = 1"), false},
		{"a response added", sqlChange("INSERT INTO responses (round_id, subject_id, rater_id, relation) VALUES (1, 3, 3, 'self')"), false},
		{"a link deleted", sqlChange("DELETE FROM invitations WHERE id = 2"), false},
		{"a link added", sqlChange("INSERT INTO invitations (round_id, person_id, subject_id, relation, token_hash, created_at) VALUES (1, 3, 3, 'self', 'h9', '2026-01-01T00:00:00Z')"), false},
		{"a tally deleted", sqlChange("DELETE FROM answer_tallies WHERE response_id = 1"), false},
		{"a tally changed", sqlChange("UPDATE answer_tallies SET tally = X'02' WHERE response_id = 1"), false},
		{"a tally added", sqlChange("INSERT INTO answer_tallies (response_id, tally) VALUES (2, X'02')"), false},
		{"an answer changed", sqlChange("UPDATE answers SET value = 1 WHERE response_id = 1"), false},
		{"a kept membership deleted", sqlChange("DELETE FROM round_members WHERE round_id = 1 AND person_id = 2 AND group_id = 20"), false},
		{"a kept group deleted", sqlChange("DELETE FROM round_groups WHERE round_id = 1 AND group_id = 20"), false},
		{"the kept organisation changed", sqlChange("UPDATE rounds SET last_person_id = 2 WHERE id = 1"), false},
		{"the round's instrument changed", sqlChange("UPDATE rounds SET instrument_version = 'kr-1' || '' WHERE id = 1"), false},
		{"the open round closed", func(d *DB) error { return d.SetRoundStatus(ctx, 2, survey.RoundClosed) }, false},
		{"the closed round renamed", sqlChange("UPDATE rounds SET name = 'r1 (2026)' WHERE id = 1"), false},
		{"an answer in the open round", sqlChange("UPDATE answers SET value = 2 WHERE response_id = 3"), false},
		{"a new person", sqlChange("INSERT INTO people (id, email, name) VALUES (5, 'e@x.dk', 'E')"), false},
		{"a person moved", sqlChange("UPDATE people SET department_id = NULL, name = 'AA' WHERE id = 1"), false},
		{"a team left", sqlChange("DELETE FROM team_members WHERE person_id = 2"), false},
		{"a group deleted today", sqlChange("DELETE FROM groups WHERE id = 20"), false},
		{"a report of the same format kept again", func(d *DB) error {
			_, err := d.StoreRoundReport(ctx, 1, StoredReport{MinGroup: 3, Format: 1, Body: []byte("another")})
			return err
		}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := keptReportDB(t)
			if _, err := d.write.ExecContext(ctx, "UPDATE rounds SET closed_at = '2026-01-03T00:00:00Z' WHERE id = 1"); err != nil {
				t.Fatal(err)
			}
			if err := c.change(d); err != nil {
				t.Fatal(err)
			}
			r, err := d.FindRoundReport(ctx, 1)
			switch {
			case c.dropped && survey.ErrorCode(err) != survey.ENOTFOUND:
				t.Errorf("the round's report outlived the round (%v)", err)
			case !c.dropped && err != nil:
				t.Errorf("the kept report was dropped: %v", err)
			case !c.dropped && (string(r.Body) != "report" || r.MinGroup != 5 || r.Format != 1):
				t.Errorf("the kept report changed to %+v", r)
			}
			if c.dropped {
				return
			}
			if got := roundMinGroup(t, d, 1); got != 5 {
				t.Errorf("the round's threshold is %d, want 5", got)
			}
		})
	}
}

// roundMinGroup returns the threshold round id keeps, 0 for none.
func roundMinGroup(t *testing.T, d *DB, id int64) int {
	t.Helper()
	in, err := d.FindReportInputs(context.Background(), id, false)
	if err != nil {
		t.Fatal(err)
	}
	return in.MinGroup
}

// TestStoreRoundReportKeepsFirst checks that a report is kept only for a
// closed round, that a kept report is never replaced by another of its
// format, and that one of an older format is (the first read after an
// upgrade), the round taking the threshold of the first it keeps.
func TestStoreRoundReportKeepsFirst(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := keptReportDB(t)
	if got := roundMinGroup(t, d, 1); got != 5 {
		t.Errorf("the round kept threshold %d with its report, want 5", got)
	}
	if ok, err := d.StoreRoundReport(ctx, 2, StoredReport{MinGroup: 5, Format: 1, Body: []byte("x")}); err != nil || ok {
		t.Errorf("an open round's report was kept: %v, %v", ok, err)
	}
	if ok, err := d.StoreRoundReport(ctx, 1, StoredReport{MinGroup: 3, Format: 1, Body: []byte("again")}); err != nil || ok {
		t.Errorf("a kept report was replaced by one of its format: %v, %v", ok, err)
	}
	if ok, err := d.StoreRoundReport(ctx, 1, StoredReport{MinGroup: 5, Format: 2, Body: []byte("new")}); err != nil || !ok {
		t.Errorf("a report of a newer format was not kept: %v, %v", ok, err)
	}
	r, err := d.FindRoundReport(ctx, 1)
	if err != nil || r.MinGroup != 5 || r.Format != 2 || string(r.Body) != "new" {
		t.Errorf("FindRoundReport = %+v, %v; want the newer one", r, err)
	}
	if _, err := d.FindRoundReport(ctx, 2); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("FindRoundReport of a round without one: %v, want ENOTFOUND", err)
	}
	if err := d.SetRoundStatus(ctx, 2, survey.RoundClosed); err != nil {
		t.Fatal(err)
	}
	if got := roundMinGroup(t, d, 2); got != 0 {
		t.Errorf("a round closed without a report has threshold %d, want none", got)
	}
	if ok, err := d.StoreRoundReport(ctx, 2, StoredReport{MinGroup: 7, Format: 2, Body: []byte("x")}); err != nil || !ok {
		t.Errorf("the first report of a closed round was not kept: %v, %v", ok, err)
	}
	if got := roundMinGroup(t, d, 2); got != 7 {
		t.Errorf("the round took threshold %d with its first report, want 7", got)
	}
}

// TestMigration0009 upgrades a database of schema 8 with a closed round
// and its kept report: the report stays as it was, the round has no
// threshold yet, and the triggers and epoch of 0008 are gone, so an
// erasure leaves the report alone.
func TestMigration0009(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	oldDatabase(t, path, 8, "0009_final_reports.sql",
		"INSERT INTO instruments (version, body) VALUES ('m9-1', X'')",
		"INSERT INTO people (id, email, name) VALUES (1, 'a@x.dk', 'A')",
		"INSERT INTO rounds (id, name, status, instrument_version, created_at) VALUES (1, 'r1', 'closed', 'm9-1', '2026-01-01T00:00:00Z')",
		"INSERT INTO round_reports (round_id, part, min_group, format, body) VALUES (1, 0, 5, 1, X'0102')")
	d, err := Open(path)
	if err != nil {
		t.Fatalf("Open of a 0008 database: %v", err)
	}
	defer d.Close()
	if r, err := d.FindRoundReport(ctx, 1); err != nil || !bytes.Equal(r.Body, []byte{1, 2}) || r.Format != 1 {
		t.Errorf("FindRoundReport after the migration = %+v, %v", r, err)
	}
	if got := roundMinGroup(t, d, 1); got != 0 {
		t.Errorf("threshold %d after the migration, want none", got)
	}
	var left int
	if err := d.read.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master
		WHERE name = 'report_epoch' OR (type = 'trigger' AND name LIKE '%drops_report')`).Scan(&left); err != nil || left != 0 {
		t.Errorf("%d triggers or tables of 0008 left (%v)", left, err)
	}
	if err := d.ErasePerson(ctx, 1, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.FindRoundReport(ctx, 1); err != nil {
		t.Errorf("an erasure after the migration dropped the kept report: %v", err)
	}
}

// TestCloseRoundKeepsReport checks that closing a round gives it its
// threshold and keeps its report in the same transaction, built with that
// threshold from the inputs of the round as it closed, and holds it in
// memory from the commit on; and that a failing build, or a threshold
// below the floor, leaves the round open and nothing kept.
func TestCloseRoundKeepsReport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := keptReportDB(t)
	openStill := func(t *testing.T, what string) {
		t.Helper()
		if r, err := d.FindRoundByID(ctx, 2); err != nil || r.Status != survey.RoundOpen {
			t.Fatalf("after %s the round is %+v, %v; want it open", what, r, err)
		}
		if got := roundMinGroup(t, d, 2); got != 0 {
			t.Fatalf("after %s the round has threshold %d", what, got)
		}
		if _, err := d.FindRoundReport(ctx, 2); survey.ErrorCode(err) != survey.ENOTFOUND {
			t.Fatalf("after %s a report is kept (%v)", what, err)
		}
	}
	// The round's instrument kr-1 is stored without a body: the build
	// cannot read it.
	if err := d.CloseRound(ctx, 2, 6); err == nil {
		t.Fatal("CloseRound with a failing build succeeded")
	}
	openStill(t, "a failing build")
	for _, k := range []int{0, 2} {
		if err := d.CloseRound(ctx, 2, k); survey.ErrorCode(err) != survey.EINVALID {
			t.Errorf("CloseRound with threshold %d: %v, want EINVALID", k, err)
		}
		openStill(t, "a close below the floor")
	}

	raw := strings.Replace(string(survey.DefaultInstrumentFile()), `version = "2026.2"`, `version = "kr-1"`, 1)
	in, err := survey.ParseInstrument([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	tally := make(survey.Tally, len(in.Competences))
	tally[0] = [6]uint16{0, 0, 0, 0, 0, 1}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{"UPDATE instruments SET body = ? WHERE version = 'kr-1'", []any{raw}},
		{"UPDATE answer_tallies SET tally = ? WHERE response_id = 3", []any{appendTally(nil, tally)}},
	} {
		if _, err := d.write.ExecContext(ctx, q.sql, q.args...); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.CloseRound(ctx, 2, 6); err != nil {
		t.Fatal(err)
	}
	round, err := d.FindRoundByID(ctx, 2)
	if err != nil || round.Status != survey.RoundClosed || roundMinGroup(t, d, 2) != 6 {
		t.Fatalf("after the close the round is %+v (%v), threshold %d; want it closed with 6", round, err, roundMinGroup(t, d, 2))
	}
	kept, err := d.FindRoundReport(ctx, 2)
	if err != nil || kept.Format != reportFormat || kept.MinGroup != 6 {
		t.Fatalf("FindRoundReport after the close = %+v, %v", kept, err)
	}
	got, err := decodeReport(kept.Body, kept.Format, round, in)
	if err != nil {
		t.Fatal(err)
	}
	// Person 1 has a link, and their answers (one 5 on the first
	// competence) are the round's one submission: counted, and hidden.
	org := got.Groups[0]
	if got.MinGroup != 6 || org.Invited != 1 || org.Started != 1 || org.Submitted != 1 || org.Profile.N != 1 || !org.Profile.Suppressed {
		t.Fatalf("the close kept %+v with the organisation %+v, want threshold 6 and person 1's tally", got, org.Profile)
	}
	if inputs, err := d.FindReportInputs(ctx, 2, true); err != nil || len(inputs.Tallies) != 1 || !reflect.DeepEqual(inputs.Tallies[0].Tally, tally) ||
		inputs.Progress[1] != Invited|Started|Submitted {
		t.Fatalf("the closed round reads %+v, %v; want person 1's tally", inputs, err)
	}
	want, err := d.buildReport(ctx, round, 6)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Groups, want.Groups) || got.Answered != want.Answered {
		t.Errorf("the close's report\n%+v\nwant one built from what the closed round reads now\n%+v", got.Groups, want.Groups)
	}
	held, err := d.RoundReport(ctx, round, 5)
	if err != nil || held.MinGroup != 6 || !reflect.DeepEqual(held.Groups, got.Groups) {
		t.Errorf("RoundReport after the close = %+v, %v; want the kept one", held, err)
	}
	if held != d.reports.done[2] {
		t.Error("the close's report is not held in memory")
	}
	if _, err := d.FindRoundReport(ctx, 1); err != nil {
		t.Errorf("closing round 2 dropped round 1's report: %v", err)
	}
}

// TestEraseLeavesKeptReports checks that an erasure leaves the kept
// reports as they are — a body of several parts included — while it
// deletes the memberships the closed round kept of the person.
func TestEraseLeavesKeptReports(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := keptReportDB(t)
	before := bytes.Repeat([]byte("before"), reportPart/2)
	if _, err := d.write.ExecContext(ctx, "DELETE FROM round_reports"); err != nil {
		t.Fatal(err)
	}
	if ok, err := d.StoreRoundReport(ctx, 1, StoredReport{MinGroup: 5, Format: 1, Body: before}); err != nil || !ok {
		t.Fatalf("StoreRoundReport = %v, %v", ok, err)
	}
	if err := d.ErasePerson(ctx, 2, "test"); err != nil {
		t.Fatal(err)
	}
	if r, err := d.FindRoundReport(ctx, 1); err != nil || !bytes.Equal(r.Body, before) || r.MinGroup != 5 {
		t.Errorf("the erasure changed the kept report: %v", err)
	}
	var n int
	if err := d.read.QueryRowContext(ctx, "SELECT count(*) FROM round_members WHERE person_id = 2").Scan(&n); err != nil || n != 0 {
		t.Errorf("%d memberships at the close of the erased person left (%v)", n, err)
	}
	in, err := d.FindReportInputs(ctx, 1, false)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(in.People, 2) || in.Progress[2] != 0 || slices.Contains(in.Members[10], 2) || slices.Contains(in.Members[20], 2) {
		t.Errorf("the round's inputs still have person 2: %+v", in)
	}
}

// TestRoundReportParts keeps bodies of several parts and of none: each
// reads back whole, and a shorter one leaves no part of a longer one.
func TestRoundReportParts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d := keptReportDB(t)
	long := make([]byte, 2*reportPart+17)
	for i := range long {
		long[i] = byte(i * 7)
	}
	for i, body := range [][]byte{long, long[:reportPart], []byte("short"), {}} {
		// A newer format each time: a report of the same one is final.
		if ok, err := d.StoreRoundReport(ctx, 1, StoredReport{MinGroup: 5, Format: 2 + i, Body: body}); err != nil || !ok {
			t.Fatalf("StoreRoundReport of %d bytes = %v, %v", len(body), ok, err)
		}
		r, err := d.FindRoundReport(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(r.Body, body) || r.Body == nil {
			t.Errorf("a body of %d bytes read back as %d bytes", len(body), len(r.Body))
		}
	}
}

// TestMigration0008 upgrades a database of schema 7 with a closed round:
// no report is kept yet, and one built afterwards is.
func TestMigration0008(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	oldDatabase(t, path, 7, "0008_round_reports.sql",
		"INSERT INTO instruments (version, body) VALUES ('m8-1', X'')",
		"INSERT INTO people (id, email, name) VALUES (1, 'a@x.dk', 'A')",
		"INSERT INTO rounds (id, name, status, instrument_version, created_at) VALUES (1, 'r1', 'closed', 'm8-1', '2026-01-01T00:00:00Z')")
	d, err := Open(path)
	if err != nil {
		t.Fatalf("Open of a 0007 database: %v", err)
	}
	defer d.Close()
	if _, err := d.FindRoundReport(ctx, 1); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("FindRoundReport after the migration: %v, want ENOTFOUND", err)
	}
	if ok, err := d.StoreRoundReport(ctx, 1, StoredReport{MinGroup: 5, Format: 1, Body: []byte("r")}); err != nil || !ok {
		t.Errorf("StoreRoundReport after the migration = %v, %v", ok, err)
	}
}
