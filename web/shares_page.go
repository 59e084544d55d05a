package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"lederradar/internal/links"
	"lederradar/survey"
)

// A leader shares their result and plan on their own terms (DESIGN C8):
// a read-only link for one named person, with an expiry, revocable at
// once. This page lists the round's shares with when each was last
// opened, makes new ones and revokes them. A new link is shown once: only
// its hash is kept.

// shareStateKeys name a share's states.
var shareStateKeys = map[survey.ShareState]string{survey.ShareActive: "shares.state_active",
	survey.ShareRevoked: "shares.state_revoked", survey.ShareExpired: "shares.state_expired"}

type shareRow struct {
	Recipient  string
	Created    string
	Expires    string
	LastOpened string
	State      string
	// Revoke is the form's action while the share is active.
	Revoke string
}

type sharesView struct {
	Page
	RoundName string
	Submitted bool
	Rows      []shareRow
	Error     string
	Recipient string
	Days      int
	MaxDays   int
	// NewLink is the link just made, for NewFor; shown this once.
	NewLink string
	NewFor  string
}

// sharesPage lists the leader's shares of the round and the form for a
// new one.
func (s *Server) sharesPage(c *gin.Context) {
	l := currentLeader(c)
	own, err := s.ownResult(c.Request.Context(), l)
	if err != nil {
		s.fail(c, err)
		return
	}
	v, ok := s.sharesView(c, l, own.Tally != nil)
	if !ok {
		return
	}
	if c.Query("revoked") == "1" {
		v.Status = v.T.T("shares.revoked")
	}
	s.render(c, http.StatusOK, "shares", v)
}

// sharesView reads the leader's shares of the round for the page, which
// offers new ones when the leader has submitted; it has answered the
// request when ok is false.
func (s *Server) sharesView(c *gin.Context, l *leader, submitted bool) (sharesView, bool) {
	p := s.page(c, "shares.title")
	p.Leader = true
	v := sharesView{Page: p, RoundName: l.Round.Name, Submitted: submitted, Days: survey.DefaultShareDays, MaxDays: survey.MaxShareDays}
	list, err := s.db.FindShares(c.Request.Context(), l.Round.ID, l.Invitation.SubjectID)
	if err != nil {
		s.fail(c, err)
		return v, false
	}
	now := s.now()
	for _, sh := range list {
		row := shareRow{Recipient: sh.Recipient, Created: p.T.Date(sh.CreatedAt.In(copenhagen())),
			Expires: p.T.Date(sh.ExpiresAt.In(copenhagen())), LastOpened: p.T.T("shares.never_opened")}
		if !sh.LastOpenedAt.IsZero() {
			row.LastOpened = p.T.Date(sh.LastOpenedAt.In(copenhagen())) + " " + sh.LastOpenedAt.In(copenhagen()).Format("15:04")
		}
		row.State = p.T.T(shareStateKeys[sh.State(now)])
		if sh.State(now) == survey.ShareActive {
			row.Revoke = "/shares/" + itoa64(sh.ID) + "/revoke"
		}
		v.Rows = append(v.Rows, row)
	}
	return v, true
}

// addShare makes a share for the person the leader names and shows its
// link once, with the list that now holds it. A refusal shows the form
// again as typed, with why.
func (s *Server) addShare(c *gin.Context) {
	l := currentLeader(c)
	own, err := s.ownResult(c.Request.Context(), l)
	if err != nil {
		s.fail(c, err)
		return
	}
	if own.Tally == nil {
		c.Redirect(http.StatusSeeOther, "/shares")
		return
	}
	days, err := strconv.Atoi(strings.TrimSpace(c.PostForm("days")))
	if err != nil {
		days = 0
	}
	share, token, err := s.db.AddShare(c.Request.Context(), l.Round.ID, l.Invitation.SubjectID, c.PostForm("recipient"), days)
	if err != nil && survey.ErrorCode(err) != survey.EINVALID {
		s.fail(c, err)
		return
	}
	v, ok := s.sharesView(c, l, true)
	if !ok {
		return
	}
	if err != nil {
		v.Error = v.T.T("shares.refused", reasonText(v.T, err))
		v.Recipient = strings.TrimSpace(c.PostForm("recipient"))
		v.Days = days
		s.render(c, http.StatusBadRequest, "shares", v)
		return
	}
	s.auditLeader(c, l, "share.add", "")
	v.NewLink, v.NewFor = links.ShareFor(s.baseURL.String(), token), share.Recipient
	v.Status = v.T.T("shares.added", share.Recipient)
	s.render(c, http.StatusOK, "shares", v)
}

// revokeShare ends one of the leader's shares at once.
func (s *Server) revokeShare(c *gin.Context) {
	l := currentLeader(c)
	id, err := strconv.ParseInt(c.Param("share"), 10, 64)
	if err == nil && id > 0 {
		err = s.db.RevokeShare(c.Request.Context(), l.Invitation.SubjectID, id)
	} else {
		err = survey.Errorf(survey.ENOTFOUND, "no share %q", c.Param("share"))
	}
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		s.renderError(c, http.StatusNotFound, "error.notfound")
		return
	} else if err != nil {
		s.fail(c, err)
		return
	}
	s.auditLeader(c, l, "share.revoke", "")
	c.Redirect(http.StatusSeeOther, "/shares?revoked=1")
}
