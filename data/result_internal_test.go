package data

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"lederradar/survey"
)

// TestOwnResult checks the lookup of a leader's result page: this round's
// submitted tally, and the newest earlier closed round the leader
// submitted in, with its tally — both equal to counting the answers, also
// when a tally is missing.
func TestOwnResult(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, _, _, people := testOrg(t, Options{}, 2)
	ann, bo := people[0], people[1]
	in, err := d.FindInstrument(ctx, "gc-1")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	d.Now = func() time.Time { return now }
	round := func(name string) *survey.Round {
		t.Helper()
		r := &survey.Round{Name: name, Status: survey.RoundOpen, InstrumentVersion: in.Version}
		if err := d.CreateRound(ctx, r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	answers := map[string]survey.Answers{}
	answer := func(r *survey.Round, p int64, a survey.Answers, submit bool) {
		t.Helper()
		key := fmt.Sprintf("%d-%d", r.ID, p)
		if _, err := d.SaveAnswers(ctx, AnswerSave{RoundID: r.ID, SubjectID: p, RaterID: p, Relation: survey.Self, FormKey: key, Answers: a}); err != nil {
			t.Fatal(err)
		}
		if submit {
			if _, err := d.SubmitResponse(ctx, r.ID, p, p, survey.Self, key+"-submit"); err != nil {
				t.Fatal(err)
			}
		}
		answers[key] = a
	}
	closeRound := func(r *survey.Round) {
		t.Helper()
		if err := d.SetRoundStatus(ctx, r.ID, survey.RoundClosed); err != nil {
			t.Fatal(err)
		}
		r.Status = survey.RoundClosed
	}

	spring := round("Forår 2025")
	answer(spring, ann, survey.Answers{"a1": 1, "a2": 2, "b1": 0}, true)
	answer(spring, bo, survey.Answers{"a1": 5, "b2": 3}, true)
	closeRound(spring)
	now = now.Add(24 * time.Hour)
	autumn := round("Efterår 2025")
	answer(autumn, ann, survey.Answers{"a1": 3, "a3": 4, "b4": 5}, true)
	answer(autumn, bo, survey.Answers{"a1": 2}, false) // saved, never submitted
	closeRound(autumn)
	now = now.Add(24 * time.Hour)
	current := round("Forår 2026")
	// Created the same second: the id orders the two.
	later := round("Senere")
	answer(current, ann, survey.Answers{"a1": 4, "a2": 4, "a3": 0, "b1": 2}, true)
	answer(current, bo, survey.Answers{"a1": 4}, false)

	wantTally := func(r *survey.Round, p int64) survey.Tally {
		return in.Tally(answers[fmt.Sprintf("%d-%d", r.ID, p)])
	}
	find := func(r *survey.Round, p int64) OwnResult {
		t.Helper()
		got, err := d.FindOwnResult(ctx, r, p, p, in)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	checkTally := func(r *survey.Round, p int64) {
		t.Helper()
		if got, want := find(r, p).Tally, wantTally(r, p); !reflect.DeepEqual(got, want) {
			t.Errorf("FindOwnResult(%s, %d).Tally = %v, want %v", r.Name, p, got, want)
		}
	}
	checkPrevious := func(r *survey.Round, p int64, want *survey.Round) {
		t.Helper()
		got := find(r, p)
		if want == nil {
			if got.Previous != nil || got.PreviousTally != nil {
				t.Fatalf("FindOwnResult(%s, %d).Previous = %v, want none", r.Name, p, got.Previous)
			}
			return
		}
		if got.Previous == nil || got.Previous.ID != want.ID {
			t.Fatalf("FindOwnResult(%s, %d).Previous = %v, want %s", r.Name, p, got.Previous, want.Name)
		}
		if w := wantTally(want, p); !reflect.DeepEqual(got.PreviousTally, w) {
			t.Errorf("FindOwnResult(%s, %d).PreviousTally = %v, want %v", r.Name, p, got.PreviousTally, w)
		}
	}

	checkTally(current, ann)
	checkTally(spring, bo)
	for _, miss := range []struct {
		r *survey.Round
		p int64
	}{{current, bo}, {autumn, bo}, {later, ann}} {
		if got := find(miss.r, miss.p).Tally; got != nil {
			t.Errorf("FindOwnResult(%s, %d).Tally = %v, want none (not submitted)", miss.r.Name, miss.p, got)
		}
	}

	checkPrevious(current, ann, autumn)
	checkPrevious(current, bo, spring) // autumn was never submitted
	checkPrevious(autumn, ann, spring)
	checkPrevious(spring, ann, nil)
	checkPrevious(later, ann, autumn) // current is open: never "previous"
	closeRound(current)
	checkPrevious(later, ann, current) // same second, lower id

	// Tallies lost, as in a database from before migration 0004: the
	// answers are counted instead.
	if _, err := d.write.ExecContext(ctx, "DELETE FROM answer_tallies"); err != nil {
		t.Fatal(err)
	}
	checkTally(current, ann)
	checkPrevious(current, ann, autumn)
	checkPrevious(current, bo, spring)
}
