package data

import (
	"context"

	"lederradar/scoring"
)

// ItemRowsMayGo reports whether a closed round's item rows may be
// exported beside the aggregates its report rep shows
// (scoring.RowsHideInGroups): only when everyone who answered shares the
// shown groups they belong to with at least k−1 others, and only while
// the round holds the respondents it closed with — after an erasure, two
// exports would differ by exactly the erased person's row.
func (d *DB) ItemRowsMayGo(ctx context.Context, rep *RoundReport) (bool, error) {
	inputs, err := d.FindReportInputs(ctx, rep.Round.ID, true)
	if err != nil {
		return false, err
	}
	if len(inputs.Tallies) != rep.Groups[0].Profile.N {
		return false, nil
	}
	shown := map[string]bool{}
	for _, g := range rep.Groups {
		for _, ca := range g.Profile.Competences {
			if !ca.Suppressed {
				shown[g.Spec.Key] = true
			}
		}
	}
	specs := scoring.ReportGroups(inputs.People, inputs.Groups, inputs.Members)
	shownSpecs := make([]bool, len(specs))
	for i, spec := range specs {
		shownSpecs[i] = shown[spec.Key]
	}
	respondents := make([]int64, 0, len(inputs.Tallies))
	for _, t := range inputs.Tallies {
		respondents = append(respondents, t.SubjectID)
	}
	return scoring.RowsHideInGroups(specs, shownSpecs, respondents, rep.MinGroup), nil
}
