package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"lederradar/survey"
)

// shareView shows a share: the packet of the leader's result and plan in
// the share's round, read-only, to whoever holds the link, until it
// expires or the leader revokes it. Nothing else is reachable from it: no
// session is made, and the page links nowhere into the leader's pages.
// Each opening is audit-logged. A revoked or expired share says so; a
// share that is gone (the leader erased, the round deleted) is unknown.
func (s *Server) shareView(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	c.Header("X-Robots-Tag", "noindex, nofollow")
	ctx := c.Request.Context()
	share, state, err := s.db.OpenShare(ctx, c.Param("token"))
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		s.renderError(c, http.StatusNotFound, "share.unknown")
		return
	} else if err != nil {
		s.fail(c, err)
		return
	}
	p := s.page(c, "packet.title")
	p.Shared = true
	switch state {
	case survey.ShareRevoked:
		s.renderError(c, http.StatusGone, "share.revoked")
		return
	case survey.ShareExpired:
		s.renderError(c, http.StatusGone, "share.expired", p.T.Date(share.ExpiresAt.In(copenhagen())))
		return
	}
	l, err := s.sharedLeader(c, share)
	if err != nil {
		s.fail(c, err)
		return
	}
	v, err := s.packetOf(ctx, p, l)
	if err != nil {
		s.fail(c, err)
		return
	}
	v.Share = &shareBanner{Intro: p.T.T("share.intro", l.Person.Name, share.Recipient),
		Expires: p.T.T("share.expires", p.T.Date(share.ExpiresAt.In(copenhagen())))}
	v.CompareAction, v.GroupOptions = "", nil
	e := survey.AuditEntry{Actor: "share:" + itoa64(share.ID), Action: "share.open", Target: "person:" + itoa64(share.PersonID)}
	if err := s.db.AddAudit(ctx, e); err != nil {
		s.logger.Error("audit", "action", e.Action, "error", err)
	}
	s.render(c, http.StatusOK, "packet", v)
}

// sharedLeader is the leader whose result a share shows, as the result's
// view builders take them: their own invitation in the share's round.
func (s *Server) sharedLeader(c *gin.Context, share survey.Share) (*leader, error) {
	ctx := c.Request.Context()
	round, err := s.db.FindRoundByID(ctx, share.RoundID)
	if err != nil {
		return nil, err
	}
	in, err := s.db.CachedInstrument(ctx, round.InstrumentVersion)
	if err != nil {
		return nil, err
	}
	person, err := s.db.FindPersonByID(ctx, share.PersonID)
	if err != nil {
		return nil, err
	}
	inv := &survey.Invitation{RoundID: round.ID, PersonID: person.ID, SubjectID: person.ID, Relation: survey.Self}
	return &leader{Invitation: inv, Round: round, Person: person, Instrument: in}, nil
}
