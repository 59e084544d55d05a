package web_test

import (
	"context"
	"fmt"
	"testing"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/survey"
)

// smallRound adds a round to the staff organisation in which few are
// invited: Leder 0 (department A and the team), who does not answer, and
// the five of department B, who all submit, Leder 7 with "ved ikke" on
// every item of the first competence. So the organisation and department
// B are shown, with the first competence suppressed in both (4 scores);
// department A and the team have one person invited, the department of
// newEnv none. The round is closed when close is true.
func (e *staffEnv) smallRound(t *testing.T, name string, close bool) survey.Round {
	t.Helper()
	ctx := context.Background()
	round := survey.Round{Name: name, Status: survey.RoundOpen, InstrumentVersion: e.in.Version}
	must(t, e.db.CreateRound(ctx, &round))
	first := e.in.Competences[0]
	for i, p := range e.people {
		if i != 0 && p.DepartmentID != e.deptB.ID {
			continue
		}
		_, hash := auth.NewToken()
		inv := survey.Invitation{RoundID: round.ID, PersonID: p.ID, SubjectID: p.ID, Relation: survey.Self}
		must(t, e.db.CreateInvitation(ctx, &inv, p.ID, hash))
		if i == 0 {
			continue
		}
		answers := survey.Answers{}
		for _, c := range e.in.Competences {
			for j, it := range c.Items {
				answers[it.ID] = survey.Answer(1 + (i+j)%5)
				if i == 7 && c.ID == first.ID {
					answers[it.ID] = survey.DontKnow
				}
			}
		}
		_, err := e.db.SaveAnswers(ctx, data.AnswerSave{RoundID: round.ID, SubjectID: p.ID, RaterID: p.ID, Relation: survey.Self,
			FormKey: fmt.Sprintf("%s-k%d", name, i), Answers: answers})
		must(t, err)
		_, err = e.db.SubmitResponse(ctx, round.ID, p.ID, p.ID, survey.Self, fmt.Sprintf("%s-s%d", name, i))
		must(t, err)
	}
	if close {
		must(t, e.db.SetRoundStatus(ctx, round.ID, survey.RoundClosed))
	}
	return round
}
