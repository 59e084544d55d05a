package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/survey"
)

// openInvitation exchanges a personal link for a session cookie and a
// redirect, so the token leaves the address bar (and the browser history's
// last entry) at once. A browser that already holds a session for the
// link keeps it; a new one gets a session, and the opening is recorded
// for the leader to see (data.OpenLink). Once the round has closed, a new
// browser gets no session: the result is the leader's alone, and the
// link may have been seen by others (the administrator's link file).
//
// A rater's link in a 360 round opens a session the same way, for that
// one invitation: the pages it reaches answer about the leader it names,
// and never show a result (requireSelf). Once the round has closed, it
// only says so (raterClosed).
func (s *Server) openInvitation(c *gin.Context) {
	token := c.Param("token")
	if !auth.WellFormedToken(token) {
		s.renderError(c, http.StatusNotFound, "error.link")
		return
	}
	ctx := c.Request.Context()
	inv, err := s.db.FindInvitationByTokenHash(ctx, auth.HashToken(token))
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		s.renderError(c, http.StatusNotFound, "error.link")
		return
	} else if err != nil {
		s.fail(c, err)
		return
	}
	round, ok := s.admitInvitation(c, inv)
	if !ok {
		return
	}
	if round.Status == survey.RoundClosed {
		s.linkClosed(c, round)
		return
	}
	s.startLeaderSession(c, inv.ID, func(ls data.LinkSession) error { return s.db.OpenLink(ctx, ls) })
}

// admitInvitation runs the checks shared by both ways into an invitation
// (a personal link, a signed-in leader's list of rounds): a draft round
// opens nothing; a browser that already holds the invitation's session
// keeps it and goes on to the questionnaire; a rater's invitation opens
// only while the round takes raters' answers. It returns the round, or
// false when it has answered the request.
func (s *Server) admitInvitation(c *gin.Context, inv *survey.Invitation) (*survey.Round, bool) {
	round, err := s.db.FindRoundByID(c.Request.Context(), inv.RoundID)
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	if round.Status == survey.RoundDraft {
		s.renderError(c, http.StatusForbidden, "error.notopen")
		return nil, false
	}
	if held, err := s.holdsSession(c, inv.ID); err != nil {
		s.fail(c, err)
		return nil, false
	} else if held {
		c.Redirect(http.StatusSeeOther, "/survey")
		return nil, false
	}
	if inv.Relation != survey.Self && !round.RatersAnswer(s.now()) {
		s.raterClosed(c, round)
		return nil, false
	}
	return round, true
}

// startLeaderSession gives the browser a new leader session for the
// invitation, made and recorded as an opening by open, and sends it on
// to the questionnaire.
func (s *Server) startLeaderSession(c *gin.Context, invitationID int64, open func(data.LinkSession) error) {
	sessionToken, hash := auth.NewToken()
	browser, os := deviceOf(c.Request.UserAgent())
	err := open(data.LinkSession{TokenHash: hash, InvitationID: invitationID,
		Idle: leaderIdle, MaxAge: leaderMax, Browser: browser, OS: os})
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		s.notFound(c)
		return
	} else if err != nil {
		s.fail(c, err)
		return
	}
	s.setCookie(c.Writer, sessionCookie, sessionToken, 0)
	c.Redirect(http.StatusSeeOther, "/survey")
}

// holdsSession reports whether the request carries a leader session, still
// valid, for the invitation.
func (s *Server) holdsSession(c *gin.Context, invitationID int64) (bool, error) {
	token := s.cookie(c.Request, sessionCookie)
	if !auth.WellFormedToken(token) {
		return false, nil
	}
	_, inv, _, _, err := s.db.FindLeaderSession(c.Request.Context(), auth.HashToken(token), leaderIdle)
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return inv.ID == invitationID, nil
}
