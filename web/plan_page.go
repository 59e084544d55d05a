package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"lederradar/data"
	"lederradar/scoring"
	"lederradar/survey"
)

// The leader's development plan (DESIGN C8): one to three focus
// competences, for each what they will do and whom they will involve,
// and a day to look at it again. The plan is the leader's alone; the form
// works without JavaScript. A new plan starts from the development areas,
// or from the previous round's plan when there was one.

type choiceView struct {
	Value    string
	Label    string
	Selected bool
}

// planSlotView is one focus of the form: slot N of three.
type planSlotView struct {
	N       int
	Options []choiceView
	Actions string
	Involve string
	// Prompts are the catalogue's questions for the slot's competence,
	// offered as starting points.
	Prompts []promptView
	Name    string
}

type planView struct {
	Page
	RoundName string
	Submitted bool
	Slots     []planSlotView
	Revisit   string
	Error     string
	// Started says where a plan not saved yet came from.
	Started    string
	Saved      bool
	MaxActions int
	MaxInvolve int
}

// newPlanView is the plan page's view before its form is filled.
func newPlanView(p Page, l *leader, submitted bool) planView {
	return planView{Page: p, RoundName: l.Round.Name, Submitted: submitted, MaxActions: survey.MaxActionsLen, MaxInvolve: survey.MaxInvolveLen}
}

// planPage shows the leader's plan for the round, or a new one.
func (s *Server) planPage(c *gin.Context) {
	l := currentLeader(c)
	ctx := c.Request.Context()
	p := s.page(c, "plan.title")
	p.Leader = true
	if c.Query("saved") == "1" {
		p.Status = p.T.T("plan.saved")
	}
	own, err := s.ownResult(ctx, l)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := newPlanView(p, l, own.Tally != nil)
	if v.Submitted {
		plan, started, err := s.planToShow(ctx, l, own)
		if err != nil {
			s.fail(c, err)
			return
		}
		v.Saved = started == ""
		if started != "" {
			v.Started = p.T.T(started)
		}
		v.fill(l.Instrument, plan)
	}
	s.render(c, http.StatusOK, "plan", v)
}

// planToShow returns the leader's saved plan for the round; failing that
// a new one from their previous round's plan, or from their development
// areas, with the catalogue key that says so.
func (s *Server) planToShow(ctx context.Context, l *leader, own data.OwnResult) (survey.Plan, string, error) {
	id := l.Invitation.SubjectID
	plan, err := s.db.FindPlan(ctx, l.Round.ID, id)
	if err == nil {
		return *plan, "", nil
	} else if survey.ErrorCode(err) != survey.ENOTFOUND {
		return survey.Plan{}, "", err
	}
	prev, _, err := s.db.FindPreviousPlan(ctx, l.Round, id)
	if err == nil {
		fresh := survey.Plan{RoundID: l.Round.ID, PersonID: id}
		for _, f := range prev.Focuses {
			if _, err := l.Instrument.Competence(f.CompetenceID); err == nil {
				fresh.Focuses = append(fresh.Focuses, f)
			}
		}
		return fresh, "plan.from_previous", nil
	} else if survey.ErrorCode(err) != survey.ENOTFOUND {
		return survey.Plan{}, "", err
	}
	fresh := survey.Plan{RoundID: l.Round.ID, PersonID: id}
	profile := scoring.PersonFromTally(l.Instrument, own.Tally)
	for _, cs := range scoring.DevelopmentAreas(profile, survey.MaxFocuses) {
		fresh.Focuses = append(fresh.Focuses, survey.Focus{CompetenceID: cs.CompetenceID})
	}
	return fresh, "plan.from_result", nil
}

// fill sets the form's slots and day from a plan.
func (v *planView) fill(in *survey.Instrument, plan survey.Plan) {
	p := v.T
	v.Slots = nil
	for n := 1; n <= survey.MaxFocuses; n++ {
		var f survey.Focus
		if n <= len(plan.Focuses) {
			f = plan.Focuses[n-1]
		}
		slot := planSlotView{N: n, Actions: f.Actions, Involve: f.Involve}
		slot.Options = append(slot.Options, choiceView{Value: "", Label: p.T("plan.no_focus"), Selected: f.CompetenceID == ""})
		for _, comp := range in.Competences {
			slot.Options = append(slot.Options, choiceView{Value: comp.ID, Label: p.Text(comp.Name), Selected: comp.ID == f.CompetenceID})
			if comp.ID == f.CompetenceID {
				slot.Prompts, slot.Name = prompts(p, comp), p.Text(comp.Name)
			}
		}
		v.Slots = append(v.Slots, slot)
	}
	v.Revisit = ""
	if !plan.RevisitOn.IsZero() {
		v.Revisit = plan.RevisitOn.Format("02-01-2006")
	}
}

// savePlan stores the posted plan. A refusal shows the form again as
// typed, with why; nothing is stored.
func (s *Server) savePlan(c *gin.Context) {
	l := currentLeader(c)
	ctx := c.Request.Context()
	own, err := s.ownResult(ctx, l)
	if err != nil {
		s.fail(c, err)
		return
	}
	if own.Tally == nil {
		c.Redirect(http.StatusSeeOther, "/plan")
		return
	}
	plan := survey.Plan{RoundID: l.Round.ID, PersonID: l.Invitation.SubjectID}
	for n := 1; n <= survey.MaxFocuses; n++ {
		key := "focus" + strconv.Itoa(n)
		plan.Focuses = append(plan.Focuses, survey.Focus{CompetenceID: c.PostForm(key),
			Actions: c.PostForm(key + "_actions"), Involve: c.PostForm(key + "_involve")})
	}
	revisit, ok := parseDate(c.PostForm("revisit"))
	if !ok {
		err = survey.Errorf(survey.EINVALID, "no such day").WithKey("plan_revisit")
	} else {
		plan.RevisitOn = revisit
		err = s.db.SavePlan(ctx, plan, l.Instrument)
	}
	if err == nil {
		c.Redirect(http.StatusSeeOther, "/plan?saved=1")
		return
	}
	if survey.ErrorCode(err) != survey.EINVALID {
		s.fail(c, err)
		return
	}
	p := s.page(c, "plan.title")
	p.Leader = true
	v := newPlanView(p, l, true)
	v.Error = p.T.T("plan.refused", reasonText(p.T, err))
	plan.RevisitOn = revisit
	v.fill(l.Instrument, plan)
	v.Revisit = strings.TrimSpace(c.PostForm("revisit"))
	s.render(c, http.StatusBadRequest, "plan", v)
}
