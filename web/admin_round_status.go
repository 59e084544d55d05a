package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"lederradar/survey"
)

// setRoundStatus opens or closes a round. Closing is final: HR's profiles
// appear, and no answer can change them, so it takes the tick that says
// the administrator understands that. Opening before the round's planned
// date takes a tick too.
func (s *Server) setRoundStatus(status survey.RoundStatus) gin.HandlerFunc {
	return func(c *gin.Context) {
		round, ok := s.roundParam(c)
		if !ok {
			return
		}
		var err error
		switch {
		case status == survey.RoundClosed && c.PostForm("confirm") != "yes":
			s.refuseRoundStatus(c, round, "admin.close_unconfirmed")
			return
		case status == survey.RoundOpen && opensLater(round, s.now()) && c.PostForm("early") != "yes":
			s.refuseRoundStatus(c, round, "admin.open_early_unconfirmed", s.page(c, "").T.Date(round.Opens))
			return
		case status == survey.RoundClosed:
			// The close keeps the round's report, built with this
			// server's threshold, in its own transaction: HR never meets
			// it unbuilt, and it is final. Once begun, it finishes.
			err = s.db.CloseRound(context.WithoutCancel(c.Request.Context()), round.ID, s.minGroup)
		default:
			err = s.db.SetRoundStatus(c.Request.Context(), round.ID, status)
		}
		if err != nil {
			s.adminFail(c, err)
			return
		}
		s.audit(c, "round."+string(status), "round:"+itoa64(round.ID), "")
		if status == survey.RoundClosed && s.mail != nil {
			s.mail.Wake() // the close queued its thank-yous
		}
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/rounds/%d?saved=1", round.ID))
	}
}

// refuseRoundStatus shows the round's page again with why nothing changed
// (400): a tick was missing.
func (s *Server) refuseRoundStatus(c *gin.Context, round *survey.Round, key string, args ...any) {
	v, err := s.adminRoundView(c.Request.Context(), s.staffPage(c, "admin.round_title"), round)
	if err != nil {
		s.fail(c, err)
		return
	}
	v.StatusError = v.T.T(key, args...)
	s.render(c, http.StatusBadRequest, "admin_round", v)
}

// otherOpenRounds names the open rounds other than the one with id, for
// the warning that leaders may then answer in two rounds at once.
func (s *Server) otherOpenRounds(ctx context.Context, id int64) (string, error) {
	rounds, err := s.db.FindRounds(ctx)
	if err != nil {
		return "", err
	}
	names := survey.OpenBesides(rounds, id)
	for i, n := range names {
		names[i] = "»" + n + "«"
	}
	return strings.Join(names, ", "), nil
}
