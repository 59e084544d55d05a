package scoring

import (
	"math"

	"lederradar/survey"
)

// Readings of instrument health (DESIGN C15), the usual rules of thumb: a
// competence whose alpha reaches AcceptableAlpha measures one thing well
// enough; an item whose item–rest correlation stays under LowItemRest
// agrees little with the competence's other items.
const (
	AcceptableAlpha = 0.70
	LowItemRest     = 0.30
)

// ItemHealth describes how one item was answered.
type ItemHealth struct {
	ItemID string
	// N counts the respondents who answered the item on the scale; Mean
	// and SD are over them.
	N    int
	Mean float64
	SD   float64
	// DontKnow is the share of "ved ikke" among the Answered respondents,
	// who answered the item at all.
	DontKnow float64
	Answered int
	// ItemRest is the corrected item–total correlation: the item against
	// the sum of the competence's other items, over the respondents who
	// answered every item of the competence on the scale. ItemRestOK is
	// false where it cannot be computed (fewer than 3 such respondents,
	// or no variance).
	ItemRest   float64
	ItemRestOK bool
}

// Low reports whether the item agrees little with the other items.
func (h ItemHealth) Low() bool { return h.ItemRestOK && h.ItemRest < LowItemRest }

// CompetenceHealth is a competence's reliability and its items.
type CompetenceHealth struct {
	Reliability
	Items []ItemHealth
}

// Acceptable reports whether the competence's alpha reaches
// AcceptableAlpha.
func (h CompetenceHealth) Acceptable() bool { return h.OK && h.Alpha >= AcceptableAlpha }

// HealthFigures are the figures of one item that HR may see.
type HealthFigures struct {
	// Scale: the mean and sd, over N respondents who answered on the
	// scale; DontKnow: the share of "ved ikke"; ItemRest: the item–rest
	// correlation.
	Scale, DontKnow, ItemRest bool
}

// Shown returns which of the item's figures HR may see, of a competence
// whose alpha rests on alphaN respondents: each only over at least k
// people (k = ClampMinGroup(minGroup)), as any aggregate (DESIGN C7).
func (h ItemHealth) Shown(alphaN, minGroup int) HealthFigures {
	k := ClampMinGroup(minGroup)
	return HealthFigures{Scale: h.N >= k, DontKnow: h.Answered >= k, ItemRest: h.ItemRestOK && alphaN >= k}
}

// AlphaShown reports whether HR may see the competence's alpha: only when
// it can be computed over at least k people.
func (h CompetenceHealth) AlphaShown(minGroup int) bool {
	return h.OK && h.N >= ClampMinGroup(minGroup)
}

// InstrumentHealth returns, for each competence in the instrument's order,
// Cronbach's alpha (as Alpha) and per item the mean, sd, share of "ved
// ikke" and item–rest correlation. Like Alpha it applies no anonymity
// rule: use it only over a set of respondents that passes it, such as a
// shown organisation. A person listed twice counts once, with the answers
// listed last.
func InstrumentHealth(in *survey.Instrument, respondents []Respondent) []CompetenceHealth {
	answers := latestAnswers(respondents)
	ids := respondentOrder(respondents)
	rel := Alpha(in, respondents)
	out := make([]CompetenceHealth, len(in.Competences))
	for c, comp := range in.Competences {
		out[c] = CompetenceHealth{Reliability: rel[c]}
		complete := completeRows(comp, ids, answers)
		for i, it := range comp.Items {
			h := itemFigures(it.ID, ids, answers)
			h.ItemRest, h.ItemRestOK = itemRest(complete, i)
			out[c].Items = append(out[c].Items, h)
		}
	}
	return out
}

// respondentOrder lists each respondent once, in input order, so sums run
// in a reproducible order.
func respondentOrder(respondents []Respondent) []int64 {
	ids := make([]int64, 0, len(respondents))
	seen := map[int64]bool{}
	for _, r := range respondents {
		if !seen[r.PersonID] {
			seen[r.PersonID] = true
			ids = append(ids, r.PersonID)
		}
	}
	return ids
}

// completeRows are the answers to comp's items of the respondents who
// answered every one of them on the scale.
func completeRows(comp survey.Competence, ids []int64, answers map[int64]survey.Answers) [][]float64 {
	var rows [][]float64
	for _, id := range ids {
		row := make([]float64, 0, len(comp.Items))
		for _, it := range comp.Items {
			a, ok := answers[id][it.ID]
			if !ok || a < survey.MinAnswer || a > survey.MaxAnswer {
				break
			}
			row = append(row, float64(a))
		}
		if len(row) == len(comp.Items) {
			rows = append(rows, row)
		}
	}
	return rows
}

// itemFigures are the item's mean, sd and share of "ved ikke".
func itemFigures(item string, ids []int64, answers map[int64]survey.Answers) ItemHealth {
	h := ItemHealth{ItemID: item}
	var scale []float64
	dontKnow := 0
	for _, id := range ids {
		a, ok := answers[id][item]
		switch {
		case !ok:
		case a == survey.DontKnow:
			dontKnow++
		case a >= survey.MinAnswer && a <= survey.MaxAnswer:
			scale = append(scale, float64(a))
		}
	}
	s := Summarise(scale)
	h.N, h.Mean, h.SD = s.N, s.Mean, s.SD
	if h.Answered = dontKnow + len(scale); h.Answered > 0 {
		h.DontKnow = float64(dontKnow) / float64(h.Answered)
	}
	return h
}

// itemRest is the Pearson correlation of column i of rows with the sum of
// the other columns.
func itemRest(rows [][]float64, i int) (float64, bool) {
	if len(rows) < 3 {
		return 0, false
	}
	xs := make([]float64, len(rows))
	ys := make([]float64, len(rows))
	for r, row := range rows {
		xs[r] = row[i]
		for j, v := range row {
			if j != i {
				ys[r] += v
			}
		}
	}
	return pearson(xs, ys)
}

// pearson is the correlation of xs and ys; false when either has no
// variance.
func pearson(xs, ys []float64) (float64, bool) {
	mx, my := Summarise(xs).Mean, Summarise(ys).Mean
	var sxy, sxx, syy float64
	for i := range xs {
		dx, dy := xs[i]-mx, ys[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return 0, false
	}
	return sxy / math.Sqrt(sxx*syy), true
}
