// Package scoring holds every scoring rule of Lederradar as pure functions
// from survey values to results: no I/O, no clock, no HTTP.
package scoring

import (
	"slices"

	"lederradar/survey"
)

// CompetenceScore is one person's result on one competence.
type CompetenceScore struct {
	CompetenceID string
	// Score is the mean of the answered items; meaningful only when
	// HasScore is true.
	Score    float64
	HasScore bool
	Items    int // items in the competence
	Answered int // items answered on the scale (1–5)
	DontKnow int // items answered "ved ikke"
}

// PersonProfile is one person's scores on every competence, in the
// instrument's order, with the counts a result page reports.
type PersonProfile struct {
	Competences []CompetenceScore
	Items       int // items in the instrument
	Answered    int // items answered on the scale
	DontKnow    int // items answered "ved ikke"
}

// Scored returns how many competences have a score.
func (p PersonProfile) Scored() int {
	n := 0
	for _, c := range p.Competences {
		if c.HasScore {
			n++
		}
	}
	return n
}

// Score returns the score of competence id, and false when it has none.
func (p PersonProfile) Score(id string) (float64, bool) {
	for _, c := range p.Competences {
		if c.CompetenceID == id {
			return c.Score, c.HasScore
		}
	}
	return 0, false
}

// ScoreNeeds returns how many of a competence's items must be answered on
// the scale for it to get a score: at least half, and at least one. Pages
// that warn before a competence goes without a score say this number.
func ScoreNeeds(items int) int {
	return max(1, (items+1)/2)
}

// Person scores one person's answers: a competence score is the mean of its
// items answered on the scale ("ved ikke" is not an answer), and exists only
// when at least half of the competence's items are answered so.
func Person(in *survey.Instrument, answers survey.Answers) PersonProfile {
	p := PersonProfile{Competences: make([]CompetenceScore, 0, len(in.Competences))}
	for _, c := range in.Competences {
		cs := CompetenceScore{CompetenceID: c.ID, Items: len(c.Items)}
		sum := 0
		for _, it := range c.Items {
			a, ok := answers[it.ID]
			switch {
			case !ok:
			case a == survey.DontKnow:
				cs.DontKnow++
			case a >= survey.MinAnswer && a <= survey.MaxAnswer:
				cs.Answered++
				sum += int(a)
			}
		}
		if cs.Answered >= ScoreNeeds(cs.Items) {
			cs.HasScore = true
			cs.Score = float64(sum) / float64(cs.Answered)
		}
		p.Items += cs.Items
		p.Answered += cs.Answered
		p.DontKnow += cs.DontKnow
		p.Competences = append(p.Competences, cs)
	}
	return p
}

// Strengths returns up to n scored competences with the highest scores,
// highest first; ties keep the instrument's order.
func Strengths(p PersonProfile, n int) []CompetenceScore {
	return ranked(p, n, func(a, b float64) bool { return a > b })
}

// DevelopmentAreas returns up to n scored competences with the lowest
// scores, lowest first, leaving out any that Strengths(p, n) lists, so that
// a competence is never both. Ties keep the instrument's order.
func DevelopmentAreas(p PersonProfile, n int) []CompetenceScore {
	strong := map[string]bool{}
	for _, c := range Strengths(p, n) {
		strong[c.CompetenceID] = true
	}
	var out []CompetenceScore
	for _, c := range ranked(p, len(p.Competences), func(a, b float64) bool { return a < b }) {
		if len(out) == n {
			break
		}
		if !strong[c.CompetenceID] {
			out = append(out, c)
		}
	}
	return out
}

func ranked(p PersonProfile, n int, before func(a, b float64) bool) []CompetenceScore {
	scored := make([]CompetenceScore, 0, len(p.Competences))
	for _, c := range p.Competences {
		if c.HasScore {
			scored = append(scored, c)
		}
	}
	slices.SortStableFunc(scored, func(a, b CompetenceScore) int {
		switch {
		case before(a.Score, b.Score):
			return -1
		case before(b.Score, a.Score):
			return 1
		}
		return 0
	})
	if len(scored) > n {
		scored = scored[:n]
	}
	return scored
}
