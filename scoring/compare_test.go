package scoring_test

import (
	"testing"

	"lederradar/scoring"
)

func TestCompareMeans(t *testing.T) {
	shown := func(mean float64) scoring.CompetenceAggregate {
		return scoring.CompetenceAggregate{Aggregate: scoring.Aggregate{Mean: mean, N: 5}}
	}
	hidden := scoring.CompetenceAggregate{Suppressed: true}
	tests := []struct {
		name                string
		this, other         []scoring.CompetenceAggregate
		higher, lower, same int
	}{
		{"nothing to compare", nil, nil, 0, 0, 0},
		{"one each", []scoring.CompetenceAggregate{shown(4), shown(2), shown(3)}, []scoring.CompetenceAggregate{shown(3), shown(3), shown(3)}, 1, 1, 1},
		// The differences 0.08, −0.02 and −0.06 show as +0,1, 0,0 and −0,1.
		{"the difference to one decimal, as shown", []scoring.CompetenceAggregate{shown(3.44), shown(3.34), shown(3.3)}, []scoring.CompetenceAggregate{shown(3.36), shown(3.36), shown(3.36)}, 1, 1, 1},
		{"a difference under 0.05 is the same", []scoring.CompetenceAggregate{shown(4.04)}, []scoring.CompetenceAggregate{shown(4)}, 0, 0, 1},
		{"hidden in either round: not counted", []scoring.CompetenceAggregate{hidden, shown(4), shown(5)}, []scoring.CompetenceAggregate{shown(1), hidden, shown(1)}, 1, 0, 0},
		{"hidden in both", []scoring.CompetenceAggregate{hidden}, []scoring.CompetenceAggregate{hidden}, 0, 0, 0},
	}
	for _, tt := range tests {
		h, l, s := scoring.CompareMeans(tt.this, tt.other)
		if h != tt.higher || l != tt.lower || s != tt.same {
			t.Errorf("%s: CompareMeans = %d higher, %d lower, %d same; want %d, %d, %d", tt.name, h, l, s, tt.higher, tt.lower, tt.same)
		}
	}
}
