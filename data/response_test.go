package data_test

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/survey"
)

func selfSave(r *survey.Round, p *survey.Person, key string, a survey.Answers) data.AnswerSave {
	return data.AnswerSave{RoundID: r.ID, SubjectID: p.ID, RaterID: p.ID, Relation: survey.Self, FormKey: key, Answers: a}
}

func TestSaveAnswers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	newClock(db)
	mustInstrument(t, db, "test-1")
	ann := mustPerson(t, db, "ann@example.dk", "Ann")
	bo := mustPerson(t, db, "bo@example.dk", "Bo")
	r := mustRound(t, db, "2026", survey.RoundOpen)

	t.Run("no response yet", func(t *testing.T) {
		_, err := db.FindResponse(ctx, r.ID, ann.ID, ann.ID)
		wantCode(t, err, survey.ENOTFOUND)
	})

	t.Run("pages merge", func(t *testing.T) {
		dup, err := db.SaveAnswers(ctx, selfSave(r, ann, "page-a", survey.Answers{"a1": 1, "a2": 2, "a3": 0}))
		if err != nil || dup {
			t.Fatalf("SaveAnswers page a = %v, %v; want false, nil", dup, err)
		}
		// The second page, and a changed answer on the first.
		dup, err = db.SaveAnswers(ctx, selfSave(r, ann, "page-b", survey.Answers{"b1": 5, "a1": 4}))
		if err != nil || dup {
			t.Fatalf("SaveAnswers page b = %v, %v; want false, nil", dup, err)
		}
		got, err := db.FindResponse(ctx, r.ID, ann.ID, ann.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := survey.Answers{"a1": 4, "a2": 2, "a3": 0, "b1": 5}
		if !maps.Equal(got.Answers, want) {
			t.Errorf("answers = %v, want %v", got.Answers, want)
		}
		if got.Submitted() || got.Relation != survey.Self || got.SubjectID != ann.ID || got.RaterID != ann.ID {
			t.Errorf("response = %+v, want an unsubmitted self response of Ann", *got)
		}
	})

	t.Run("same form key twice changes once", func(t *testing.T) {
		first := selfSave(r, bo, "bo-page-1", survey.Answers{"a1": 3})
		if dup, err := db.SaveAnswers(ctx, first); err != nil || dup {
			t.Fatalf("first post = %v, %v; want false, nil", dup, err)
		}
		// The browser resends the same form, with whatever it holds.
		resent := selfSave(r, bo, "bo-page-1", survey.Answers{"a1": 5, "a2": 5})
		dup, err := db.SaveAnswers(ctx, resent)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := dup, true; got != want {
			t.Errorf("duplicate = %v, want %v", got, want)
		}
		got, err := db.FindResponse(ctx, r.ID, bo.ID, bo.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := (survey.Answers{"a1": 3}); !maps.Equal(got.Answers, want) {
			t.Errorf("answers after resend = %v, want %v", got.Answers, want)
		}
		// The key of Bo's form cannot be replayed against Ann's response.
		_, err = db.SaveAnswers(ctx, selfSave(r, ann, "bo-page-1", survey.Answers{"a1": 1}))
		wantCode(t, err, survey.ECONFLICT)
	})

	t.Run("refusals", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			save data.AnswerSave
			want string
		}{
			{"no form key", selfSave(r, ann, "", survey.Answers{"a1": 1}), survey.EINVALID},
			{"long form key", selfSave(r, ann, strings.Repeat("k", 65), survey.Answers{"a1": 1}), survey.EINVALID},
			{"unknown item", selfSave(r, ann, "x1", survey.Answers{"zz": 1}), survey.EINVALID},
			{"off the scale", selfSave(r, ann, "x2", survey.Answers{"a1": 6}), survey.EINVALID},
			{"negative", selfSave(r, ann, "x3", survey.Answers{"a1": -1}), survey.EINVALID},
			{"unknown round", data.AnswerSave{RoundID: 9999, SubjectID: ann.ID, RaterID: ann.ID, Relation: survey.Self, FormKey: "x4"}, survey.ENOTFOUND},
			{"unknown person", data.AnswerSave{RoundID: r.ID, SubjectID: 9999, RaterID: 9999, Relation: survey.Self, FormKey: "x5"}, survey.ENOTFOUND},
			{"self about another", data.AnswerSave{RoundID: r.ID, SubjectID: ann.ID, RaterID: bo.ID, Relation: survey.Self, FormKey: "x6"}, survey.EINVALID},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := db.SaveAnswers(ctx, tc.save)
				wantCode(t, err, tc.want)
			})
		}
		got, err := db.FindResponse(ctx, r.ID, ann.ID, ann.ID)
		if err != nil {
			t.Fatal(err)
		}
		if want := (survey.Answers{"a1": 4, "a2": 2, "a3": 0, "b1": 5}); !maps.Equal(got.Answers, want) {
			t.Errorf("answers after refusals = %v, want %v", got.Answers, want)
		}
	})

	t.Run("a 64-character key is fine", func(t *testing.T) {
		if _, err := db.SaveAnswers(ctx, selfSave(r, ann, strings.Repeat("k", 64), survey.Answers{"a4": 2})); err != nil {
			t.Errorf("SaveAnswers: %v", err)
		}
	})
}

func TestSaveSurvivesReopen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "durable.db")
	db := mustOpenDBAt(t, path)
	mustInstrument(t, db, "test-1")
	ann := mustPerson(t, db, "ann@example.dk", "Ann")
	r := mustRound(t, db, "2026", survey.RoundOpen)

	want := survey.Answers{"a1": 5, "a2": 4, "a3": 3, "a4": 0}
	if _, err := db.SaveAnswers(ctx, selfSave(r, ann, "p1", want)); err != nil {
		t.Fatal(err)
	}
	// Once SaveAnswers has returned the page is committed; closing and
	// reopening (a restart) must find it.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = mustOpenDBAt(t, path)
	got, err := db.FindResponse(ctx, r.ID, ann.ID, ann.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(got.Answers, want) {
		t.Errorf("answers after reopen = %v, want %v", got.Answers, want)
	}
}

func TestSubmitResponse(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	clk := newClock(db)
	mustInstrument(t, db, "test-1")
	ann := mustPerson(t, db, "ann@example.dk", "Ann")
	bo := mustPerson(t, db, "bo@example.dk", "Bo")
	cy := mustPerson(t, db, "cy@example.dk", "Cy")
	r := mustRound(t, db, "2026", survey.RoundOpen)

	if _, err := db.SaveAnswers(ctx, selfSave(r, ann, "p1", survey.Answers{"a1": 4, "b2": 0})); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveAnswers(ctx, selfSave(r, bo, "bo-p1", survey.Answers{"a1": 2})); err != nil {
		t.Fatal(err)
	}

	t.Run("twice keeps the first time", func(t *testing.T) {
		first := clk.Now()
		dup, err := db.SubmitResponse(ctx, r.ID, ann.ID, ann.ID, survey.Self, "submit-1")
		if err != nil || dup {
			t.Fatalf("first submit = %v, %v; want false, nil", dup, err)
		}
		clk.Add(time.Minute)
		// The same form again, and then a second submit form.
		for _, key := range []string{"submit-1", "submit-2"} {
			dup, err := db.SubmitResponse(ctx, r.ID, ann.ID, ann.ID, survey.Self, key)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := dup, true; got != want {
				t.Errorf("submit with %s: duplicate = %v, want %v", key, got, want)
			}
		}
		got, err := db.FindResponse(ctx, r.ID, ann.ID, ann.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.SubmittedAt.Equal(first) {
			t.Errorf("SubmittedAt = %v, want the first submission %v", got.SubmittedAt, first)
		}
		responses, err := db.FindSubmittedResponses(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(responses), 1; got != want {
			t.Fatalf("len(FindSubmittedResponses) = %d, want %d", got, want)
		}
		if want := (survey.Answers{"a1": 4, "b2": 0}); !maps.Equal(responses[0].Answers, want) {
			t.Errorf("submitted answers = %v, want %v", responses[0].Answers, want)
		}
	})

	t.Run("without a saved page", func(t *testing.T) {
		if _, err := db.SubmitResponse(ctx, r.ID, cy.ID, cy.ID, survey.Self, "cy-submit"); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindResponse(ctx, r.ID, cy.ID, cy.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Submitted() || len(got.Answers) != 0 {
			t.Errorf("response = %+v, want submitted and empty", *got)
		}
	})

	t.Run("only submitted self responses count", func(t *testing.T) {
		responses, err := db.FindSubmittedResponses(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, resp := range responses {
			got = append(got, resp.SubjectID)
		}
		// Bo saved but never submitted.
		if want := []int64{ann.ID, cy.ID}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("subjects = %v, want %v", got, want)
		}
		_, err = db.FindSubmittedResponses(ctx, 9999)
		wantCode(t, err, survey.ENOTFOUND)
	})

	t.Run("closed round takes nothing", func(t *testing.T) {
		if err := db.SetRoundStatus(ctx, r.ID, survey.RoundClosed); err != nil {
			t.Fatal(err)
		}
		_, err := db.SaveAnswers(ctx, selfSave(r, bo, "bo-p2", survey.Answers{"a1": 5}))
		wantCode(t, err, survey.ECLOSED)
		if got, want := survey.ErrorMessage(err), "the round is closed"; got != want {
			t.Errorf("message = %q, want %q", got, want)
		}
		_, err = db.SubmitResponse(ctx, r.ID, bo.ID, bo.ID, survey.Self, "bo-submit")
		wantCode(t, err, survey.ECLOSED)
		// A late repeat of a post stored while the round was open.
		dup, err := db.SaveAnswers(ctx, selfSave(r, bo, "bo-p1", survey.Answers{"a1": 2}))
		if err != nil || !dup {
			t.Errorf("repeat after close = %v, %v; want true, nil", dup, err)
		}
		got, err := db.FindResponse(ctx, r.ID, bo.ID, bo.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Submitted() || got.Answers["a1"] != 2 {
			t.Errorf("Bo's response after close = %+v, want unchanged", *got)
		}
	})

	t.Run("draft round takes nothing", func(t *testing.T) {
		draft := mustRound(t, db, "Kladde", survey.RoundDraft)
		_, err := db.SaveAnswers(ctx, selfSave(draft, bo, "bo-d1", survey.Answers{"a1": 5}))
		wantCode(t, err, survey.ECLOSED)
	})
}

func TestConcurrentWriters(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "concurrent.db")
	db := mustOpenDBAt(t, path)
	mustInstrument(t, db, "test-1")
	r := mustRound(t, db, "2026", survey.RoundOpen)
	const writers = 16
	var people []*survey.Person
	for i := range writers {
		people = append(people, mustPerson(t, db, fmt.Sprintf("p%02d@example.dk", i), fmt.Sprintf("P%02d", i)))
	}
	items := []string{"a1", "a2", "a3", "a4", "b1", "b2", "b3", "b4"}

	t.Run("different people", func(t *testing.T) {
		var wg sync.WaitGroup
		errs := make(chan error, writers*len(items)*2)
		for i, p := range people {
			wg.Go(func() {
				// Each writer saves a page per item, reading in between
				// the way a respondent's next page view would.
				for j, item := range items {
					a := survey.Answers{item: survey.Answer(1 + (i+j)%5)}
					if _, err := db.SaveAnswers(ctx, selfSave(r, p, fmt.Sprintf("%d-%d", i, j), a)); err != nil {
						errs <- err
						return
					}
					if _, err := db.FindResponse(ctx, r.ID, p.ID, p.ID); err != nil {
						errs <- err
						return
					}
				}
				if _, err := db.SubmitResponse(ctx, r.ID, p.ID, p.ID, survey.Self, fmt.Sprintf("%d-submit", i)); err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("concurrent save: %v", err)
		}
		responses, err := db.FindSubmittedResponses(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(responses), writers; got != want {
			t.Fatalf("submitted responses = %d, want %d", got, want)
		}
		for _, resp := range responses {
			i := int(resp.SubjectID - people[0].ID)
			want := survey.Answers{}
			for j, item := range items {
				want[item] = survey.Answer(1 + (i+j)%5)
			}
			if !maps.Equal(resp.Answers, want) {
				t.Errorf("subject %d answers = %v, want %v", resp.SubjectID, resp.Answers, want)
			}
		}
	})

	t.Run("same form key racing", func(t *testing.T) {
		p := mustPerson(t, db, "racer@example.dk", "Racer")
		const racers = 8
		var wg sync.WaitGroup
		var mu sync.Mutex
		var stored, dups int
		var errs []error
		for i := range racers {
			wg.Go(func() {
				dup, err := db.SaveAnswers(ctx, selfSave(r, p, "the-one-form", survey.Answers{"a1": survey.Answer(1 + i%5)}))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err != nil:
					errs = append(errs, err)
				case dup:
					dups++
				default:
					stored++
				}
			})
		}
		wg.Wait()
		for _, err := range errs {
			t.Errorf("racing save: %v", err)
		}
		if stored != 1 || dups != racers-1 {
			t.Errorf("stored %d, duplicates %d; want 1 and %d", stored, dups, racers-1)
		}
		got, err := db.FindResponse(ctx, r.ID, p.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Answers) != 1 {
			t.Errorf("answers = %v, want exactly one", got.Answers)
		}
	})

	t.Run("two processes", func(t *testing.T) {
		// A second handle on the same file stands for the command line
		// (round close, import) running beside the server: the two
		// compete for SQLite's write lock, which busy_timeout and
		// IMMEDIATE transactions must turn into waiting, not SQLITE_BUSY.
		other := mustOpenDBAt(t, path)
		var wg sync.WaitGroup
		errs := make(chan error, writers)
		for i := range writers {
			h := db
			if i%2 == 1 {
				h = other
			}
			p := mustPerson(t, db, fmt.Sprintf("two%02d@example.dk", i), fmt.Sprintf("T%02d", i))
			wg.Go(func() {
				for j, item := range items {
					a := survey.Answers{item: 3}
					if _, err := h.SaveAnswers(ctx, selfSave(r, p, fmt.Sprintf("two-%d-%d", i, j), a)); err != nil {
						errs <- err
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("save from two handles: %v", err)
		}
	})
}
