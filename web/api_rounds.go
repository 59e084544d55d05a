package web

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"lederradar/scoring"
	"lederradar/survey"
)

// apiRoundList is the body of GET /api/v1/rounds, which reads nothing but
// the bearer token.
type apiRoundList struct {
	Rounds []apiRound `json:"rounds"`
}

// apiRound is one round in the list.
type apiRound struct {
	ID                int64   `json:"id"`
	Name              string  `json:"name"`
	Status            string  `json:"status"`
	InstrumentVersion string  `json:"instrument_version"`
	Opens             *string `json:"opens,omitempty"`
	Closes            *string `json:"closes,omitempty"`
	// Invited and Submitted are absent, and CountsSuppressed true, when
	// fewer than min-group are invited.
	Invited          *int `json:"invited,omitempty"`
	Submitted        *int `json:"submitted,omitempty"`
	CountsSuppressed bool `json:"counts_suppressed"`
}

func dateOrNil(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format("2006-01-02")
	return &s
}

// apiRounds lists the rounds: GET /api/v1/rounds.
func (s *Server) apiRounds(c *gin.Context) {
	ctx := c.Request.Context()
	rounds, err := s.db.FindRounds(ctx)
	if err != nil {
		apiError(c, http.StatusInternalServerError, survey.EINTERNAL, "internal error")
		return
	}
	out := []apiRound{}
	for i := range rounds {
		r := &rounds[i]
		// Counts only: no round's report is built for the list.
		n, err := s.db.CountRoundProgress(ctx, r.ID)
		if err != nil {
			apiError(c, http.StatusInternalServerError, survey.EINTERNAL, "internal error")
			return
		}
		ar := apiRound{ID: r.ID, Name: r.Name, Status: string(r.Status), InstrumentVersion: r.InstrumentVersion,
			Opens: dateOrNil(r.Opens), Closes: dateOrNil(r.Closes),
			CountsSuppressed: !scoring.ResponseCountsShown(n.Invited, n.Submitted, s.minGroup)}
		if !ar.CountsSuppressed {
			ar.Invited, ar.Submitted = &n.Invited, &n.Submitted
		}
		out = append(out, ar)
	}
	c.JSON(http.StatusOK, apiRoundList{Rounds: out})
}
