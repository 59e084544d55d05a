package web

import (
	"github.com/gin-gonic/gin"

	"lederradar/survey"
)

// audit writes an audit entry for the request's user. A failure to audit
// is logged, never shown: the action itself has happened.
func (s *Server) audit(c *gin.Context, action, target, detail string) {
	actor := "anonymous"
	if u, ok := c.Get(userKey); ok {
		actor = "user:" + itoa64(u.(*survey.User).ID)
	}
	err := s.db.AddAudit(c.Request.Context(), survey.AuditEntry{Actor: actor, Action: action, Target: target, Detail: detail})
	if err != nil {
		s.logger.Error("audit", "action", action, "error", err)
	}
}
