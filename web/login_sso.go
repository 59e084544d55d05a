package web

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/internal/sso"
	"lederradar/survey"
)

// ssoCookie binds a started sign-in to the browser that started it: it
// holds the state, which the provider's callback must bring back. It
// lives as long as a sign-in may take.
const (
	ssoCookie       = "lr_sso"
	ssoCookieMaxAge = 10 * 60
)

// signOnCookie remembers that the staff session was made by the
// organisation's provider, so that signing out signs out there too.
const signOnCookie = "lr_signon"

// What a sign-in is for (sso.Pending.Purpose).
const (
	purposeStaff  = "staff"
	purposeLeader = "leader"
)

// The values of the roles claim that make an HR user and an
// administrator (--oidc-roles-claim). Someone given both is an
// administrator.
const (
	claimHR    = "lederradar-hr"
	claimAdmin = "lederradar-admin"
)

// startSignOn sends the browser to the organisation's provider: for HR
// and administrators, or with ?as=leader for a leader's rounds.
func (s *Server) startSignOn(c *gin.Context) {
	if s.sso == nil {
		s.notFound(c)
		return
	}
	purpose, next := purposeStaff, safeReturn(c.Query("next"))
	if c.Query("as") == purposeLeader {
		purpose, next = purposeLeader, "/my-rounds"
	}
	authURL, state, err := s.sso.Start(c.Request.Context(), purpose, next)
	if errors.Is(err, data.ErrTooManySignIns) {
		s.logger.Warn("single sign-on: too many sign-ins waiting for the provider")
		c.Header("Retry-After", "60")
		s.renderError(c, http.StatusServiceUnavailable, "sso.busy")
		return
	} else if err != nil {
		s.fail(c, err)
		return
	}
	s.setCookie(c.Writer, ssoCookie, state, ssoCookieMaxAge)
	c.Redirect(http.StatusSeeOther, authURL)
}

// finishSignOn is where the provider sends the browser back: the
// sign-in is checked (sso.Provider.Finish), and the person who made it
// gets a staff session or their rounds.
func (s *Server) finishSignOn(c *gin.Context) {
	if s.sso == nil {
		s.notFound(c)
		return
	}
	state := s.cookie(c.Request, ssoCookie)
	s.setCookie(c.Writer, ssoCookie, "", -1)
	id, err := s.sso.Finish(c.Request.Context(), state, c.Request.URL.Query())
	if err != nil {
		s.signOnFailed(c, err)
		return
	}
	if id.Purpose == purposeLeader {
		s.signInLeader(c, id)
		return
	}
	s.signInStaff(c, id)
}

// signOnFailed answers a sign-in the provider or the checks refused, and
// logs why (never a token).
func (s *Server) signOnFailed(c *gin.Context, err error) {
	status, key := http.StatusUnauthorized, "sso.failed"
	switch {
	case errors.Is(err, sso.ErrState):
		status, key = http.StatusBadRequest, "sso.state"
	case errors.Is(err, sso.ErrDenied):
		key = "sso.denied"
	case errors.Is(err, sso.ErrNoEmail):
		status, key = http.StatusForbidden, "sso.no_email"
	case errors.Is(err, sso.ErrAudience), errors.Is(err, sso.ErrExpired), errors.Is(err, sso.ErrNonce),
		errors.Is(err, sso.ErrToken), errors.Is(err, sso.ErrExchange):
	default:
		s.fail(c, err)
		return
	}
	s.logger.Info("single sign-on refused", "error", err)
	s.audit(c, "login.failed", "", "method sso")
	s.renderError(c, status, key)
}

// signInStaff makes the staff session of an HR or administrator user
// signed in with the provider, exactly as a password log-in makes it. The
// role comes from the roles claim when the token has it, else from an
// account made beforehand for the e-mail address; with neither, or a
// disabled account, there is no session.
func (s *Server) signInStaff(c *gin.Context, id *sso.Identity) {
	ctx := c.Request.Context()
	role := claimedRole(id.Roles)
	if id.HasRoles && role == "" {
		s.noAccess(c, "sso.no_access")
		return
	}
	user, did, err := s.db.SignInAccount(ctx, id.Email, role)
	switch {
	case survey.ErrorCode(err) == survey.ENOTFOUND:
		s.noAccess(c, "sso.no_access")
		return
	case err != nil:
		s.fail(c, err)
		return
	case user.Disabled:
		s.noAccess(c, "sso.disabled")
		return
	}
	token, tokenHash := auth.NewToken()
	if err := s.db.CreateUserSession(ctx, tokenHash, user.ID, s.userIdle, s.userMax); survey.ErrorCode(err) == survey.EFORBIDDEN {
		s.noAccess(c, "sso.disabled")
		return
	} else if err != nil {
		s.fail(c, err)
		return
	}
	c.Set(userKey, user)
	switch did {
	case data.SSOCreated:
		s.audit(c, "user.add", "user:"+itoa64(user.ID), "role "+string(user.Role))
	case data.SSORoleSet:
		s.audit(c, "user.role", "user:"+itoa64(user.ID), "role "+string(user.Role))
	}
	s.audit(c, "login", "", "method sso")
	s.setCookie(c.Writer, userCookie, token, 0)
	s.setCookie(c.Writer, signOnCookie, "sso", 0)
	next := safeReturn(id.Next)
	if next == "/" {
		next = homeOf(user.Role)
	}
	c.Redirect(http.StatusSeeOther, next)
}

// noAccess answers someone the provider knows but Lederradar gives no
// staff access: 403, no session.
func (s *Server) noAccess(c *gin.Context, key string) {
	s.audit(c, "login.failed", "", "method sso")
	s.renderError(c, http.StatusForbidden, key)
}

// claimedRole is the role the roles claim's values give: administrator
// over HR; empty for neither.
func claimedRole(values []string) survey.Role {
	var role survey.Role
	for _, v := range values {
		switch {
		case v == claimAdmin:
			return survey.RoleAdmin
		case v == claimHR:
			role = survey.RoleHR
		}
	}
	return role
}
