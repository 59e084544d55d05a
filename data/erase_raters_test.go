package data_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"lederradar/internal/csvfile"
	"lederradar/survey"
)

// TestErase360 erases in a 360 round: a rater's answers go with them and
// what the leader was shown stays; a leader's erasure takes the answers
// about them, their answers about others, what they were shown, and the
// raters who were there only for them, and leaves everyone else's.
func TestErase360(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	mustInstrument(t, db, "test-1")
	ann := mustPerson(t, db, "ann@example.dk", "Ann")
	bo := mustPerson(t, db, "bo@example.dk", "Bo")
	// Ann and Bo assess themselves; k0–k5 rate Ann, k0 rates Bo too,
	// and Ann rates Bo.
	rows := []csvfile.ResponseRow{
		{Line: 2, Email: "ann@example.dk", Answers: survey.Answers{"a1": 2}},
		{Line: 3, Email: "bo@example.dk", Answers: survey.Answers{"a1": 3}},
		{Line: 4, Email: "k0@example.dk", SubjectEmail: "bo@example.dk", Relation: survey.Peer, Answers: survey.Answers{"a1": 5}},
		{Line: 5, Email: "ann@example.dk", SubjectEmail: "bo@example.dk", Relation: survey.Peer, Answers: survey.Answers{"a1": 5}},
	}
	for i := range 6 {
		rows = append(rows, csvfile.ResponseRow{Line: 6 + i, Email: fmt.Sprintf("k%d@example.dk", i), SubjectEmail: "ann@example.dk",
			Relation: survey.Peer, Answers: survey.Answers{"a1": 4, "a2": 4}})
	}
	round := survey.Round{Name: "360 2027", InstrumentVersion: "test-1"}
	if _, err := db.ImportResponses(ctx, &round, rows); err != nil {
		t.Fatal(err)
	}
	if err := db.CloseRound(ctx, round.ID, 5); err != nil {
		t.Fatal(err)
	}
	closed, err := db.FindRoundByID(ctx, round.ID)
	if err != nil {
		t.Fatal(err)
	}
	count := func(query string, args ...any) int {
		t.Helper()
		n, err := db.CountRows(ctx, query, args...)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	seen, err := db.LeaderFeedback(ctx, round.ID, ann.ID, 5)
	if err != nil {
		t.Fatal(err)
	}
	if seen[0].N != 6 || seen[0].Suppressed {
		t.Fatalf("Ann's feedback = %+v, want six peers", seen[0])
	}
	others, err := db.RoundOthersReport(ctx, closed, 5)
	if err != nil {
		t.Fatal(err)
	}

	k5, err := db.FindPersonByEmail(ctx, "k5@example.dk")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("a rater's answers go, what the leader saw stays", func(t *testing.T) {
		if err := db.ErasePerson(ctx, k5.ID, "test"); err != nil {
			t.Fatal(err)
		}
		if n := count("SELECT count(*) FROM responses WHERE rater_id = ?", k5.ID); n != 0 {
			t.Errorf("%d responses of the erased rater remain", n)
		}
		if n := count("SELECT count(*) FROM responses WHERE subject_id = ? AND relation = 'peer'", ann.ID); n != 5 {
			t.Errorf("Ann's other raters' responses = %d, want 5", n)
		}
		again, err := db.LeaderFeedback(ctx, round.ID, ann.ID, 5)
		if err != nil || !reflect.DeepEqual(again, seen) {
			t.Errorf("Ann now sees %+v, %v; want what she saw", again, err)
		}
		db.ForgetReports() // read what is kept, not what is held
		after, err := db.RoundOthersReport(ctx, closed, 5)
		if err != nil || !reflect.DeepEqual(after, others) {
			t.Errorf("HR's raters' report changed after the erasure: %v", err)
		}
	})
	t.Run("a leader's erasure takes what is about them", func(t *testing.T) {
		if err := db.ErasePerson(ctx, ann.ID, "test"); err != nil {
			t.Fatal(err)
		}
		for what, query := range map[string]string{
			"responses about or by Ann":   "SELECT count(*) FROM responses WHERE subject_id = ?1 OR rater_id = ?1",
			"invitations about or of Ann": "SELECT count(*) FROM invitations WHERE subject_id = ?1 OR person_id = ?1",
			"feedback Ann was shown":      "SELECT count(*) FROM kept_feedback WHERE subject_id = ?1",
		} {
			if n := count(query, ann.ID); n != 0 {
				t.Errorf("%s: %d remain", what, n)
			}
		}
		// k1–k4 rated only Ann and are gone; k0 rates Bo and stays.
		for i := range 5 {
			_, err := db.FindPersonByEmail(ctx, fmt.Sprintf("k%d@example.dk", i))
			if gone := survey.ErrorCode(err) == survey.ENOTFOUND; gone != (i > 0) {
				t.Errorf("k%d: %v; want gone %v", i, err, i > 0)
			}
		}
		if n := count("SELECT count(*) FROM responses WHERE subject_id = ?", bo.ID); n != 2 {
			t.Errorf("responses about Bo = %d, want his own and k0's", n)
		}
		if n := count("SELECT count(*) FROM answers a JOIN responses r ON r.id = a.response_id WHERE r.subject_id = ?", bo.ID); n != 2 {
			t.Errorf("answers about Bo = %d, want 2", n)
		}
	})
}
