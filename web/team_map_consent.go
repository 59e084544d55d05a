package web

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"
)

// Sharing one's radar with a team, and withdrawing it (DESIGN C14). To
// share, the leader ticks a box that says what is shared with whom, and
// for how long; to withdraw, one press, and the radar is gone from the
// map from the commit on. Neither is written to the audit log that
// administrators read: who shares with their team is the leader's own
// business, like the map itself.

// giveTeamMapConsent shares the leader's radar with the team, once they
// ticked the box; unticked, the map comes back with why, and nothing is
// shared (400).
func (s *Server) giveTeamMapConsent(c *gin.Context) {
	l := currentLeader(c)
	teamID, ok := s.teamParam(c)
	if !ok {
		return
	}
	if c.PostForm("confirm") != "yes" {
		v, err := s.teamMapView(c, l, teamID)
		if err != nil {
			s.fail(c, err)
			return
		}
		v.Error = v.T.T("teammap.refused")
		s.render(c, http.StatusBadRequest, "team_map", v)
		return
	}
	if err := s.db.GiveTeamMapConsent(c.Request.Context(), l.Round.ID, teamID, l.Invitation.SubjectID); err != nil {
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/teams/%d?shared=1", teamID))
}

// withdrawTeamMapConsent stops sharing the leader's radar with the team.
func (s *Server) withdrawTeamMapConsent(c *gin.Context) {
	l := currentLeader(c)
	teamID, ok := s.teamParam(c)
	if !ok {
		return
	}
	if err := s.db.WithdrawTeamMapConsent(c.Request.Context(), l.Round.ID, teamID, l.Invitation.SubjectID); err != nil {
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/teams/%d?withdrawn=1", teamID))
}
