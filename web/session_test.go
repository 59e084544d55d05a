package web_test

// The session time-out warning for HR and administrators (WCAG 2.2.1):
// what staff pages tell session.js, and POST /session/extend. The browser
// test of the dialog is TestBrowserSessionTimeout.

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"lederradar/survey"
	"lederradar/web"
)

// testClock is a settable clock for the server and the database.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// sessionEnv is env with an HR and an administrator account, a clock the
// test moves, and the staff session times of cfg.
func sessionEnv(t *testing.T, opts ...func(*web.Config)) (*env, *testClock) {
	t.Helper()
	clk := &testClock{t: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
	e := newEnv(t, append([]func(*web.Config){func(c *web.Config) { c.Now = clk.Now }}, opts...)...)
	e.db.Now = clk.Now
	ctx := context.Background()
	for _, role := range []survey.Role{survey.RoleHR, survey.RoleAdmin} {
		hash := cheapHash(staffPassword)
		must(t, e.db.CreateUser(ctx, &survey.User{Email: string(role) + "@example.dk", Role: role}, hash))
	}
	return e, clk
}

func (e *env) staffCookie(t *testing.T, email string) *http.Cookie {
	t.Helper()
	return (&staffEnv{env: e}).staffLogin(t, email)
}

var sessionAttrRE = regexp.MustCompile(`<body data-session-idle="(\d+)" data-session-max="(\d+)" data-session-warn="(\d+)">`)

func TestSessionWarningOnStaffPages(t *testing.T) {
	t.Parallel()
	e, _ := sessionEnv(t)
	hr := e.staffCookie(t, "hr@example.dk")
	admin := e.staffCookie(t, "admin@example.dk")

	for _, tt := range []struct {
		name    string
		path    string
		cookies []*http.Cookie
		want    []string
	}{
		{"HR in Danish", "/hr", []*http.Cookie{hr},
			[]string{"Du bliver logget ud om 2 minutter på grund af inaktivitet. Vil du fortsætte?", ">Fortsæt</button>",
				"Du bliver logget ud om 2 minutter, fordi en session højst kan vare 12 timer.", "Du er logget ud", `href="/login?next=/hr"`}},
		{"administrator in English", "/admin/people", []*http.Cookie{admin, {Name: "lang", Value: "en"}},
			[]string{"You will be logged out in 2 minutes because of inactivity. Do you want to continue?", ">Continue</button>",
				"because a session can last at most 12 hours", "You are logged out", `href="/login?next=/admin/people"`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := e.do(request{path: tt.path, cookies: tt.cookies})
			if w.Code != http.StatusOK {
				t.Fatalf("GET %s = %d", tt.path, w.Code)
			}
			body := w.Body.String()
			m := sessionAttrRE.FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("no session times on <body>:\n%.600s", body)
			}
			// A fresh log-in: the whole idle time and 12 hours left.
			if m[1] != "1800" || m[2] != "43200" || m[3] != "120" {
				t.Errorf("session idle %s s, max %s s, warning %s s; want 1800, 43200, 120", m[1], m[2], m[3])
			}
			if !regexp.MustCompile(`<script src="/static/js/session\.[0-9a-f]+\.js"></script>`).MatchString(body) {
				t.Error("staff page does not load session.js")
			}
			if !strings.Contains(body, `<dialog id="session-dialog" class="session" role="alertdialog"`) {
				t.Error("staff page has no session dialog")
			}
			for _, s := range tt.want {
				if !strings.Contains(body, s) {
					t.Errorf("page lacks %q", s)
				}
			}
		})
	}

	t.Run("not on other pages", func(t *testing.T) {
		leader := e.login(e.token)
		for _, r := range []request{
			{path: "/"},
			{path: "/login"},
			{path: "/survey/1", cookies: []*http.Cookie{leader}},
			{path: "/review", cookies: []*http.Cookie{leader}},
		} {
			w := e.do(r)
			if body := w.Body.String(); strings.Contains(body, "data-session-") || strings.Contains(body, "session-dialog") || strings.Contains(body, "js/session.") {
				t.Errorf("%s (%d) carries the staff session warning", r.path, w.Code)
			}
		}
	})
}

func TestExtendSession(t *testing.T) {
	t.Parallel()
	// Shorter than the minute within which reading a session does not
	// write last_seen_at: only an explicit extension keeps it alive.
	const idle, maxAge = 40 * time.Second, 3 * time.Minute
	e, clk := sessionEnv(t, func(c *web.Config) {
		c.StaffIdle, c.StaffMax, c.StaffWarning = idle, maxAge, 10*time.Second
	})
	hr := e.staffCookie(t, "hr@example.dk")
	admin := e.staffCookie(t, "admin@example.dk")
	leader := e.login(e.token)

	extend := func(t *testing.T, cookies ...*http.Cookie) (int, map[string]any) {
		t.Helper()
		w := e.do(request{method: http.MethodPost, path: "/session/extend", cookies: cookies})
		var got map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
			t.Fatalf("POST /session/extend = %d, not JSON: %s", w.Code, w.Body.String())
		}
		if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("Content-Type %q", ct)
		}
		assertSecurityHeaders(t, w.Header())
		return w.Code, got
	}
	hrPage := func(t *testing.T) (int, []string) {
		t.Helper()
		w := e.do(request{path: "/hr", cookies: []*http.Cookie{hr}})
		return w.Code, sessionAttrRE.FindStringSubmatch(w.Body.String())
	}

	t.Run("anonymous and leaders refused", func(t *testing.T) {
		for name, cookies := range map[string][]*http.Cookie{
			"anonymous":    nil,
			"leader":       {leader},
			"forged":       {{Name: "lr_user", Value: strings.Repeat("A", 43)}},
			"leader token": {{Name: "lr_user", Value: leader.Value}},
		} {
			if code, got := extend(t, cookies...); code != http.StatusUnauthorized || got["idle"] != nil {
				t.Errorf("%s: POST /session/extend = %d %v, want 401 and no times", name, code, got)
			}
		}
	})

	t.Run("only POST", func(t *testing.T) {
		if w := e.do(request{path: "/session/extend", cookies: []*http.Cookie{hr}}); w.Code != http.StatusMethodNotAllowed {
			t.Errorf("GET /session/extend = %d, want 405", w.Code)
		}
	})

	t.Run("cross-origin refused", func(t *testing.T) {
		w := e.do(request{method: http.MethodPost, path: "/session/extend", cookies: []*http.Cookie{hr},
			header: map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}})
		if w.Code != http.StatusForbidden {
			t.Errorf("cross-site POST /session/extend = %d, want 403", w.Code)
		}
	})

	t.Run("extends the idle time, not the hard end", func(t *testing.T) {
		clk.Add(30 * time.Second)
		// A page view within the minute does not touch the session: 10 s left.
		if code, m := hrPage(t); code != http.StatusOK || m == nil || m[1] != "10" || m[2] != "150" {
			t.Fatalf("GET /hr after 30 s = %d, times %q; want 200 with 10 s idle and 150 s in all left", code, m)
		}
		code, got := extend(t, hr, &http.Cookie{Name: "lang", Value: "en"})
		if code != http.StatusOK || got["idle"] != 40.0 || got["max"] != 150.0 {
			t.Fatalf("POST /session/extend = %d %v, want 200 {idle: 40, max: 150}", code, got)
		}
		if code, got := extend(t, admin); code != http.StatusOK || got["idle"] != 40.0 {
			t.Errorf("the administrator's POST /session/extend = %d %v, want 200 {idle: 40}", code, got)
		}
		// 30 s later the session would have ended at 40 s without the extension.
		clk.Add(30 * time.Second)
		if code, m := hrPage(t); code != http.StatusOK || m == nil || m[1] != "10" {
			t.Fatalf("GET /hr 30 s after extending = %d, times %q; want 200 with 10 s idle left", code, m)
		}
		for i := range 5 { // 60 … 140 s: kept alive by extending every 20 s
			if i > 0 {
				clk.Add(20 * time.Second)
			}
			if code, got := extend(t, hr); code != http.StatusOK {
				t.Fatalf("POST /session/extend at %v = %d %v", clk.Now(), code, got)
			}
		}
		if code, got := extend(t, hr); code != http.StatusOK || got["max"] != 40.0 {
			t.Errorf("POST /session/extend 140 s in = %d %v, want max 40", code, got)
		}
		clk.Add(40 * time.Second) // 180 s: the hard end
		if code, _ := extend(t, hr); code != http.StatusUnauthorized {
			t.Errorf("POST /session/extend at the hard end = %d, want 401", code)
		}
		if w := e.do(request{path: "/hr", cookies: []*http.Cookie{hr}}); w.Code != http.StatusSeeOther {
			t.Errorf("GET /hr after the hard end = %d, want 303 to the log-in", w.Code)
		}
	})

	t.Run("an idle session ends", func(t *testing.T) {
		hr := e.staffCookie(t, "hr@example.dk")
		clk.Add(idle)
		if code, _ := extend(t, hr); code != http.StatusUnauthorized {
			t.Errorf("POST /session/extend after %v idle = %d, want 401", idle, code)
		}
	})
}

func TestStaffSessionConfig(t *testing.T) {
	t.Parallel()
	db := mustOpenDB(t)
	in, err := survey.DefaultInstrument()
	must(t, err)
	logger := slog.New(slog.DiscardHandler)
	for _, tt := range []struct {
		idle, max, warning time.Duration
		ok                 bool
	}{
		{0, 0, 0, true},
		{8 * time.Second, time.Minute, 5 * time.Second, true},
		{time.Minute, 0, time.Minute, false},          // warning not before the idle end
		{0, 0, 500 * time.Millisecond, false},         // under a second
		{500 * time.Millisecond, 0, 0, false},         // idle under a second
		{0, 0, 31 * time.Minute, false},               // longer than the default idle
		{-time.Minute, 0, 0, false},                   // negative
		{0, 12 * time.Hour, 2 * time.Minute, true},    // the defaults, spelt out
		{30 * time.Minute, 0, 29 * time.Minute, true}, // early but valid
		{30 * time.Minute, time.Hour, time.Second, true},
	} {
		_, err := web.New(web.Config{DB: db, Instrument: in, Logger: logger, BaseURL: "http://127.0.0.1:8080",
			StaffIdle: tt.idle, StaffMax: tt.max, StaffWarning: tt.warning})
		if (err == nil) != tt.ok {
			t.Errorf("idle %v, max %v, warning %v: err %v, want ok %v", tt.idle, tt.max, tt.warning, err, tt.ok)
		}
	}
}
