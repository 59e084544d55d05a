package web

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"lederradar/survey"
)

type linkClosedView struct {
	Page
	Intro string
	Where string
}

// linkClosed answers a personal link of a closed round opened in a browser
// that holds no session for it: no session is made, and the page says
// where the result can still be seen and why not here. 403: the link is
// right, but it no longer opens anything in a new browser.
func (s *Server) linkClosed(c *gin.Context, round *survey.Round) {
	p := s.page(c, "linkclosed.title")
	v := linkClosedView{Page: p,
		Intro: p.T.T("linkclosed.intro", round.Name),
		Where: p.T.T("linkclosed.where", p.T.N("session.hours", int(leaderMax/time.Hour)), p.T.N("session.hours", int(leaderIdle/time.Hour))),
	}
	s.render(c, http.StatusForbidden, "link_closed", v)
}
