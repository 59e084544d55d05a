package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"lederradar/scoring"
	"lederradar/survey"
)

// apiInstrumentHealth is the body of GET
// /api/v1/rounds/{round}/instrument-health. A figure over fewer than
// min_group people is null.
type apiInstrumentHealth struct {
	Competences []apiCompetenceHealth `json:"competences"`
	MinGroup    int                   `json:"min_group"`
	Round       apiRoundRef           `json:"round"`
}

// apiCompetenceHealth is one competence's alpha over N respondents who
// answered every item on the scale, and its items.
type apiCompetenceHealth struct {
	ID    string          `json:"id"`
	Alpha *float64        `json:"alpha"`
	N     *int            `json:"n"`
	Items []apiItemHealth `json:"items"`
}

// apiItemHealth is one item's figures.
type apiItemHealth struct {
	ID        string   `json:"id"`
	Mean      *float64 `json:"mean"`
	SD        *float64 `json:"sd"`
	DontKnow  *float64 `json:"dont_know"`
	ItemRestR *float64 `json:"item_rest_r"`
}

// apiInstrumentHealth returns a closed round's instrument health over the
// organisation (DESIGN C15): GET /api/v1/rounds/{round}/instrument-health.
func (s *Server) apiInstrumentHealth(c *gin.Context) {
	rep, ok := s.apiClosedReport(c, "instrument health is available once the round has closed")
	if !ok {
		return
	}
	round := rep.Round
	health, err := s.db.RoundInstrumentHealth(c.Request.Context(), rep)
	if survey.ErrorCode(err) == survey.ECONFLICT {
		apiError(c, http.StatusConflict, survey.ECONFLICT, "the organisation does not pass the anonymity rule in this round, or an answer has been erased since it closed")
		return
	} else if err != nil {
		apiError(c, http.StatusInternalServerError, survey.EINTERNAL, "internal error")
		return
	}
	out := apiInstrumentHealth{Competences: []apiCompetenceHealth{}, MinGroup: rep.MinGroup, Round: apiRoundRef{ID: round.ID, Name: round.Name}}
	for i, comp := range rep.Instrument.Competences {
		ch := health.Competences[i]
		ac := apiCompetenceHealth{ID: comp.ID, Items: []apiItemHealth{}}
		if ch.AlphaShown(rep.MinGroup) {
			ac.Alpha = ptr(ch.Alpha)
		}
		if ch.N >= scoring.ClampMinGroup(rep.MinGroup) {
			n := ch.N
			ac.N = &n
		}
		for j, it := range comp.Items {
			ih := ch.Items[j]
			shown := ih.Shown(ch.N, rep.MinGroup)
			ai := apiItemHealth{ID: it.ID}
			if shown.Scale {
				ai.Mean, ai.SD = ptr(ih.Mean), ptr(ih.SD)
			}
			if shown.DontKnow {
				ai.DontKnow = ptr(ih.DontKnow)
			}
			if shown.ItemRest {
				ai.ItemRestR = ptr(ih.ItemRest)
			}
			ac.Items = append(ac.Items, ai)
		}
		out.Competences = append(out.Competences, ac)
	}
	s.apiAudit(c, "api.instrument_health", "round:"+itoa64(round.ID))
	c.JSON(http.StatusOK, out)
}
