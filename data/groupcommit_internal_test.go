package data

import (
	"context"
	"fmt"
	"maps"
	"sync"
	"testing"

	"lederradar/survey"
)

// testOrg opens a database with the small test instrument, an open and a
// closed round and n people.
func testOrg(t *testing.T, opt Options, n int) (*DB, *survey.Round, *survey.Round, []int64) {
	t.Helper()
	ctx := context.Background()
	d := openMigrated(t, "gc.db", opt)
	raw := []byte(testInstrumentFile)
	in, err := survey.ParseInstrument(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.EnsureInstrument(ctx, in, raw); err != nil {
		t.Fatal(err)
	}
	open := &survey.Round{Name: "open", Status: survey.RoundOpen, InstrumentVersion: in.Version}
	closed := &survey.Round{Name: "closed", Status: survey.RoundOpen, InstrumentVersion: in.Version}
	for _, r := range []*survey.Round{open, closed} {
		if err := d.CreateRound(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.SetRoundStatus(ctx, closed.ID, survey.RoundClosed); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i := range n {
		p := &survey.Person{Email: fmt.Sprintf("p%03d@example.dk", i), Name: fmt.Sprintf("P%03d", i)}
		if err := d.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	return d, open, closed, ids
}

// testInstrumentFile is two competences of four items, a1–a4 and b1–b4.
const testInstrumentFile = `version = "gc-1"
title = { da = "T", en = "T" }
source = { da = "K", en = "S" }
dont_know = { value = 0, label = { da = "Ved ikke", en = "Don't know" } }
[[scale]]
value = 1
label = { da = "1", en = "1" }
[[scale]]
value = 2
label = { da = "2", en = "2" }
[[scale]]
value = 3
label = { da = "3", en = "3" }
[[scale]]
value = 4
label = { da = "4", en = "4" }
[[scale]]
value = 5
label = { da = "5", en = "5" }
[[competences]]
id = "a"
name = { da = "A", en = "A" }
label = { da = "A", en = "A" }
description = { da = "A", en = "A" }
items = [
  { id = "a1", text = { da = "a1", en = "a1" }, other = { da = "L a1", en = "L a1" } },
  { id = "a2", text = { da = "a2", en = "a2" }, other = { da = "L a2", en = "L a2" } },
  { id = "a3", text = { da = "a3", en = "a3" }, other = { da = "L a3", en = "L a3" } },
  { id = "a4", text = { da = "a4", en = "a4" }, other = { da = "L a4", en = "L a4" } },
]
prompts = [{ phase = "before", text = { da = "F", en = "B" } }]
[[competences]]
id = "b"
name = { da = "B", en = "B" }
label = { da = "B", en = "B" }
description = { da = "B", en = "B" }
items = [
  { id = "b1", text = { da = "b1", en = "b1" }, other = { da = "L b1", en = "L b1" } },
  { id = "b2", text = { da = "b2", en = "b2" }, other = { da = "L b2", en = "L b2" } },
  { id = "b3", text = { da = "b3", en = "b3" }, other = { da = "L b3", en = "L b3" } },
  { id = "b4", text = { da = "b4", en = "b4" }, other = { da = "L b4", en = "L b4" } },
]
prompts = [{ phase = "before", text = { da = "F", en = "B" } }]
`

// TestGroupCommitBatchIsolation sends forms that succeed, fail and repeat
// into the same batches, and checks that each caller gets its own result
// and that only the good forms are stored.
func TestGroupCommitBatchIsolation(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, open, closed, people := testOrg(t, Options{}, 24)
	if _, err := d.SaveAnswers(ctx, AnswerSave{RoundID: open.ID, SubjectID: people[0], RaterID: people[0], Relation: survey.Self, FormKey: "taken", Answers: survey.Answers{"b4": 4}}); err != nil {
		t.Fatal(err)
	}
	type outcome struct {
		dup bool
		err error
	}
	const posts = 30
	item := func(j int) string { return fmt.Sprintf("%c%d", "ab"[j%2], 1+j%4) } // never a2
	var wg sync.WaitGroup
	results := make([][]outcome, len(people))
	for i, p := range people {
		results[i] = make([]outcome, posts)
		wg.Go(func() {
			save := func(round int64, key string, a survey.Answers) (bool, error) {
				return d.SaveAnswers(ctx, AnswerSave{RoundID: round, SubjectID: p, RaterID: p, Relation: survey.Self, FormKey: key, Answers: a})
			}
			for j := range posts {
				var o outcome
				switch (i + j) % 6 {
				case 0: // to a closed round: refused
					o.dup, o.err = save(closed.ID, fmt.Sprintf("c-%d-%d", i, j), survey.Answers{"a1": 1})
				case 1: // an unknown item: refused inside the batch
					o.dup, o.err = save(open.ID, fmt.Sprintf("x-%d-%d", i, j), survey.Answers{"zz": 1})
				case 2: // the same form again and again: stored once
					o.dup, o.err = save(open.ID, fmt.Sprintf("rep-%d", i), survey.Answers{"a2": 5})
				case 3: // person 0's key: a conflict for everyone else
					o.dup, o.err = save(open.ID, "taken", survey.Answers{"a1": 1})
				default: // good
					o.dup, o.err = save(open.ID, fmt.Sprintf("g-%d-%d", i, j), survey.Answers{item(j): survey.Answer(1 + j%5)})
				}
				results[i][j] = o
			}
			if _, err := d.SubmitResponse(ctx, open.ID, p, p, survey.Self, fmt.Sprintf("s-%d", i)); err != nil {
				t.Errorf("submit %d: %v", i, err)
			}
		})
	}
	wg.Wait()

	for i, p := range people {
		want := survey.Answers{}
		if i == 0 {
			want["b4"] = 4
		}
		stored := 0
		for j, o := range results[i] {
			switch (i + j) % 6 {
			case 0:
				if survey.ErrorCode(o.err) != survey.ECLOSED {
					t.Errorf("person %d post %d to a closed round: %v", i, j, o.err)
				}
			case 1:
				if survey.ErrorCode(o.err) != survey.EINVALID {
					t.Errorf("person %d post %d with an unknown item: %v", i, j, o.err)
				}
			case 2:
				if o.err != nil {
					t.Errorf("person %d repeat %d: %v", i, j, o.err)
				} else if !o.dup {
					stored++
					want["a2"] = 5
				}
			case 3:
				if i == 0 && (o.err != nil || !o.dup) {
					t.Errorf("person 0 repeating its own key: %v, %v; want a duplicate", o.dup, o.err)
				}
				if i != 0 && survey.ErrorCode(o.err) != survey.ECONFLICT {
					t.Errorf("person %d post %d with another's key: %v, want ECONFLICT", i, j, o.err)
				}
			default:
				if o.err != nil || o.dup {
					t.Errorf("person %d post %d: %v, %v", i, j, o.dup, o.err)
					continue
				}
				want[item(j)] = survey.Answer(1 + j%5)
			}
		}
		if stored != 1 {
			t.Errorf("person %d: the repeated form was stored %d times, want once", i, stored)
		}
		got, err := d.FindResponse(ctx, open.ID, p, p)
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(got.Answers, want) {
			t.Errorf("person %d answers = %v, want %v", i, got.Answers, want)
		}
		if !got.Submitted() {
			t.Errorf("person %d not submitted", i)
		}
	}
	forms, batches := d.writer.stats()
	t.Logf("%d forms in %d group commits", forms, batches)
	if forms <= batches {
		t.Errorf("%d forms ran in %d group commits: no batch took more than one form", forms, batches)
	}
}

// TestGroupCommitOff checks that MaxBatch 1 runs each form alone.
func TestGroupCommitOff(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, open, _, people := testOrg(t, Options{MaxBatch: 1}, 2)
	if d.writer != nil {
		t.Fatal("MaxBatch 1 started a group writer")
	}
	if dup, err := d.SaveAnswers(ctx, AnswerSave{RoundID: open.ID, SubjectID: people[0], RaterID: people[0], Relation: survey.Self, FormKey: "k", Answers: survey.Answers{"a1": 2}}); err != nil || dup {
		t.Fatalf("SaveAnswers = %v, %v", dup, err)
	}
	if dup, err := d.SaveAnswers(ctx, AnswerSave{RoundID: open.ID, SubjectID: people[0], RaterID: people[0], Relation: survey.Self, FormKey: "k", Answers: survey.Answers{"a1": 3}}); err != nil || !dup {
		t.Fatalf("repeat = %v, %v; want duplicate", dup, err)
	}
}

// TestGroupCommitAfterClose checks that a form posted after Close fails
// instead of hanging.
func TestGroupCommitAfterClose(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, open, _, people := testOrg(t, Options{}, 1)
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	_, err := d.SaveAnswers(ctx, AnswerSave{RoundID: open.ID, SubjectID: people[0], RaterID: people[0], Relation: survey.Self, FormKey: "late", Answers: survey.Answers{"a1": 2}})
	if err == nil {
		t.Fatal("SaveAnswers after Close succeeded")
	}
}

// TestGroupCommitCancelled checks that a caller whose context has ended
// before its form is taken gets the context's error and stores nothing.
func TestGroupCommitCancelled(t *testing.T) {
	t.Parallel()
	d, open, _, people := testOrg(t, Options{}, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := d.SaveAnswers(ctx, AnswerSave{RoundID: open.ID, SubjectID: people[0], RaterID: people[0], Relation: survey.Self, FormKey: "gone", Answers: survey.Answers{"a1": 2}})
	if err == nil {
		t.Fatal("SaveAnswers with a cancelled context succeeded")
	}
	if _, err := d.FindResponse(context.Background(), open.ID, people[0], people[0]); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("FindResponse after a cancelled save = %v, want ENOTFOUND", err)
	}
}
