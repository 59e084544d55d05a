package data_test

import (
	"context"
	"fmt"
	"maps"
	"sync"
	"testing"

	"lederradar/data"
	"lederradar/survey"
)

// outcomes counts what racing posts reported.
type outcomes struct {
	mu       sync.Mutex
	applied  int
	dups     int
	winner   int // index of the post that applied
	failures []error
}

func (o *outcomes) add(i int, dup bool, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	switch {
	case err != nil:
		o.failures = append(o.failures, err)
	case dup:
		o.dups++
	default:
		o.applied++
		o.winner = i
	}
}

func (o *outcomes) check(t *testing.T, posts int) {
	t.Helper()
	for _, err := range o.failures {
		t.Errorf("racing post failed: %v", err)
	}
	if o.applied != 1 || o.dups != posts-1 {
		t.Errorf("applied %d, duplicates %d; want 1 and %d", o.applied, o.dups, posts-1)
	}
}

// TestDoubleSubmissionRace: sixteen posts of one form (one key) at once,
// as a double click or a resending browser makes them, on a temp-file
// database. Exactly one applies, the others report a duplicate, and one
// response row holds exactly the winner's answers, never a mix.
//
//	go test -run TestDoubleSubmissionRace -race -v ./data/
func TestDoubleSubmissionRace(t *testing.T) {
	t.Parallel()
	const posts = 16
	ctx := context.Background()
	db := mustOpenDB(t)
	mustInstrument(t, db, "test-1")
	r := mustRound(t, db, "2026", survey.RoundOpen)

	t.Run("SaveAnswers, same key", func(t *testing.T) {
		p := mustPerson(t, db, "save@example.dk", "Save")
		sent := make([]survey.Answers, posts)
		for i := range posts {
			// Each racer carries other values, so the stored ones tell who
			// won and whether two were merged.
			sent[i] = survey.Answers{"a1": survey.Answer(i % 6), "a2": survey.Answer((i + 1) % 6), "b1": survey.Answer((i + 2) % 6)}
		}
		var o outcomes
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range posts {
			wg.Go(func() {
				<-start
				dup, err := db.SaveAnswers(ctx, selfSave(r, p, "one-page-form", sent[i]))
				o.add(i, dup, err)
			})
		}
		close(start)
		wg.Wait()
		o.check(t, posts)
		got, err := db.FindResponse(ctx, r.ID, p.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(got.Answers, sent[o.winner]) {
			t.Errorf("answers = %v, want the applied post's %v", got.Answers, sent[o.winner])
		}
		if id, err := db.FindFormKey(ctx, "one-page-form"); err != nil || id != got.ID {
			t.Errorf("FindFormKey = %d, %v; want %d", id, err, got.ID)
		}
	})

	t.Run("SubmitResponse, same key", func(t *testing.T) {
		p := mustPerson(t, db, "submit@example.dk", "Submit")
		if _, err := db.SaveAnswers(ctx, selfSave(r, p, "submit-page", survey.Answers{"a1": 4})); err != nil {
			t.Fatal(err)
		}
		var o outcomes
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range posts {
			wg.Go(func() {
				<-start
				dup, err := db.SubmitResponse(ctx, r.ID, p.ID, p.ID, survey.Self, "one-submit-form")
				o.add(i, dup, err)
			})
		}
		close(start)
		wg.Wait()
		o.check(t, posts)
		checkOneSubmission(t, db, r, p, survey.Answers{"a1": 4})
	})

	t.Run("SubmitResponse, a key each", func(t *testing.T) {
		// Two tabs, each with its own review form: still one submission.
		p := mustPerson(t, db, "tabs@example.dk", "Tabs")
		var o outcomes
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range posts {
			wg.Go(func() {
				<-start
				dup, err := db.SubmitResponse(ctx, r.ID, p.ID, p.ID, survey.Self, fmt.Sprintf("tab-%d", i))
				o.add(i, dup, err)
			})
		}
		close(start)
		wg.Wait()
		o.check(t, posts)
		checkOneSubmission(t, db, r, p, survey.Answers{})
		stored := 0
		for i := range posts {
			if _, err := db.FindFormKey(ctx, fmt.Sprintf("tab-%d", i)); err == nil {
				stored++
			} else {
				wantCode(t, err, survey.ENOTFOUND)
			}
		}
		if stored != 1 {
			t.Errorf("%d submission forms stored, want 1", stored)
		}
	})

	t.Run("save and submit racing on a new response", func(t *testing.T) {
		// The first post of both kinds creates the response: one row.
		p := mustPerson(t, db, "mixed@example.dk", "Mixed")
		var wg sync.WaitGroup
		errs := make(chan error, posts)
		start := make(chan struct{})
		for i := range posts {
			wg.Go(func() {
				<-start
				var err error
				if i%2 == 0 {
					_, err = db.SaveAnswers(ctx, selfSave(r, p, "mixed-page", survey.Answers{"a3": 2}))
				} else {
					_, err = db.SubmitResponse(ctx, r.ID, p.ID, p.ID, survey.Self, "mixed-submit")
				}
				if err != nil {
					errs <- err
				}
			})
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("racing post failed: %v", err)
		}
		checkOneSubmission(t, db, r, p, survey.Answers{"a3": 2})
	})

	if res, err := db.IntegrityCheck(ctx); err != nil || res != "ok" {
		t.Errorf("IntegrityCheck = %q, %v; want ok", res, err)
	}
}

// checkOneSubmission fails unless p has exactly one submitted response in
// r, holding want.
func checkOneSubmission(t *testing.T, db *data.DB, r *survey.Round, p *survey.Person, want survey.Answers) {
	t.Helper()
	ctx := context.Background()
	resp, err := db.FindResponse(ctx, r.ID, p.ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !resp.Submitted() || !maps.Equal(resp.Answers, want) {
		t.Errorf("response submitted %v with %v; want submitted with %v", resp.Submitted(), resp.Answers, want)
	}
	all, err := db.FindSubmittedResponses(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range all {
		if s.SubjectID == p.ID {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d submitted responses for %s, want 1", n, p.Name)
	}
}

func TestIntegrityCheck(t *testing.T) {
	t.Parallel()
	db := mustOpenDB(t)
	got, err := db.IntegrityCheck(context.Background())
	if err != nil || got != "ok" {
		t.Errorf("IntegrityCheck on a new database = %q, %v; want ok", got, err)
	}
	_, err = db.FindFormKey(context.Background(), "never-posted")
	wantCode(t, err, survey.ENOTFOUND)
}
