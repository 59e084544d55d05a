package web

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"lederradar/survey"
)

type linkClosedView struct {
	Page
	// Paragraphs say what happened and what is left to do.
	Paragraphs []string
}

// linkClosed answers a personal link of a closed round opened in a browser
// that holds no session for it: no session is made, and the page says
// where the result can still be seen and why not here. 403: the link is
// right, but it no longer opens anything in a new browser.
func (s *Server) linkClosed(c *gin.Context, round *survey.Round) {
	p := s.page(c, "linkclosed.title")
	v := linkClosedView{Page: p, Paragraphs: []string{
		p.T.T("linkclosed.intro", round.Name),
		p.T.T("linkclosed.where", p.T.N("session.hours", int(leaderMax/time.Hour)), p.T.N("session.hours", int(leaderIdle/time.Hour))),
		p.T.T("linkclosed.why"),
		p.T.T("linkclosed.hr"),
		p.T.T("linkclosed.next"),
	}}
	s.render(c, http.StatusForbidden, "link_closed", v)
}

// raterClosed answers a rater's link, or a rater's page, once the round
// has closed or its raters' time has run out (survey.Round.RatersAnswer):
// it says so and shows nothing else — a rater never sees a
// result, and their answers can no longer change. 403, as linkClosed.
func (s *Server) raterClosed(c *gin.Context, round *survey.Round) {
	p := s.page(c, "linkclosed.title")
	p.Rater = true // the footer speaks of a rater's answers
	intro := "linkclosed.rater_intro"
	if round.Status != survey.RoundClosed {
		intro = "linkclosed.rater_intro_ended" // the raters' time has run out
	}
	v := linkClosedView{Page: p, Paragraphs: []string{
		p.T.T(intro, round.Name),
		p.T.T("linkclosed.rater_next"),
	}}
	s.render(c, http.StatusForbidden, "link_closed", v)
}
