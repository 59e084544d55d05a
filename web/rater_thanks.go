package web

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

type raterThanksView struct {
	Page
	Heading string
	// Sent says what was sent about whom, and when; Pooled who sees it.
	Sent, Pooled string
	// Until says until when the answers can be changed.
	Until string
}

// afterSubmit is where a respondent goes once their response is
// submitted: the leader to their result, a rater to the thank-you page.
func afterSubmit(l *leader) string {
	if l.rater() {
		return "/thanks"
	}
	return "/result"
}

// raterThanks thanks a rater whose response is submitted. It shows no
// result and no score of anyone: a rater never sees one (DESIGN C9). A
// rater who has not submitted, or a leader, is sent on as resuming does.
func (s *Server) raterThanks(c *gin.Context) {
	l := currentLeader(c)
	resp, ok := s.answeringResponse(c, l)
	if !ok {
		return
	}
	if !l.rater() || !resp.Submitted() {
		s.resumeSurvey(c)
		return
	}
	p := s.page(c, "thanks.title")
	p.Leader, p.Rater = true, true
	name := l.subjectName()
	v := raterThanksView{Page: p,
		Heading: p.T.T("thanks.heading", name),
		Sent:    p.T.T("thanks.sent", name, p.T.Date(resp.SubmittedAt)),
		Pooled:  p.T.T("start.rater_pooled", name, s.minGroup, s.minGroup-1),
		Until:   p.T.T("start.until_close"),
	}
	if note := managerNote(p.T, l); note != "" {
		v.Pooled = note
	}
	if !l.Round.Closes.IsZero() {
		v.Until = p.T.T("start.until", p.T.Date(l.Round.Closes))
	}
	if c.Query("submitted") == "1" {
		v.Status = p.T.T("thanks.status")
	}
	s.render(c, http.StatusOK, "rater_thanks", v)
}

// requireSelf keeps a rater's session off the leader's own pages (the
// result): to a rater they do not exist.
func (s *Server) requireSelf(c *gin.Context) {
	if currentLeader(c).rater() {
		s.renderError(c, http.StatusNotFound, "error.notfound")
		c.Abort()
		return
	}
	c.Next()
}
