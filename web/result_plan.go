package web

import (
	"context"

	"lederradar/scoring"
	"lederradar/survey"
)

// The development plan on the leader's result page (DESIGN C8): the
// round's plan in brief with the way to make or change it, and the
// previous round's plan with the change on each of its focus
// competences since.

type promptView struct {
	Phase string
	Text  string
}

// prompts returns a competence's reflection prompts in p's language.
func prompts(p *Printer, comp survey.Competence) []promptView {
	var out []promptView
	for _, pr := range comp.Prompts {
		out = append(out, promptView{Phase: p.T("phase." + string(pr.Phase)), Text: p.Text(pr.Text)})
	}
	return out
}

// resultPlanView is the plan section of the result page.
type resultPlanView struct {
	// Focuses name the round's plan's focus competences; empty when the
	// leader has made no plan yet.
	Focuses []string
	Revisit string
	// Previous is the plan of the leader's previous round, if any.
	Previous *previousPlanView
}

// previousPlanView is an earlier plan with how each focus moved since.
type previousPlanView struct {
	RoundName string
	Rows      []planChangeRow
}

// planChangeRow is a focus competence of an earlier plan: its score
// then and now, and the change; empty where there is no score.
type planChangeRow struct {
	Name, Then, Now, Change string
}

// resultPlan builds the plan section for a leader who has submitted,
// whose profile in this round is self.
func (s *Server) resultPlan(ctx context.Context, p *Printer, l *leader, self scoring.PersonProfile) (*resultPlanView, error) {
	id := l.Invitation.SubjectID
	v := &resultPlanView{}
	plan, err := s.db.FindPlan(ctx, l.Round.ID, id)
	switch {
	case err == nil:
		for _, f := range plan.Focuses {
			if comp, err := l.Instrument.Competence(f.CompetenceID); err == nil {
				v.Focuses = append(v.Focuses, p.Text(comp.Name))
			}
		}
		v.Revisit = p.Date(plan.RevisitOn)
	case survey.ErrorCode(err) != survey.ENOTFOUND:
		return nil, err
	}
	prev, prevRound, err := s.db.FindPreviousPlan(ctx, l.Round, id)
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		return v, nil
	} else if err != nil {
		return nil, err
	}
	v.Previous, err = s.planChanges(ctx, p, l.Instrument, self, prev, prevRound)
	return v, err
}

// planChanges compares an earlier plan's focus competences, scored as the
// leader scored them in that plan's round, with their scores now.
func (s *Server) planChanges(ctx context.Context, p *Printer, in *survey.Instrument, self scoring.PersonProfile, prev *survey.Plan, round *survey.Round) (*previousPlanView, error) {
	prevIn, err := s.db.CachedInstrument(ctx, round.InstrumentVersion)
	if err != nil {
		return nil, err
	}
	then, err := s.db.FindOwnResult(ctx, round, prev.PersonID, prev.PersonID, prevIn)
	if err != nil {
		return nil, err
	}
	before := scoring.PersonFromTally(prevIn, then.Tally)
	v := &previousPlanView{RoundName: round.Name}
	for _, f := range prev.Focuses {
		comp, err := prevIn.Competence(f.CompetenceID)
		if err != nil {
			continue
		}
		row := planChangeRow{Name: p.Text(comp.Name)}
		was, wasOK := before.Score(f.CompetenceID)
		now, nowOK := self.Score(f.CompetenceID)
		if wasOK {
			row.Then = p.Dec(was)
		}
		if nowOK {
			row.Now = p.Dec(now)
		}
		if wasOK && nowOK {
			row.Change = p.Signed(now - was)
		}
		v.Rows = append(v.Rows, row)
	}
	return v, nil
}
