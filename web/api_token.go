package web

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"lederradar/internal/auth"
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

// notFound answers a path no route has: in JSON under /api/, as a page
// elsewhere.
func (s *Server) notFound(c *gin.Context) {
	if isAPI(c) {
		apiError(c, http.StatusNotFound, survey.ENOTFOUND, "no such endpoint")
		return
	}
	s.renderError(c, http.StatusNotFound, "error.notfound")
}

// methodNotAllowed answers a method the path's routes do not take.
func (s *Server) methodNotAllowed(c *gin.Context) {
	if isAPI(c) {
		apiError(c, http.StatusMethodNotAllowed, survey.EINVALID, "the endpoint does not take this method")
		return
	}
	s.renderError(c, http.StatusMethodNotAllowed, "error.method")
}

func isAPI(c *gin.Context) bool {
	return strings.HasPrefix(c.Request.URL.Path, "/api/")
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
