package scoring_test

import (
	"math"
	"testing"

	"lederradar/scoring"
	"lederradar/survey"
)

// items answers the four items of competence c with vs (0 = don't know,
// -1 = unanswered).
func items(a survey.Answers, c string, vs ...int) survey.Answers {
	if a == nil {
		a = survey.Answers{}
	}
	for i, v := range vs {
		if v >= 0 {
			a[c+"."+string(rune('1'+i))] = survey.Answer(v)
		}
	}
	return a
}

func TestAlpha(t *testing.T) {
	type want struct {
		alpha float64
		n     int
		ok    bool
	}
	// The hand example on competence a, three respondents × four items:
	//
	//	        i1 i2 i3 i4  total
	//	R1       2  3  3  2   10
	//	R2       4  4  5  3   16
	//	R3       3  5  4  4   16
	//
	// Item means 3, 4, 4, 3; each item's deviations are {−1, 0, 1} in some
	// order, so each sample variance is 2/2 = 1 and Σ var(item) = 4.
	// Totals: mean 14, deviations −4, 2, 2, squares 16 + 4 + 4 = 24,
	// var(total) = 24/2 = 12. alpha = 4/3 · (1 − 4/12) = 4/3 · 2/3 = 8/9.
	hand := []scoring.Respondent{
		{PersonID: 1, Answers: items(nil, "a", 2, 3, 3, 2)},
		{PersonID: 2, Answers: items(nil, "a", 4, 4, 5, 3)},
		{PersonID: 3, Answers: items(nil, "a", 3, 5, 4, 4)},
	}
	tests := []struct {
		name        string
		respondents []scoring.Respondent
		want        map[string]want
	}{
		{
			name:        "hand example",
			respondents: hand,
			want:        map[string]want{"a": {8.0 / 9.0, 3, true}, "b": {0, 0, false}},
		},
		{
			name: "incomplete respondents are left out",
			respondents: append(append([]scoring.Respondent{}, hand...),
				scoring.Respondent{PersonID: 4, Answers: items(nil, "a", 1, 0, 1, 1)},  // don't know
				scoring.Respondent{PersonID: 5, Answers: items(nil, "a", 5, 5, -1, 5)}, // unanswered
			),
			want: map[string]want{"a": {8.0 / 9.0, 3, true}},
		},
		{
			name: "a person listed twice counts once, with the last answers",
			respondents: append(append([]scoring.Respondent{{PersonID: 3, Answers: items(nil, "a", 1, 1, 1, 1)}}, hand...),
				scoring.Respondent{PersonID: 2, Answers: items(nil, "a", 1, 2, 3, 4)}, // replaced below
				hand[1],
			),
			want: map[string]want{"a": {8.0 / 9.0, 3, true}},
		},
		{
			// R1 1 5 2 5 (13), R2 5 1 5 1 (12): item variances 8, 8, 4.5, 8
			// sum 28.5; totals mean 12.5, squares 0.25 + 0.25 → var 0.5.
			// alpha = 4/3 · (1 − 57) = −224/3: items that pull apart.
			name: "negative alpha is not clamped",
			respondents: []scoring.Respondent{
				{PersonID: 1, Answers: items(nil, "a", 1, 5, 2, 5)},
				{PersonID: 2, Answers: items(nil, "a", 5, 1, 5, 1)},
			},
			want: map[string]want{"a": {-224.0 / 3.0, 2, true}},
		},
		{
			name:        "one complete respondent is not enough",
			respondents: []scoring.Respondent{{PersonID: 1, Answers: items(nil, "a", 1, 2, 3, 4)}, {PersonID: 2, Answers: items(nil, "a", 1, 2, 3)}},
			want:        map[string]want{"a": {0, 1, false}},
		},
		{
			name:        "no respondents",
			respondents: nil,
			want:        map[string]want{"a": {0, 0, false}, "b": {0, 0, false}, "c": {0, 0, false}},
		},
		{
			// Totals 10 and 10: no variance to explain.
			name: "zero total variance",
			respondents: []scoring.Respondent{
				{PersonID: 1, Answers: items(nil, "c", 1, 2, 3, 4)},
				{PersonID: 2, Answers: items(nil, "c", 4, 3, 2, 1)},
			},
			want: map[string]want{"c": {0, 2, false}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := scoring.Alpha(testInstrument(), tt.respondents)
			if len(got) != 3 || got[0].CompetenceID != "a" || got[1].CompetenceID != "b" || got[2].CompetenceID != "c" {
				t.Fatalf("got %+v, want a, b, c in order", got)
			}
			for _, r := range got {
				w, ok := tt.want[r.CompetenceID]
				if !ok {
					continue
				}
				if r.OK != w.ok || r.N != w.n || math.Abs(r.Alpha-w.alpha) > 1e-12 {
					t.Errorf("%s = %+v, want alpha %v n %d ok %v", r.CompetenceID, r, w.alpha, w.n, w.ok)
				}
			}
		})
	}
}
