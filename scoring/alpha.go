package scoring

import "lederradar/survey"

// Reliability is Cronbach's alpha of one competence: how consistently its
// items measure the same thing, so HR can see which competences the
// instrument measures well (instrument health).
type Reliability struct {
	CompetenceID string
	Alpha        float64
	// N is how many respondents answered every item of the competence on
	// the scale; alpha rests on them alone.
	N int
	// OK is false when alpha cannot be computed (fewer than 2 such
	// respondents, fewer than 2 items, or no variance in their totals);
	// Alpha is then 0 and means nothing.
	OK bool
}

// Alpha returns Cronbach's alpha for each competence, in the instrument's
// order, over the respondents who answered all its items on the scale
// ("ved ikke" leaves a respondent out, as it is not an answer):
//
//	alpha = K/(K-1) · (1 − Σ var(item) / var(total))
//
// with sample variances. A person listed twice counts once, with the
// answers listed last. Alpha applies no anonymity rule: show it only for a
// set of respondents that passes it, such as a shown organisation.
func Alpha(in *survey.Instrument, respondents []Respondent) []Reliability {
	answers := latestAnswers(respondents)
	ids := respondentOrder(respondents)
	out := make([]Reliability, 0, len(in.Competences))
	for _, c := range in.Competences {
		rel := Reliability{CompetenceID: c.ID}
		nItems := len(c.Items)
		rows := completeRows(c, ids, answers)
		rel.N = len(rows)
		if rel.N < 2 || nItems < 2 {
			out = append(out, rel)
			continue
		}
		itemVar := 0.0
		for i := range nItems {
			col := make([]float64, rel.N)
			for r, row := range rows {
				col[r] = row[i]
			}
			itemVar += variance(col)
		}
		totals := make([]float64, rel.N)
		for r, row := range rows {
			for _, v := range row {
				totals[r] += v
			}
		}
		if totalVar := variance(totals); totalVar > 0 {
			kf := float64(nItems)
			rel.Alpha = kf / (kf - 1) * (1 - itemVar/totalVar)
			rel.OK = true
		}
		out = append(out, rel)
	}
	return out
}

// variance is the sample variance of xs (len(xs) ≥ 2).
func variance(xs []float64) float64 {
	sd := Summarise(xs).SD
	return sd * sd
}
