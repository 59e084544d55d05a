package web

import "lederradar/scoring"

// countsHidden is what a page, export or API response shows instead of a
// group's response counts (invited, started, submitted, the rate) when
// fewer than k of its members are invited, and "" when the counts may be
// shown: a small group's count tells whether a known person answered.
func countsHidden(p *Printer, invited, submitted, k int) string {
	if scoring.ResponseCountsShown(invited, submitted, k) {
		return ""
	}
	return p.T("hr.too_few_invited", k)
}
