package web_test

// The accessibility and HTML-validity suite: every page a leader, an HR user
// and an administrator can reach in the demo, in Danish and English, at
// 1280 and 390 px wide, in headless Chromium against the app served
// in-process on a temporary database.
//
//	go test -race -run TestBrowserAccessibility -v ./web/
//
// On each page it injects axe-core (scripts/fetch-axe.sh installs the pinned
// npm package into .cache/) and runs the WCAG 2.0/2.1 A and AA rules, and
// checks what axe cannot see:
//
//   - no horizontal scrolling (scrollWidth ≤ innerWidth);
//   - tap targets of at least 44×44 CSS px (WCAG 2.5.5, see a11yTapRule);
//   - chart labels not clipped: every text of a chart's SVG lies inside the
//     chart's box, the radar's axis names above all.
//
// The HTML of every page, in both languages, as the server sends it (Go's
// client with the same session cookies), goes through the Nu HTML Checker
// (scripts/fetch-vnu.sh installs the pinned npm package vnu-jar) in one Java
// run: 0 errors.
//
// Every GET route of the app must be in the walk: one without parameters
// that the walk does not name is visited as whoever may see it (the public
// first, then a leader, HR, an administrator); one with parameters that the
// walk does not name fails the test.
//
// It skips when Chromium, npm (or the cached tools) or Java are missing,
// unless CI is set: CI must run it. With LEDERRADAR_SCREENSHOTS=1 it writes
// the README's screenshots to docs/screenshots/; with
// LEDERRADAR_A11Y_SUMMARY=FILE it writes its figures to FILE. While working
// on a few pages, LEDERRADAR_A11Y_ONLY=REGEXP walks only the visits so named.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"lederradar/data"
	"lederradar/internal/links"
	"lederradar/internal/orggen"
	"lederradar/internal/sso"
	"lederradar/internal/ssotest"
	"lederradar/survey"
	"lederradar/web"
)

// a11yWidths are the viewports every page is checked at: a desktop and a
// phone (390 px: an iPhone 12–15).
var a11yWidths = []struct{ width, height int64 }{{1280, 900}, {390, 844}}

// a11yTags are the axe-core rule tags run: WCAG 2.0 and 2.1, levels A and AA.
var a11yTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// a11yTapRule is the tap-target rule (WCAG 2.5.5 Target Size, 44×44 CSS px;
// AAA in 2.1, but the issue asks for it on phones). It applies to controls
// and navigation: every visible button, select, text-like input, the label
// of a radio button or checkbox (the label is the target; the box itself is
// inside it), and every link that is navigation — in a nav, the header, the
// breadcrumbs, an action list or a table cell, styled as a
// button, or standing alone as the only text of its paragraph or list item.
// A link inside running text (its paragraph has other text) is exempt, as
// WCAG's "inline" exception allows.
const a11yTapRule = "buttons, selects, text inputs, radio/checkbox labels and navigation links (nav, header, breadcrumbs, action lists, table cells, button-styled, or alone in their paragraph or list item) ≥ 44×44 CSS px; links in running text exempt"

// a11yVisit is one state of one page.
type a11yVisit struct {
	// Role is whose session the page is seen with: public, leader-new,
	// leader-half, leader-done, rater-new, rater-done, hr or admin.
	Role string
	// Name names the state in the report and in file names.
	Name string
	// Path is what the browser opens.
	Path string
	// Route is the route pattern the visit covers, e.g. /hr/rounds/:round.
	Route string
	// Status is what the page answers; 0 means 200.
	Status int
	// Form, when set, is submitted on the page at Path; the page checked is
	// the answer.
	Form *a11yForm
	// Screenshot, when set, names the README screenshot of this state
	// (Danish): NAME-desktop.png and NAME-phone.png.
	Screenshot string
}

// a11yForm is a form on a page, submitted with some fields set.
type a11yForm struct {
	// Action selects the form: form[action=Action]; it is also where the
	// HTML check posts.
	Action string
	// Fields are set in the browser's form and posted by the HTML check.
	Fields func() url.Values
	// Drop are fields removed from the browser's form before it is sent.
	Drop []string
	// File, when set, is uploaded in the file input named File.Field.
	File *a11yFile
}

type a11yFile struct {
	Field, Name, Content string
}

// a11yResult is what the checks found on one page at one width.
type a11yResult struct {
	Violations []struct {
		ID, Impact, Help, Target, Summary string
	}
	ScrollWidth, InnerWidth int
	Wide                    []string
	SmallTargets            []string
	Clipped                 []string
	Targets, ChartTexts     int
}

// a11yChecks runs in the page: axe-core, the width, the tap targets and the
// chart labels. axe must be loaded.
const a11yChecks = `(async () => {
  const res = await axe.run(document, {runOnly: {type: "tag", values: %s}, resultTypes: ["violations"]});
  const out = {Violations: [], Wide: [], SmallTargets: [], Clipped: [], Targets: 0, ChartTexts: 0};
  for (const v of res.violations) {
    for (const n of v.nodes) {
      out.Violations.push({ID: v.id, Impact: v.impact || "", Help: v.help, Target: n.target.map(String).join(" "), Summary: (n.failureSummary || "").replace(/\s+/g, " ").slice(0, 300)});
    }
  }
  const root = document.documentElement;
  out.ScrollWidth = root.scrollWidth;
  out.InnerWidth = window.innerWidth;
  if (root.scrollWidth > window.innerWidth) {
    // The culprits: elements reaching past the right edge, or whose content
    // does, outside any scrolling box.
    const scrolls = e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) { if (/auto|scroll|hidden/.test(getComputedStyle(a).overflowX)) return true; } return false; };
    out.Wide = Array.from(document.querySelectorAll("body *"))
      .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5 ||
        (getComputedStyle(e).overflowX === "visible" && e.getBoundingClientRect().left + e.scrollWidth > window.innerWidth + 0.5))
      .filter(e => !scrolls(e))
      .filter(e => !Array.from(e.children).some(c => c.getBoundingClientRect().right > window.innerWidth + 0.5))
      .slice(0, 8).map(describe);
  }

  function tag(e) {
    let s = e.tagName.toLowerCase();
    if (e.id) s += "#" + e.id;
    if (typeof e.className === "string" && e.className.trim()) s += "." + e.className.trim().split(/\s+/).join(".");
    return s;
  }
  function describe(e) {
    const p = e.parentElement, pp = p && p.parentElement;
    const t = (e.textContent || e.value || "").replace(/\s+/g, " ").trim().slice(0, 40);
    return (pp ? tag(pp) + " > " : "") + (p ? tag(p) + " > " : "") + tag(e) + (t ? " " + JSON.stringify(t) : "");
  }
  function shown(e) {
    if (e.closest(".visually-hidden")) return false;
    const st = getComputedStyle(e);
    if (st.visibility === "hidden" || st.display === "none") return false;
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0;
  }
  // Is the link navigation, or a link in running text? Running text is
  // words in the link's paragraph outside links and controls.
  function navLink(a) {
    if (a.closest("nav, header, .crumbs, ul.actions, td, th") || a.classList.contains("button")) return true;
    const block = a.parentElement.closest("p, li, dd, dt, div, caption, figcaption, h1, h2, h3, h4, section, main, footer");
    if (!block) return true;
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    let text = "";
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.parentElement.closest("a, button, select, label")) text += n.textContent;
    }
    return !/[\p{L}\p{N}]/u.test(text);
  }
  const targets = [];
  document.querySelectorAll("button, select, input, a[href], label").forEach(e => {
    if (e.matches("input[type=hidden], input[type=radio], input[type=checkbox]")) return;
    if (e.matches("label") && !e.querySelector("input[type=radio], input[type=checkbox]") &&
        !(e.htmlFor && document.getElementById(e.htmlFor) && document.getElementById(e.htmlFor).matches("input[type=radio], input[type=checkbox]"))) return;
    if (e.matches("a[href]") && !navLink(e)) return;
    if (!shown(e)) return;
    targets.push(e);
  });
  out.Targets = targets.length;
  for (const e of targets) {
    const r = e.getBoundingClientRect();
    if (r.width < 43.5 || r.height < 43.5) {
      out.SmallTargets.push(describe(e) + " " + Math.round(r.width) + "×" + Math.round(r.height));
    }
  }

  for (const c of document.querySelectorAll(".chart-canvas")) {
    const box = c.getBoundingClientRect();
    for (const t of c.querySelectorAll("svg text")) {
      const r = t.getBoundingClientRect();
      if (r.width === 0 || !t.textContent.trim()) continue;
      out.ChartTexts++;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) {
        out.Clipped.push("#" + c.id + " " + JSON.stringify(t.textContent.trim()) +
          " [" + [r.left, r.top, r.right, r.bottom].map(Math.round) + "] outside [" + [box.left, box.top, box.right, box.bottom].map(Math.round) + "]");
      }
    }
  }
  return out;
})()`

// a11ySettle waits two frames and a little more: long enough for a
// resize to reach the charts.
const a11ySettle = `new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => r(1), 80))))`

// a11yChartsReady is true once every chart on the page has drawn.
const a11yChartsReady = `Array.from(document.querySelectorAll(".chart-canvas")).every(c => c.classList.contains("chart-ready") && c.querySelector("svg"))`

func TestBrowserAccessibility(t *testing.T) {
	t.Parallel()
	chromium := browserExecPath(t)
	java := a11yJava(t)
	axePath := a11yTool(t, "fetch-axe.sh", "npm")
	vnuJar := a11yTool(t, "fetch-vnu.sh", "npm")
	axeSource, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatal(err)
	}
	axeVersion := a11yToolVersion(t, "fetch-axe.sh")
	vnuVersion := a11yToolVersion(t, "fetch-vnu.sh")

	start := time.Now()
	ctx, cancel := browserContext(t)
	defer cancel()

	app := startA11yApp(t, ctx)
	b, stop := startBrowser(t, ctx, chromium, app.baseURL)
	defer stop()
	version, err := chromedp.CallBrowser(b.ctx, browser.GetVersion, cdp.Empty{})
	if err != nil {
		t.Fatal(err)
	}
	_, chromiumVersion, _ := strings.Cut(version.Product, "/")

	// One browser context (its own cookies) and one HTTP client per role,
	// logged in side by side.
	roles := map[string]*a11ySession{}
	var mu sync.Mutex
	if !t.Run("log in", func(t *testing.T) {
		var wg sync.WaitGroup
		for _, role := range a11yRoles {
			wg.Go(func() { // side by side; see phase
				t.Run(role, func(t *testing.T) {
					s := app.session(t, b, role)
					mu.Lock()
					roles[role] = s
					mu.Unlock()
				})
			})
		}
		wg.Wait()
	}) {
		t.FailNow()
	}
	defer func() {
		for _, s := range roles {
			s.cancel()
		}
	}()

	// A draft round, so the administrator's pages show all three states.
	draft := app.createDraftRound(t, roles["admin"])
	visits := append(app.visits(t, roles, draft), app.raterVisits(t)...)
	visits = append(visits, app.mailVisits(t)...)
	closedVisits := app.closedVisits()

	// Parameterless GET routes the walk does not name (pages added since)
	// are visited as whoever may see them; parameterised ones must be named.
	visits = append(visits, app.discover(t, roles, append(slices.Clone(visits), closedVisits...))...)

	var shots string
	if os.Getenv("LEDERRADAR_SCREENSHOTS") == "1" {
		shots = filepath.Join("..", "docs", "screenshots")
		if err := os.MkdirAll(shots, 0o755); err != nil {
			t.Fatal(err)
		}
	}

	w := &a11yWalk{app: app, axe: string(axeSource), html: t.TempDir(), shots: shots, java: java, jar: vnuJar,
		files: map[string]string{}, routes: map[string]bool{}}
	if only := os.Getenv("LEDERRADAR_A11Y_ONLY"); only != "" {
		w.only = regexp.MustCompile(only) // for working on a few pages
	}
	w.phase(t, "open round", roles, visits)

	// The open round closes: the leaders' and HR's pages of a closed round.
	app.closeRound(t, roles["admin"], app.open.ID)
	must(t, app.db.CloseRound(context.Background(), app.threeSixtyRound.ID, 5))
	w.phase(t, "closed round", roles, closedVisits)

	// The checks are only worth something if they see a problem: make one
	// of each kind on a page and see that each is found.
	t.Run("the checks catch problems", func(t *testing.T) {
		w.selfTest(t, roles["leader-done"])
	})

	for _, role := range a11yRoles {
		for _, m := range roles[role].console.problems() {
			t.Errorf("browser console (%s): %s", role, m)
		}
	}

	// The Nu checker's runs, one per phase, went alongside the browser.
	vnuErrors := w.vnuWait(t)

	checks := w.pages * 2 * len(a11yWidths)
	summary := fmt.Sprintf("accessibility: %d page states (%d routes) × 2 languages × %d widths = %d page checks; "+
		"axe-core %s (%s): %d violations; tap targets checked %d, too small %d; chart texts checked %d, clipped %d; "+
		"sideways scrolling %d; Nu HTML checker %s: %d documents, %d errors; Chromium %s; %s",
		w.pages, len(w.routes), len(a11yWidths), checks,
		axeVersion, strings.Join(a11yTags, ","), w.violations, w.targets, w.small, w.chartTexts, w.clipped,
		w.wide, vnuVersion, len(w.files), vnuErrors, chromiumVersion, time.Since(start).Round(time.Second))
	t.Log(summary)
	t.Logf("tap-target rule: %s", a11yTapRule)
	fmt.Println(summary)
	if f := os.Getenv("LEDERRADAR_A11Y_SUMMARY"); f != "" {
		if err := os.WriteFile(f, []byte(summary+"\n"), 0o644); err != nil {
			t.Error(err)
		}
	}
	if w.only == nil && w.pages < web.AccessibilityPagesChecked {
		t.Errorf("the accessibility statement says %d page states are checked; the suite checked %d: correct web.AccessibilityPagesChecked",
			web.AccessibilityPagesChecked, w.pages)
	}
	if axeVersion != web.AccessibilityAxeVersion || vnuVersion != web.AccessibilityVnuVersion {
		t.Errorf("the accessibility statement names axe-core %s and vnu %s; the suite uses %s and %s: update web/accessibility_page.go",
			web.AccessibilityAxeVersion, web.AccessibilityVnuVersion, axeVersion, vnuVersion)
	}
}

// a11yRoles are the sessions the walk uses: nobody logged in, three
// leaders (not started, half-way, submitted), a leader in a 360 round,
// two raters (not started, submitted), HR, an administrator, and the
// submitted leader signed in with the organisation's provider.
var a11yRoles = []string{"public", "leader-new", "leader-half", "leader-done", "leader-360", "rater-new", "rater-done", "hr", "admin", "leader-sso"}

// a11yTool runs one of the scripts that install the pinned npm tools and
// returns the path it printed. Without npm (and nothing cached) the test
// skips, except in CI.
func a11yTool(t *testing.T, script, needs string) string {
	t.Helper()
	cmd := exec.Command("bash", filepath.Join("..", "scripts", script))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := fmt.Sprintf("scripts/%s: %v\n%s", script, err, stderr.String())
		if _, lerr := exec.LookPath(needs); lerr != nil && os.Getenv("CI") == "" {
			t.Skipf("%s is not installed: %s", needs, msg)
		}
		t.Fatal(msg)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	return lines[len(lines)-1]
}

func a11yToolVersion(t *testing.T, script string) string {
	t.Helper()
	out, err := exec.Command("bash", filepath.Join("..", "scripts", script), "--version").Output()
	if err != nil {
		t.Fatalf("scripts/%s --version: %v", script, err)
	}
	return strings.TrimSpace(string(out))
}

// a11yJava finds Java for the Nu checker; without it the test skips, except
// in CI (.ci/run installs default-jre-headless).
func a11yJava(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("java")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("no java in PATH, and CI requires the HTML check (.ci/run installs default-jre-headless)")
		}
		t.Skip("no java in PATH: the Nu HTML checker needs it")
	}
	return p
}

// a11yApp is the demo served in-process, with the handles the walk needs.
type a11yApp struct {
	baseURL string
	server  *web.Server
	db      *data.DB
	links   map[string]orggen.DemoLink // by state: not started, half-way, submitted
	// raters are the links of two 360 raters of the leader who has not
	// started (demoRaters), by role: rater-new, rater-done.
	raters map[string]string
	logins []orggen.Account
	// The demo's rounds: earlier and closed are closed, open is open.
	earlier, closed, open *survey.Round
	// threeSixty is the link of a leader in a 360 round of her own,
	// open until the walk's closed phase (seed360Leader).
	threeSixty      string
	threeSixtyRound survey.Round
	// op is the organisation's OpenID provider (ssotest), for the log-in
	// page's sign-on button and a leader's rounds.
	op *ssotest.Provider
}

func startA11yApp(t *testing.T, ctx context.Context) *a11yApp {
	t.Helper()
	d := seedDemo(t, ctx)
	db, in, seeded, links := d.db, d.in, d.seeded, d.links
	var err error
	app := &a11yApp{db: db, logins: d.logins, links: map[string]orggen.DemoLink{}}
	for _, l := range links {
		app.links[l.State] = l
	}
	for _, state := range []string{"not started", "half-way", "submitted"} {
		if _, ok := app.links[state]; !ok {
			t.Fatalf("the demo has no %q leader: %+v", state, links)
		}
	}
	app.raters = map[string]string{}
	app.raters["rater-new"], app.raters["rater-done"] = demoRaters(t, db, in, app.links["not started"].Token)
	year := seeded.Year()
	for _, r := range []struct {
		round **survey.Round
		name  string
	}{{&app.earlier, fmt.Sprintf("Efterår %d", year-1)}, {&app.closed, fmt.Sprintf("Forår %d", year)}, {&app.open, fmt.Sprintf("Efterår %d", year)}} {
		if *r.round, err = db.FindRoundByName(ctx, r.name); err != nil {
			t.Fatalf("demo round %q: %v", r.name, err)
		}
	}

	app.threeSixty, app.threeSixtyRound = seed360Leader(t, ctx, db, in, "360 tilgængelighed")

	ts := httptest.NewUnstartedServer(nil)
	app.baseURL = "http://" + ts.Listener.Addr().String()
	app.op = ssotest.New(t, app.baseURL+"/login/sso/callback")
	provider, err := sso.New(ctx, sso.Config{Issuer: app.op.Issuer, ClientID: ssotest.ClientID, ClientSecret: ssotest.ClientSecret,
		RedirectURL: app.baseURL + "/login/sso/callback", RolesClaim: "roles"}, db)
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	app.server, err = web.New(web.Config{DB: db, Instrument: in, Logger: logger, BaseURL: app.baseURL,
		Privacy: web.PrivacyConfig{OrgName: "Demo Kommune", Contact: "hr@demo.kommune.dk"},
		Assets:  testAssets(t), DummyPasswordCheck: cheapDummyCheck, SSO: provider, Mail: a11yMailer(t, db, app.baseURL)})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = app.server.Handler()
	ts.Config.ErrorLog = slog.NewLogLogger(logger.Handler(), slog.LevelWarn)
	ts.Start()
	t.Cleanup(ts.Close)
	return app
}

// a11ySession is one role's browser context and HTTP client, sharing the
// same session cookie.
type a11ySession struct {
	role    string
	tab     *browserTab
	console *browserConsole
	client  *http.Client
	jar     http.CookieJar
	cancel  func()
}

// session opens a browser context for role, logs it in as the role and
// copies its cookies into an HTTP client.
func (app *a11yApp) session(t *testing.T, b *browserTab, role string) *a11ySession {
	t.Helper()
	console := &browserConsole{}
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext(), chromedp.WithListener(console.listen))
	s := &a11ySession{role: role, console: console, cancel: cancel, tab: &browserTab{ctx: ctx, base: app.baseURL, console: console}}
	switch role {
	case "public":
		s.tab.navigate(t, app.baseURL+"/")
	case "leader-360":
		s.tab.navigate(t, links.For(app.baseURL, app.threeSixty))
	case "leader-new", "leader-half", "leader-done":
		state := map[string]string{"leader-new": "not started", "leader-half": "half-way", "leader-done": "submitted"}[role]
		s.tab.navigate(t, links.For(app.baseURL, app.links[state].Token))
	case "rater-new", "rater-done":
		s.tab.navigate(t, links.For(app.baseURL, app.raters[role]))
	case "leader-sso": // the sign-on's redirects, walked by the browser
		email := app.links["submitted"].Email
		app.op.AddUser(ssotest.User{Email: email})
		app.op.SetDefaultUser(email)
		s.tab.navigate(t, app.baseURL+"/login/sso?as=leader")
		if loc := s.tab.location(t); loc != app.baseURL+"/my-rounds" {
			t.Fatalf("the leader signed on and landed on %s", loc)
		}
	case "hr", "admin":
		s.tab.navigate(t, app.baseURL+"/login")
		s.tab.login(t, app.login(t, survey.Role(role)))
		if loc := s.tab.location(t); !strings.HasSuffix(loc, "/"+role) {
			t.Fatalf("%s logged in and landed on %s", role, loc)
		}
	}
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	cookies, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{app.baseURL}})
	if err != nil {
		t.Fatalf("cookies of %s: %v", role, err)
	}
	u, _ := url.Parse(app.baseURL)
	for _, c := range cookies.Cookies {
		jar.SetCookies(u, []*http.Cookie{{Name: c.Name, Value: c.Value, Path: "/"}})
	}
	s.jar = jar
	s.client = &http.Client{Jar: jar, Timeout: 30 * time.Second}
	return s
}

func (app *a11yApp) login(t *testing.T, role survey.Role) orggen.Account {
	t.Helper()
	for _, l := range app.logins {
		if l.Role == role {
			return l
		}
	}
	t.Fatalf("the demo has no %s account", role)
	return orggen.Account{}
}

// setLang sets the language cookie in the role's browser context and client.
func (s *a11ySession) setLang(t *testing.T, base, lang string) {
	t.Helper()
	httpOnly := true
	if _, err := chromedp.Call(s.tab.ctx, network.SetCookie, network.SetCookieParams{Name: "lang", Value: lang, URL: base, Path: "/", HTTPOnly: &httpOnly, SameSite: network.CookieSameSiteLax}); err != nil {
		t.Fatalf("set language cookie: %v", err)
	}
	u, _ := url.Parse(base)
	s.jar.SetCookies(u, []*http.Cookie{{Name: "lang", Value: lang, Path: "/"}})
}

// post sends a form as the role, without following a redirect, and returns
// the response's status and Location.
func (s *a11ySession) post(t *testing.T, base, path string, form url.Values) (int, string) {
	t.Helper()
	c := *s.client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.PostForm(base+path, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Location")
}

// head GETs path as the role without following a redirect, and returns the
// status and the content type.
func (s *a11ySession) head(t *testing.T, base, path string) (int, string) {
	t.Helper()
	c := *s.client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Content-Type")
}

func (s *a11ySession) get(t *testing.T, base, path string) (int, string, string) {
	t.Helper()
	resp, err := s.client.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), string(body)
}

// createDraftRound creates a round the administrator has not opened.
func (app *a11yApp) createDraftRound(t *testing.T, admin *a11ySession) int64 {
	t.Helper()
	status, loc := admin.post(t, app.baseURL, "/admin/rounds", url.Values{"name": {"Kladde til tilgængelighedstest"}})
	var id int64
	if _, err := fmt.Sscanf(loc, "/admin/rounds/%d", &id); status != http.StatusSeeOther || err != nil {
		t.Fatalf("creating a draft round answered %d, Location %q", status, loc)
	}
	return id
}

func (app *a11yApp) closeRound(t *testing.T, admin *a11ySession, id int64) {
	t.Helper()
	if status, loc := admin.post(t, app.baseURL, fmt.Sprintf("/admin/rounds/%d/close", id), url.Values{"confirm": {"yes"}}); status != http.StatusSeeOther {
		t.Fatalf("closing round %d answered %d (Location %q)", id, status, loc)
	}
}

var a11yGroupLinkRE = regexp.MustCompile(`href="(/hr/rounds/\d+/groups/((?:team|department)-\d+|organisation))"`)

// visits lists the pages of the walk while the demo's autumn round is open.
func (app *a11yApp) visits(t *testing.T, roles map[string]*a11ySession, draft int64) []a11yVisit {
	t.Helper()
	ctx := context.Background()
	closed, open := app.closed.ID, app.open.ID

	// A team and a department with a profile, from the closed round's page.
	_, _, page := roles["hr"].get(t, app.baseURL, fmt.Sprintf("/hr/rounds/%d", closed))
	var team, department string
	for _, m := range a11yGroupLinkRE.FindAllStringSubmatch(page, -1) {
		switch {
		case strings.HasPrefix(m[2], "team-") && team == "":
			team = m[1]
		case strings.HasPrefix(m[2], "department-") && department == "":
			department = m[1]
		}
	}
	if team == "" || department == "" {
		t.Fatalf("the closed round's page links no team or department profile")
	}
	small, err := app.db.FindGroupByName(ctx, survey.Team, "Strategisk ledelsesforum")
	if err != nil {
		t.Fatal(err)
	}
	people, err := app.db.FindPeople(ctx)
	if err != nil || len(people) == 0 {
		t.Fatalf("people: %v", err)
	}
	person := people[0].ID

	// The open round asks others too: leaders may nominate raters, and
	// the half-way leader has nominated one.
	must(t, app.db.SetRoundSettings(ctx, open, data.RoundSettings{Kind: survey.ThreeSixty, Limits: survey.NominationLimits{Manager: 1, Peer: 3, Employee: 3}}))
	half, err := app.db.FindPersonByEmail(ctx, app.links["half-way"].Email)
	must(t, err)
	must(t, app.db.NominateRater(ctx, open, half.ID, "kollega.a11y@demo.kommune.dk", survey.Peer))

	var failures atomic.Int64
	badLogin := func() url.Values {
		return url.Values{"email": {fmt.Sprintf("ukendt-%d@demo.kommune.dk", failures.Add(1))}, "password": {"forkert"}}
	}
	return []a11yVisit{
		// Anyone.
		{Role: "public", Name: "home", Path: "/", Route: "/", Screenshot: "home"},
		{Role: "public", Name: "login", Path: "/login", Route: "/login", Screenshot: "login-sso"},
		{Role: "leader-sso", Name: "my-rounds", Path: "/my-rounds", Route: "/my-rounds", Screenshot: "my-rounds"},
		{Role: "public", Name: "login-next", Path: "/hr", Route: "/hr"}, // redirected to the log-in page
		{Role: "public", Name: "login-failed", Path: "/login", Route: "/login", Status: http.StatusUnauthorized,
			Form: &a11yForm{Action: "/login", Fields: badLogin}},
		{Role: "public", Name: "logged-out", Path: "/login?ended=1", Route: "/login"},
		{Role: "public", Name: "accessibility", Path: "/accessibility", Route: "/accessibility"},
		{Role: "public", Name: "not-found", Path: "/findes-ikke", Status: http.StatusNotFound},
		{Role: "public", Name: "bad-link", Path: "/i/" + strings.Repeat("x", 43), Route: "/i/:token", Status: http.StatusNotFound},
		{Role: "public", Name: "no-session", Path: "/survey/1", Route: "/survey/:page", Status: http.StatusUnauthorized},

		// A leader who has not started, one half-way, one who has submitted.
		{Role: "leader-new", Name: "start", Path: "/start", Route: "/start", Screenshot: "start"},
		{Role: "leader-new", Name: "questionnaire-first", Path: "/survey/1", Route: "/survey/:page", Screenshot: "questionnaire"},
		{Role: "leader-new", Name: "review-empty", Path: "/review", Route: "/review"},
		{Role: "leader-new", Name: "result-not-submitted", Path: "/result", Route: "/result"},
		{Role: "leader-half", Name: "questionnaire-answered", Path: "/survey/2?saved=1", Route: "/survey/:page"},
		{Role: "leader-half", Name: "questionnaire-middle", Path: "/survey/6", Route: "/survey/:page"},
		{Role: "leader-half", Name: "questionnaire-last", Path: "/survey/11", Route: "/survey/:page"},
		{Role: "leader-half", Name: "questionnaire-error", Path: "/survey/3", Route: "/survey/:page", Status: http.StatusBadRequest,
			Form: &a11yForm{Action: "/survey/3", Drop: []string{"formkey"}, Fields: func() url.Values { return url.Values{"nav": {"next"}} }}},
		{Role: "leader-half", Name: "questionnaire-not-found", Path: "/survey/12", Route: "/survey/:page", Status: http.StatusNotFound},
		{Role: "leader-half", Name: "start-returning", Path: "/start", Route: "/start"},
		{Role: "leader-half", Name: "review-incomplete", Path: "/review", Route: "/review"},
		{Role: "leader-done", Name: "review-submitted", Path: "/review", Route: "/review"},
		{Role: "leader-done", Name: "result-open", Path: "/result?submitted=1", Route: "/result", Screenshot: "result"},
		{Role: "leader-done", Name: "questionnaire-submitted", Path: "/survey/1", Route: "/survey/:page"},
		{Role: "leader-360", Name: "result-360-open", Path: "/result", Route: "/result"},

		// A 360 rater of the leader who has not started: not started
		// either, and one who has submitted.
		{Role: "rater-new", Name: "rater-start", Path: "/start", Route: "/start"},
		{Role: "rater-new", Name: "rater-questionnaire", Path: "/survey/1", Route: "/survey/:page"},
		{Role: "rater-new", Name: "rater-review-incomplete", Path: "/review", Route: "/review"},
		{Role: "rater-new", Name: "rater-no-result", Path: "/result", Route: "/result", Status: http.StatusNotFound},
		{Role: "rater-done", Name: "rater-thanks", Path: "/thanks?submitted=1", Route: "/thanks"},
		{Role: "leader-new", Name: "nominations-empty", Path: "/nominations", Route: "/nominations"},
		{Role: "leader-half", Name: "nominations", Path: "/nominations?added=1", Route: "/nominations"},
		{Role: "leader-half", Name: "nominations-error", Path: "/nominations", Route: "/nominations", Status: http.StatusBadRequest,
			Form: &a11yForm{Action: "/nominations", Fields: func() url.Values { return url.Values{"email": {"ikke-en-adresse"}, "relation": {"peer"}} }}},
		// The development plan, its packet and shares (DESIGN C8): the
		// demo's submitted leader has a plan and a share.
		{Role: "leader-new", Name: "plan-not-submitted", Path: "/plan", Route: "/plan"},
		{Role: "leader-done", Name: "plan", Path: "/plan?saved=1", Route: "/plan", Screenshot: "plan"},
		{Role: "leader-done", Name: "plan-error", Path: "/plan", Route: "/plan", Status: http.StatusBadRequest,
			Form: &a11yForm{Action: "/plan", Fields: func() url.Values {
				return url.Values{"focus1": {"trust"}, "focus2": {"trust"}, "revisit": {"31-02-2027"}}
			}}},
		{Role: "leader-done", Name: "packet", Path: "/plan/packet", Route: "/plan/packet", Screenshot: "packet"},
		{Role: "leader-done", Name: "shares", Path: "/shares?revoked=1", Route: "/shares", Screenshot: "shares"},
		{Role: "leader-done", Name: "shares-new", Path: "/shares", Route: "/shares",
			Form: &a11yForm{Action: "/shares", Fields: func() url.Values { return url.Values{"recipient": {"Karen Holm"}, "days": {"14"}} }}},
		{Role: "leader-done", Name: "shares-error", Path: "/shares", Route: "/shares", Status: http.StatusBadRequest,
			Form: &a11yForm{Action: "/shares", Fields: func() url.Values { return url.Values{"recipient": {""}, "days": {"400"}} }}},
		{Role: "public", Name: "share", Path: "/s/" + app.links["submitted"].Share, Route: "/s/:token", Screenshot: "share"},
		{Role: "public", Name: "share-revoked", Path: "/s/" + app.revokedShare(t), Route: "/s/:token", Status: http.StatusGone},
		{Role: "public", Name: "share-unknown", Path: "/s/" + strings.Repeat("x", 43), Route: "/s/:token", Status: http.StatusNotFound},
		// The demo's team with a map of its own: the submitted leader
		// shares their radar, the half-way leader not yet.
		{Role: "leader-done", Name: "teams", Path: "/teams", Route: "/teams"},
		{Role: "leader-done", Name: "team-map", Path: app.teamMapPath() + "?shared=1", Route: "/teams/:group", Screenshot: "team-map"},
		{Role: "leader-half", Name: "team-map-not-shared", Path: app.teamMapPath(), Route: "/teams/:group"},
		{Role: "leader-half", Name: "team-map-error", Path: app.teamMapPath(), Route: "/teams/:group", Status: http.StatusBadRequest,
			Form: &a11yForm{Action: app.teamMapPath() + "/consent", Fields: func() url.Values { return url.Values{} }}},

		// HR.
		{Role: "hr", Name: "hr-rounds", Path: "/hr", Route: "/hr"},
		{Role: "hr", Name: "hr-round-closed", Path: fmt.Sprintf("/hr/rounds/%d", closed), Route: "/hr/rounds/:round"},
		{Role: "hr", Name: "hr-round-open", Path: fmt.Sprintf("/hr/rounds/%d", open), Route: "/hr/rounds/:round", Screenshot: "hr-round"},
		{Role: "hr", Name: "hr-round-draft", Path: fmt.Sprintf("/hr/rounds/%d", draft), Route: "/hr/rounds/:round"},
		{Role: "hr", Name: "hr-team", Path: team, Route: "/hr/rounds/:round/groups/:group", Screenshot: "team-profile"},
		{Role: "hr", Name: "hr-team-compare", Path: fmt.Sprintf("%s?compare=%d", team, app.earlier.ID), Route: "/hr/rounds/:round/groups/:group"},
		{Role: "hr", Name: "hr-department", Path: department, Route: "/hr/rounds/:round/groups/:group"},
		{Role: "hr", Name: "hr-organisation", Path: fmt.Sprintf("/hr/rounds/%d/groups/organisation", closed), Route: "/hr/rounds/:round/groups/:group"},
		{Role: "hr", Name: "hr-suppressed", Path: fmt.Sprintf("/hr/rounds/%d/groups/team-%d", closed, small.ID), Route: "/hr/rounds/:round/groups/:group"},
		{Role: "hr", Name: "hr-heatmap", Path: fmt.Sprintf("/hr/rounds/%d/heatmap", closed), Route: "/hr/rounds/:round/heatmap", Screenshot: "heatmap"},
		{Role: "hr", Name: "hr-heatmap-open", Path: fmt.Sprintf("/hr/rounds/%d/heatmap", open), Route: "/hr/rounds/:round/heatmap", Status: http.StatusConflict},
		{Role: "hr", Name: "hr-instrument-health", Path: fmt.Sprintf("/hr/rounds/%d/instrument-health", closed), Route: "/hr/rounds/:round/instrument-health", Screenshot: "instrument-health"},
		{Role: "hr", Name: "hr-instrument-health-open", Path: fmt.Sprintf("/hr/rounds/%d/instrument-health", open), Route: "/hr/rounds/:round/instrument-health", Status: http.StatusConflict},
		{Role: "hr", Name: "hr-forbidden", Path: "/admin", Route: "/admin", Status: http.StatusForbidden, Screenshot: "error-forbidden"},

		// The administrator.
		{Role: "admin", Name: "admin-home", Path: "/admin", Route: "/admin"},
		{Role: "admin", Name: "admin-people", Path: "/admin/people", Route: "/admin/people"},
		{Role: "admin", Name: "admin-people-search", Path: "/admin/people?q=a&department=1", Route: "/admin/people", Screenshot: "admin-people-search"},
		{Role: "admin", Name: "admin-group-delete", Path: fmt.Sprintf("/admin/groups/%d/delete", small.ID), Route: "/admin/groups/:group/delete", Screenshot: "admin-group-delete"},
		{Role: "admin", Name: "admin-person", Path: fmt.Sprintf("/admin/people/%d", person), Route: "/admin/people/:person"},
		{Role: "admin", Name: "admin-person-saved", Path: fmt.Sprintf("/admin/people/%d?saved=1", person), Route: "/admin/people/:person"},
		{Role: "admin", Name: "admin-person-error", Path: fmt.Sprintf("/admin/people/%d", person), Route: "/admin/people/:person", Status: http.StatusBadRequest,
			Form: &a11yForm{Action: fmt.Sprintf("/admin/people/%d", person), Fields: func() url.Values {
				return url.Values{"name": {people[0].Name}, "email": {"ikke-en-adresse"}, "department": {"0"}}
			}}},
		{Role: "admin", Name: "admin-person-new", Path: "/admin/people/new", Route: "/admin/people/:person"},
		{Role: "admin", Name: "admin-person-erase", Path: fmt.Sprintf("/admin/people/%d/erase", person), Route: "/admin/people/:person/erase"},
		{Role: "admin", Name: "admin-person-erase-error", Path: fmt.Sprintf("/admin/people/%d/erase", person), Route: "/admin/people/:person/erase", Status: http.StatusBadRequest,
			Form: &a11yForm{Action: fmt.Sprintf("/admin/people/%d/erase", person), Fields: func() url.Values {
				return url.Values{"confirm_email": {"ikke-den-rigtige@demo.kommune.dk"}} // not ticked either: nothing is erased
			}}},
		{Role: "admin", Name: "admin-import", Path: "/admin/import", Route: "/admin/import"},
		{Role: "admin", Name: "admin-import-errors", Path: "/admin/import", Route: "/admin/import", Status: http.StatusBadRequest,
			Form: &a11yForm{Action: "/admin/import", File: &a11yFile{Field: "file", Name: "people.csv",
				Content: "email;name;department;teams\nny.leder@demo.kommune.dk;Ny Leder;Børn og Unge;Klimatilpasning\nikke-en-adresse;Forkert Adresse;Børn og Unge;\n;Uden Adresse;;\n"}}},
		{Role: "admin", Name: "admin-rounds", Path: "/admin/rounds", Route: "/admin/rounds"},
		{Role: "admin", Name: "admin-rounds-error", Path: "/admin/rounds", Route: "/admin/rounds", Status: http.StatusBadRequest,
			Form: &a11yForm{Action: "/admin/rounds", Fields: func() url.Values {
				return url.Values{"name": {"Forkert periode"}, "opens": {"2030-06-30"}, "closes": {"2030-06-01"}}
			}}},
		{Role: "admin", Name: "admin-round-draft", Path: fmt.Sprintf("/admin/rounds/%d", draft), Route: "/admin/rounds/:round"},
		{Role: "admin", Name: "admin-round-open", Path: fmt.Sprintf("/admin/rounds/%d?saved=1", open), Route: "/admin/rounds/:round", Screenshot: "admin-round"},
		{Role: "admin", Name: "admin-round-closed", Path: fmt.Sprintf("/admin/rounds/%d", closed), Route: "/admin/rounds/:round"},
		{Role: "admin", Name: "admin-round-close-unticked", Path: fmt.Sprintf("/admin/rounds/%d", open), Route: "/admin/rounds/:round", Status: http.StatusBadRequest,
			Form: &a11yForm{Action: fmt.Sprintf("/admin/rounds/%d/close", open), Fields: func() url.Values { return url.Values{} }}},
		{Role: "admin", Name: "admin-round-settings-error", Path: fmt.Sprintf("/admin/rounds/%d", open), Route: "/admin/rounds/:round", Status: http.StatusBadRequest,
			Form: &a11yForm{Action: fmt.Sprintf("/admin/rounds/%d/settings", open), Fields: func() url.Values {
				return url.Values{"kind": {"360"}, "nominate_peer": {"99"}}
			}}},
		{Role: "admin", Name: "admin-round-raters-errors", Path: fmt.Sprintf("/admin/rounds/%d", open), Route: "/admin/rounds/:round", Status: http.StatusBadRequest,
			Form: &a11yForm{Action: fmt.Sprintf("/admin/rounds/%d/raters", open), File: &a11yFile{Field: "file", Name: "raters.csv",
				Content: "subject_email;rater_email;relation\nukendt@demo.kommune.dk;kollega@demo.kommune.dk;peer\nukendt@demo.kommune.dk;chef@demo.kommune.dk;boss\n"}}},
		{Role: "admin", Name: "admin-forbidden", Path: "/hr", Route: "/hr", Status: http.StatusForbidden},
	}
}

// revokedShare makes a share of the submitted leader's result in the open
// round, revokes it and returns its token.
func (app *a11yApp) revokedShare(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	p, err := app.db.FindPersonByEmail(ctx, app.links["submitted"].Email)
	must(t, err)
	sh, token, err := app.db.AddShare(ctx, app.open.ID, p.ID, "Tidligere leder", 30)
	must(t, err)
	must(t, app.db.RevokeShare(ctx, p.ID, sh.ID))
	return token
}

// closedVisits are the leaders' pages once their round has closed.
func (app *a11yApp) closedVisits() []a11yVisit {
	return []a11yVisit{
		{Role: "leader-done", Name: "result-closed", Path: "/result", Route: "/result"},
		{Role: "leader-done", Name: "result-closed-organisation", Path: "/result?compare=organisation", Route: "/result"},
		{Role: "leader-done", Name: "review-closed", Path: "/review", Route: "/review"},
		{Role: "leader-done", Name: "questionnaire-closed", Path: "/survey/1", Route: "/survey/:page"},
		{Role: "leader-new", Name: "result-closed-unsubmitted", Path: "/result", Route: "/result"},
		{Role: "leader-360", Name: "result-360-closed", Path: "/result", Route: "/result", Screenshot: "result-360"},
		{Role: "leader-half", Name: "nominations-closed", Path: "/nominations", Route: "/nominations"},
		{Role: "leader-done", Name: "team-map-closed", Path: app.teamMapPath(), Route: "/teams/:group"},
		{Role: "leader-new", Name: "questionnaire-closed-unsubmitted", Path: "/survey/1", Route: "/survey/:page", Status: http.StatusConflict},
		{Role: "hr", Name: "hr-heatmap-just-closed", Path: fmt.Sprintf("/hr/rounds/%d/heatmap", app.open.ID), Route: "/hr/rounds/:round/heatmap"},
		// A leader's link opened in a new browser once the round has closed.
		{Role: "public", Name: "link-closed", Path: "/i/" + app.links["submitted"].Token, Route: "/i/:token", Status: http.StatusForbidden},
		// A rater's link and pages once the round has closed.
		{Role: "public", Name: "rater-link-closed", Path: "/i/" + app.raters["rater-new"], Route: "/i/:token", Status: http.StatusForbidden},
		{Role: "rater-done", Name: "rater-closed", Path: "/survey", Route: "/survey", Status: http.StatusForbidden},
	}
}

// a11yNotPages are the GET routes that are no page: redirects, files, the
// API and health checks.
var a11yNotPages = regexp.MustCompile(`^(/healthz|/static/.*|/api/.*|/survey|/login/sso.*|.*\.(csv|xlsx|json|pdf|txt))$`)

// discover returns a visit for each parameterless GET page route the walk
// does not name, seen by the first role that gets HTML for it, and fails
// for parameterised routes the walk does not cover.
func (app *a11yApp) discover(t *testing.T, roles map[string]*a11ySession, named []a11yVisit) []a11yVisit {
	t.Helper()
	covered := map[string]bool{}
	for _, v := range named {
		covered[v.Route] = true
	}
	var found []a11yVisit
	for _, r := range app.server.Routes() {
		method, path, _ := strings.Cut(r, " ")
		if method != http.MethodGet || covered[path] || a11yNotPages.MatchString(path) {
			continue
		}
		if strings.ContainsAny(path, ":*") {
			t.Errorf("route GET %s is not in the accessibility walk: add a visit to a11yApp.visits (or, if it is no page, to a11yNotPages)", path)
			continue
		}
		seen := false
		for _, role := range []string{"public", "leader-done", "hr", "admin"} {
			status, ctype := roles[role].head(t, app.baseURL, path)
			if status != http.StatusOK {
				continue // refused, or sent to the log-in page
			}
			seen = true
			if strings.HasPrefix(ctype, "text/html") {
				found = append(found, a11yVisit{Role: role, Name: "auto" + strings.ReplaceAll(path, "/", "-"), Path: path, Route: path})
			} else {
				t.Logf("route GET %s answers %s to %s, not a page: not walked", path, ctype, role)
			}
			break
		}
		if !seen {
			t.Errorf("route GET %s answers no role with 200: add a visit to a11yApp.visits", path)
		}
	}
	for _, v := range found {
		t.Logf("walking %s as %s (found among the routes)", v.Path, v.Role)
	}
	return found
}

// a11yWalk walks pages and keeps count.
type a11yWalk struct {
	app   *a11yApp
	axe   string
	html  string // where each page's HTML is written for vnu
	shots string // docs/screenshots, or empty
	java  string
	jar   string
	only  *regexp.Regexp // LEDERRADAR_A11Y_ONLY: walk only visits so named

	mu    sync.Mutex
	files map[string]string // HTML file → page, for vnu's report
	vnu   []chan a11yVnuRun
	// Counts.
	pages, violations, targets, small, chartTexts, clipped, wide int
	routes                                                       map[string]bool
}

type a11yVnuRun struct {
	out, stderr []byte
	err         error
}

// phase fetches the HTML of every visit in both languages and hands it to
// the Nu checker, which runs while the browser checks the same visits, one
// role (browser context) beside the other.
func (w *a11yWalk) phase(t *testing.T, name string, roles map[string]*a11ySession, visits []a11yVisit) {
	byRole := map[string][]a11yVisit{}
	var files []string
	for _, v := range visits {
		if w.only != nil && !w.only.MatchString(v.Name) {
			continue
		}
		byRole[v.Role] = append(byRole[v.Role], v)
		w.pages++
		if v.Route != "" {
			w.routes[v.Route] = true
		}
		for _, lang := range []string{"da", "en"} {
			roles[v.Role].setLang(t, w.app.baseURL, lang)
			files = append(files, w.saveHTML(t, roles[v.Role], v, lang))
		}
	}
	w.vnuStart(files)
	t.Run(name, func(t *testing.T) {
		// The roles run side by side in goroutines of this test rather
		// than as parallel subtests, which would each wait for a slot
		// behind every other test of the package (-parallel).
		var wg sync.WaitGroup
		for _, role := range a11yRoles {
			if len(byRole[role]) == 0 {
				continue
			}
			wg.Go(func() {
				t.Run(role, func(t *testing.T) {
					s := roles[role]
					for _, v := range byRole[role] {
						for _, lang := range []string{"da", "en"} {
							t.Run(v.Name+"/"+lang, func(t *testing.T) {
								s.setLang(t, w.app.baseURL, lang)
								w.check(t, s, v, lang)
							})
						}
					}
				})
			})
		}
		wg.Wait()
	})
}

// check opens one visit in the browser and runs the checks at each width.
func (w *a11yWalk) check(t *testing.T, s *a11ySession, v a11yVisit, lang string) {
	tab := s.tab
	want := v.Status
	if want == 0 {
		want = http.StatusOK
	}
	tab.do(t, chromedp.EmulateViewport(a11yWidths[0].width, a11yWidths[0].height))
	status := tab.navigateStatus(t, w.app.baseURL+v.Path)
	if v.Form != nil {
		if status != http.StatusOK {
			t.Fatalf("%s answered %d before the form was sent", v.Path, status)
		}
		status = w.submit(t, tab, v.Form)
	}
	if int(status) != want {
		t.Errorf("%s answered %d, want %d", v.Path, status, want)
	}
	if err := retryContext(func() error {
		_, err := chromedp.Run(tab.ctx, chromedp.Poll[bool](a11yChartsReady, chromedp.WithPollingTimeout(15*time.Second)))
		return err
	}); err != nil {
		t.Fatalf("the charts of %s did not draw: %v", v.Path, err)
	}
	if got := browserEval[string](t, tab, `document.documentElement.lang`); got != lang {
		t.Errorf(`<html lang=%q>, want %q`, got, lang)
	}
	if !browserEval[bool](t, tab, `typeof axe !== "undefined"`) {
		browserEval[int](t, tab, w.axe+"\n;0")
	}
	tags, _ := json.Marshal(a11yTags)
	for i, vp := range a11yWidths {
		if i > 0 {
			tab.do(t, chromedp.EmulateViewport(vp.width, vp.height))
		}
		browserEval[int](t, tab, a11ySettle, chromedp.EvalAwaitPromise)
		res := browserEval[a11yResult](t, tab, fmt.Sprintf(a11yChecks, tags), chromedp.EvalAwaitPromise)
		at := fmt.Sprintf("%s at %d px", v.Path, vp.width)
		for _, x := range res.Violations {
			t.Errorf("%s: axe %s (%s): %s — %s — %s", at, x.ID, x.Impact, x.Target, x.Help, x.Summary)
		}
		if res.ScrollWidth > res.InnerWidth {
			t.Errorf("%s scrolls sideways: %d px wide in a %d px window; past the edge: %q", at, res.ScrollWidth, res.InnerWidth, res.Wide)
		}
		for _, x := range res.SmallTargets {
			t.Errorf("%s: tap target smaller than 44×44 px: %s", at, x)
		}
		for _, x := range res.Clipped {
			t.Errorf("%s: chart label clipped: %s", at, x)
		}
		w.mu.Lock()
		w.violations += len(res.Violations)
		w.targets += res.Targets
		w.small += len(res.SmallTargets)
		w.chartTexts += res.ChartTexts
		w.clipped += len(res.Clipped)
		if res.ScrollWidth > res.InnerWidth {
			w.wide++
		}
		w.mu.Unlock()
		if w.shots != "" && v.Screenshot != "" && lang == "da" {
			kind := map[int64]string{1280: "desktop", 390: "phone"}[vp.width]
			png, err := chromedp.Run(tab.ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatalf("screenshot: %v", err)
			}
			file := filepath.Join(w.shots, v.Screenshot+"-"+kind+".png")
			if err := os.WriteFile(file, png, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("wrote %s", file)
		}
	}
}

// selfTest breaks the result page on purpose — an image without a text
// alternative, pale text, a tiny button, a box wider than a phone and a
// chart label outside its chart — and fails unless every check notices.
// It uses the CSSOM and the DOM only: the page's CSP stays unviolated.
func (w *a11yWalk) selfTest(t *testing.T, s *a11ySession) {
	tab := s.tab
	tab.do(t, chromedp.EmulateViewport(a11yWidths[1].width, a11yWidths[1].height))
	tab.navigate(t, w.app.baseURL+"/result")
	if err := retryContext(func() error {
		_, err := chromedp.Run(tab.ctx, chromedp.Poll[bool](a11yChartsReady, chromedp.WithPollingTimeout(15*time.Second)))
		return err
	}); err != nil {
		t.Fatalf("the charts did not draw: %v", err)
	}
	browserEval[int](t, tab, `(() => {
		const main = document.querySelector("main");
		const img = document.createElement("img");
		img.src = document.querySelector('link[rel=icon]').href;
		main.append(img);
		const pale = document.createElement("p");
		pale.textContent = "Bleg tekst";
		pale.style.color = "#c8c8c8";
		main.append(pale);
		const tiny = document.createElement("button");
		tiny.type = "button";
		tiny.textContent = "x";
		tiny.style.minHeight = "0";
		tiny.style.padding = "0";
		main.append(tiny);
		const wide = document.createElement("div");
		wide.textContent = "bred";
		wide.style.width = "900px";
		main.append(wide);
		const svg = document.querySelector(".chart-canvas svg");
		const label = document.createElementNS("http://www.w3.org/2000/svg", "text");
		label.setAttribute("x", "-60");
		label.setAttribute("y", "20");
		label.textContent = "Uden for";
		svg.append(label);
		return 1;
	})()`)
	if !browserEval[bool](t, tab, `typeof axe !== "undefined"`) {
		browserEval[int](t, tab, w.axe+"\n;0")
	}
	tags, _ := json.Marshal(a11yTags)
	res := browserEval[a11yResult](t, tab, fmt.Sprintf(a11yChecks, tags), chromedp.EvalAwaitPromise)
	var ids []string
	for _, v := range res.Violations {
		ids = append(ids, v.ID)
	}
	for _, id := range []string{"image-alt", "color-contrast"} {
		if !slices.Contains(ids, id) {
			t.Errorf("axe did not report %s; it reported %q", id, ids)
		}
	}
	if !slices.ContainsFunc(res.SmallTargets, func(s string) bool { return strings.Contains(s, `button "x"`) }) {
		t.Errorf("the tap-target check missed a tiny button: %q", res.SmallTargets)
	}
	if res.ScrollWidth <= res.InnerWidth {
		t.Errorf("the width check missed a 900 px box at %d px", res.InnerWidth)
	}
	if !slices.ContainsFunc(res.Clipped, func(s string) bool { return strings.Contains(s, "Uden for") }) {
		t.Errorf("the chart check missed a label outside the chart: %q", res.Clipped)
	}
	tab.do(t, chromedp.EmulateViewport(a11yWidths[0].width, a11yWidths[0].height))
}

// submit fills in and sends a form on the page, and returns the status of
// the answer.
func (w *a11yWalk) submit(t *testing.T, tab *browserTab, f *a11yForm) int64 {
	t.Helper()
	fields := url.Values{}
	if f.Fields != nil {
		fields = f.Fields()
	}
	fj, _ := json.Marshal(fields)
	dj, _ := json.Marshal(f.Drop)
	var file []byte
	if f.File != nil {
		file, _ = json.Marshal(f.File)
	} else {
		file = []byte("null")
	}
	browserEval[int](t, tab, fmt.Sprintf(`(() => {
		const form = document.querySelector('form[action=%q]');
		const fields = %s, drop = %s || [], file = %s;
		for (const [k, vs] of Object.entries(fields)) { const e = form.elements[k]; if (e && "value" in e) e.value = vs[0]; }
		for (const k of drop) { const e = form.elements[k]; if (e) e.remove(); }
		if (file) {
			const dt = new DataTransfer();
			dt.items.add(new File([file.Content], file.Name, {type: "text/csv"}));
			form.elements[file.Field].files = dt.files;
		}
		form.setAttribute("novalidate", "");
		return 1;
	})()`, f.Action, fj, dj, file))
	resp, err := chromedp.RunResponse(tab.ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf(`form[action=%q] [type=submit]`, f.Action))))
	if err != nil {
		t.Fatalf("submit %s: %v", f.Action, err)
	}
	tab.awaitContext(t)
	return resp.Status
}

// saveHTML fetches the page as the server sends it, with the role's
// cookies, and keeps it for the Nu checker.
func (w *a11yWalk) saveHTML(t *testing.T, s *a11ySession, v a11yVisit, lang string) string {
	t.Helper()
	name := fmt.Sprintf("%s %s (%s)", v.Role, v.Name, lang)
	var resp *http.Response
	var err error
	if v.Form == nil {
		resp, err = s.client.Get(w.app.baseURL + v.Path)
	} else {
		var fields url.Values
		if v.Form.Fields != nil {
			fields = v.Form.Fields()
		}
		if v.Form.File != nil {
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			for k, vs := range fields {
				for _, x := range vs {
					_ = mw.WriteField(k, x)
				}
			}
			fw, _ := mw.CreateFormFile(v.Form.File.Field, v.Form.File.Name)
			_, _ = io.WriteString(fw, v.Form.File.Content)
			_ = mw.Close()
			resp, err = s.client.Post(w.app.baseURL+v.Form.Action, mw.FormDataContentType(), &body)
		} else {
			resp, err = s.client.PostForm(w.app.baseURL+v.Form.Action, fields)
		}
	}
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	want := v.Status
	if want == 0 {
		want = http.StatusOK
	}
	if resp.StatusCode != want {
		t.Errorf("%s: the HTML fetch of %s answered %d, want %d", name, v.Path, resp.StatusCode, want)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("%s: %s is %q, not HTML", name, v.Path, ct)
	}
	file := filepath.Join(w.html, fmt.Sprintf("%03d-%s-%s-%s.html", len(w.files)+1, v.Role, v.Name, lang))
	if err := os.WriteFile(file, body, 0o644); err != nil {
		t.Fatal(err)
	}
	w.files[file] = name + " " + v.Path
	return file
}

// vnuStart runs the Nu HTML checker over files, in one Java process, in
// the background.
func (w *a11yWalk) vnuStart(files []string) {
	if len(files) == 0 {
		return
	}
	done := make(chan a11yVnuRun, 1)
	w.vnu = append(w.vnu, done)
	go func() {
		args := append([]string{"-jar", w.jar, "--format", "json", "--errors-only", "--stdout"}, files...)
		cmd := exec.Command(w.java, args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		done <- a11yVnuRun{out: out, stderr: stderr.Bytes(), err: err}
	}()
}

// vnuWait waits for the checker's runs and reports each error; it returns
// how many there were.
func (w *a11yWalk) vnuWait(t *testing.T) int {
	errors := 0
	for _, done := range w.vnu {
		run := <-done
		// vnu exits 1 when it found errors; the JSON says which.
		var report struct {
			Messages []struct {
				Type, SubType, URL, Message, Extract string
				LastLine                             int
			}
		}
		if err := json.Unmarshal(run.out, &report); err != nil {
			t.Fatalf("Nu HTML checker: %v (%v)\n%s\n%s", err, run.err, run.out, run.stderr)
		}
		for _, m := range report.Messages {
			if m.Type != "error" && m.SubType != "fatal" {
				continue
			}
			errors++
			path := strings.TrimPrefix(m.URL, "file:")
			t.Errorf("Nu HTML checker: %s, line %d: %s — %q", w.files[path], m.LastLine, m.Message, m.Extract)
		}
	}
	return errors
}
