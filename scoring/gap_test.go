package scoring_test

import (
	"testing"

	"lederradar/scoring"
	"lederradar/survey"
)

func TestGaps(t *testing.T) {
	// The leader scores a 4, b 2, and has no score on c.
	self := scoring.Person(testInstrument(), survey.Answers{"a.1": 4, "a.2": 4, "b.1": 2, "b.2": 2, "c.1": 5})
	shown := func(id string, mean float64) scoring.CompetenceAggregate {
		return scoring.CompetenceAggregate{CompetenceID: id, Aggregate: scoring.Aggregate{Mean: mean, SD: 1, N: 6}}
	}
	hidden := func(id string) scoring.CompetenceAggregate {
		return scoring.CompetenceAggregate{CompetenceID: id, Suppressed: true}
	}
	tests := []struct {
		name  string
		other scoring.GroupProfile
		want  []scoring.Gap
	}{
		{
			name:  "all shown",
			other: scoring.GroupProfile{N: 6, Competences: []scoring.CompetenceAggregate{shown("a", 3.5), shown("b", 3.25), shown("c", 3)}},
			want: []scoring.Gap{
				{CompetenceID: "a", Self: 4, Other: 3.5, Diff: 0.5, OK: true},    // 4 − 3.5
				{CompetenceID: "b", Self: 2, Other: 3.25, Diff: -1.25, OK: true}, // 2 − 3.25
				{CompetenceID: "c"}, // the leader has no score
			},
		},
		{
			name:  "suppressed competence gives no gap",
			other: scoring.GroupProfile{N: 6, Competences: []scoring.CompetenceAggregate{shown("a", 3), hidden("b"), shown("c", 3)}},
			want:  []scoring.Gap{{CompetenceID: "a", Self: 4, Other: 3, Diff: 1, OK: true}, {CompetenceID: "b"}, {CompetenceID: "c"}},
		},
		{
			name:  "suppressed group gives no gap",
			other: scoring.GroupProfile{N: 2, Suppressed: true, Competences: []scoring.CompetenceAggregate{hidden("a"), hidden("b"), hidden("c")}},
			want:  []scoring.Gap{{CompetenceID: "a"}, {CompetenceID: "b"}, {CompetenceID: "c"}},
		},
		{
			name:  "competence missing from the group",
			other: scoring.GroupProfile{N: 6, Competences: []scoring.CompetenceAggregate{shown("b", 2)}},
			want:  []scoring.Gap{{CompetenceID: "a"}, {CompetenceID: "b", Self: 2, Other: 2, Diff: 0, OK: true}, {CompetenceID: "c"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := scoring.Gaps(self, tt.other)
			if len(got) != len(tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("gap %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}
