package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"lederradar/internal/auth"
	"lederradar/survey"
)

type optionView struct {
	Name    string
	InputID string
	Value   int
	Label   string
	Checked bool
}

type itemView struct {
	ID       string
	LegendID string
	Text     string
	// Options is the item's radio group.
	Options []optionView
}

// unanswered stands for an item without an answer, where no option is
// checked.
const unanswered survey.Answer = -1

// options returns the radio group of an item of in in p's language, with
// checked checked (or none, for unanswered): the scale and "don't know".
func options(in *survey.Instrument, p *Printer, itemID string, checked survey.Answer) []optionView {
	opts := make([]optionView, 0, len(in.Scale)+1)
	for _, sp := range in.Scale {
		opts = append(opts, optionView{
			Name:    itemID,
			InputID: fmt.Sprintf("%s-%d", itemID, sp.Value),
			Value:   int(sp.Value),
			Label:   p.Text(sp.Label),
			Checked: checked == sp.Value,
		})
	}
	return append(opts, optionView{
		Name:    itemID,
		InputID: itemID + "-0",
		Value:   int(survey.DontKnow),
		Label:   p.Text(in.DontKnow.Label),
		Checked: checked == survey.DontKnow,
	})
}

type questionnaireView struct {
	Page
	Number     int
	Count      int
	Progress   string
	Competence string
	// Heading is the competence, for a rater with the leader's name.
	Heading string
	// Intro asks how well the items fit the respondent, or the leader.
	Intro string
	// ManagerNote tells a manager whose answers the leader sees on their
	// own so (the round's manager_shown); empty otherwise.
	ManagerNote string
	Description string
	Items       []itemView
	FormKey     string
	Action      string
	First, Last bool
	Error       string
	RoundName   string
}

// loadResponse returns the leader's own response, or an empty one.
func (s *Server) loadResponse(ctx context.Context, l *leader) (*survey.Response, error) {
	r, err := s.db.FindResponse(ctx, l.Round.ID, l.Invitation.SubjectID, l.Invitation.PersonID)
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		return &survey.Response{RoundID: l.Round.ID, SubjectID: l.Invitation.SubjectID, RaterID: l.Invitation.PersonID, Relation: l.Invitation.Relation, Answers: survey.Answers{}}, nil
	}
	return r, err
}

// resumeSurvey sends the leader where they left off: the result once
// submitted (a rater: the thank-you page; once closed, only that it is), the start page before the first answer, else the first page
// with an unanswered item, or the review when all are answered.
func (s *Server) resumeSurvey(c *gin.Context) {
	l := currentLeader(c)
	resp, err := s.loadResponse(c.Request.Context(), l)
	if err != nil {
		s.fail(c, err)
		return
	}
	if l.rater() && !l.Round.RatersAnswer(s.now()) {
		s.raterClosed(c, l.Round)
		return
	}
	if l.Round.Status == survey.RoundClosed {
		if resp.Submitted() {
			c.Redirect(http.StatusSeeOther, "/result")
		} else {
			s.renderError(c, http.StatusConflict, "error.closed_unsubmitted")
		}
		return
	}
	if resp.Submitted() {
		c.Redirect(http.StatusSeeOther, afterSubmit(l))
		return
	}
	if len(resp.Answers) == 0 {
		c.Redirect(http.StatusSeeOther, "/start")
		return
	}
	for i, comp := range l.Instrument.Competences {
		for _, it := range comp.Items {
			if _, ok := resp.Answers[it.ID]; !ok {
				c.Redirect(http.StatusSeeOther, fmt.Sprintf("/survey/%d", i+1))
				return
			}
		}
	}
	c.Redirect(http.StatusSeeOther, "/review")
}

// answeringResponse returns the leader's response for a page shown only
// while the round takes answers; otherwise it sends them on as resuming
// does. It has answered the request when it returns false.
func (s *Server) answeringResponse(c *gin.Context, l *leader) (*survey.Response, bool) {
	if l.Round.Status != survey.RoundOpen {
		s.resumeSurvey(c)
		return nil, false
	}
	resp, err := s.loadResponse(c.Request.Context(), l)
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	return resp, true
}

// pageNumber parses the :page parameter, 1..number of competences.
func pageNumber(c *gin.Context, in *survey.Instrument) (int, bool) {
	n, err := strconv.Atoi(c.Param("page"))
	if err != nil || n < 1 || n > len(in.Competences) || c.Param("page") != strconv.Itoa(n) {
		return 0, false
	}
	return n, true
}

// questionnairePageView builds page n of the questionnaire, p its Page, with
// the leader's answers checked.
func questionnairePageView(p Page, l *leader, n int, answers survey.Answers) questionnaireView {
	p.Leader = true
	comp := l.Instrument.Competences[n-1]
	formKey, _ := auth.NewToken()
	v := questionnaireView{
		Page:        p,
		Number:      n,
		Count:       len(l.Instrument.Competences),
		Progress:    p.T.T("survey.progress", n, len(l.Instrument.Competences)),
		Competence:  p.T.Text(comp.Name),
		Description: p.T.Text(comp.Description),
		FormKey:     formKey,
		Action:      fmt.Sprintf("/survey/%d", n),
		First:       n == 1,
		Last:        n == len(l.Instrument.Competences),
		RoundName:   l.Round.Name,
	}
	v.Heading, v.Intro = v.Competence, p.T.T("survey.intro")
	if l.rater() {
		v.Page.Rater = true
		v.Heading = p.T.T("survey.rater_heading", v.Competence, l.subjectName())
		v.Intro = p.T.T("survey.rater_intro", l.subjectName())
		v.ManagerNote = managerNote(p.T, l)
	}
	v.Title = fmt.Sprintf("%s – %s", v.Heading, v.Progress)
	v.AnswerForm = "answers"
	for _, it := range comp.Items {
		iv := itemView{ID: it.ID, LegendID: "q-" + it.ID, Text: l.itemText(p.T, it)}
		got, answered := answers[it.ID]
		if !answered {
			got = unanswered
		}
		iv.Options = options(l.Instrument, p.T, it.ID, got)
		v.Items = append(v.Items, iv)
	}
	return v
}

// questionnairePage shows one competence with its items.
func (s *Server) questionnairePage(c *gin.Context) {
	l := currentLeader(c)
	n, ok := pageNumber(c, l.Instrument)
	if !ok {
		s.renderError(c, http.StatusNotFound, "error.notfound")
		return
	}
	resp, ok := s.answeringResponse(c, l)
	if !ok {
		return
	}
	v := questionnairePageView(s.page(c, "survey.title"), l, n, resp.Answers)
	if !s.withOpenings(c, &v.Page, l, true) {
		return
	}
	if c.Query("saved") == "1" {
		v.Status = v.T.T("survey.saved")
	}
	s.render(c, http.StatusOK, "questionnaire", v)
}
