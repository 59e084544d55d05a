package web

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
)

// The leader's cross-cutting teams in their round (DESIGN C14), each with
// a link to its map and whether they share their radar with it. Only the
// leader's own session reaches it (requireSelf); the teams are those of
// the round: today's while it is open, those it kept once it closed.

type teamsView struct {
	Page
	RoundName string
	Teams     []teamLinkView
}

type teamLinkView struct {
	Name  string
	Href  string
	State string
}

// teamsPage lists the leader's teams in the round of their session.
func (s *Server) teamsPage(c *gin.Context) {
	l := currentLeader(c)
	ctx := c.Request.Context()
	p := s.page(c, "teams.title")
	p.Leader = true
	var err error
	if p.Nominate, err = s.nominationsOffered(ctx, l); err != nil {
		s.fail(c, err)
		return
	}
	teams, err := s.db.FindTeamsOfRound(ctx, l.Round.ID, l.Invitation.SubjectID)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := teamsView{Page: p, RoundName: l.Round.Name}
	for _, t := range teams {
		state := p.T.T("teams.not_shares")
		if t.Shares {
			state = p.T.T("teams.shares")
		}
		v.Teams = append(v.Teams, teamLinkView{Name: t.Team.Name, Href: fmt.Sprintf("/teams/%d", t.Team.ID), State: state})
	}
	s.render(c, http.StatusOK, "teams", v)
}
