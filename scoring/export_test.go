package scoring

import "lederradar/survey"

// PairwiseShownForTest counts the group-competences that the thresholds
// and the pairwise rule alone would show, to compare with what the
// combination rule shows.
func PairwiseShownForTest(in *survey.Instrument, groups []GroupSpec, respondents []Respondent, minGroup int) int {
	tallied := make([]TalliedRespondent, 0, len(respondents))
	for id, a := range latestAnswers(respondents) {
		tallied = append(tallied, TalliedRespondent{PersonID: id, Tally: in.Tally(a)})
	}
	shown := 0
	for _, p := range profiles(in, groups, tallied, minGroup, false) {
		for _, c := range p.Competences {
			if !c.Suppressed {
				shown++
			}
		}
	}
	return shown
}
