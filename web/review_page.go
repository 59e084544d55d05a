package web

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"lederradar/survey"
)

type unansweredView struct {
	Text string
	URL  string
}

type reviewCompetenceView struct {
	Name       string
	URL        string
	Answered   int
	Items      int
	Status     string
	Unanswered []unansweredView
}

type reviewView struct {
	Page
	Competences []reviewCompetenceView
	Summary     string
	Complete    bool
	Submitted   bool
	SubmittedOn string
	FormKey     string
	Open        bool
}

// reviewPage lists every competence with what is still unanswered, linked
// to the item, and offers the explicit submit.
func (s *Server) reviewPage(c *gin.Context) {
	l := currentLeader(c)
	resp, err := s.loadResponse(c, l)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := s.page(c, "review.title")
	p.Leader = true
	v := reviewView{Page: p, Submitted: resp.Submitted(), Open: l.Round.Status == survey.RoundOpen}
	v.FormKey, _ = survey.NewToken()
	if v.Submitted {
		v.SubmittedOn = p.T.Date(resp.SubmittedAt)
	}
	answered, total := 0, 0
	for i, comp := range l.Instrument.Competences {
		cv := reviewCompetenceView{Name: p.T.Text(comp.Name), URL: fmt.Sprintf("/survey/%d", i+1), Items: len(comp.Items)}
		for _, it := range comp.Items {
			if _, ok := resp.Answers[it.ID]; ok {
				cv.Answered++
			} else {
				cv.Unanswered = append(cv.Unanswered, unansweredView{Text: p.T.Text(it.Text), URL: fmt.Sprintf("/survey/%d#q-%s", i+1, it.ID)})
			}
		}
		cv.Status = p.T.T("review.count", cv.Answered, cv.Items)
		answered += cv.Answered
		total += cv.Items
		v.Competences = append(v.Competences, cv)
	}
	v.Complete = answered == total
	v.Summary = p.T.T("review.summary", answered, total)
	if c.Query("saved") == "1" {
		v.Status = p.T.T("survey.saved")
	}
	s.render(c, http.StatusOK, "review", v)
}

// submitResponse marks the response submitted. Submitting twice stores
// once; the leader may still change answers until the round closes.
func (s *Server) submitResponse(c *gin.Context) {
	l := currentLeader(c)
	if err := c.Request.ParseForm(); err != nil {
		s.renderError(c, http.StatusRequestEntityTooLarge, "error.toolarge")
		return
	}
	key := c.Request.PostForm.Get("formkey")
	if key == "" || len(key) > 64 {
		s.renderError(c, http.StatusBadRequest, "error.invalid")
		return
	}
	_, err := s.db.SubmitResponse(c.Request.Context(), l.Round.ID, l.Invitation.SubjectID, l.Invitation.PersonID, l.Invitation.Relation, key)
	if survey.ErrorCode(err) == survey.ECLOSED {
		s.renderError(c, http.StatusConflict, "error.closed_save")
		return
	} else if err != nil {
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/result?submitted=1")
}
