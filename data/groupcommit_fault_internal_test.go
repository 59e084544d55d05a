package data

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"lederradar/survey"
)

// sharedBatch runs the posts so that the group writer takes them all in
// one batch: it holds the writer while a first post (primer) is taken
// alone and the others queue behind it, then lets both batches run. It
// returns each post's error and the primer's, and fails the test if the
// posts did not share one batch.
func sharedBatch(t *testing.T, d *DB, primer func() error, posts ...func() error) (errs []error, primerErr error) {
	t.Helper()
	w := d.writer
	if len(posts) < 2 || len(posts) > w.maxBatch {
		t.Fatalf("sharedBatch takes 2 to %d posts, not %d", w.maxBatch, len(posts))
	}
	waitQueued := func(n int64) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for w.queued.Load() < n {
			if time.Now().After(deadline) {
				t.Fatalf("%d posts queued, want %d", w.queued.Load(), n)
			}
			time.Sleep(time.Millisecond)
		}
		// From queued to waiting in the hand-over takes a moment more.
		time.Sleep(50 * time.Millisecond)
	}
	forms0, batches0 := w.stats()
	errs = make([]error, len(posts))
	var wg sync.WaitGroup
	w.mu.Lock()
	wg.Go(func() { primerErr = primer() })
	waitQueued(1) // the writer has taken the primer alone and waits for the lock
	for i, post := range posts {
		wg.Go(func() { errs[i] = post() })
	}
	waitQueued(int64(1 + len(posts)))
	w.mu.Unlock()
	wg.Wait()
	forms, batches := w.stats()
	if forms-forms0 != int64(1+len(posts)) || batches-batches0 != 2 {
		t.Fatalf("%d forms ran in %d batches, want %d in 2: the posts did not share one batch",
			forms-forms0, batches-batches0, 1+len(posts))
	}
	return errs, primerErr
}

// TestGroupCommitTransactionFails makes each step of a shared batch's
// transaction fail in turn, and checks that every caller in the batch
// gets an error and none of their forms is stored: nobody is told
// "saved" for a batch that did not commit.
func TestGroupCommitTransactionFails(t *testing.T) {
	t.Parallel()
	for _, step := range []string{"BEGIN", savepointSQL, releaseSQL, "COMMIT"} {
		t.Run(step, func(t *testing.T) {
			ctx := context.Background()
			d, open, _, people := testOrg(t, Options{}, 7)
			planted := errors.New("planted failure")
			var mu sync.Mutex
			reached := 0
			d.writer.fault = func(s string, forms int) error {
				if s != step || forms < 2 {
					return nil
				}
				mu.Lock()
				reached++
				mu.Unlock()
				return planted
			}
			save := func(p int64, key string) func() error {
				return func() error {
					_, err := d.SaveAnswers(ctx, AnswerSave{RoundID: open.ID, SubjectID: p, RaterID: p, Relation: survey.Self,
						FormKey: key, Answers: survey.Answers{"a1": 3, "b2": 4}})
					return err
				}
			}
			var posts []func() error
			for i, p := range people[1:] {
				posts = append(posts, save(p, fmt.Sprintf("k-%d", i)))
			}
			errs, primerErr := sharedBatch(t, d, save(people[0], "primer"), posts...)
			if primerErr != nil {
				t.Fatalf("the primer, alone in its batch: %v", primerErr)
			}
			if reached == 0 {
				t.Fatalf("the shared batch never reached %s", step)
			}
			for i, err := range errs {
				if !errors.Is(err, planted) {
					t.Errorf("post %d in the failed batch: err = %v, want the planted failure", i, err)
				}
			}
			for i, p := range people[1:] {
				if _, err := d.FindResponse(ctx, open.ID, p, p); survey.ErrorCode(err) != survey.ENOTFOUND {
					t.Errorf("person %d after the failed batch: FindResponse = %v, want ENOTFOUND", i+1, err)
				}
			}
		})
	}
}

// TestGroupCommitFailedFirstPost checks that a person whose only post
// fails, after its response row was made, in a batch whose other forms
// are stored, is left with no response at all: the form's savepoint is
// rolled back, not released.
func TestGroupCommitFailedFirstPost(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, open, _, people := testOrg(t, Options{}, 6)
	save := func(p int64, key string, a survey.Answers) func() error {
		return func() error {
			_, err := d.SaveAnswers(ctx, AnswerSave{RoundID: open.ID, SubjectID: p, RaterID: p, Relation: survey.Self, FormKey: key, Answers: a})
			return err
		}
	}
	failing := people[3]
	var posts []func() error
	for i, p := range people[1:] {
		a := survey.Answers{"a1": 2}
		if p == failing {
			a = survey.Answers{"zz": 2} // refused after the response row is made
		}
		posts = append(posts, save(p, fmt.Sprintf("k-%d", i), a))
	}
	errs, _ := sharedBatch(t, d, save(people[0], "primer", survey.Answers{"a1": 1}), posts...)
	for i, err := range errs {
		if people[1+i] == failing {
			if got, want := survey.ErrorCode(err), survey.EINVALID; got != want {
				t.Errorf("the failing post: %v, want %s", err, want)
			}
		} else if err != nil {
			t.Errorf("post %d: %v", i, err)
		}
	}
	if _, err := d.FindResponse(ctx, open.ID, failing, failing); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("the person whose only post failed: FindResponse = %v, want ENOTFOUND (no response row)", err)
	}
	for _, p := range people {
		if p == failing {
			continue
		}
		if _, err := d.FindResponse(ctx, open.ID, p, p); err != nil {
			t.Errorf("person %d, stored in the same batch: %v", p, err)
		}
	}
}
