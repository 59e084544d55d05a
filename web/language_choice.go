package web

import (
	"log/slog"

	"github.com/gin-gonic/gin"

	"lederradar/internal/auth"
	"lederradar/survey"
)

// rememberLanguage keeps the language a leader or rater chose as the one
// their mail is written in, when the request carries their session. A
// visitor without one changes only their cookie.
func (s *Server) rememberLanguage(c *gin.Context, lang survey.Lang) {
	token := s.cookie(c.Request, sessionCookie)
	if !auth.WellFormedToken(token) {
		return
	}
	_, inv, _, _, err := s.db.FindLeaderSession(c.Request.Context(), auth.HashToken(token), leaderIdle)
	if err != nil {
		return // no session, or none that still holds: the cookie is enough
	}
	s.saveLanguage(c, inv.PersonID, lang)
}

// saveLanguage stores a person's language for their mail. A failure is
// logged, not shown: the page's language has changed all the same.
func (s *Server) saveLanguage(c *gin.Context, personID int64, lang survey.Lang) {
	if err := s.db.SetPersonLanguage(c.Request.Context(), personID, lang); err != nil {
		s.logger.Warn("language not kept for mail", slog.Any("error", err))
	}
}
