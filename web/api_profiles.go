package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"lederradar/data"
	"lederradar/scoring"
	"lederradar/survey"
)

// apiProfilesRequest is what GET /api/v1/rounds/{round}/profiles reads
// from its path.
type apiProfilesRequest struct {
	Round int64 `uri:"round"`
}

// apiProfiles is the body of GET /api/v1/rounds/{round}/profiles. Its
// fields keep the order the body has always had on the wire.
type apiProfiles struct {
	Groups   []apiGroupProfile `json:"groups"`
	MinGroup int               `json:"min_group"`
	Round    apiRoundRef       `json:"round"`
}

// apiRoundRef names the round a body is about.
type apiRoundRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// apiCompetenceProfile is one competence of a group's profile.
type apiCompetenceProfile struct {
	ID   string   `json:"id"`
	Mean *float64 `json:"mean,omitempty"`
	SD   *float64 `json:"sd,omitempty"`
	N    *int     `json:"n,omitempty"`
	// High counts the n who score 4 or more (DESIGN C14); absent where
	// the round's report never counted it.
	High *int `json:"high,omitempty"`
	// Suppressed competences carry nothing but their id and this flag.
	Suppressed bool `json:"suppressed"`
}

// apiGroupProfile is one group's profile.
type apiGroupProfile struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	Name string `json:"name"`
	// N, the respondents, is absent when fewer than min-group are invited.
	N           *int                   `json:"n,omitempty"`
	Suppressed  bool                   `json:"suppressed"`
	Competences []apiCompetenceProfile `json:"competences"`
}

// apiClosedReport finds the report of the closed round the path names,
// or answers the request itself with the error, tooEarly for a round
// that has not closed, and returns false.
func (s *Server) apiClosedReport(c *gin.Context, tooEarly string) (*data.RoundReport, bool) {
	var req apiProfilesRequest
	if err := c.ShouldBindUri(&req); err != nil || req.Round <= 0 {
		apiError(c, http.StatusNotFound, survey.ENOTFOUND, "no such round")
		return nil, false
	}
	ctx := c.Request.Context()
	round, err := s.db.FindRoundByID(ctx, req.Round)
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		apiError(c, http.StatusNotFound, survey.ENOTFOUND, "no such round")
		return nil, false
	} else if err != nil {
		apiError(c, http.StatusInternalServerError, survey.EINTERNAL, "internal error")
		return nil, false
	}
	if round.Status != survey.RoundClosed {
		apiError(c, http.StatusConflict, survey.ECONFLICT, tooEarly)
		return nil, false
	}
	rep, err := s.db.RoundReport(ctx, round, s.minGroup)
	if err != nil {
		apiError(c, http.StatusInternalServerError, survey.EINTERNAL, "internal error")
		return nil, false
	}
	return rep, true
}

// apiProfiles returns every group's profile of a closed round, through the
// anonymity rule: GET /api/v1/rounds/{round}/profiles.
func (s *Server) apiProfiles(c *gin.Context) {
	rep, ok := s.apiClosedReport(c, "profiles are available once the round has closed")
	if !ok {
		return
	}
	round := rep.Round
	out := []apiGroupProfile{}
	for _, g := range rep.Groups {
		gp := g.Profile
		ag := apiGroupProfile{ID: g.Spec.Key, Kind: string(g.Spec.Kind), Name: g.Spec.Name, Suppressed: gp.Suppressed, Competences: []apiCompetenceProfile{}}
		if scoring.ResponseCountsShown(g.Invited, g.Submitted, rep.MinGroup) {
			n := gp.N
			ag.N = &n
		}
		if g.Spec.Kind == "organisation" {
			ag.Name = "organisation"
		}
		for i, comp := range rep.Instrument.Competences {
			ca := gp.Competences[i]
			ac := apiCompetenceProfile{ID: comp.ID, Suppressed: gp.Suppressed || ca.Suppressed}
			if !ac.Suppressed {
				mean, sd, n := ca.Mean, ca.SD, ca.N
				ac.Mean, ac.SD, ac.N = &mean, &sd, &n
				if ca.HighKnown() {
					high := ca.High
					ac.High = &high
				}
			}
			ag.Competences = append(ag.Competences, ac)
		}
		out = append(out, ag)
	}
	s.apiAudit(c, "api.profiles", "round:"+itoa64(round.ID))
	c.JSON(http.StatusOK, apiProfiles{Groups: out, MinGroup: rep.MinGroup, Round: apiRoundRef{ID: round.ID, Name: round.Name}})
}
