// Package web serves Lederradar's pages and API with Gin: routes, handlers,
// middleware, templates, embedded static assets, charts and message
// catalogues. Handlers translate HTTP to calls on data and scoring and back;
// they hold no business rules.
package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/internal/links"
	"lederradar/internal/mail"
	"lederradar/internal/sso"
	"lederradar/scoring"
	"lederradar/survey"
)

// Config is what the server needs from its caller.
type Config struct {
	DB *data.DB
	// Instrument is the current instrument: the one new rounds use and the
	// API describes.
	Instrument *survey.Instrument
	Logger     *slog.Logger
	// BaseURL is the public address, e.g. https://lederradar.kommune.dk.
	// When it is https, cookies get Secure and the __Host- prefix.
	BaseURL string
	// TrustedProxies are the addresses whose X-Forwarded-For is believed.
	// Empty trusts none.
	TrustedProxies []string
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// MinGroup is the anonymity threshold: the fewest respondents a shown
	// group or competence may have. 0 means scoring.DefaultMinGroup; values
	// below scoring.MinGroupFloor are refused.
	MinGroup int
	// StaffIdle and StaffMax end an HR or administrator session after
	// that long unused and that long in any case; StaffWarning is how long
	// before either end the page warns (WCAG 2.2.1). 0 means the defaults:
	// 30 minutes, 12 hours and 2 minutes. Tests shorten them.
	StaffIdle, StaffMax, StaffWarning time.Duration
	// Privacy is what the privacy notice says and how long closed rounds
	// are kept (DESIGN.md C10).
	Privacy PrivacyConfig
	// LoginSleep waits out a log-in's delay before its password is
	// checked (auth.LoginDelay); nil means a timer that ends early when
	// the request does. Tests record the delays instead of waiting.
	LoginSleep func(ctx context.Context, d time.Duration) error
	// PasswordChecks is how many password checks may run at once, and
	// PasswordCheckWait how long a log-in waits for a turn before it gets
	// a busy page; 0 means one per processor (at most 4), and 10 seconds.
	PasswordChecks    int
	PasswordCheckWait time.Duration
	// DummyPasswordCheck spends, on a log-in with an unknown e-mail
	// address, the time a wrong password takes; nil means
	// auth.DummyPasswordCheck, which matches auth.HashPassword's
	// parameters. Tests whose accounts have cheaper hashes pass a check
	// as cheap.
	DummyPasswordCheck func(password string)
	// SSO is the organisation's OpenID provider that HR, administrators
	// and leaders may sign in with (login_sso.go); nil offers none.
	SSO *sso.Provider
	// LocalLoginOff turns the password log-in off: the form is not shown
	// and a posted one is refused. It needs SSO.
	LocalLoginOff bool
	// Mail sends invitations, reminders and thank-yous through the
	// organisation's relay; nil when mail is off. When it is on, the
	// round's page sends invitations by e-mail and the link files become
	// confirmed exports.
	Mail *mail.Worker
	// Assets are the static files served; nil loads them (LoadAssets).
	// Servers in one process may share a set: the tests do, so the files
	// are compressed once, not once per server.
	Assets *Assets
}

// Session lifetimes for leaders. A leader can always open their link again,
// so sessions can be short; they are long enough that a page left open over
// a meeting still saves.
const (
	leaderIdle = 8 * time.Hour
	leaderMax  = 24 * time.Hour
)

// maxFormBytes bounds a posted form. One questionnaire page is far below it.
const maxFormBytes = 64 << 10

// Server is the web application.
type Server struct {
	db         *data.DB
	instrument *survey.Instrument
	logger     *slog.Logger
	catalogues *Catalogues
	assets     *Assets
	pages      map[string]*template.Template // by page name
	baseURL    *url.URL
	secure     bool
	now        func() time.Time
	engine     *gin.Engine

	minGroup int

	privacy PrivacyConfig

	// loginSleep, loginClients and passwordChecks throttle log-ins
	// (login_page.go).
	loginSleep     func(ctx context.Context, d time.Duration) error
	loginClients   *loginClients
	passwordChecks *passwordChecks
	// dummyPasswordCheck is Config's DummyPasswordCheck.
	dummyPasswordCheck func(password string)

	// userIdle, userMax and sessionWarning are Config's StaffIdle,
	// StaffMax and StaffWarning.
	userIdle, userMax, sessionWarning time.Duration

	leaders leaderCache // what posted questionnaire pages know of their sessions

	// sso is Config's SSO; localLogin is whether passwords are taken.
	sso        *sso.Provider
	localLogin bool
	// csp is the content security policy when not the default
	// (middleware.go).
	csp string

	mail *mail.Worker // Config's Mail; nil: mail is off
}

// New builds the server: catalogues, assets and every page template are
// loaded here, so a missing one fails start-up, not a request.
func New(cfg Config) (*Server, error) {
	if cfg.DB == nil || cfg.Instrument == nil || cfg.Logger == nil {
		return nil, errors.New("web: DB, Instrument and Logger are required")
	}
	base, err := url.Parse(cfg.BaseURL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("web: base URL %q must be an absolute http or https URL", cfg.BaseURL)
	}
	s := &Server{
		db:         cfg.DB,
		instrument: cfg.Instrument,
		logger:     cfg.Logger,
		baseURL:    base,
		secure:     base.Scheme == "https",
		now:        cfg.Now,
		privacy:    cfg.Privacy,
		mail:       cfg.Mail,
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.loginSleep = cfg.LoginSleep
	if s.loginSleep == nil {
		s.loginSleep = sleepContext
	}
	s.dummyPasswordCheck = cfg.DummyPasswordCheck
	if s.dummyPasswordCheck == nil {
		s.dummyPasswordCheck = auth.DummyPasswordCheck
	}
	s.sso, s.localLogin = cfg.SSO, !cfg.LocalLoginOff
	if !s.localLogin && s.sso == nil {
		return nil, errors.New("web: password log-in is off and no single sign-on is configured: nobody could sign in")
	}
	s.csp = cspFor(s.sso)
	s.loginClients = newLoginClients(auth.LoginFailureWindow)
	s.passwordChecks = newPasswordChecks(cfg.PasswordChecks, cfg.PasswordCheckWait)
	if s.minGroup, err = checkMinGroup(cfg.MinGroup); err != nil {
		return nil, err
	}
	if s.userIdle, s.userMax, s.sessionWarning, err = staffSessionTimes(cfg); err != nil {
		return nil, err
	}
	if s.catalogues, err = LoadCatalogues(); err != nil {
		return nil, err
	}
	s.assets = cfg.Assets
	if s.assets == nil {
		if s.assets, err = LoadAssets(); err != nil {
			return nil, err
		}
	}
	if s.pages, err = pagesFor(s.assets); err != nil {
		return nil, err
	}
	gin.SetMode(gin.ReleaseMode)
	s.engine = gin.New()
	if err := s.engine.SetTrustedProxies(cfg.TrustedProxies); err != nil {
		return nil, fmt.Errorf("web: trusted proxies: %w", err)
	}
	s.engine.RedirectTrailingSlash = false
	s.engine.HandleMethodNotAllowed = true
	s.routes()
	return s, nil
}

// Handler returns the whole application as an http.Handler, with
// cross-origin request protection in front of every state-changing request.
func (s *Server) Handler() http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setSecurityHeaders(w.Header(), s.secure)
		http.Error(w, "Forbidden: cross-origin request refused.", http.StatusForbidden)
	}))
	return cop.Handler(s.engine)
}

// Routes lists every route as "METHOD path", for tests that walk them.
func (s *Server) Routes() []string {
	var out []string
	for _, r := range s.engine.Routes() {
		out = append(out, r.Method+" "+r.Path)
	}
	return out
}

// cookieName returns the name of a cookie: with the __Host- prefix when the
// site is served over https, which pins it to this host and path /.
func (s *Server) cookieName(name string) string {
	if s.secure {
		return "__Host-" + name
	}
	return name
}

// setCookie sets an HttpOnly, SameSite=Lax cookie on path /, Secure behind
// https. maxAge 0 makes a session cookie; negative deletes it.
func (s *Server) setCookie(w http.ResponseWriter, name, value string, maxAge int) {
	// #nosec G124 -- Secure (and the __Host- prefix) whenever the base URL is https; plain http on
	// localhost must keep working for the demo (DESIGN.md, security defaults).
	http.SetCookie(w, &http.Cookie{
		Name:     s.cookieName(name),
		Value:    value,
		Path:     "/",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   s.secure,
		SameSite: http.SameSiteLaxMode,
	})
}

// cookie returns the value of a cookie set with setCookie.
func (s *Server) cookie(r *http.Request, name string) string {
	c, err := r.Cookie(s.cookieName(name))
	if err != nil {
		return ""
	}
	return c.Value
}

// Link returns the public personal link for an invitation token.
func (s *Server) Link(token string) string {
	return links.For(s.baseURL.String(), token)
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

// checkMinGroup returns the anonymity threshold Config.MinGroup asks for:
// 0 is scoring.DefaultMinGroup, and values below scoring.MinGroupFloor
// are refused.
func checkMinGroup(asked int) (int, error) {
	if asked == 0 {
		return scoring.DefaultMinGroup, nil
	}
	if asked < scoring.MinGroupFloor {
		return 0, fmt.Errorf("web: min-group %d is below %d", asked, scoring.MinGroupFloor)
	}
	return asked, nil
}
