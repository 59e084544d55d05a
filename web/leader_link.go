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
	round, err := s.db.FindRoundByID(ctx, inv.RoundID)
	if err != nil {
		s.fail(c, err)
		return
	}
	if round.Status == survey.RoundDraft {
		s.renderError(c, http.StatusForbidden, "error.notopen")
		return
	}
	if held, err := s.holdsSession(c, inv.ID); err != nil {
		s.fail(c, err)
		return
	} else if held {
		c.Redirect(http.StatusSeeOther, "/survey")
		return
	}
	if inv.Relation != survey.Self && !round.RatersAnswer(s.now()) {
		s.raterClosed(c, round)
		return
	}
	if round.Status == survey.RoundClosed {
		s.linkClosed(c, round)
		return
	}
	sessionToken, hash := auth.NewToken()
	browser, os := deviceOf(c.Request.UserAgent())
	if err := s.db.OpenLink(ctx, data.LinkSession{TokenHash: hash, InvitationID: inv.ID,
		Idle: leaderIdle, MaxAge: leaderMax, Browser: browser, OS: os}); err != nil {
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
