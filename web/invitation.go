package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"lederradar/survey"
)

// sessionCookie carries a leader's session token; only its hash is stored.
const sessionCookie = "lr_session"

// leader is what a leader's pages know about who is asking.
type leader struct {
	Invitation *survey.Invitation
	Round      *survey.Round
	Person     *survey.Person
	Instrument *survey.Instrument
}

const leaderKey = "leader"

// openInvitation exchanges a personal link for a session cookie and a
// redirect, so the token leaves the address bar (and the browser history's
// last entry) at once.
func (s *Server) openInvitation(c *gin.Context) {
	token := c.Param("token")
	if !survey.WellFormedToken(token) {
		s.renderError(c, http.StatusNotFound, "error.link")
		return
	}
	ctx := c.Request.Context()
	inv, err := s.db.FindInvitationByTokenHash(ctx, survey.HashToken(token))
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		s.renderError(c, http.StatusNotFound, "error.link")
		return
	} else if err != nil {
		s.fail(c, err)
		return
	}
	round, err := s.db.FindRoundByID(ctx, inv.RoundID)
	if err != nil {
		s.fail(c, err)
		return
	}
	if round.Status == survey.RoundDraft {
		s.renderError(c, http.StatusForbidden, "error.notopen")
		return
	}
	sessionToken, hash := survey.NewToken()
	if err := s.db.CreateSession(ctx, hash, inv.ID, leaderIdle, leaderMax); err != nil {
		s.fail(c, err)
		return
	}
	s.setCookie(c.Writer, sessionCookie, sessionToken, 0)
	c.Redirect(http.StatusSeeOther, "/survey")
}

// requireLeader loads the leader's session or answers 401 with a page that
// tells them to open their personal link again.
func (s *Server) requireLeader(c *gin.Context) {
	token := s.cookie(c.Request, sessionCookie)
	if !survey.WellFormedToken(token) {
		s.abortSession(c)
		return
	}
	ctx := c.Request.Context()
	l := &leader{}
	// The session, its invitation, round and person in one lookup: every
	// page of the questionnaire starts here.
	var err error
	_, l.Invitation, l.Round, l.Person, err = s.db.FindLeaderSession(ctx, survey.HashToken(token), leaderIdle)
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		s.abortSession(c)
		return
	}
	if err == nil {
		l.Instrument, err = s.instrumentFor(ctx, l.Round.InstrumentVersion)
	}
	if err != nil {
		s.fail(c, err)
		c.Abort()
		return
	}
	c.Set(leaderKey, l)
	c.Next()
}

func (s *Server) abortSession(c *gin.Context) {
	s.setCookie(c.Writer, sessionCookie, "", -1)
	msg := "error.session"
	if c.Request.Method == http.MethodPost {
		msg = "error.session_post"
	}
	s.renderError(c, http.StatusUnauthorized, msg)
	c.Abort()
}

// currentLeader returns the leader requireLeader loaded.
func currentLeader(c *gin.Context) *leader {
	return c.MustGet(leaderKey).(*leader)
}
