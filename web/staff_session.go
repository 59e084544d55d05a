package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"lederradar/internal/auth"
	"lederradar/survey"
)

// requireRole loads the HR or administrator session and lets only the given
// role through: deny by default. Without a session it sends the browser to
// the log-in page.
func (s *Server) requireRole(role survey.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		user, ok := s.loadUser(c)
		if !ok {
			if c.Request.Method == http.MethodGet {
				c.Redirect(http.StatusSeeOther, "/login?next="+c.Request.URL.Path)
			} else {
				s.renderError(c, http.StatusUnauthorized, "error.login")
			}
			c.Abort()
			return
		}
		if user.Role != role {
			c.Set(userKey, user) // the error page keeps the user's own navigation
			s.renderError(c, http.StatusForbidden, "error.forbidden")
			c.Abort()
			return
		}
		c.Set(userKey, user)
		c.Next()
	}
}

// loadUser returns the signed-in HR or administrator user, if any.
func (s *Server) loadUser(c *gin.Context) (*survey.User, bool) {
	token := s.cookie(c.Request, userCookie)
	if !auth.WellFormedToken(token) {
		return nil, false
	}
	ctx := c.Request.Context()
	sess, err := s.db.FindUserSession(ctx, auth.HashToken(token), s.userIdle)
	if err != nil {
		return nil, false
	}
	user, err := s.db.FindUserByID(ctx, sess.UserID)
	if err != nil || user.Disabled {
		return nil, false
	}
	c.Set(sessionKey, sess) // for the time-out warning (session_page.go)
	return user, true
}

// currentUser returns the user requireRole loaded.
func currentUser(c *gin.Context) *survey.User {
	return c.MustGet(userKey).(*survey.User)
}
