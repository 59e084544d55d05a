package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"lederradar/internal/auth"
	"lederradar/scoring"
	"lederradar/survey"
)

// apiErrorBody is the body of every API error: {"error":{"code","message"}},
// with code one of survey's error codes.
type apiErrorBody struct {
	Error apiErrorDetail `json:"error"`
}

// apiErrorDetail says what went wrong, as a code for programs and a
// message for people.
type apiErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// apiError answers with the JSON error shape every API error has.
func apiError(c *gin.Context, status int, code, message string) {
	c.AbortWithStatusJSON(status, apiErrorBody{Error: apiErrorDetail{Code: code, Message: message}})
}

// requireToken lets through only a bearer token of the given role.
func (s *Server) requireToken(role survey.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		header := c.GetHeader("Authorization")
		token, ok := strings.CutPrefix(header, "Bearer ")
		if !ok || !auth.WellFormedToken(strings.TrimSpace(token)) {
			c.Header("WWW-Authenticate", `Bearer realm="lederradar"`)
			apiError(c, http.StatusUnauthorized, survey.EUNAUTHORIZED, "a valid bearer token is required")
			return
		}
		t, err := s.db.FindAPITokenByHash(c.Request.Context(), auth.HashToken(strings.TrimSpace(token)))
		if survey.ErrorCode(err) == survey.ENOTFOUND {
			c.Header("WWW-Authenticate", `Bearer realm="lederradar", error="invalid_token"`)
			apiError(c, http.StatusUnauthorized, survey.EUNAUTHORIZED, "the token is unknown or revoked")
			return
		} else if err != nil {
			s.logger.Error("api token", "error", err)
			apiError(c, http.StatusInternalServerError, survey.EINTERNAL, "internal error")
			return
		}
		if t.Role != role {
			apiError(c, http.StatusForbidden, survey.EFORBIDDEN, "the token's role may not use this endpoint")
			return
		}
		c.Set("token", t)
		c.Next()
	}
}

func (s *Server) apiAudit(c *gin.Context, action, target string) {
	actor := "token"
	if t, ok := c.Get("token"); ok {
		actor = "token:" + itoa64(t.(*survey.APIToken).ID)
	}
	if err := s.db.AddAudit(c.Request.Context(), survey.AuditEntry{Actor: actor, Action: action, Target: target}); err != nil {
		s.logger.Error("audit", "action", action, "error", err)
	}
}

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

// apiProfiles returns every group's profile of a closed round, through the
// anonymity rule: GET /api/v1/rounds/{id}/profiles.
func (s *Server) apiProfiles(c *gin.Context) {
	var req apiProfilesRequest
	if err := c.ShouldBindUri(&req); err != nil || req.Round <= 0 {
		apiError(c, http.StatusNotFound, survey.ENOTFOUND, "no such round")
		return
	}
	ctx := c.Request.Context()
	round, err := s.db.FindRoundByID(ctx, req.Round)
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		apiError(c, http.StatusNotFound, survey.ENOTFOUND, "no such round")
		return
	} else if err != nil {
		apiError(c, http.StatusInternalServerError, survey.EINTERNAL, "internal error")
		return
	}
	if round.Status != survey.RoundClosed {
		apiError(c, http.StatusConflict, survey.ECONFLICT, "profiles are available once the round has closed")
		return
	}
	rep, err := s.db.RoundReport(ctx, round, s.minGroup)
	if err != nil {
		apiError(c, http.StatusInternalServerError, survey.EINTERNAL, "internal error")
		return
	}
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
			}
			ag.Competences = append(ag.Competences, ac)
		}
		out = append(out, ag)
	}
	s.apiAudit(c, "api.profiles", "round:"+itoa64(round.ID))
	c.JSON(http.StatusOK, apiProfiles{Groups: out, MinGroup: rep.MinGroup, Round: apiRoundRef{ID: round.ID, Name: round.Name}})
}
