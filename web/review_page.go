package web

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/scoring"
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
	// NoScore says why the competence would get no score if submitted
	// now; empty when it gets one.
	NoScore string
	T       *Printer
}

type reviewView struct {
	Page
	Competences []reviewCompetenceView
	// NoScore are the competences that would get no score, NoScoreTitle
	// says how many.
	NoScore      []reviewCompetenceView
	NoScoreTitle string
	Summary      string
	Complete     bool
	Submitted    bool
	// SubmittedNote says when the response was sent and until when it can
	// still be changed.
	SubmittedNote string
	FormKey       string
	Open          bool
	// Intro and NoScoreNext are the leader's, or a rater's about the
	// leader; SeeResult links the leader's result (never a rater's).
	Intro, NoScoreNext string
	SeeResult          bool
}

// reviewPage lists every competence with what is still unanswered, linked
// to the item, and offers the explicit submit.
func (s *Server) reviewPage(c *gin.Context) {
	l := currentLeader(c)
	if l.rater() && !l.Round.RatersAnswer(s.now()) {
		s.resumeSurvey(c)
		return
	}
	resp, err := s.loadResponse(c.Request.Context(), l)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := s.page(c, "review.title")
	p.Leader = true
	if !s.withOpenings(c, &p, l, false) {
		return
	}
	v := reviewPageView(p, l, resp)
	if c.Query("saved") == "1" {
		v.Status = p.T.T("survey.saved")
	}
	s.render(c, http.StatusOK, "review", v)
}

// reviewPageView builds the review page of the leader's response resp.
func reviewPageView(p Page, l *leader, resp *survey.Response) reviewView {
	v := reviewView{Page: p, Submitted: resp.Submitted(), Open: l.Round.Status == survey.RoundOpen,
		Intro: p.T.T("review.intro"), NoScoreNext: p.T.T("review.noscore_next"), SeeResult: !l.rater()}
	if l.rater() {
		v.Page.Rater = true
		v.Intro = p.T.T("review.rater_intro", l.subjectName())
		v.NoScoreNext = p.T.T("review.rater_noscore_next", l.subjectName())
	}
	v.FormKey, _ = auth.NewToken()
	if v.Submitted {
		v.SubmittedNote = p.T.T("review.submitted", p.T.Date(resp.SubmittedAt))
		if l.rater() && !l.Round.RatersClose.IsZero() {
			v.SubmittedNote = p.T.T("review.rater_submitted", p.T.Date(resp.SubmittedAt), p.T.Date(ratersLastDate(l.Round.RatersClose)))
		}
	}
	// What the result will say, by the scoring rule itself.
	profile := scoring.Person(l.Instrument, resp.Answers)
	answered, total := 0, 0
	for i, comp := range l.Instrument.Competences {
		cv := reviewCompetenceView{Name: p.T.Text(comp.Name), URL: fmt.Sprintf("/survey/%d", i+1), T: p.T}
		done := 0
		for _, it := range comp.Items {
			if _, ok := resp.Answers[it.ID]; ok {
				done++
			} else {
				cv.Unanswered = append(cv.Unanswered, unansweredView{Text: l.itemText(p.T, it), URL: fmt.Sprintf("/survey/%d#q-%s", i+1, it.ID)})
			}
		}
		cs := profile.Competences[i]
		cv.Status = p.T.T("review.count", done, len(comp.Items))
		if cs.DontKnow > 0 {
			cv.Status = p.T.T("review.count_dontknow", done, len(comp.Items), cs.DontKnow)
		}
		if !cs.HasScore {
			cv.NoScore = p.T.T("review.no_score", cs.Answered, cs.Items, scoring.ScoreNeeds(cs.Items))
			v.NoScore = append(v.NoScore, cv)
		}
		answered += done
		total += len(comp.Items)
		v.Competences = append(v.Competences, cv)
	}
	v.NoScoreTitle = p.T.N("review.noscore_title", len(v.NoScore))
	v.Complete = answered == total
	v.Summary = p.T.T("review.summary", answered, total)
	return v
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
	if s.answerRefused(c, err) {
		return
	}
	c.Redirect(http.StatusSeeOther, afterSubmit(l)+"?submitted=1")
}
