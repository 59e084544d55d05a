package scoring_test

import (
	"testing"

	"lederradar/scoring"
)

func TestResponseCountsShown(t *testing.T) {
	tests := []struct {
		invited, submitted, minGroup int
		want                         bool
	}{
		{0, 0, 5, false},
		{1, 0, 5, false},
		{1, 1, 5, false},
		{4, 4, 5, false},
		{5, 0, 5, true},
		{5, 1, 5, true},
		{100, 99, 5, true},
		{2, 2, 3, false},
		{3, 0, 3, true},
		{0, 4, 5, false}, // answers imported without links
		{0, 5, 5, true},
	}
	for _, tt := range tests {
		if got := scoring.ResponseCountsShown(tt.invited, tt.submitted, tt.minGroup); got != tt.want {
			t.Errorf("ResponseCountsShown(%d, %d, %d) = %v, want %v", tt.invited, tt.submitted, tt.minGroup, got, tt.want)
		}
	}
}
