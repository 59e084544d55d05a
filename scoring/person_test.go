package scoring_test

import (
	"fmt"
	"math"
	"testing"

	"lederradar/scoring"
	"lederradar/survey"
)

// testInstrument has three competences a, b, c with four items each
// (a.1 … c.4); scoring needs nothing else of an instrument.
func testInstrument() *survey.Instrument {
	in := &survey.Instrument{Version: "t"}
	for _, id := range []string{"a", "b", "c"} {
		c := survey.Competence{ID: id}
		for _, n := range []string{"1", "2", "3", "4"} {
			c.Items = append(c.Items, survey.Item{ID: id + "." + n})
		}
		in.Competences = append(in.Competences, c)
	}
	return in
}

func TestPerson(t *testing.T) {
	const dk = survey.DontKnow
	type want struct {
		score    float64
		has      bool
		answered int
		dontKnow int
	}
	tests := []struct {
		name    string
		answers survey.Answers
		want    map[string]want
	}{
		{
			name:    "all answered",
			answers: survey.Answers{"a.1": 5, "a.2": 4, "a.3": 4, "a.4": 3},
			want:    map[string]want{"a": {4.0, true, 4, 0}, "b": {0, false, 0, 0}},
		},
		{
			name:    "mean of answered items only",
			answers: survey.Answers{"a.1": 5, "a.2": 2, "a.3": 2},
			want:    map[string]want{"a": {3.0, true, 3, 0}},
		},
		{
			name:    "exactly half answered scores",
			answers: survey.Answers{"a.1": 1, "a.2": 2},
			want:    map[string]want{"a": {1.5, true, 2, 0}},
		},
		{
			name:    "under half answered has no score",
			answers: survey.Answers{"a.1": 5},
			want:    map[string]want{"a": {0, false, 1, 0}},
		},
		{
			name:    "don't know is not an answer",
			answers: survey.Answers{"a.1": 4, "a.2": dk, "a.3": dk, "a.4": dk},
			want:    map[string]want{"a": {0, false, 1, 3}},
		},
		{
			name:    "don't know with half answered",
			answers: survey.Answers{"a.1": 4, "a.2": 5, "a.3": dk, "a.4": dk},
			want:    map[string]want{"a": {4.5, true, 2, 2}},
		},
		{
			name:    "all don't know has no score",
			answers: survey.Answers{"b.1": dk, "b.2": dk, "b.3": dk, "b.4": dk},
			want:    map[string]want{"b": {0, false, 0, 4}},
		},
		{
			name:    "unknown items and off-scale values are ignored",
			answers: survey.Answers{"c.1": 2, "c.2": 9, "c.3": -1, "x.1": 5, "c.4": 3},
			want:    map[string]want{"c": {2.5, true, 2, 0}},
		},
		{
			name:    "thirds are not rounded",
			answers: survey.Answers{"b.1": 4, "b.2": 4, "b.3": 5},
			want:    map[string]want{"b": {13.0 / 3.0, true, 3, 0}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := scoring.Person(testInstrument(), tt.answers)
			if got, want := len(p.Competences), 3; got != want {
				t.Fatalf("competences = %d, want %d", got, want)
			}
			for id, w := range tt.want {
				var got scoring.CompetenceScore
				for _, c := range p.Competences {
					if c.CompetenceID == id {
						got = c
					}
				}
				if got.HasScore != w.has || math.Abs(got.Score-w.score) > 1e-12 || got.Answered != w.answered || got.DontKnow != w.dontKnow || got.Items != 4 {
					t.Errorf("%s = %+v, want score %v has %v answered %d dontKnow %d", id, got, w.score, w.has, w.answered, w.dontKnow)
				}
			}
		})
	}
}

// TestScoreNeeds checks the threshold the review page quotes against the
// rule Person applies: with ScoreNeeds(n) answers on the scale a
// competence of n items has a score, with one fewer it has none.
func TestScoreNeeds(t *testing.T) {
	for _, tc := range []struct{ items, want int }{
		{1, 1}, {2, 1}, {3, 2}, {4, 2}, {5, 3}, {6, 3}, {0, 1},
	} {
		if got := scoring.ScoreNeeds(tc.items); got != tc.want {
			t.Errorf("ScoreNeeds(%d) = %d, want %d", tc.items, got, tc.want)
		}
		if tc.items == 0 {
			continue
		}
		in := &survey.Instrument{Competences: []survey.Competence{{ID: "x"}}}
		for i := range tc.items {
			in.Competences[0].Items = append(in.Competences[0].Items, survey.Item{ID: fmt.Sprintf("x.%d", i+1)})
		}
		for answered := tc.want - 1; answered <= tc.want; answered++ {
			answers := survey.Answers{}
			for i, it := range in.Competences[0].Items {
				if i < answered {
					answers[it.ID] = 3
				} else {
					answers[it.ID] = survey.DontKnow
				}
			}
			got := scoring.Person(in, answers).Competences[0].HasScore
			if want := answered >= tc.want; got != want {
				t.Errorf("%d items, %d answered and the rest »ved ikke«: HasScore %v, want %v", tc.items, answered, got, want)
			}
		}
	}
}

func TestPersonTotals(t *testing.T) {
	p := scoring.Person(testInstrument(), survey.Answers{"a.1": 5, "a.2": survey.DontKnow, "b.1": 3, "b.2": 3, "c.1": 1})
	if p.Items != 12 || p.Answered != 4 || p.DontKnow != 1 {
		t.Errorf("totals = items %d answered %d dontKnow %d, want 12 4 1", p.Items, p.Answered, p.DontKnow)
	}
	if got, want := p.Scored(), 1; got != want { // only b has half its items answered
		t.Errorf("Scored() = %d, want %d", got, want)
	}
	if s, ok := p.Score("b"); !ok || s != 3 {
		t.Errorf(`Score("b") = %v, %v; want 3, true`, s, ok)
	}
	if _, ok := p.Score("a"); ok {
		t.Error(`Score("a") has a score with 1 of 4 items answered`)
	}
}

func ids(cs []scoring.CompetenceScore) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.CompetenceID)
	}
	return out
}

func TestStrengthsAndDevelopmentAreas(t *testing.T) {
	in := &survey.Instrument{}
	answers := survey.Answers{}
	// Six competences scored 3, 5, 1, 5, 2, 4 and one (g) without a score.
	for i, v := range []survey.Answer{3, 5, 1, 5, 2, 4, 0} {
		id := string(rune('a' + i))
		c := survey.Competence{ID: id}
		for _, n := range []string{"1", "2"} {
			c.Items = append(c.Items, survey.Item{ID: id + n})
			answers[id+n] = v
		}
		in.Competences = append(in.Competences, c)
	}
	p := scoring.Person(in, answers)
	tests := []struct {
		name string
		got  []scoring.CompetenceScore
		want []string
	}{
		{"top three, ties in instrument order", scoring.Strengths(p, 3), []string{"b", "d", "f"}},
		{"bottom three, unscored left out", scoring.DevelopmentAreas(p, 3), []string{"c", "e", "a"}},
		{"top one", scoring.Strengths(p, 1), []string{"b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ids(tt.got); !equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}

	t.Run("never both strength and development area", func(t *testing.T) {
		few := scoring.Person(testInstrument(), survey.Answers{"a.1": 5, "a.2": 5, "b.1": 2, "b.2": 2, "c.1": 3, "c.2": 3})
		s, d := ids(scoring.Strengths(few, 3)), ids(scoring.DevelopmentAreas(few, 3))
		if !equal(s, []string{"a", "c", "b"}) || len(d) != 0 {
			t.Errorf("strengths %v, development %v; want [a c b] and none", s, d)
		}
		s, d = ids(scoring.Strengths(few, 1)), ids(scoring.DevelopmentAreas(few, 1))
		if !equal(s, []string{"a"}) || !equal(d, []string{"b"}) {
			t.Errorf("strengths %v, development %v; want [a] and [b]", s, d)
		}
	})
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSummarise(t *testing.T) {
	tests := []struct {
		name   string
		scores []float64
		want   scoring.Summary
	}{
		{"none", nil, scoring.Summary{}},
		{"one", []float64{3.5}, scoring.Summary{Mean: 3.5, SD: 0, N: 1, Min: 3.5, Max: 3.5}},
		// mean 3; deviations -1, 0, 1 → ss 2, /(n-1)=1 → sd 1
		{"three", []float64{2, 3, 4}, scoring.Summary{Mean: 3, SD: 1, N: 3, Min: 2, Max: 4}},
		// mean 2.5; deviations ±1.5, ±0.5 → ss 5, /3 → sd √(5/3)
		{"four", []float64{1, 2, 3, 4}, scoring.Summary{Mean: 2.5, SD: math.Sqrt(5.0 / 3.0), N: 4, Min: 1, Max: 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := scoring.Summarise(tt.scores)
			if got.N != tt.want.N || math.Abs(got.Mean-tt.want.Mean) > 1e-12 || math.Abs(got.SD-tt.want.SD) > 1e-12 || got.Min != tt.want.Min || got.Max != tt.want.Max {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}
