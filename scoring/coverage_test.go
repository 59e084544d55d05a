package scoring_test

import (
	"testing"

	"lederradar/scoring"
	"lederradar/survey"
)

// onA gives each person, from id 1 on, the answers listed for them on
// competence a's four items (a.1 … a.4; a missing answer is left out), and
// nothing else.
func onA(answers ...[]survey.Answer) []scoring.Respondent {
	var out []scoring.Respondent
	for i, as := range answers {
		a := survey.Answers{}
		for j, v := range as {
			a["a."+string(rune('1'+j))] = v
		}
		out = append(out, scoring.Respondent{PersonID: int64(i + 1), Answers: a})
	}
	return out
}

// TestProfilesHigh checks the count of high scores (DESIGN C14) against
// counts done by hand: a score of 4 or more counts, on the scoring rule's
// scores, so "ved ikke" is no answer and a person without a score counts
// nowhere.
func TestProfilesHigh(t *testing.T) {
	const dk = survey.DontKnow
	tests := []struct {
		name    string
		answers [][]survey.Answer
		n, high int
	}{
		{"every score 4 or more", [][]survey.Answer{{4, 4, 4, 4}, {5, 5, 5, 5}, {5, 3, 4, 4}}, 3, 3},
		// 3.75, 3 and 13/4 = 3.25: close is not enough.
		{"nobody at 4", [][]survey.Answer{{4, 4, 4, 3}, {3, 3, 3, 3}, {5, 5, 2, 1}}, 3, 0},
		// 5 and 3 twice average exactly 4.
		{"exactly 4 counts", [][]survey.Answer{{5, 3, 5, 3}, {1, 1, 1, 1}, {2, 2, 2, 2}}, 3, 1},
		// 4, 4 and two "ved ikke" → 4; 5 and three "ved ikke" → no score,
		// neither in n nor in the count.
		{"ved ikke is no answer", [][]survey.Answer{{4, 4, dk, dk}, {5, dk, dk, dk}, {3, 3, 3, 3}, {2, 2, 2, 2}}, 3, 1},
		// 4, 4 and 3 → 11/3 < 4; 5, 5, 5 → 5.
		{"a third short", [][]survey.Answer{{4, 4, 3}, {5, 5, 5}, {1, 1, 1, 1}}, 3, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := onA(tt.answers...)
			ids := make([]int64, len(rs))
			for i := range rs {
				ids[i] = rs[i].PersonID
			}
			ca := scoring.Profiles(testInstrument(), []scoring.GroupSpec{org(ids)}, rs, 3)[0].Competences[0]
			if ca.Suppressed || ca.N != tt.n || ca.High != tt.high || !ca.HighKnown() {
				t.Errorf("a = n %d, %d high (known %v, suppressed %v); want n %d, %d high", ca.N, ca.High, ca.HighKnown(), ca.Suppressed, tt.n, tt.high)
			}
		})
	}
}

// TestProfilesHighSuppressed: where the anonymity rule withholds a
// competence, it withholds the count with the mean, whatever the count
// would have been — all or none of the few high.
func TestProfilesHighSuppressed(t *testing.T) {
	fives := func(n int) [][]survey.Answer {
		out := make([][]survey.Answer, n)
		for i := range out {
			out[i] = []survey.Answer{5, 5, 5, 5}
		}
		return out
	}
	type want struct {
		shown bool
		high  int
	}
	tests := []struct {
		name   string
		groups []scoring.GroupSpec
		rs     []scoring.Respondent
		want   map[string]want
	}{
		{
			name:   "group of four, all high",
			groups: []scoring.GroupSpec{org(span(1, 4))},
			rs:     onA(fives(4)...),
			want:   map[string]want{"organisation": {false, 0}},
		},
		{
			// The team differs from the department by one person: its
			// count less the department's would say whether that one is
			// strong.
			name:   "team one short of its department",
			groups: []scoring.GroupSpec{org(span(1, 20)), dept(1, span(1, 10)), team(1, span(1, 9))},
			rs:     onA(fives(20)...),
			want:   map[string]want{"organisation": {true, 20}, "department:1": {true, 10}, "team:1": {false, 0}},
		},
		{
			// Six scorers, but only four with a score on a.
			name:   "competence short of k scores",
			groups: []scoring.GroupSpec{org(span(1, 6))},
			rs:     without(onA(fives(6)...), "a", 5, 6),
			want:   map[string]want{"organisation": {false, 0}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, p := range scoring.Profiles(testInstrument(), tt.groups, tt.rs, 5) {
				ca, w := p.Competences[0], tt.want[p.Key]
				if ca.Suppressed == w.shown || ca.High != w.high || ca.HighKnown() != w.shown {
					t.Errorf("%s/a: suppressed %v, %d high, known %v; want shown %v, %d high", p.Key, ca.Suppressed, ca.High, ca.HighKnown(), w.shown, w.high)
				}
				checkZeroWhenSuppressed(t, p)
			}
		})
	}
}

// TestHighKnown: a count is known only on a shown competence that was
// counted.
func TestHighKnown(t *testing.T) {
	tests := []struct {
		name string
		ca   scoring.CompetenceAggregate
		want bool
	}{
		{"counted", scoring.CompetenceAggregate{High: 3}, true},
		{"counted, none high", scoring.CompetenceAggregate{High: 0}, true},
		{"never counted", scoring.CompetenceAggregate{High: scoring.HighUnknown}, false},
		{"suppressed", scoring.CompetenceAggregate{Suppressed: true}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.ca.HighKnown(); got != tt.want {
				t.Errorf("HighKnown() = %v, want %v", got, tt.want)
			}
		})
	}
}
