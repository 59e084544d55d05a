package web

import (
	"context"

	"lederradar/scoring"
	"lederradar/survey"
)

// A closed 360 round's feedback in the leader's data download, in the
// shape DESIGN's contract gives: others pooled, then each relation, as
// the result page shows them. Suppressed entries carry no numbers, and a
// count is left out where the page leaves it out (feedbackCounts): with
// the shown counts it would tell how many of a hidden relation answered.

type myDataFeedback struct {
	// Relation is others, manager, peer or report (an employee).
	Relation    string                     `json:"relation"`
	N           *int                       `json:"n,omitempty"`
	Suppressed  bool                       `json:"suppressed"`
	Competences []myDataFeedbackCompetence `json:"competences"`
}

type myDataFeedbackCompetence struct {
	ID         string   `json:"id"`
	Mean       *float64 `json:"mean,omitempty"`
	N          *int     `json:"n,omitempty"`
	Suppressed bool     `json:"suppressed"`
}

// myDataFeedback is the feedback of round r about the person, for a
// 360 round whose raters have finished (survey.Round.FeedbackReady); nil
// for any other, so the key is absent.
func (s *Server) myDataFeedback(ctx context.Context, r survey.Round, personID int64) ([]myDataFeedback, error) {
	if r.Kind != survey.ThreeSixty || !r.FeedbackReady(s.now()) {
		return nil, nil
	}
	so, err := s.db.LeaderSelfOthers(ctx, r.ID, personID, s.minGroup)
	if err != nil {
		return nil, err
	}
	others := so.Feedback[0]
	var shown []scoring.Feedback
	for _, f := range so.Feedback[1:] {
		if !f.Suppressed {
			shown = append(shown, f)
		}
	}
	out := make([]myDataFeedback, 0, len(so.Feedback))
	for i, f := range so.Feedback {
		e := myDataFeedback{Relation: feedbackRelationKeys[f.Relation], Suppressed: f.Suppressed, Competences: []myDataFeedbackCompetence{}}
		if !f.Suppressed && (i > 0 || othersCountShown(others, shown, so.MinGroup)) {
			e.N = intPtr(f.N)
		}
		for _, ca := range f.Competences {
			c := myDataFeedbackCompetence{ID: ca.CompetenceID, Suppressed: ca.Suppressed || f.Suppressed}
			if !c.Suppressed {
				c.Mean, c.N = ptr(ca.Mean), intPtr(ca.N)
			}
			e.Competences = append(e.Competences, c)
		}
		out = append(out, e)
	}
	return out, nil
}

func intPtr(n int) *int { return &n }

type myDataNomination struct {
	Email string `json:"email"`
	// Relation is manager, peer or report (an employee).
	Relation string `json:"relation"`
	// LinkSent: the administrator has sent the link, so it can no longer
	// be taken back.
	LinkSent bool `json:"link_sent"`
}

// myDataNominations are the raters the person nominated in a 360 round,
// as the nominations page lists them; nil for a self-only round.
func (s *Server) myDataNominations(ctx context.Context, r survey.Round, personID int64) ([]myDataNomination, error) {
	if r.Kind != survey.ThreeSixty {
		return nil, nil
	}
	list, err := s.db.FindNominations(ctx, r.ID, personID)
	if err != nil {
		return nil, err
	}
	var out []myDataNomination
	for _, n := range list {
		out = append(out, myDataNomination{Email: n.Email, Relation: feedbackRelationKeys[n.Relation], LinkSent: n.LinkSent})
	}
	return out, nil
}
