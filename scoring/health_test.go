package scoring_test

import (
	"encoding/csv"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"lederradar/scoring"
	"lederradar/survey"
)

// readHealthAnswers reads testdata/health/answers.csv: a respondent per
// row, an item per column, 0 for "ved ikke", empty for no answer.
func readHealthAnswers(t *testing.T) []scoring.Respondent {
	t.Helper()
	rows := readCSV(t, "testdata/health/answers.csv")
	var out []scoring.Respondent
	for _, row := range rows[1:] {
		id, err := strconv.ParseInt(row[0], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		a := survey.Answers{}
		for i, cell := range row[1:] {
			if cell == "" {
				continue
			}
			v, err := strconv.Atoi(cell)
			if err != nil {
				t.Fatal(err)
			}
			a[rows[0][i+1]] = survey.Answer(v)
		}
		out = append(out, scoring.Respondent{PersonID: id, Answers: a})
	}
	return out
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestInstrumentHealthMatchesPsych checks alpha, the item figures and the
// item–rest correlations against R's psych package (psych::alpha's
// raw_alpha and r.drop), computed by scripts/psych-reference.R on the
// same answers and kept in testdata/health/psych.csv.
func TestInstrumentHealthMatchesPsych(t *testing.T) {
	in := testInstrument()
	got := map[string]scoring.ItemHealth{}
	alpha := map[string]scoring.CompetenceHealth{}
	for _, ch := range scoring.InstrumentHealth(in, readHealthAnswers(t)) {
		alpha[ch.CompetenceID] = ch
		for _, ih := range ch.Items {
			got[ih.ItemID] = ih
		}
	}
	ref := readCSV(t, "testdata/health/psych.csv")
	col := map[string]int{}
	for i, name := range ref[0] {
		col[name] = i
	}
	num := func(row []string, name string) float64 {
		v, err := strconv.ParseFloat(row[col[name]], 64)
		if err != nil {
			t.Fatalf("psych.csv %s: %v", name, err)
		}
		return v
	}
	if len(ref)-1 != len(got) {
		t.Fatalf("psych.csv has %d items, the instrument %d", len(ref)-1, len(got))
	}
	for _, row := range ref[1:] {
		comp, item := row[col["competence"]], row[col["item"]]
		ch, ih := alpha[comp], got[item]
		checks := []struct {
			name      string
			got, want float64
		}{
			{"alpha", ch.Alpha, num(row, "alpha")},
			{"respondents with every item", float64(ch.N), num(row, "n_complete")},
			{"mean", ih.Mean, num(row, "mean")},
			{"sd", ih.SD, num(row, "sd")},
			{"ved ikke", ih.DontKnow, num(row, "dont_know")},
			{"item-rest", ih.ItemRest, num(row, "r_drop")},
		}
		for _, c := range checks {
			if math.Abs(c.got-c.want) > 1e-6 {
				t.Errorf("%s %s: %s = %.9f, psych %.9f", comp, item, c.name, c.got, c.want)
			}
		}
		if !ch.OK || !ih.ItemRestOK {
			t.Errorf("%s %s: not computed", comp, item)
		}
	}
	// The data are made so: a consistent, c with an unrelated last item.
	if !alpha["a"].Acceptable() || !got["c.4"].Low() || got["a.1"].Low() {
		t.Errorf("readings: a acceptable %v, c.4 low %v, a.1 low %v", alpha["a"].Acceptable(), got["c.4"].Low(), got["a.1"].Low())
	}
}

func TestInstrumentHealthEdges(t *testing.T) {
	in := testInstrument()
	all := func(v survey.Answer) survey.Answers {
		a := survey.Answers{}
		for _, c := range in.Competences {
			for _, it := range c.Items {
				a[it.ID] = v
			}
		}
		return a
	}
	tests := []struct {
		name        string
		respondents []scoring.Respondent
		itemRestOK  bool
		dontKnow    float64
		n           int
	}{
		{name: "nobody", n: 0},
		{name: "two respondents: too few for a correlation",
			respondents: []scoring.Respondent{{PersonID: 1, Answers: all(2)}, {PersonID: 2, Answers: all(4)}}, n: 2},
		{name: "everyone alike: no variance",
			respondents: []scoring.Respondent{{PersonID: 1, Answers: all(3)}, {PersonID: 2, Answers: all(3)}, {PersonID: 3, Answers: all(3)}}, n: 3},
		{name: "ved ikke counts in the share, not in the mean",
			respondents: []scoring.Respondent{{PersonID: 1, Answers: all(survey.DontKnow)}, {PersonID: 2, Answers: all(4)}, {PersonID: 3, Answers: all(2)}, {PersonID: 4, Answers: all(3)}},
			dontKnow:    0.25, n: 3, itemRestOK: true},
		{name: "a person listed twice counts once, the last answers winning",
			respondents: []scoring.Respondent{{PersonID: 1, Answers: all(survey.DontKnow)}, {PersonID: 1, Answers: all(4)}, {PersonID: 2, Answers: all(2)}, {PersonID: 3, Answers: all(3)}},
			n:           3, itemRestOK: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, ch := range scoring.InstrumentHealth(in, tt.respondents) {
				for _, ih := range ch.Items {
					if ih.ItemRestOK != tt.itemRestOK || ih.N != tt.n || math.Abs(ih.DontKnow-tt.dontKnow) > 1e-12 {
						t.Fatalf("%s: ok %v n %d ved ikke %v, want ok %v n %d ved ikke %v", ih.ItemID, ih.ItemRestOK, ih.N, ih.DontKnow, tt.itemRestOK, tt.n, tt.dontKnow)
					}
					if !strings.HasPrefix(ih.ItemID, ch.CompetenceID+".") {
						t.Fatalf("item %s under %s", ih.ItemID, ch.CompetenceID)
					}
				}
			}
		})
	}
}

// TestHealthShown is the anonymity rule over instrument health: each
// figure only over at least k people.
func TestHealthShown(t *testing.T) {
	tests := []struct {
		name   string
		item   scoring.ItemHealth
		alphaN int
		want   scoring.HealthFigures
	}{
		{name: "all over k", item: scoring.ItemHealth{N: 5, Answered: 6, ItemRestOK: true}, alphaN: 5,
			want: scoring.HealthFigures{Scale: true, DontKnow: true, ItemRest: true}},
		{name: "four on the scale, one ved ikke", item: scoring.ItemHealth{N: 4, Answered: 5, ItemRestOK: true}, alphaN: 5,
			want: scoring.HealthFigures{DontKnow: true, ItemRest: true}},
		{name: "alpha over four", item: scoring.ItemHealth{N: 5, Answered: 5, ItemRestOK: true}, alphaN: 4,
			want: scoring.HealthFigures{Scale: true, DontKnow: true}},
		{name: "no correlation to show", item: scoring.ItemHealth{N: 9, Answered: 9}, alphaN: 9,
			want: scoring.HealthFigures{Scale: true, DontKnow: true}},
		{name: "nobody", want: scoring.HealthFigures{}},
	}
	for _, tt := range tests {
		if got := tt.item.Shown(tt.alphaN, 5); got != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
	alpha := scoring.CompetenceHealth{Reliability: scoring.Reliability{Alpha: 0.8, N: 5, OK: true}}
	if !alpha.AlphaShown(5) || alpha.AlphaShown(6) {
		t.Errorf("alpha over 5 shown at k=5: %v, at k=6: %v", alpha.AlphaShown(5), alpha.AlphaShown(6))
	}
	if (scoring.CompetenceHealth{Reliability: scoring.Reliability{N: 9}}).AlphaShown(5) {
		t.Error("an alpha that cannot be computed is shown")
	}
}
