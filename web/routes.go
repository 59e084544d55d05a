package web

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// routes lists every route, top to bottom.
func (s *Server) routes() {
	r := s.engine
	r.Use(s.securityHeaders, s.requestLog, s.recovery, limitBody)
	r.NoRoute(func(c *gin.Context) { s.renderError(c, http.StatusNotFound, "error.notfound") })
	r.NoMethod(func(c *gin.Context) { s.renderError(c, http.StatusMethodNotAllowed, "error.method") })

	r.GET("/healthz", s.healthz)
	r.GET("/static/*file", s.assets.serve)
	r.GET("/", s.home)
	r.POST("/language", s.setLanguage)

	// A leader's personal link, exchanged for a session cookie.
	r.GET("/i/:token", s.openInvitation)

	leader := r.Group("/", s.requireLeader)
	leader.GET("/survey", s.resumeSurvey)
	leader.GET("/survey/:page", s.questionnairePage)
	leader.POST("/survey/:page", s.saveQuestionnairePage)
	leader.GET("/review", s.reviewPage)
	leader.POST("/review", s.submitResponse)
	leader.GET("/result", s.resultPage)

	r.GET("/api/v1/instrument", s.apiInstrument)
}
