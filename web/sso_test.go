package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/internal/sso"
	"lederradar/internal/ssotest"
	"lederradar/survey"
	"lederradar/web"
)

// ssoEnv is env with single sign-on through a real OpenID provider
// running beside it (ssotest): HR from the roles claim, an administrator
// and a disabled account made beforehand, and people the provider knows
// but Lederradar gives nothing.
type ssoEnv struct {
	*env
	op *ssotest.Provider
}

const ssoCallback = "http://127.0.0.1:8080/login/sso/callback"

func newSSOEnv(t *testing.T, opts ...func(*web.Config)) *ssoEnv {
	t.Helper()
	op := ssotest.New(t, ssoCallback)
	withSSO := func(c *web.Config) {
		p, err := sso.New(context.Background(), sso.Config{Issuer: op.Issuer, ClientID: ssotest.ClientID,
			ClientSecret: ssotest.ClientSecret, RedirectURL: c.BaseURL + "/login/sso/callback", RolesClaim: "roles"}, c.DB)
		if err != nil {
			t.Fatal(err)
		}
		c.SSO = p
	}
	e := &ssoEnv{env: newEnv(t, append([]func(*web.Config){withSSO}, opts...)...), op: op}
	ctx := context.Background()
	for _, u := range []survey.User{{Email: "admin@kommune.dk", Role: survey.RoleAdmin},
		{Email: "gone@kommune.dk", Role: survey.RoleHR, Disabled: true}} {
		must(t, e.db.CreateUser(ctx, &u, cheapHash("a-long-and-unusual-passphrase")))
	}
	for _, u := range []ssotest.User{
		{Email: "hanne@kommune.dk", Name: "Hanne HR", Roles: []string{"lederradar-hr"}},
		{Email: "Admin@Kommune.dk", Name: "Anders Admin"},
		{Email: "gone@kommune.dk"},
		{Email: "nobody@kommune.dk", Roles: []string{"sales"}},
		{Email: "stranger@kommune.dk"},
		{Email: e.person.Email, Name: e.person.Name},
	} {
		op.AddUser(u)
	}
	return e
}

// cookieOf returns the cookie w sets with the given name (with or
// without the __Host- prefix), or nil.
func cookieOf(w *httptest.ResponseRecorder, name string) *http.Cookie {
	for _, c := range w.Result().Cookies() {
		if strings.TrimPrefix(c.Name, "__Host-") == name && c.MaxAge >= 0 {
			return c
		}
	}
	return nil
}

// start asks for a sign-in at path and returns where the browser is
// sent (the provider) and the cookie that binds the sign-in to it.
func (e *ssoEnv) start(path string) (string, *http.Cookie) {
	e.t.Helper()
	w := e.do(request{path: path})
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), e.op.Issuer) {
		e.t.Fatalf("GET %s = %d to %q, want 303 to the provider", path, w.Code, w.Header().Get("Location"))
	}
	bind := cookieOf(w, "lr_sso")
	if bind == nil || !bind.HttpOnly || bind.SameSite != http.SameSiteLaxMode || bind.MaxAge <= 0 {
		e.t.Fatalf("the sign-in's cookie = %+v, want a short-lived HttpOnly SameSite=Lax one", bind)
	}
	return w.Header().Get("Location"), bind
}

// signOn signs email in from path, and returns the callback's request
// (to send again) and its answer.
func (e *ssoEnv) signOn(path, email string) (request, *httptest.ResponseRecorder) {
	e.t.Helper()
	authURL, bind := e.start(path)
	cb := e.op.SignIn(e.t, authURL, email)
	if got := "http://" + cb.Host + cb.Path; got != ssoCallback {
		e.t.Fatalf("the provider returned to %s", got)
	}
	r := request{path: cb.RequestURI(), cookies: []*http.Cookie{bind}}
	return r, e.do(r)
}

func TestSingleSignOnStaff(t *testing.T) {
	t.Parallel()
	e := newSSOEnv(t)
	granted := func(home string) func(t *testing.T, w *httptest.ResponseRecorder) {
		return func(t *testing.T, w *httptest.ResponseRecorder) {
			if got := w.Header().Get("Location"); got != home {
				t.Errorf("sent to %q, want %q", got, home)
			}
			c := cookieOf(w, "lr_user")
			if c == nil {
				t.Fatal("no staff session cookie")
			}
			if page := e.do(request{path: home, cookies: []*http.Cookie{c}}); page.Code != http.StatusOK {
				t.Errorf("GET %s with the session = %d", home, page.Code)
			}
		}
	}
	refused := func(t *testing.T, w *httptest.ResponseRecorder) {
		if c := cookieOf(w, "lr_user"); c != nil {
			t.Errorf("a refused sign-in got a session cookie")
		}
	}
	for _, tt := range []struct {
		name, path, email string
		prepare           func()
		want              scenario
		log               string // why, as the log says
	}{
		{"HR from the roles claim", "/login/sso", "hanne@kommune.dk", nil,
			scenario{wantStatus: http.StatusSeeOther, after: granted("/hr")}, ""},
		{"an administrator made beforehand, returning where they were", "/login/sso?next=/admin/people", "Admin@Kommune.dk", nil,
			scenario{wantStatus: http.StatusSeeOther, after: granted("/admin/people")}, ""},
		{"a role the claim does not give", "/login/sso", "nobody@kommune.dk", nil,
			scenario{wantStatus: http.StatusForbidden, want: []string{"har ikke adgang til Lederradar"}, after: refused}, ""},
		{"no claim and no account", "/login/sso", "stranger@kommune.dk", nil,
			scenario{wantStatus: http.StatusForbidden, want: []string{"har ikke adgang til Lederradar"}, after: refused}, ""},
		{"a disabled account", "/login/sso", "gone@kommune.dk", nil,
			scenario{wantStatus: http.StatusForbidden, want: []string{"spærret"}, after: refused}, ""},
		{"an ID token for another application", "/login/sso", "hanne@kommune.dk", func() { e.op.IssueFor(ssotest.OtherClientID) },
			scenario{wantStatus: http.StatusUnauthorized, want: []string{"kunne ikke bekræftes"}, after: refused}, "for another application"},
		{"an expired ID token", "/login/sso", "hanne@kommune.dk", e.op.IssueExpired,
			scenario{wantStatus: http.StatusUnauthorized, want: []string{"kunne ikke bekræftes"}, after: refused}, "has expired"},
		{"another sign-in's nonce", "/login/sso", "hanne@kommune.dk", func() { e.op.IssueNonce("replayed") },
			scenario{wantStatus: http.StatusUnauthorized, want: []string{"kunne ikke bekræftes"}, after: refused}, "nonce does not match"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e.op.IssueNormally()
			if tt.prepare != nil {
				tt.prepare()
			}
			_, w := e.signOn(tt.path, tt.email)
			tt.want.check(t, w)
			if !strings.Contains(e.logs.String(), tt.log) {
				t.Errorf("the log does not say %q:\n%s", tt.log, e.logs)
			}
		})
	}
	t.Run("PKCE was sent, with S256", func(t *testing.T) {
		for _, ch := range e.op.Challenges() {
			if ch.Method != "S256" || ch.Challenge == "" {
				t.Errorf("challenge %+v, want S256", ch)
			}
		}
		if n := len(e.op.Challenges()); n != 8 {
			t.Errorf("%d challenges, want one per sign-in", n)
		}
	})
	t.Run("the audit log says how", func(t *testing.T) {
		entries, err := e.db.FindAudit(context.Background(), 0)
		must(t, err)
		var got []string
		for _, en := range entries {
			got = append(got, en.Action+" "+en.Detail)
		}
		all := strings.Join(got, "\n")
		for _, want := range []string{"login method sso", "user.add role hr", "login.failed method sso"} {
			if !strings.Contains(all, want) {
				t.Errorf("audit log lacks %q:\n%s", want, all)
			}
		}
	})
}

func TestSingleSignOnState(t *testing.T) {
	t.Parallel()
	e := newSSOEnv(t)
	r, w := e.signOn("/login/sso", "hanne@kommune.dk")
	if w.Code != http.StatusSeeOther {
		t.Fatalf("first callback = %d", w.Code)
	}
	t.Run("the same callback again is refused", func(t *testing.T) {
		w := e.do(r)
		scenario{wantStatus: http.StatusBadRequest, want: []string{"udløbet eller allerede brugt"}}.check(t, w)
		if cookieOf(w, "lr_user") != nil {
			t.Error("a replayed callback got a session")
		}
	})
	t.Run("a callback in a browser that did not start it is refused", func(t *testing.T) {
		authURL, _ := e.start("/login/sso")
		cb := e.op.SignIn(t, authURL, "hanne@kommune.dk")
		w := e.do(request{path: cb.RequestURI()})
		scenario{wantStatus: http.StatusBadRequest}.check(t, w)
	})
	t.Run("a cancelled sign-in says so", func(t *testing.T) {
		_, bind := e.start("/login/sso")
		w := e.do(request{path: "/login/sso/callback?error=access_denied&state=" + url.QueryEscape(bind.Value), cookies: []*http.Cookie{bind}})
		scenario{wantStatus: http.StatusUnauthorized, want: []string{"afbrudt eller afvist"}}.check(t, w)
	})
}

func TestSingleSignOut(t *testing.T) {
	t.Parallel()
	e := newSSOEnv(t)
	_, w := e.signOn("/login/sso", "hanne@kommune.dk")
	session, via := cookieOf(w, "lr_user"), cookieOf(w, "lr_signon")
	if session == nil || via == nil {
		t.Fatalf("cookies = %v", w.Result().Cookies())
	}
	out := e.do(request{method: http.MethodPost, path: "/logout", cookies: []*http.Cookie{session, via}})
	end, err := url.Parse(out.Header().Get("Location"))
	if out.Code != http.StatusSeeOther || err != nil || !strings.HasPrefix(end.String(), e.op.Issuer) {
		t.Fatalf("POST /logout = %d to %q, want the provider's sign-out", out.Code, end)
	}
	if csp := out.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self' "+e.op.Issuer) {
		t.Errorf("CSP %q does not let the log-out form go on to the provider", csp)
	}
	back := e.op.SignIn(t, end.String(), "")
	if back.String() != "http://127.0.0.1:8080/login?ended=1" {
		t.Errorf("the provider sent the browser back to %s", back)
	}
	if got := e.op.Ended(); len(got) != 1 || got[0] != ssotest.ClientID {
		t.Errorf("the provider ended %v, want our client's session", got)
	}
	if w := e.do(request{path: "/hr", cookies: []*http.Cookie{session}}); w.Code != http.StatusSeeOther ||
		!strings.HasPrefix(w.Header().Get("Location"), "/login") {
		t.Errorf("GET /hr after signing out = %d to %q, want the log-in", w.Code, w.Header().Get("Location"))
	}
	t.Run("a password session signs out here only", func(t *testing.T) {
		out := e.do(request{method: http.MethodPost, path: "/logout"})
		if got := out.Header().Get("Location"); got != "/login?ended=1" {
			t.Errorf("sent to %q", got)
		}
	})
}

func TestLocalLoginOff(t *testing.T) {
	t.Parallel()
	e := newSSOEnv(t, func(c *web.Config) { c.LocalLoginOff = true })
	scenario{wantStatus: http.StatusOK, want: []string{`href="/login/sso"`, "Log ind med organisationens konto"},
		notWant: []string{`type="password"`, `action="/login"`}}.check(t, e.do(request{path: "/login"}))
	w := e.do(request{method: http.MethodPost, path: "/login", form: url.Values{"email": {"admin@kommune.dk"}, "password": {"a-long-and-unusual-passphrase"}}})
	scenario{wantStatus: http.StatusNotFound, want: []string{"adgangskode er slået fra"}}.check(t, w)
	if cookieOf(w, "lr_user") != nil {
		t.Error("a password log-in got a session with local log-in off")
	}
	t.Run("with local log-in on, both are offered", func(t *testing.T) {
		e := newSSOEnv(t)
		scenario{wantStatus: http.StatusOK, want: []string{`href="/login/sso"`, `type="password"`, "/login/sso?as=leader"}}.
			check(t, e.do(request{path: "/login"}))
	})
	t.Run("off without single sign-on does not start", func(t *testing.T) {
		cfg := e.cfg
		cfg.SSO, cfg.LocalLoginOff = nil, true
		if _, err := web.New(cfg); err == nil || !strings.Contains(err.Error(), "nobody could sign in") {
			t.Errorf("web.New = %v, want a refusal", err)
		}
	})
	t.Run("without single sign-on its routes are not found", func(t *testing.T) {
		plain := newEnv(t)
		for _, p := range []string{"/login/sso", "/login/sso/callback?state=x&code=y"} {
			if w := plain.do(request{path: p}); w.Code != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404", p, w.Code)
			}
		}
	})
}

// personSession signs person in as the organisation's provider would
// (data.CreatePersonSession) and returns the cookie.
func (e *secEnv) personSession(personID int64) *http.Cookie {
	e.tb.Helper()
	token, hash := auth.NewToken()
	must(e.tb, e.db.CreatePersonSession(context.Background(), hash, personID, 8*time.Hour, 24*time.Hour))
	return &http.Cookie{Name: "lr_person", Value: token}
}

// busyStore keeps sign-ins as the database does, but refuses to start one
// as the database does when too many are waiting.
type busyStore struct{ sso.Store }

func (busyStore) SavePending(context.Context, sso.Pending) error { return data.ErrTooManySignIns }

func TestSingleSignOnBusy(t *testing.T) {
	t.Parallel()
	op := ssotest.New(t, ssoCallback)
	e := newEnv(t, func(c *web.Config) {
		p, err := sso.New(context.Background(), sso.Config{Issuer: op.Issuer, ClientID: ssotest.ClientID,
			ClientSecret: ssotest.ClientSecret, RedirectURL: c.BaseURL + "/login/sso/callback"}, busyStore{c.DB})
		if err != nil {
			t.Fatal(err)
		}
		c.SSO = p
	})
	for _, path := range []string{"/login/sso", "/login/sso?as=leader"} {
		w := e.do(request{path: path})
		scenario{wantStatus: http.StatusServiceUnavailable, want: []string{"Der er travlt lige nu"}}.check(t, w)
		if w.Header().Get("Retry-After") == "" || cookieOf(w, "lr_sso") != nil {
			t.Errorf("GET %s: Retry-After %q, sign-in cookie %v; want a time to come back and no cookie", path, w.Header().Get("Retry-After"), cookieOf(w, "lr_sso"))
		}
	}
}
