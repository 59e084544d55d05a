package web

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"lederradar/internal/sso"
)

// contentSecurityPolicy allows nothing from outside the binary and no inline
// script: charts start from a static script that reads JSON data blocks.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; " +
	"base-uri 'none'; frame-ancestors 'none'"

// setSecurityHeaders writes the headers every response carries. Personal
// pages must never be cached; static assets override Cache-Control.
func setSecurityHeaders(h http.Header, secure bool) {
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
	h.Set("Cache-Control", "no-store")
	if secure {
		h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
}

func (s *Server) securityHeaders(c *gin.Context) {
	setSecurityHeaders(c.Writer.Header(), s.secure)
	if s.csp != "" {
		c.Writer.Header().Set("Content-Security-Policy", s.csp)
	}
	c.Next()
}

// cspFor is the content security policy of a server whose sign-out
// continues at the organisation's provider (login_page.go's logout): the
// log-out form's redirect goes there, which form-action must allow.
// Empty means the default.
func cspFor(provider *sso.Provider) string {
	if provider == nil || provider.SignOutOrigin() == "" {
		return ""
	}
	return strings.Replace(contentSecurityPolicy, "form-action 'self'", "form-action 'self' "+provider.SignOutOrigin(), 1)
}

// requestLog logs one line per request with the route pattern, never the
// path or query: /i/:token would otherwise put a personal link in the log.
func (s *Server) requestLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "(unmatched)"
	}
	level := slog.LevelInfo
	if c.Writer.Status() >= 500 {
		level = slog.LevelError
	}
	s.logger.LogAttrs(c.Request.Context(), level, "request",
		slog.String("method", c.Request.Method),
		slog.String("route", route),
		slog.Int("status", c.Writer.Status()),
		slog.Duration("duration", time.Since(start)),
		slog.Int("bytes", c.Writer.Size()),
	)
}

// recovery turns a panic into a generic 500 page and an error in the log,
// without the request's details.
func (s *Server) recovery(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			s.logger.Error("panic", slog.String("route", c.FullPath()), slog.Any("panic", r))
			c.Abort()
			s.renderError(c, http.StatusInternalServerError, "error.internal")
		}
	}()
	c.Next()
}

// limitBody caps every request body; reading past the cap fails, and the
// handler answers 413. Only the uploads of people and raters may be
// larger.
func limitBody(c *gin.Context) {
	if c.Request.Body != nil {
		limit := int64(maxFormBytes)
		if p := c.FullPath(); p == "/admin/import" || p == "/admin/rounds/:round/raters" {
			limit = maxImportUpload
		}
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	}
	c.Next()
}
