package data

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"lederradar/survey"
)

// keptReportDB makes a database with a closed round 1 — people 1–3 in
// department 10, people 1 and 2 in team 20, person 4 in no group;
// links for 1 and 2, a
// submitted response of 1 with its tally and one of 2 without — and an
// open round 2 in which 1 has a link and a submitted response; and a
// kept report of round 1.
func keptReportDB(t *testing.T) *DB {
	t.Helper()
	ctx := context.Background()
	d, err := Open(filepath.Join(t.TempDir(), "kept.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
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
	if ok, err := d.StoreRoundReport(ctx, 1, epochOf(t, d), StoredReport{MinGroup: 5, Format: 1, Body: []byte("report")}); err != nil || !ok {
		t.Fatalf("StoreRoundReport = %v, %v", ok, err)
	}
	return d
}

func epochOf(t *testing.T, d *DB) int64 {
	t.Helper()
	in, err := d.FindReportInputs(context.Background(), 1, false)
	if err != nil {
		t.Fatal(err)
	}
	return in.Epoch
}

// TestKeptReportDroppedByChange makes every change to what a closed
// round's report is built from, by the data API and by plain SQL with its
// cascades: each must delete the kept report and move the epoch, so that
// no build from before it can be kept. Changes to anything else — the
// open round's links, answers and submits, the organisation of today, the
// round's name — must leave the kept report alone, and the epoch too, or
// a report built while a round is open could never be kept.
func TestKeptReportDroppedByChange(t *testing.T) {
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
		// moves: the epoch moves though the report stays. Closing a round
		// moves it (the close's own triggers change the round), which
		// only costs a build of another round that raced it its keeping.
		moves bool
	}{
		{"erasure of a respondent", func(d *DB) error { return d.ErasePerson(ctx, 1, "test") }, true, false},
		{"erasure of someone without a link", func(d *DB) error { return d.ErasePerson(ctx, 3, "test") }, true, false},
		{"erasure of someone in no group", func(d *DB) error { return d.ErasePerson(ctx, 4, "test") }, true, false},
		{"retention", func(d *DB) error { _, err := d.write.ExecContext(ctx, "DELETE FROM rounds WHERE id = 1"); return err }, true, false},
		{"a response deleted", sqlChange("DELETE FROM responses WHERE id = 2"), true, false},
		{"a response unsubmitted", sqlChange("UPDATE responses SET submitted_at = NULL WHERE id = 1"), true, false},
		{"a response added", sqlChange("INSERT INTO responses (round_id, subject_id, rater_id, relation) VALUES (1, 3, 3, 'self')"), true, false},
		{"a link deleted", sqlChange("DELETE FROM invitations WHERE id = 2"), true, false},
		{"a link added", sqlChange("INSERT INTO invitations (round_id, person_id, subject_id, relation, token_hash, created_at) VALUES (1, 3, 3, 'self', 'h9', '2026-01-01T00:00:00Z')"), true, false},
		{"a tally deleted", sqlChange("DELETE FROM answer_tallies WHERE response_id = 1"), true, false},
		{"a tally changed", sqlChange("UPDATE answer_tallies SET tally = X'02' WHERE response_id = 1"), true, false},
		{"a tally added", sqlChange("INSERT INTO answer_tallies (response_id, tally) VALUES (2, X'02')"), true, false},
		{"an answer changed", sqlChange("UPDATE answers SET value = 1 WHERE response_id = 1"), true, false},
		{"a kept membership deleted", sqlChange("DELETE FROM round_members WHERE round_id = 1 AND person_id = 2 AND group_id = 20"), true, false},
		{"a kept group deleted", sqlChange("DELETE FROM round_groups WHERE round_id = 1 AND group_id = 20"), true, false},
		{"the kept organisation changed", sqlChange("UPDATE rounds SET last_person_id = 2 WHERE id = 1"), true, false},
		{"the round's instrument changed", sqlChange("UPDATE rounds SET instrument_version = 'kr-1' || '' WHERE id = 1"), true, false},

		{"the open round closed", func(d *DB) error { return d.SetRoundStatus(ctx, 2, survey.RoundClosed) }, false, true},
		{"the closed round renamed", sqlChange("UPDATE rounds SET name = 'r1 (2026)' WHERE id = 1"), false, false},
		{"an answer in the open round", sqlChange("UPDATE answers SET value = 2 WHERE response_id = 3"), false, false},
		{"a submit in the open round", sqlChange("INSERT INTO answer_tallies (response_id, tally) VALUES (3, X'04') ON CONFLICT (response_id) DO UPDATE SET tally = excluded.tally"), false, false},
		{"a response started in the open round", sqlChange("INSERT INTO responses (round_id, subject_id, rater_id, relation) VALUES (2, 2, 2, 'self')"), false, false},
		{"a link in the open round", sqlChange("INSERT INTO invitations (round_id, person_id, subject_id, relation, token_hash, created_at) VALUES (2, 2, 2, 'self', 'h8', '2026-02-01T00:00:00Z')"), false, false},
		{"a link deleted in the open round", sqlChange("DELETE FROM invitations WHERE id = 3"), false, false},
		{"a new person", sqlChange("INSERT INTO people (id, email, name) VALUES (5, 'e@x.dk', 'E')"), false, false},
		{"a person moved", sqlChange("UPDATE people SET department_id = NULL, name = 'AA' WHERE id = 1"), false, false},
		{"a team left", sqlChange("DELETE FROM team_members WHERE person_id = 2"), false, false},
		{"a group deleted today", sqlChange("DELETE FROM groups WHERE id = 20"), false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := keptReportDB(t)
			before := epochOf(t, d)
			if err := c.change(d); err != nil {
				t.Fatal(err)
			}
			var n int64
			if err := d.write.QueryRowContext(ctx, "SELECT n FROM report_epoch").Scan(&n); err != nil {
				t.Fatal(err)
			}
			_, err := d.FindRoundReport(ctx, 1)
			switch {
			case c.dropped && survey.ErrorCode(err) != survey.ENOTFOUND:
				t.Errorf("the kept report survived (%v)", err)
			case c.dropped && n == before:
				t.Error("the epoch did not move: a build from before could be kept")
			case !c.dropped && err != nil:
				t.Errorf("the kept report was dropped: %v", err)
			case !c.dropped && !c.moves && n != before:
				t.Errorf("the epoch moved from %d to %d", before, n)
			}
		})
	}
}

// TestStoreRoundReportRefuses checks that a report is kept only for a
// closed round and only from a snapshot of the current epoch.
func TestStoreRoundReportRefuses(t *testing.T) {
	ctx := context.Background()
	d := keptReportDB(t)
	epoch := epochOf(t, d)
	if ok, err := d.StoreRoundReport(ctx, 2, epoch, StoredReport{MinGroup: 5, Format: 1, Body: []byte("x")}); err != nil || ok {
		t.Errorf("an open round's report was kept: %v, %v", ok, err)
	}
	if ok, err := d.StoreRoundReport(ctx, 1, epoch-1, StoredReport{MinGroup: 5, Format: 1, Body: []byte("old")}); err != nil || ok {
		t.Errorf("a report from an old epoch was kept: %v, %v", ok, err)
	}
	if ok, err := d.StoreRoundReport(ctx, 1, epoch, StoredReport{MinGroup: 6, Format: 2, Body: []byte("new")}); err != nil || !ok {
		t.Errorf("a report from this epoch was not kept: %v, %v", ok, err)
	}
	r, err := d.FindRoundReport(ctx, 1)
	if err != nil || r.MinGroup != 6 || r.Format != 2 || string(r.Body) != "new" {
		t.Errorf("FindRoundReport = %+v, %v; want the one kept last", r, err)
	}
	if _, err := d.FindRoundReport(ctx, 2); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("FindRoundReport of a round without one: %v, want ENOTFOUND", err)
	}
}

// TestMigration0008 upgrades a database of schema 7 with a closed round:
// no report is kept yet, and one built afterwards is.
func TestMigration0008(t *testing.T) {
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
	if ok, err := d.StoreRoundReport(ctx, 1, epochOf(t, d), StoredReport{MinGroup: 5, Format: 1, Body: []byte("r")}); err != nil || !ok {
		t.Errorf("StoreRoundReport after the migration = %v, %v", ok, err)
	}
}

// TestCloseRoundKeepsReport checks that closing a round keeps its report
// in the same transaction, built from the inputs of the round as it
// closed, and that a failing build leaves the round open and nothing kept.
func TestCloseRoundKeepsReport(t *testing.T) {
	ctx := context.Background()
	d := keptReportDB(t)
	failing := func(context.Context, *ReportInputs) (StoredReport, error) {
		return StoredReport{}, errors.New("no report today")
	}
	if err := d.CloseRound(ctx, 2, failing); err == nil {
		t.Fatal("CloseRound with a failing build succeeded")
	}
	if r, err := d.FindRoundByID(ctx, 2); err != nil || r.Status != survey.RoundOpen {
		t.Fatalf("after a failed close the round is %+v, %v; want it open", r, err)
	}
	tally := survey.Tally{{0, 0, 0, 0, 0, 1}}
	if _, err := d.write.ExecContext(ctx, "UPDATE answer_tallies SET tally = ? WHERE response_id = 3", tally.AppendBinary(nil)); err != nil {
		t.Fatal(err)
	}
	var got *ReportInputs
	keep := func(_ context.Context, in *ReportInputs) (StoredReport, error) {
		got = in
		return StoredReport{MinGroup: 5, Format: 1, Body: []byte("closing")}, nil
	}
	if err := d.CloseRound(ctx, 2, keep); err != nil {
		t.Fatal(err)
	}
	if got == nil || got.Round.Status != survey.RoundClosed || len(got.Tallies) != 1 || !reflect.DeepEqual(got.Tallies[0].Tally, tally) || got.Progress[1] != Invited|Started|Submitted {
		t.Fatalf("the build got %+v, want round 2 closed with person 1's tally", got)
	}
	want, err := d.FindReportInputs(ctx, 2, true)
	if err != nil {
		t.Fatal(err)
	}
	got.Epoch = want.Epoch // the close moved it after the build read it
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the close's build read\n%+v\nwant what the closed round reads now\n%+v", got, want)
	}
	if r, err := d.FindRoundReport(ctx, 2); err != nil || string(r.Body) != "closing" {
		t.Errorf("FindRoundReport after the close = %+v, %v", r, err)
	}
	if _, err := d.FindRoundReport(ctx, 1); err != nil {
		t.Errorf("closing round 2 dropped round 1's report: %v", err)
	}
}

// TestEraseKeepsReports checks that an erasure builds again, in its own
// transaction, the kept reports it drops, from inputs without the person,
// and that a failing build leaves the person and the kept report alone.
func TestEraseKeepsReports(t *testing.T) {
	ctx := context.Background()
	d := keptReportDB(t)
	if _, err := d.write.ExecContext(ctx, "UPDATE answer_tallies SET tally = ? WHERE response_id = 1", survey.Tally{{0, 0, 0, 0, 1, 0}}.AppendBinary(nil)); err != nil {
		t.Fatal(err)
	}
	// A body of several parts: one build a round all the same.
	before := bytes.Repeat([]byte("before"), reportPart/2)
	if ok, err := d.StoreRoundReport(ctx, 1, epochOf(t, d), StoredReport{MinGroup: 5, Format: 1, Body: before}); err != nil || !ok {
		t.Fatalf("StoreRoundReport = %v, %v", ok, err)
	}
	failing := func(context.Context, *ReportInputs) (StoredReport, error) {
		return StoredReport{}, errors.New("no report today")
	}
	if err := d.ErasePersonKeepingReports(ctx, 2, "test", failing); err == nil {
		t.Fatal("an erasure with a failing build succeeded")
	}
	if _, err := d.FindPersonByID(ctx, 2); err != nil {
		t.Fatalf("a failed erasure erased: %v", err)
	}
	if r, err := d.FindRoundReport(ctx, 1); err != nil || !bytes.Equal(r.Body, before) {
		t.Fatalf("a failed erasure changed the kept report: %v", err)
	}
	var built []*ReportInputs
	keep := func(_ context.Context, in *ReportInputs) (StoredReport, error) {
		built = append(built, in)
		return StoredReport{MinGroup: 5, Format: 1, Body: []byte("after")}, nil
	}
	if err := d.ErasePersonKeepingReports(ctx, 2, "test", keep); err != nil {
		t.Fatal(err)
	}
	if len(built) != 1 || built[0].Round.ID != 1 {
		t.Fatalf("the erasure built %d reports, want round 1's only", len(built))
	}
	in := built[0]
	if slices.Contains(in.People, 2) || in.Progress[2] != 0 || len(in.Tallies) != 1 || slices.Contains(in.Members[10], 2) || slices.Contains(in.Members[20], 2) {
		t.Errorf("the build after the erasure still had person 2: %+v", in)
	}
	if r, err := d.FindRoundReport(ctx, 1); err != nil || string(r.Body) != "after" {
		t.Errorf("FindRoundReport after the erasure = %+v, %v", r, err)
	}
}

// TestRoundReportParts keeps bodies of several parts and of none: each
// reads back whole, and a shorter one leaves no part of a longer one.
func TestRoundReportParts(t *testing.T) {
	ctx := context.Background()
	d := keptReportDB(t)
	long := make([]byte, 2*reportPart+17)
	for i := range long {
		long[i] = byte(i * 7)
	}
	for _, body := range [][]byte{long, long[:reportPart], []byte("short"), {}} {
		if ok, err := d.StoreRoundReport(ctx, 1, epochOf(t, d), StoredReport{MinGroup: 5, Format: 1, Body: body}); err != nil || !ok {
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

// TestUntalliedNeverKept checks that a report built from a submitted
// response without a tally — counted from its answers, which no trigger
// of 0008 watches — is never kept: not by a view's build, not by a close.
func TestUntalliedNeverKept(t *testing.T) {
	ctx := context.Background()
	d := keptReportDB(t)
	// The rounds get a real instrument, to count answers against, and
	// real tallies but for response 2.
	instrument, err := survey.DefaultInstrument()
	if err != nil {
		t.Fatal(err)
	}
	if err := d.EnsureInstrument(ctx, instrument, survey.DefaultInstrumentFile()); err != nil {
		t.Fatal(err)
	}
	tally := survey.Tally{{0, 0, 0, 0, 1, 0}}.AppendBinary(nil)
	for q, args := range map[string][]any{
		"DELETE FROM round_reports":                nil,
		"UPDATE answer_tallies SET tally = ?":      {tally},
		"UPDATE rounds SET instrument_version = ?": {instrument.Version},
	} {
		if _, err := d.write.ExecContext(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	in, err := d.FindReportInputs(ctx, 1, true)
	if err != nil {
		t.Fatal(err)
	}
	if in.Epoch != -1 {
		t.Fatalf("Epoch = %d with response 2 counted from its answers, want -1", in.Epoch)
	}
	if ok, err := d.StoreRoundReport(ctx, 1, in.Epoch, StoredReport{MinGroup: 5, Format: 1, Body: []byte("x")}); err != nil || ok {
		t.Errorf("a report with a counted response was kept: %v, %v", ok, err)
	}
	// Round 2 gets a submitted response without a tally, then closes.
	if _, err := d.write.ExecContext(ctx, "DELETE FROM answer_tallies WHERE response_id = 3"); err != nil {
		t.Fatal(err)
	}
	called := false
	keep := func(context.Context, *ReportInputs) (StoredReport, error) {
		called = true
		return StoredReport{MinGroup: 5, Format: 1, Body: []byte("x")}, nil
	}
	if err := d.CloseRound(ctx, 2, keep); err != nil {
		t.Fatal(err)
	}
	if _, err := d.FindRoundReport(ctx, 2); survey.ErrorCode(err) != survey.ENOTFOUND || called {
		t.Errorf("the close kept a report with a counted response (built: %v; %v)", called, err)
	}
	// With every tally there, a report is kept again.
	if _, err := d.write.ExecContext(ctx, "INSERT INTO answer_tallies (response_id, tally) VALUES (2, ?)", tally); err != nil {
		t.Fatal(err)
	}
	if in, err := d.FindReportInputs(ctx, 1, true); err != nil || in.Epoch < 0 {
		t.Errorf("Epoch = %d, %v with every tally there", in.Epoch, err)
	}
}
