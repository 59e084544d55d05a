package data_test

import (
	"context"
	"sync"
	"testing"

	"lederradar/data"
	"lederradar/survey"
)

// TestClaimRoundView: the first view of others a leader is shown in a
// round is theirs for the round, whichever page asks, however many ask at
// once; other leaders and rounds are apart, and the erasure takes it.
func TestClaimRoundView(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	mustInstrument(t, db, "test-1")
	ann := mustPerson(t, db, "ann@example.dk", "Ann")
	bo := mustPerson(t, db, "bo@example.dk", "Bo")
	spring := mustRound(t, db, "Forår", survey.RoundOpen)
	autumn := mustRound(t, db, "Efterår", survey.RoundOpen)

	claim := func(round *survey.Round, p *survey.Person, v data.RoundView) bool {
		t.Helper()
		ok, err := db.ClaimRoundView(ctx, round.ID, p.ID, v)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	for _, c := range []struct {
		round *survey.Round
		who   *survey.Person
		view  data.RoundView
		want  bool
	}{
		{spring, ann, data.ViewRadars, true},
		{spring, ann, data.ViewRadars, true},
		{spring, ann, data.ViewMeans, false},
		{spring, bo, data.ViewMeans, true},
		{spring, bo, data.ViewRadars, false},
		{autumn, ann, data.ViewMeans, true},
		{autumn, ann, data.ViewRadars, false},
	} {
		if got := claim(c.round, c.who, c.view); got != c.want {
			t.Errorf("%s claims %s in %s: %v, want %v", c.who.Name, c.view, c.round.Name, got, c.want)
		}
	}

	// Asked at once, one view wins and the other loses, every time.
	round := mustRound(t, db, "Samtidig", survey.RoundOpen)
	var wg sync.WaitGroup
	got := make([]bool, 20)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := data.ViewRadars
			if i%2 == 1 {
				v = data.ViewMeans
			}
			ok, err := db.ClaimRoundView(ctx, round.ID, ann.ID, v)
			if err != nil {
				t.Error(err)
			}
			got[i] = ok
		}()
	}
	wg.Wait()
	radars, means := 0, 0
	for i, ok := range got {
		if ok && i%2 == 0 {
			radars++
		} else if ok {
			means++
		}
	}
	if (radars == 0) == (means == 0) {
		t.Fatalf("at once: radars won %d times and means %d; exactly one view must win", radars, means)
	}

	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.ErasePerson(ctx, ann.ID, "admin:1"))
	if n := countRows(t, db, "SELECT count(*) FROM round_views WHERE person_id = ?", ann.ID); n != 0 {
		t.Fatalf("the erasure left %d of the person's views", n)
	}
}
