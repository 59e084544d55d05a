package web

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"lederradar/survey"
)

// The LUS packet (DESIGN C8): a leader's preparation for the annual
// development talk with their own manager, made to be printed on at most
// three A4 pages — the radar (and how others see them in a 360 round),
// strengths, the plan's focus competences with actions, and the
// reflection questions. A share shows the same packet to the person it
// was made for.

// packetFocus is one focus competence of the plan as the packet prints it.
type packetFocus struct {
	N       int
	Name    string
	Score   string
	Actions string
	Involve string
	Prompts []promptView
}

// shareBanner says, on a share, whose packet it is and until when.
type shareBanner struct {
	Intro   string
	Expires string
}

type packetView struct {
	resultView
	LeaderName string
	Focuses    []packetFocus
	Revisit    string
	PlanDate   string
	// Reflection are the development areas with their questions, when
	// the leader has no plan to print.
	Reflection []highlightView
	Share      *shareBanner
}

// packetPage prints the leader's own packet.
func (s *Server) packetPage(c *gin.Context) {
	l := currentLeader(c)
	p := s.page(c, "packet.title")
	p.Leader = true
	v, err := s.packetOf(c.Request.Context(), p, l)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "packet", v)
}

// packetOf builds the packet of l's own result and plan in l's round.
func (s *Server) packetOf(ctx context.Context, p Page, l *leader) (packetView, error) {
	id := l.Invitation.SubjectID
	own, err := s.ownResult(ctx, l)
	if err != nil {
		return packetView{}, err
	}
	// No group means: the packet goes to whom the leader shows it, who
	// may have seen others' radars of the round (data.ClaimRoundView).
	rv, err := s.resultViewWith(ctx, p, l, own, "", false, false)
	v := packetView{resultView: rv, LeaderName: l.Person.Name}
	if err != nil || !rv.Submitted {
		return v, err
	}
	plan, err := s.db.FindPlan(ctx, l.Round.ID, id)
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		v.Reflection = rv.Development
		return v, nil
	} else if err != nil {
		return v, err
	}
	v.addPlan(l.Instrument, plan)
	return v, nil
}

// addPlan fills the packet's plan from the leader's plan.
func (v *packetView) addPlan(in *survey.Instrument, plan *survey.Plan) {
	p := v.T
	v.Revisit = p.Date(plan.RevisitOn)
	v.PlanDate = p.Date(plan.UpdatedAt.In(copenhagen()))
	for _, f := range plan.Focuses {
		for i, comp := range in.Competences {
			if comp.ID != f.CompetenceID {
				continue
			}
			pf := packetFocus{N: len(v.Focuses) + 1, Name: p.Text(comp.Name), Actions: f.Actions, Involve: f.Involve, Prompts: prompts(p, comp)}
			if i < len(v.Rows) {
				pf.Score = v.Rows[i].Score
			}
			v.Focuses = append(v.Focuses, pf)
		}
	}
}
