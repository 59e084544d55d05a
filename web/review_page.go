package web

import (
	"fmt"
	"html/template"
	"net/http"

	"github.com/gin-gonic/gin"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/survey"
)

type unansweredView struct {
	Text string
	URL  string
}

type reviewCompetenceView struct {
	Name       string
	URL        string
	Status     string
	Unanswered []unansweredView
	T          *Printer
}

type reviewView struct {
	Page
	Competences []template.HTML // the "review_competence" partial (reviewCompetenceHTML)
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
	if !s.withOpenings(c, &p, l, false) {
		return
	}
	v := reviewView{Page: p, Submitted: resp.Submitted(), Open: l.Round.Status == survey.RoundOpen}
	v.FormKey, _ = auth.NewToken()
	if v.Submitted {
		v.SubmittedOn = p.T.Date(resp.SubmittedAt)
	}
	answered, total := 0, 0
	for i, comp := range l.Instrument.Competences {
		var missing uint64
		for j, it := range comp.Items {
			if _, ok := resp.Answers[it.ID]; ok {
				answered++
			} else {
				missing |= 1 << j
			}
		}
		total += len(comp.Items)
		h, err := s.reviewCompetenceHTML(l.Instrument, p.T, i, missing)
		if err != nil {
			s.fail(c, err)
			return
		}
		v.Competences = append(v.Competences, h)
	}
	v.Complete = answered == total
	v.Summary = p.T.T("review.summary", answered, total)
	if c.Query("saved") == "1" {
		v.Status = p.T.T("survey.saved")
	}
	s.render(c, http.StatusOK, "review", v)
}

// reviewKey names a competence's rendered block on the review page.
type reviewKey struct {
	version    string
	lang       survey.Lang
	competence int
	missing    uint64 // bit j: item j is unanswered
}

// reviewCompetenceHTML returns competence i of in on the review page with
// the items in missing unanswered, as the "review_competence" partial
// renders it. It depends on nothing else, so each is rendered once and
// kept: at most 2^4 per competence and language with four items.
func (s *Server) reviewCompetenceHTML(in *survey.Instrument, p *Printer, i int, missing uint64) (template.HTML, error) {
	return s.partialOnce(reviewKey{in.Version, p.Lang, i, missing}, p.Lang, "review", "review_competence", func() any {
		comp := in.Competences[i]
		cv := reviewCompetenceView{Name: p.Text(comp.Name), URL: fmt.Sprintf("/survey/%d", i+1), T: p}
		answered := 0
		for j, it := range comp.Items {
			if missing&(1<<j) != 0 {
				cv.Unanswered = append(cv.Unanswered, unansweredView{Text: p.Text(it.Text), URL: fmt.Sprintf("/survey/%d#q-%s", i+1, it.ID)})
			} else {
				answered++
			}
		}
		cv.Status = p.T("review.count", answered, len(comp.Items))
		return cv
	})
}

// submitResponse marks the response submitted. Submitting twice stores
// once; the leader may still change answers until the round closes.
func (s *Server) submitResponse(c *gin.Context) {
	l := currentLeader(c)
	if err := c.Request.ParseForm(); err != nil {
		if _, ok := s.confirmLeader(c); ok {
			s.renderError(c, http.StatusRequestEntityTooLarge, "error.toolarge")
		}
		return
	}
	key := c.Request.PostForm.Get("formkey")
	if key == "" || len(key) > data.MaxFormKeyLength {
		if _, ok := s.confirmLeader(c); ok {
			s.renderError(c, http.StatusBadRequest, "error.invalid")
		}
		return
	}
	_, err := s.db.Submit(c.Request.Context(), data.ResponseSubmit{RoundID: l.Round.ID, SubjectID: l.Invitation.SubjectID,
		RaterID: l.Invitation.PersonID, Relation: l.Invitation.Relation, FormKey: key, Session: sessionCheck(c)})
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		s.sessionEnded(c)
		return
	} else if survey.ErrorCode(err) == survey.ECLOSED {
		s.renderError(c, http.StatusConflict, "error.closed_save")
		return
	} else if err != nil {
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, "/result?submitted=1")
}
