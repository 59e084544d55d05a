package web_test

// The real-browser end-to-end test: the whole leader journey in headless
// Chromium against the app served in-process on a temporary database.
//
//	go test -race -run Browser -v ./web/
//
// It skips when no Chromium is installed, unless CI is set: CI must run it.
// With LEDERRADAR_SCREENSHOTS=1 it also writes the README screenshots to
// docs/screenshots/.

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"lederradar/data"
	"lederradar/internal/links"
	"lederradar/internal/orggen"
	"lederradar/internal/testdb"
	"lederradar/survey"
	"lederradar/web"
)

func TestBrowserLeaderJourney(t *testing.T) {
	t.Parallel()
	chromium := browserExecPath(t)

	ctx, cancel := browserContext(t)
	defer cancel()

	app := startBrowserApp(t, ctx)
	in := app.instrument
	pages := len(in.Competences)

	b, stop := startBrowser(t, ctx, chromium, app.baseURL)
	defer stop()
	console := b.console
	link := links.For(app.baseURL, app.notStarted.Token)

	// chosen[p-1] are the answers given on page p, one per item.
	chosen := browserAnswers
	if len(chosen) != pages {
		t.Fatalf("the test answers %d pages, the instrument has %d", len(chosen), pages)
	}
	for p, c := range in.Competences {
		if len(chosen[p]) != len(c.Items) {
			t.Fatalf("the test answers %d items of %s, it has %d", len(chosen[p]), c.ID, len(c.Items))
		}
	}

	step := func(name string, f func(t *testing.T)) {
		t.Helper()
		if !t.Run(name, f) {
			t.FailNow()
		}
	}

	step("open personal link", func(t *testing.T) {
		b.navigate(t, link)
		loc := b.location(t)
		if strings.Contains(loc, app.notStarted.Token) || strings.Contains(loc, "/i/") {
			t.Errorf("address bar still holds the personal link: %s", loc)
		}
		// A leader without answers starts on the start page; its one
		// button begins (TestBrowserFirstSteps looks at the page).
		if want := app.baseURL + "/start"; loc != want {
			t.Errorf("after the link the browser is at %s, want %s", loc, want)
		}
		if lang := browserEval[string](t, b, `document.documentElement.lang`); lang != "da" {
			t.Errorf(`<html lang=%q>, want "da"`, lang)
		}
		b.submit(t, `main a.button.primary`)
		if want := app.baseURL + "/survey/1"; b.location(t) != want {
			t.Errorf("Begynd leads to %s, want %s", b.location(t), want)
		}
		b.wantProgress(t, 1, pages)
		if title := b.text(t, "h1"); title != in.Competences[0].Name.In(survey.Danish) {
			t.Errorf("heading %q, want the first competence %q", title, in.Competences[0].Name.In(survey.Danish))
		}
	})

	step("answer pages 1 and 2", func(t *testing.T) {
		for p := 1; p <= 2; p++ {
			b.answerPage(t, chosen[p-1])
			b.submit(t, `button[name=nav][value=next]`)
			b.wantSaved(t, fmt.Sprintf("/survey/%d?saved=1", p+1))
			b.wantProgress(t, p+1, pages)
		}
	})

	step("resume on another device", func(t *testing.T) {
		// A new browser context has its own cookies: another device.
		other, otherCancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext(), chromedp.WithListener(console.listen))
		defer otherCancel()
		d := &browserTab{ctx: other, base: app.baseURL, console: console}
		d.navigate(t, link)
		if loc, want := d.location(t), app.baseURL+"/survey/3"; loc != want {
			t.Errorf("the same link on another device lands on %s, want %s (the first unanswered page)", loc, want)
		}
		d.wantProgress(t, 3, pages)
		d.navigate(t, app.baseURL+"/survey/1")
		if got := d.checked(t); !slices.Equal(got, browserStrings(chosen[0])) {
			t.Errorf("page 1 on another device shows answers %v, want %v", got, chosen[0])
		}
	})

	step("go back keeps answers", func(t *testing.T) {
		b.answerPage(t, chosen[2])
		b.submit(t, `button[name=nav][value=back]`)
		b.wantSaved(t, "/survey/2?saved=1")
		b.wantProgress(t, 2, pages)
		if got := b.checked(t); !slices.Equal(got, browserStrings(chosen[1])) {
			t.Errorf("back on page 2 shows answers %v, want the earlier %v", got, chosen[1])
		}
		b.submit(t, `button[name=nav][value=next]`)
		b.wantSaved(t, "/survey/3?saved=1")
		if got := b.checked(t); !slices.Equal(got, browserStrings(chosen[2])) {
			t.Errorf("page 3, saved when going back, shows answers %v, want %v", got, chosen[2])
		}
	})

	step("answer the remaining pages", func(t *testing.T) {
		for p := 3; p <= pages; p++ {
			b.wantProgress(t, p, pages)
			b.answerPage(t, chosen[p-1])
			if p < pages {
				b.submit(t, `button[name=nav][value=next]`)
				b.wantSaved(t, fmt.Sprintf("/survey/%d?saved=1", p+1))
			} else {
				b.submit(t, `button[name=nav][value=review]`)
				b.wantSaved(t, "/review?saved=1")
			}
		}
	})

	items := in.ItemCount()
	step("review and submit", func(t *testing.T) {
		summary := b.text(t, "main p strong")
		if want := fmt.Sprintf("%d af %d", items, items); !strings.Contains(summary, want) {
			t.Errorf("review summary %q does not say %q", summary, want)
		}
		if n := browserEval[int](t, b, `document.querySelectorAll("ul.missing li").length`); n != 0 {
			t.Errorf("review lists %d unanswered items, want none", n)
		}
		b.submit(t, `form[action="/review"] button[type=submit]`)
		if loc, want := b.location(t), app.baseURL+"/result?submitted=1"; loc != want {
			t.Errorf("after submit the browser is at %s, want %s", loc, want)
		}
	})

	decimalComma := regexp.MustCompile(`^\d,\d$`)
	step("result page", func(t *testing.T) {
		if h1 := b.text(t, "h1"); h1 != "Dit resultat" {
			t.Errorf("result heading %q, want %q", h1, "Dit resultat")
		}
		if notice := b.text(t, ".status .notice"); notice != "Tak! Din besvarelse er indsendt." {
			t.Errorf("status after submit %q", notice)
		}
		b.do(t, chromedp.WaitVisible(chromedp.CSS(`#radar svg`)))
		b.do(t, chromedp.WaitReady(chromedp.CSS(`#radar.chart-ready`)))
		scores := browserEval[[]string](t, b, `Array.from(document.querySelectorAll("table.scores:not(.others-table) tbody tr"), r => r.querySelector("td").textContent.trim())`)
		if len(scores) != pages {
			t.Fatalf("score table has %d body rows, want %d", len(scores), pages)
		}
		for p, got := range scores {
			if !decimalComma.MatchString(got) {
				t.Errorf("score of %s is %q, want one decimal with a Danish comma", in.Competences[p].ID, got)
			}
			if want := browserScore(chosen[p], ","); got != want {
				t.Errorf("score of %s is %q, want %q", in.Competences[p].ID, got, want)
			}
		}
		dontKnow := browserEval[[]string](t, b, `Array.from(document.querySelectorAll("table.scores:not(.others-table) tbody tr"), r => r.querySelectorAll("td")[2].textContent.trim())`)
		if want := []string{"0", "0", "0", "1", "0", "0", "0", "0", "0", "0", "0"}; !slices.Equal(dontKnow, want) {
			t.Errorf(`"Ved ikke" column %v, want %v`, dontKnow, want)
		}
		// Page 3 and 7 tie highest (instrument order decides), page 9 is lowest.
		strongest := b.text(t, "section.strengths li")
		if want := in.Competences[2].Name.In(survey.Danish); !strings.HasPrefix(strongest, want) {
			t.Errorf("first strength %q, want %q", strongest, want)
		}
		weakest := b.text(t, "section.development .dev-name")
		if want := in.Competences[8].Name.In(survey.Danish); !strings.HasPrefix(weakest, want) {
			t.Errorf("first development area %q, want %q", weakest, want)
		}
		if n := browserEval[int](t, b, `document.querySelectorAll("section.development ul.prompts li").length`); n == 0 {
			t.Error("no reflection prompts shown")
		}
		if keys := browserBracketRE.FindAllString(b.text(t, "main"), -1); len(keys) > 0 {
			t.Errorf("result page shows missing catalogue keys: %q", keys)
		}
	})

	step("no script errors or CSP violations", func(t *testing.T) {
		// A round trip through the page, so events it sent before are in.
		browserEval[int](t, b, `new Promise(r => requestAnimationFrame(() => setTimeout(() => r(1), 50)))`, chromedp.EvalAwaitPromise)
		for _, m := range console.all() {
			t.Logf("console: %s", m)
		}
		for _, m := range console.problems() {
			t.Errorf("browser console: %s", m)
		}
	})

	// Each page at a phone's and a desktop's width, in a tab of its own (the
	// same session): nothing may scroll sideways. With LEDERRADAR_SCREENSHOTS=1
	// the README's screenshots are written too.
	step("phone and desktop layouts", func(t *testing.T) {
		var dir string
		if os.Getenv("LEDERRADAR_SCREENSHOTS") == "1" {
			dir = filepath.Join("..", "docs", "screenshots")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		for _, v := range []struct {
			width, height int64
			path, ready   string
			screenshot    string
		}{
			{width: 1280, height: 900, path: "/result", ready: `#radar svg`, screenshot: "result-desktop.png"},
			{width: 390, height: 844, path: "/result", ready: `#radar svg`, screenshot: "result-phone.png"},
			{width: 1280, height: 900, path: "/survey/1", ready: `form.questionnaire`, screenshot: "questionnaire-desktop.png"},
			{width: 390, height: 844, path: "/survey/1", ready: `form.questionnaire`, screenshot: "questionnaire-phone.png"},
			{width: 390, height: 844, path: "/review", ready: `form[action="/review"]`},
		} {
			file := ""
			if dir != "" && v.screenshot != "" {
				file = filepath.Join(dir, v.screenshot)
			}
			if w := b.layout(t, v.width, v.height, v.path, v.ready, file); w > v.width {
				t.Errorf("%s at %dpx wide is %dpx wide: it scrolls sideways", v.path, v.width, w)
			}
		}
	})

	step("switch language", func(t *testing.T) {
		b.submit(t, `form[action="/language"] button[type=submit]`)
		if loc, want := b.location(t), app.baseURL+"/result"; loc != want {
			t.Errorf("after the language switch the browser is at %s, want %s", loc, want)
		}
		if lang := browserEval[string](t, b, `document.documentElement.lang`); lang != "en" {
			t.Errorf(`<html lang=%q>, want "en"`, lang)
		}
		if h1 := b.text(t, "h1"); h1 != "Your result" {
			t.Errorf("result heading %q, want %q", h1, "Your result")
		}
		b.do(t, chromedp.WaitVisible(chromedp.CSS(`#radar svg`)))
		scores := browserEval[[]string](t, b, `Array.from(document.querySelectorAll("table.scores:not(.others-table) tbody tr"), r => r.querySelector("td").textContent.trim())`)
		if len(scores) == 0 || scores[0] != browserScore(chosen[0], ".") {
			t.Errorf("English scores %v, want a decimal point (%s first)", scores, browserScore(chosen[0], "."))
		}
		// Every tab so far, the phone and desktop layouts included.
		for _, m := range console.problems() {
			t.Errorf("browser console: %s", m)
		}
	})

	// The console check is only worth something if it sees a violation: make
	// one, as ECharts would if it wrote a style attribute.
	step("console check catches a CSP violation", func(t *testing.T) {
		before := len(console.problems())
		browserEval[chromedp.Void](t, b, `document.body.setAttribute("style", "color: red")`)
		for range 40 {
			browserEval[int](t, b, `new Promise(r => setTimeout(() => r(1), 50))`, chromedp.EvalAwaitPromise)
			if len(console.problems()) > before {
				return
			}
		}
		t.Error("an inline style attribute under style-src 'self' left no Content Security Policy message in the console")
	})
}

// browserExecPath finds Chromium or Chrome. Without one the test skips,
// except in CI, which must run it.
func browserExecPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("no chromium, chromium-browser or google-chrome in PATH, and CI requires the browser test")
	}
	t.Skip("no chromium, chromium-browser or google-chrome in PATH")
	return ""
}

// browserContext is the context a browser test runs in: until a minute
// before the test binary's deadline (go test -timeout), ten minutes
// without one. The browser tests run beside every other test of the
// package, so a fixed budget of their own would fail them on a busy
// machine rather than let them finish slower; a hang still ends.
func browserContext(t *testing.T) (context.Context, context.CancelFunc) {
	limit := time.Now().Add(10 * time.Minute)
	if d, ok := t.Deadline(); ok {
		limit = d.Add(-time.Minute)
	}
	return context.WithDeadline(context.Background(), limit)
}

// sharedBrowser is one headless Chromium for the package: starting one costs
// a second or two, so each test gets a browser context of its own in it
// (cookies, storage and cache apart, as a new profile has) rather than a
// browser. TestMain closes it.
var sharedBrowser struct {
	once   sync.Once
	ctx    context.Context // its first tab, which stays blank
	cancel func()
	dir    string // its profile
	err    error
}

// sharedChromium starts the package's Chromium on first use.
func sharedChromium(t *testing.T, execPath string) context.Context {
	t.Helper()
	sharedBrowser.once.Do(func() {
		sharedBrowser.dir, sharedBrowser.err = os.MkdirTemp("", "lederradar-chromium-")
		if sharedBrowser.err != nil {
			return
		}
		// Not bound to any test's context: it outlives each of them.
		allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(execPath),
			chromedp.UserDataDir(sharedBrowser.dir),
			chromedp.Headless,
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.NoFirstRun,
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.WindowSize(1280, 900),
		)...)
		ctx, cancel := chromedp.NewContext(allocCtx)
		sharedBrowser.ctx, sharedBrowser.cancel = ctx, func() { cancel(); allocCancel() }
		sharedBrowser.err = chromedp.Do(ctx) // starts the browser
	})
	if sharedBrowser.err != nil {
		t.Fatalf("start chromium: %v", sharedBrowser.err)
	}
	return sharedBrowser.ctx
}

// closeChromium closes the package's Chromium, if a test started it, and
// removes its profile.
func closeChromium() {
	if sharedBrowser.ctx != nil {
		cctx, ccancel := context.WithTimeout(sharedBrowser.ctx, 10*time.Second)
		_ = chromedp.Cancel(cctx)
		ccancel()
		sharedBrowser.cancel()
	}
	if sharedBrowser.dir != "" {
		_ = os.RemoveAll(sharedBrowser.dir)
	}
}

// startBrowser opens a desktop-sized tab for a whole test, in a browser
// context of its own in the package's Chromium. A hang anywhere ends at
// ctx's end, which closes the tab, rather than blocking. Call stop,
// deferred, to close the tab and its browser context.
func startBrowser(t *testing.T, ctx context.Context, execPath, base string) (b *browserTab, stop func()) {
	t.Helper()
	console := &browserConsole{}
	tab, tabCancel := chromedp.NewContext(sharedChromium(t, execPath), chromedp.WithNewBrowserContext(), chromedp.WithListener(console.listen))
	stopAtEnd := context.AfterFunc(ctx, tabCancel)
	stop = func() {
		stopAtEnd()
		cctx, ccancel := context.WithTimeout(tab, 10*time.Second)
		defer ccancel()
		_ = chromedp.Cancel(cctx)
		tabCancel()
	}
	if err := chromedp.Do(tab); err != nil { // opens the tab
		stop()
		t.Fatalf("open a tab: %v", err)
	}
	return &browserTab{ctx: tab, base: base, console: console}, stop
}

type browserApp struct {
	baseURL    string
	instrument *survey.Instrument
	notStarted orggen.DemoLink
	// logins are the demo's HR and administrator accounts.
	logins []orggen.Account
	// seeded is the time the demo was seeded at: its rounds are named
	// after its year.
	seeded time.Time
	// db is the app's database, links all the demo's personal links.
	db    *data.DB
	links []orggen.DemoLink
}

// seededDemo is a temp-file database seeded with the demo organisation.
type seededDemo struct {
	db     *data.DB
	in     *survey.Instrument
	seeded time.Time // the demo names its rounds after this date
	links  []orggen.DemoLink
	logins []orggen.Account
}

// demoSeed is what seeding the demo returned: the same for every copy.
type demoSeed struct {
	seeded time.Time
	links  []orggen.DemoLink
	logins []orggen.Account
}

// demoDB is the demo organisation, seeded once for the package.
var demoDB testdb.Template[demoSeed]

// seedDemo makes a database with the demo organisation, the same one
// every time but for its dates.
func seedDemo(t *testing.T, ctx context.Context) seededDemo {
	t.Helper()
	path, seed := demoDB.Copy(t, "demo.db", buildDemo)
	db, err := data.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	in, err := survey.DefaultInstrument()
	if err != nil {
		t.Fatal(err)
	}
	if err := db.EnsureInstrument(ctx, in, survey.DefaultInstrumentFile()); err != nil {
		t.Fatal(err)
	}
	return seededDemo{db: db, in: in, seeded: seed.seeded, links: slices.Clone(seed.links), logins: slices.Clone(seed.logins)}
}

// buildDemo seeds the demo into a new database at path. Its HR and
// administrator accounts get cheap hashes of their passwords (cheapHash).
func buildDemo(path string) (demoSeed, error) {
	db, err := data.Open(path)
	if err != nil {
		return demoSeed{}, err
	}
	d, err := seedDemoInto(db)
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	return d, err
}

func seedDemoInto(db *data.DB) (demoSeed, error) {
	ctx := context.Background()
	in, err := survey.DefaultInstrument()
	if err != nil {
		return demoSeed{}, err
	}
	if err := db.EnsureInstrument(ctx, in, survey.DefaultInstrumentFile()); err != nil {
		return demoSeed{}, err
	}
	d := demoSeed{seeded: time.Now()}
	if d.links, err = orggen.SeedDemo(ctx, db, in, rand.New(rand.NewPCG(1, 2)), d.seeded); err != nil {
		return demoSeed{}, err
	}
	if d.logins, err = orggen.DemoAccounts(ctx, db); err != nil {
		return demoSeed{}, err
	}
	for _, l := range d.logins {
		u, _, err := db.FindUserByEmail(ctx, l.Email)
		if err != nil {
			return demoSeed{}, err
		}
		if err := db.SetUserPassword(ctx, u.ID, cheapHash(l.Password)); err != nil {
			return demoSeed{}, err
		}
	}
	return d, nil
}

// startBrowserApp serves the real app, seeded with the demo organisation,
// on a loopback port of its own. opts change its Config.
func startBrowserApp(t *testing.T, ctx context.Context, opts ...func(*web.Config)) *browserApp {
	t.Helper()
	d := seedDemo(t, ctx)
	db, in, seeded, links, logins := d.db, d.in, d.seeded, d.links, d.logins
	if len(links) == 0 || links[0].State != "not started" {
		t.Fatalf("demo links %+v: want a leader who has not started first", links)
	}

	// The base URL must be known before the server is built, so listen
	// first and start serving after.
	ts := httptest.NewUnstartedServer(nil)
	base := "http://" + ts.Listener.Addr().String()
	// Warnings and errors only: a request log would drown the test output.
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	cfg := web.Config{DB: db, Instrument: in, Logger: logger, BaseURL: base, Assets: testAssets(t), DummyPasswordCheck: cheapDummyCheck}
	for _, o := range opts {
		o(&cfg)
	}
	srv, err := web.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = srv.Handler()
	ts.Config.ErrorLog = slog.NewLogLogger(logger.Handler(), slog.LevelWarn)
	ts.Start()
	t.Cleanup(ts.Close)
	return &browserApp{baseURL: base, instrument: in, notStarted: links[0], logins: logins, seeded: seeded, db: db, links: links}
}

// browserAnswers are the answers the leader clicks, page by page: varied,
// so the radar has a shape and the strengths differ from the development
// areas, with one "Ved ikke" (0) on page 4.
var browserAnswers = [][]int{
	{4, 5, 4, 4}, // 4,3
	{3, 3, 4, 2}, // 3,0
	{5, 5, 4, 5}, // 4,8
	{2, 0, 3, 2}, // 2,3: "Ved ikke" is no answer on the scale
	{4, 4, 4, 3}, // 3,8
	{3, 2, 2, 3}, // 2,5
	{5, 4, 5, 5}, // 4,8
	{4, 3, 3, 4}, // 3,5
	{2, 2, 1, 2}, // 1,8
	{4, 4, 5, 4}, // 4,3
	{3, 4, 3, 3}, // 3,3
}

// browserScore formats the mean of the answers on the scale as the result
// page does, with sep as the decimal separator.
func browserScore(answers []int, sep string) string {
	sum, n := 0, 0
	for _, a := range answers {
		if a != int(survey.DontKnow) {
			sum += a
			n++
		}
	}
	s := strconv.FormatFloat(math.Round(float64(sum)/float64(n)*10)/10, 'f', 1, 64)
	return strings.Replace(s, ".", sep, 1)
}

func browserStrings(values []int) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = strconv.Itoa(v)
	}
	return out
}

// browserBracketRE matches a catalogue key the printer did not find.
var browserBracketRE = regexp.MustCompile(`\[[a-z_]+(\.[a-z_]+)+\]`)

// browserTab drives one tab; every helper fails the test on an error.
type browserTab struct {
	ctx     context.Context
	base    string
	console *browserConsole // the tab's console, and that of tabs it opens
}

func (b *browserTab) do(t *testing.T, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		t.Fatalf("browser: %v", err)
	}
}

func browserEval[T any](t *testing.T, b *browserTab, expr string, opts ...chromedp.EvaluateOption) T {
	t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr, opts...))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// navigate loads url and fails unless the page answers 200.
func (b *browserTab) navigate(t *testing.T, url string) {
	t.Helper()
	if status := b.navigateStatus(t, url); status != http.StatusOK {
		t.Fatalf("navigate: %s answered %d", url, status)
	}
}

// navigateStatus loads url and returns the status of the page it ends on.
func (b *browserTab) navigateStatus(t *testing.T, url string) int64 {
	t.Helper()
	resp, err := chromedp.Run(b.ctx, chromedp.NavigateResponse(url))
	if err != nil {
		t.Fatalf("navigate: %v", err)
	}
	b.awaitContext(t)
	return resp.Status
}

// awaitContext waits until the tab can run script in the page it has just
// loaded. chromedp learns of a page's new execution context from an event
// that may arrive after the load it waited for; until then it evaluates in
// the old page's context and Chromium answers "Cannot find context".
func (b *browserTab) awaitContext(t *testing.T) {
	t.Helper()
	if err := retryContext(func() error {
		_, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`true`))
		return err
	}); err != nil {
		t.Fatalf("the page does not run script: %v", err)
	}
}

// retryContext runs script, again while its error is "Cannot find
// context" (the new page's context is not yet known: see awaitContext),
// up to a hundred times, and returns its last error.
func retryContext(script func() error) error {
	for tries := 0; ; tries++ {
		err := script()
		if err == nil || !strings.Contains(err.Error(), "Cannot find context") || tries == 100 {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// submit clicks a submit button, waits for the page the form leads to and
// fails unless it answers 200.
func (b *browserTab) submit(t *testing.T, button string) {
	t.Helper()
	if status := b.submitStatus(t, button); status != http.StatusOK {
		t.Fatalf("click %s: the page answered %d", button, status)
	}
}

// submitStatus clicks a submit button or a link, waits for the page it
// leads to and returns that page's status.
func (b *browserTab) submitStatus(t *testing.T, button string) int64 {
	t.Helper()
	resp, err := chromedp.RunResponse(b.ctx, chromedp.Click(chromedp.CSS(button)))
	if err != nil {
		t.Fatalf("click %s: %v", button, err)
	}
	b.awaitContext(t)
	return resp.Status
}

func (b *browserTab) location(t *testing.T) string {
	t.Helper()
	loc, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		t.Fatalf("location: %v", err)
	}
	return loc
}

func (b *browserTab) text(t *testing.T, sel string) string {
	t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// answerPage clicks answers[i] in the i-th item's radio group.
func (b *browserTab) answerPage(t *testing.T, answers []int) {
	t.Helper()
	n := browserEval[int](t, b, `document.querySelectorAll("form.questionnaire fieldset.item").length`)
	if n != len(answers) {
		t.Fatalf("page has %d items, want %d", n, len(answers))
	}
	for i, v := range answers {
		b.do(t, chromedp.Click(chromedp.CSS(fmt.Sprintf(
			`form.questionnaire fieldset.item:nth-of-type(%d) input[type=radio][value="%d"]`, i+1, v))))
	}
	if got := b.checked(t); !slices.Equal(got, browserStrings(answers)) {
		t.Fatalf("after clicking, the checked answers are %v, want %v", got, answers)
	}
}

// checked returns the checked value of each item on the page, "" for none.
func (b *browserTab) checked(t *testing.T) []string {
	t.Helper()
	return browserEval[[]string](t, b, `Array.from(document.querySelectorAll("form.questionnaire fieldset.item"),
		f => { const c = f.querySelector("input[type=radio]:checked"); return c ? c.value : ""; })`)
}

func (b *browserTab) wantProgress(t *testing.T, n, of int) {
	t.Helper()
	if got, want := b.text(t, "#progress-text"), fmt.Sprintf("Kompetence %d af %d", n, of); got != want {
		t.Errorf("progress %q, want %q", got, want)
	}
}

// wantSaved checks that the save led to path and said so.
func (b *browserTab) wantSaved(t *testing.T, path string) {
	t.Helper()
	if loc := b.location(t); loc != b.base+path {
		t.Errorf("after saving the browser is at %s, want %s", loc, b.base+path)
	}
	if got := b.text(t, ".status .notice"); got != "Dine svar er gemt." {
		t.Errorf("status message %q, want %q", got, "Dine svar er gemt.")
	}
}

// layout loads path in a new tab of the same browser context (the same
// session) at the given viewport, writes a full-page PNG to file unless it
// is empty, and returns the width of the page.
func (b *browserTab) layout(t *testing.T, width, height int64, path, ready, file string) int64 {
	t.Helper()
	shot, cancel := chromedp.NewContext(b.ctx, chromedp.WithListener(b.console.listen))
	defer cancel()
	s := &browserTab{ctx: shot, base: b.base, console: b.console}
	s.do(t, chromedp.EmulateViewport(width, height))
	s.navigate(t, b.base+path)
	s.do(t, chromedp.WaitVisible(chromedp.CSS(ready)))
	w := browserEval[int64](t, s, `document.documentElement.scrollWidth`)
	if w > width {
		// Name the culprits: the outermost elements that reach past the
		// viewport's right edge and are not inside a scrolling box.
		wide := browserEval[[]string](t, s, `(() => {
			const past = e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5;
			const scrolls = e => getComputedStyle(e).overflowX !== "visible";
			const free = e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) { if (scrolls(a)) return false; } return true; };
			return Array.from(document.querySelectorAll("body *")).filter(e => past(e) && free(e) && !past(e.parentElement));
		})()
			.slice(0, 10)
			.map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && typeof e.className === "string" ? "." + e.className.trim().replace(/\s+/g, ".") : "") +
				" right=" + Math.round(e.getBoundingClientRect().right) + " " + JSON.stringify((e.textContent || "").trim().slice(0, 40)))`)
		t.Logf("%s at %dpx: elements past the right edge: %q", path, width, wide)
	}
	if file == "" {
		return w
	}
	png, err := chromedp.Run(shot, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot of %s: %v", path, err)
	}
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%d bytes)", file, len(png))
	return w
}

// browserConsole collects what the page writes to the console. Its listen
// runs on chromedp's reading goroutine, so it only appends under a lock.
type browserConsole struct {
	mu       sync.Mutex
	messages []browserConsoleMessage
}

type browserConsoleMessage struct {
	kind, level, text, url string
}

func (m browserConsoleMessage) String() string {
	return fmt.Sprintf("%s %s: %s (%s)", m.kind, m.level, m.text, m.url)
}

func (c *browserConsole) listen(ev any) {
	var m browserConsoleMessage
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		m = browserConsoleMessage{kind: "exception", level: "error", text: ev.ExceptionDetails.Text}
		if ev.ExceptionDetails.Exception != nil {
			m.text += " " + ev.ExceptionDetails.Exception.Description
		}
		m.url = ev.ExceptionDetails.URL
	case *log.EventEntryAdded:
		m = browserConsoleMessage{kind: "log/" + string(ev.Entry.Source), level: string(ev.Entry.Level), text: ev.Entry.Text, url: ev.Entry.URL}
	case *runtime.EventConsoleAPICalled:
		var parts []string
		for _, a := range ev.Args {
			if a.Value != nil {
				parts = append(parts, string(a.Value))
			} else {
				parts = append(parts, a.Description)
			}
		}
		m = browserConsoleMessage{kind: "console", level: string(ev.Type), text: strings.Join(parts, " ")}
	default:
		return
	}
	c.mu.Lock()
	c.messages = append(c.messages, m)
	c.mu.Unlock()
}

func (c *browserConsole) all() []browserConsoleMessage {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.messages)
}

// problems returns the exceptions, the Content-Security-Policy violations
// and the errors a script wrote.
func (c *browserConsole) problems() []browserConsoleMessage {
	var out []browserConsoleMessage
	for _, m := range c.all() {
		if m.kind == "exception" || strings.Contains(m.text, "Content Security Policy") ||
			(m.kind == "console" && m.level == "error") {
			out = append(out, m)
		}
	}
	return out
}
