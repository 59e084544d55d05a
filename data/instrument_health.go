package data

import (
	"context"

	"lederradar/scoring"
	"lederradar/survey"
)

// InstrumentHealth is how well a closed round's instrument measured, over
// the organisation's submitted self-assessments (DESIGN C15).
type InstrumentHealth struct {
	Competences []scoring.CompetenceHealth
	// Respondents counts the self-assessments it rests on; MinGroup is
	// the report's threshold, which each figure must pass
	// (scoring.ItemHealth.Shown, scoring.CompetenceHealth.AlphaShown).
	Respondents int
	MinGroup    int
}

// RoundInstrumentHealth computes the instrument health of rep's closed
// round over the whole organisation, never a smaller group. It returns
// an ECONFLICT error when the organisation's profile is suppressed in the
// kept report, and, as ItemRowsMayGo, once the round no longer holds the
// self-assessments it closed with: after an erasure, the figures before
// and after would differ by exactly the erased person's answers.
func (d *DB) RoundInstrumentHealth(ctx context.Context, rep *RoundReport) (*InstrumentHealth, error) {
	org := rep.Groups[0].Profile
	if org.Suppressed {
		return nil, survey.Errorf(survey.ECONFLICT, "the organisation of round %d is not shown", rep.Round.ID)
	}
	responses, err := d.FindSubmittedResponses(ctx, rep.Round.ID)
	if err != nil {
		return nil, err
	}
	if len(responses) != org.N {
		return nil, survey.Errorf(survey.ECONFLICT, "round %d holds %d of the %d self-assessments it closed with", rep.Round.ID, len(responses), org.N)
	}
	respondents := make([]scoring.Respondent, len(responses))
	for i, r := range responses {
		respondents[i] = scoring.Respondent{PersonID: r.SubjectID, Answers: r.Answers}
	}
	return &InstrumentHealth{
		Competences: scoring.InstrumentHealth(rep.Instrument, respondents),
		Respondents: len(responses),
		MinGroup:    rep.MinGroup,
	}, nil
}
