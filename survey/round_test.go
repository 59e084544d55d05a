package survey

import (
	"slices"
	"testing"
	"time"
)

func TestOpensLater(t *testing.T) {
	// 23.30 UTC on 28 February is already 1 March at UTC+1.
	now := time.Date(2027, 2, 28, 23, 30, 0, 0, time.UTC)
	plusOne := time.FixedZone("UTC+1", 3600)
	for _, tt := range []struct {
		opens time.Time
		loc   *time.Location
		want  bool
	}{
		{time.Time{}, plusOne, false},
		{time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), plusOne, false},
		{time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC), time.UTC, true},
		{time.Date(2027, 3, 2, 0, 0, 0, 0, time.UTC), plusOne, true},
		{time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC), plusOne, false},
	} {
		r := Round{Opens: tt.opens}
		if got := r.OpensLater(now, tt.loc); got != tt.want {
			t.Errorf("OpensLater(%v) in %s = %v, want %v", tt.opens, tt.loc, got, tt.want)
		}
	}
}

func TestOpenBesides(t *testing.T) {
	rounds := []Round{
		{ID: 1, Name: "Forår", Status: RoundClosed},
		{ID: 2, Name: "Efterår", Status: RoundOpen},
		{ID: 3, Name: "Ekstra", Status: RoundOpen},
		{ID: 4, Name: "Næste", Status: RoundDraft},
	}
	for _, tt := range []struct {
		id   int64
		want []string
	}{
		{2, []string{"Ekstra"}},
		{4, []string{"Efterår", "Ekstra"}},
		{1, []string{"Efterår", "Ekstra"}},
	} {
		if got := OpenBesides(rounds, tt.id); !slices.Equal(got, tt.want) {
			t.Errorf("OpenBesides(%d) = %q, want %q", tt.id, got, tt.want)
		}
	}
	if got := OpenBesides(rounds[:1], 1); got != nil {
		t.Errorf("no open round: %q", got)
	}
}
