package data

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"lederradar/survey"
)

// TestTallyEncoding: a tally comes back from its stored encoding as it
// went in, for the instrument's tally of any answers (so the profiles
// built from stored tallies are those built from the answers), and
// anything else is refused.
func TestTallyEncoding(t *testing.T) {
	t.Parallel()
	in, err := survey.DefaultInstrument()
	if err != nil {
		t.Fatal(err)
	}
	first, second := in.Competences[0], in.Competences[1]
	fixed := in.Tally(survey.Answers{
		first.Items[0].ID: 5, first.Items[1].ID: 5, first.Items[2].ID: survey.DontKnow,
		second.Items[3].ID: 1,
	})
	b := appendTally(nil, fixed)
	back, err := decodeTally(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, fixed) {
		t.Errorf("decoded %v, want %v", back, fixed)
	}
	for _, bad := range [][]byte{nil, {9}, b[:len(b)-1], append(b, 0)} {
		if _, err := decodeTally(bad); err == nil {
			t.Errorf("decodeTally(%v) = nil error, want one", bad)
		}
	}

	r := rand.New(rand.NewPCG(1, 2))
	var slab survey.Tally
	for range 500 {
		a := survey.Answers{}
		for _, c := range in.Competences {
			for _, it := range c.Items {
				if x := r.IntN(8); x < 6 {
					a[it.ID] = survey.Answer(x)
				}
			}
		}
		want := in.Tally(a)
		got, err := decodeTally(appendTally(nil, want))
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("tally of %v: decoded %v, %v; want %v", a, got, err, want)
		}
		// Decoding onto a shared slab gives the same tally after what is
		// there.
		start := len(slab)
		if slab, err = appendDecodedTally(slab, appendTally(nil, want)); err != nil {
			t.Fatal(err)
		}
		if got := slab[start:]; !reflect.DeepEqual(got, want) {
			t.Fatalf("appended %v, want %v", got, want)
		}
	}
}
