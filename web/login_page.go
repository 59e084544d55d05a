package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"lederradar/internal/auth"
	"lederradar/survey"
)

// Sessions of HR and administrators end after 30 minutes idle and 12 hours
// at most (DESIGN.md, security defaults); the page warns two minutes
// before. Config can shorten them for tests.
const (
	defaultUserIdle       = 30 * time.Minute
	defaultUserMax        = 12 * time.Hour
	defaultSessionWarning = 2 * time.Minute
)

// userCookie carries an HR or administrator session token.
const userCookie = "lr_user"

const userKey = "user"

type loginForm struct {
	Email    string `form:"email"`
	Password string `form:"password"`
	Next     string `form:"next"`
}

type loginView struct {
	Page
	Email string
	Next  string
	Error string
	// SSO offers the organisation's provider (SSOHref starts it), and
	// LocalLogin the password form.
	SSO        bool
	SSOHref    string
	LocalLogin bool
}

// loginViewFor is the log-in page's view, returning to next.
func (s *Server) loginViewFor(c *gin.Context, next string) loginView {
	v := loginView{Page: s.page(c, "login.title"), Next: safeReturn(next), SSO: s.sso != nil, LocalLogin: s.localLogin}
	v.SSOHref = "/login/sso"
	if v.Next != "/" {
		v.SSOHref += "?next=" + url.QueryEscape(v.Next)
	}
	return v
}

// loginPage shows the log-in form for HR and administrators.
func (s *Server) loginPage(c *gin.Context) {
	v := s.loginViewFor(c, c.Query("next"))
	if c.Query("ended") == "1" {
		v.Status = v.T.T("login.ended")
	}
	s.render(c, http.StatusOK, "login", v)
}

// login checks the password (argon2id) and starts a server-side session.
// Unknown accounts and wrong passwords get the same answer in the same time.
func (s *Server) login(c *gin.Context) {
	if !s.localLogin {
		s.renderError(c, http.StatusNotFound, "sso.local_off")
		return
	}
	var f loginForm
	if err := c.ShouldBind(&f); err != nil {
		s.renderError(c, http.StatusBadRequest, "error.invalid")
		return
	}
	ctx := c.Request.Context()
	email := strings.ToLower(strings.TrimSpace(f.Email))
	v := s.loginViewFor(c, f.Next)
	v.Email = email
	if email == "" || len(email) > 254 || f.Password == "" || len(f.Password) > 256 {
		v.Error = v.T.T("login.failed")
		s.render(c, http.StatusUnauthorized, "login", v)
		return
	}
	// Counted as failed before the password is checked, in the same
	// step that reads the count: attempts sent at once cannot all pass
	// on the same count (auth.LoginDelay has the scheme).
	attempt, err := s.db.BeginLoginAttempt(ctx, email, auth.LoginFailureWindow)
	if err != nil {
		s.fail(c, err)
		return
	}
	client, begun := loginClientKey(c.ClientIP()), s.now()
	delay := auth.LoginDelay(attempt.Failures, s.loginClients.begin(client, begun))
	if err := s.loginSleep(ctx, delay); err != nil {
		return // the client has gone; the attempt stays counted
	}
	var (
		user *survey.User
		ok   bool
	)
	checked := s.passwordChecks.run(ctx, func() {
		user, ok, err = s.checkPassword(ctx, email, f.Password)
	})
	if err != nil {
		s.fail(c, err)
		return
	}
	if !checked {
		// Too busy to check it: not a failure of the one who typed it.
		if err := s.db.ForgetLoginAttempt(context.WithoutCancel(ctx), attempt.ID); err != nil {
			s.logger.Error("login", "error", err)
		}
		s.loginClients.forget(client, begun)
		s.audit(c, "login.busy", "", "")
		v.Error = v.T.T("login.busy")
		c.Header("Retry-After", "5")
		s.render(c, http.StatusServiceUnavailable, "login", v)
		return
	}
	if !ok {
		s.audit(c, "login.failed", "", "")
		v.Error = v.T.T("login.failed")
		s.render(c, http.StatusUnauthorized, "login", v)
		return
	}
	if err := s.db.ClearLoginFailures(ctx, email); err != nil {
		s.fail(c, err)
		return
	}
	s.loginClients.forget(client, begun)
	token, tokenHash := auth.NewToken()
	if err := s.db.CreateUserSession(ctx, tokenHash, user.ID, s.userIdle, s.userMax); err != nil {
		s.fail(c, err)
		return
	}
	c.Set(userKey, user)
	s.audit(c, "login", "", "")
	s.setCookie(c.Writer, userCookie, token, 0)
	next := v.Next
	if next == "/" {
		next = homeOf(user.Role)
	}
	c.Redirect(http.StatusSeeOther, next)
}

// checkPassword reports whether password opens the account with the
// e-mail address; an unknown account costs the time of a wrong password.
func (s *Server) checkPassword(ctx context.Context, email, password string) (*survey.User, bool, error) {
	user, hash, err := s.db.FindUserByEmail(ctx, email)
	switch {
	case err == nil:
		return user, auth.CheckPassword(hash, password) && !user.Disabled, nil
	case survey.ErrorCode(err) == survey.ENOTFOUND:
		s.dummyPasswordCheck(password)
		return nil, false, nil
	}
	return nil, false, err
}

// homeOf is where a role starts.
func homeOf(r survey.Role) string {
	if r == survey.RoleAdmin {
		return "/admin"
	}
	return "/hr"
}

// logout ends the session on the server, not only in the browser: an
// HR or administrator session, and a leader's signed in with the
// organisation's provider. A session the provider made is ended there
// too, when the provider offers that; it then returns to the log-in page.
func (s *Server) logout(c *gin.Context) {
	ctx := c.Request.Context()
	if token := s.cookie(c.Request, userCookie); auth.WellFormedToken(token) {
		if err := s.db.DeleteSession(ctx, auth.HashToken(token)); err != nil {
			s.fail(c, err)
			return
		}
	}
	if token := s.cookie(c.Request, personCookie); auth.WellFormedToken(token) {
		if err := s.db.DeletePersonSession(ctx, auth.HashToken(token)); err != nil {
			s.fail(c, err)
			return
		}
	}
	viaSSO := s.cookie(c.Request, signOnCookie) != "" || s.cookie(c.Request, personCookie) != ""
	for _, name := range []string{userCookie, personCookie, signOnCookie} {
		s.setCookie(c.Writer, name, "", -1)
	}
	ended := "/login?ended=1"
	if viaSSO && s.sso != nil {
		if end := s.sso.EndSessionURL(s.baseURL.JoinPath("login").String() + "?ended=1"); end != "" {
			c.Redirect(http.StatusSeeOther, end)
			return
		}
	}
	c.Redirect(http.StatusSeeOther, ended)
}
