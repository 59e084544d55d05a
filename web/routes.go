package web

import (
	"github.com/gin-gonic/gin"

	"lederradar/survey"
)

// routes lists every route, top to bottom.
func (s *Server) routes() {
	r := s.engine
	r.Use(s.securityHeaders, s.requestLog, s.recovery, limitBody)
	r.NoRoute(s.notFound)
	r.NoMethod(s.methodNotAllowed)

	r.GET("/healthz", s.healthz)
	r.GET("/static/*file", s.assets.serve)
	r.GET("/", s.home)
	r.POST("/language", s.setLanguage)
	r.GET("/accessibility", s.accessibilityPage)
	r.GET("/privacy", s.privacyPage)

	// A personal link, exchanged for a session cookie: a leader's, or a
	// 360 rater's for one leader (the same pages; never the result).
	r.GET("/i/:token", s.openInvitation)

	leader := r.Group("/", s.requireLeader)
	leader.GET("/start", s.startPage)
	leader.GET("/survey", s.resumeSurvey)
	leader.GET("/survey/:page", s.questionnairePage)
	leader.GET("/review", s.reviewPage)
	leader.GET("/thanks", s.raterThanks)
	// The leader's writes: the session is checked in the write itself.
	posting := r.Group("/", s.requirePostingLeader)
	posting.POST("/survey/:page", s.saveQuestionnairePage)
	posting.POST("/review", s.submitResponse)
	leader.GET("/result", s.requireSelf, s.resultPage)
	leader.GET("/my-data", s.myData)
	// A leader in a 360 round asks others for feedback.
	leader.GET("/nominations", s.nominationsPage)
	leader.POST("/nominations", s.nominate)
	leader.POST("/nominations/:nomination/remove", s.removeNomination)
	// A cross-cutting team's own map: its members' radars, by consent.
	leader.GET("/teams", s.requireSelf, s.teamsPage)
	leader.GET("/teams/:group", s.requireSelf, s.teamMapPage)
	leader.POST("/teams/:group/consent", s.requireSelf, s.giveTeamMapConsent)
	leader.POST("/teams/:group/withdraw", s.requireSelf, s.withdrawTeamMapConsent)
	// The leader's development plan, its printed packet and its shares
	// (DESIGN C8): their own, never a rater's.
	leader.GET("/plan", s.requireSelf, s.planPage)
	leader.POST("/plan", s.requireSelf, s.savePlan)
	leader.GET("/plan/packet", s.requireSelf, s.packetPage)
	leader.GET("/shares", s.requireSelf, s.sharesPage)
	leader.POST("/shares", s.requireSelf, s.addShare)
	leader.POST("/shares/:share/revoke", s.requireSelf, s.revokeShare)
	// A share: the packet, read-only, for whoever holds the link.
	r.GET("/s/:token", s.shareView)
	// A leader signed in with the organisation's provider: their rounds,
	// each opened as its personal link opens it.
	r.GET("/my-rounds", s.myRounds)
	r.POST("/my-rounds/:invitation", s.openMyRound)

	// HR and administrators.
	r.GET("/login", s.loginPage)
	r.POST("/login", s.login)
	// Single sign-on with the organisation's OpenID provider, for staff
	// and (?as=leader) leaders; 404 when none is configured.
	r.GET("/login/sso", s.startSignOn)
	r.GET("/login/sso/callback", s.finishSignOn)
	r.POST("/logout", s.logout)
	r.POST("/session/extend", s.extendSession)

	hr := r.Group("/hr", s.requireRole(survey.RoleHR))
	hr.GET("", s.hrRounds)
	hr.GET("/rounds/:round", s.hrRound)
	hr.GET("/rounds/:round/groups/:group", s.hrGroup)
	hr.GET("/rounds/:round/groups/:group/others", s.hrGroupOthers)
	hr.GET("/rounds/:round/heatmap", s.hrHeatmap)
	hr.GET("/rounds/:round/instrument-health", s.hrHealth)
	hr.GET("/rounds/:round/profiles.csv", s.exportProfilesCSV)
	hr.GET("/rounds/:round/profiles.xlsx", s.exportProfilesXLSX)
	hr.GET("/rounds/:round/items.csv", s.exportItems)

	s.adminRoutes(r.Group("/admin", s.requireRole(survey.RoleAdmin)))

	// The API: its description and the instrument are public, the rest
	// needs an HR token.
	r.GET("/api/v1/openapi.json", s.apiOpenAPI)
	r.GET("/api/v1/instrument", s.apiInstrument)
	api := r.Group("/api/v1", s.requireToken(survey.RoleHR))
	api.GET("/rounds", s.apiRounds)
	api.GET("/rounds/:round/profiles", s.apiProfiles)
	api.GET("/rounds/:round/instrument-health", s.apiInstrumentHealth)
}

// adminRoutes lists the administrator's routes, under /admin.
func (s *Server) adminRoutes(admin *gin.RouterGroup) {
	admin.GET("", s.adminHome)
	admin.GET("/people", s.adminPeople)
	admin.GET("/people/:person", s.adminPerson)
	admin.POST("/people/:person", s.savePerson)
	admin.GET("/people/:person/erase", s.adminErasePage)
	admin.POST("/people/:person/erase", s.erasePerson)
	admin.POST("/groups", s.createGroup)
	admin.POST("/groups/:group", s.renameGroup)
	admin.GET("/groups/:group/delete", s.adminGroupDeletePage)
	admin.POST("/groups/:group/delete", s.deleteGroup)
	admin.GET("/import", s.adminImportPage)
	admin.POST("/import", s.adminImport)
	admin.GET("/rounds", s.adminRounds)
	admin.POST("/rounds", s.createRound)
	admin.GET("/rounds/:round", s.adminRound)
	admin.POST("/rounds/:round/open", s.setRoundStatus(survey.RoundOpen))
	admin.POST("/rounds/:round/close", s.setRoundStatus(survey.RoundClosed))
	admin.POST("/rounds/:round/invitations", s.issueInvitations)
	admin.POST("/rounds/:round/settings", s.saveRoundSettings)
	admin.POST("/rounds/:round/raters", s.uploadRaters)
	admin.POST("/rounds/:round/rater-links", s.downloadRaterLinks)
	// Mail (DESIGN C16): invitations by e-mail, and when to remind.
	admin.POST("/rounds/:round/mail", s.sendInvitationMail)
	admin.POST("/rounds/:round/reminders", s.saveReminderDays)
	admin.GET("/audit", s.adminAudit)
	admin.GET("/audit.csv", s.exportAudit)
}
