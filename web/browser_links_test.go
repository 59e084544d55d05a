package web_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/device"

	"lederradar/internal/auth"
	"lederradar/internal/links"
	"lederradar/survey"
)

// TestBrowserLinkOpenings opens one personal link in two browsers (two
// browser contexts, the second as Safari on an iPhone) and finds the
// second opening listed in the first; then a closed round's link in a new
// browser, and the administrator's round page. With
// LEDERRADAR_LINK_SHOTS=DIR it writes the pages at 1280 and 390 px there.
//
//	go test -run BrowserLinkOpenings -v ./web/
func TestBrowserLinkOpenings(t *testing.T) {
	t.Parallel()
	chromium := browserExecPath(t)
	ctx, cancel := browserContext(t)
	defer cancel()
	app := startBrowserApp(t, ctx)
	b, stop := startBrowser(t, ctx, chromium, app.baseURL)
	defer stop()
	link := links.For(app.baseURL, app.notStarted.Token)
	shots := os.Getenv("LEDERRADAR_LINK_SHOTS")
	shoot := func(t *testing.T, tab *browserTab, path, ready, name string) {
		t.Helper()
		for _, width := range []int64{1280, 390} {
			file := ""
			if shots != "" {
				file = filepath.Join(shots, fmt.Sprintf("%s-%d.png", name, width))
			}
			if w := tab.layout(t, width, 900, path, ready, file); w > width {
				t.Errorf("%s at %d px is %d px wide: it scrolls sideways", path, width, w)
			}
		}
	}

	b.navigate(t, link)
	if n := browserEval[int](t, b, `document.querySelectorAll(".warning").length`); n != 0 {
		t.Errorf("the first browser's questionnaire warns of another opening (%d)", n)
	}

	phoneCtx, phoneCancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext(), chromedp.WithListener(b.console.listen))
	defer phoneCancel()
	phone := &browserTab{ctx: phoneCtx, base: app.baseURL, console: b.console}
	phone.do(t, chromedp.Emulate(device.IPhone13))
	phone.navigate(t, link)

	t.Run("the first browser sees the second opening", func(t *testing.T) {
		b.navigate(t, app.baseURL+"/survey/1")
		if got := b.text(t, "p.warning"); !strings.Contains(got, "Dit link blev åbnet i en anden browser (Safari på iPhone) den ") || !strings.Contains(got, "Var det ikke dig, så kontakt HR.") {
			t.Errorf("notice %q", got)
		}
		b.navigate(t, app.baseURL+"/review")
		rows := browserEval[[]string](t, b, `Array.from(document.querySelectorAll("#openings li")).map(li => li.textContent.trim())`)
		if len(rows) != 2 || !strings.HasSuffix(rows[0], ": Safari på iPhone") || !strings.HasSuffix(rows[1], ": Chrome på Linux (denne browser)") {
			t.Errorf("openings listed %q, want the iPhone's then this browser's", rows)
		}
		shoot(t, b, "/survey/1", "p.warning", "questionnaire-opened-elsewhere")
		shoot(t, b, "/review", "#openings", "review-openings")
	})

	t.Run("the second browser's own opening is marked", func(t *testing.T) {
		phone.navigate(t, app.baseURL+"/review")
		rows := browserEval[[]string](t, phone, `Array.from(document.querySelectorAll("#openings li")).map(li => li.textContent.trim())`)
		if len(rows) != 2 || !strings.HasSuffix(rows[0], ": Safari på iPhone (denne browser)") {
			t.Errorf("openings listed %q on the phone", rows)
		}
	})

	t.Run("a closed round's link in a new browser", func(t *testing.T) {
		token := closedDemoLink(t, app)
		fresh, freshCancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext(), chromedp.WithListener(b.console.listen))
		defer freshCancel()
		tab := &browserTab{ctx: fresh, base: app.baseURL, console: b.console}
		if status := tab.navigateStatus(t, links.For(app.baseURL, token)); status != http.StatusForbidden {
			t.Errorf("status %d, want 403", status)
		}
		if h1 := tab.text(t, "h1"); h1 != "Runden er lukket" {
			t.Errorf("heading %q", h1)
		}
		if n := browserEval[int](t, tab, `document.cookie.length`); n != 0 {
			t.Errorf("cookies after a closed round's link: %d bytes", n)
		}
		// layout wants a 200: this page is shot where it is.
		for _, width := range []int64{1280, 390} {
			tab.do(t, chromedp.EmulateViewport(width, 900))
			tab.navigateStatus(t, links.For(app.baseURL, token))
			if w := browserEval[int64](t, tab, `document.documentElement.scrollWidth`); w > width {
				t.Errorf("the page at %d px is %d px wide", width, w)
			}
			if shots != "" {
				png, err := chromedp.Run(fresh, chromedp.FullScreenshot(100))
				must(t, err)
				must(t, os.WriteFile(filepath.Join(shots, fmt.Sprintf("link-closed-%d.png", width)), png, 0o644))
			}
		}
	})

	t.Run("the administrator's round page", func(t *testing.T) {
		admin, adminCancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext(), chromedp.WithListener(b.console.listen))
		defer adminCancel()
		tab := &browserTab{ctx: admin, base: app.baseURL, console: b.console}
		tab.navigate(t, app.baseURL+"/login")
		tab.login(t, browserLogin(t, app, survey.RoleAdmin))
		id := openDemoRound(t, app)
		shoot(t, tab, fmt.Sprintf("/admin/rounds/%d", id), "#links", "admin-round-links")
	})

	for _, m := range b.console.problems() {
		t.Errorf("browser console: %s", m)
	}
}

// openDemoRound returns the id of the demo's open round.
func openDemoRound(t *testing.T, app *browserApp) int64 {
	t.Helper()
	rounds, err := app.db.FindRounds(t.Context())
	must(t, err)
	for _, r := range rounds {
		if r.Status == survey.RoundOpen {
			return r.ID
		}
	}
	t.Fatal("the demo has no open round")
	return 0
}

// closedDemoLink gives a demo leader a link to a closed round (the demo's
// links are to its open round) and returns its token.
func closedDemoLink(t *testing.T, app *browserApp) string {
	t.Helper()
	ctx := t.Context()
	rounds, err := app.db.FindRounds(ctx)
	must(t, err)
	people, err := app.db.FindPeople(ctx)
	must(t, err)
	for _, r := range rounds {
		if r.Status == survey.RoundClosed {
			token, hash := auth.NewToken()
			inv := survey.Invitation{RoundID: r.ID, PersonID: people[0].ID, Relation: survey.Self}
			must(t, app.db.CreateInvitation(ctx, &inv, people[0].ID, hash))
			return token
		}
	}
	t.Fatal("the demo has no closed round")
	return ""
}
