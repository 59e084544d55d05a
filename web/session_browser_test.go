package web_test

// The session time-out warning in a real browser (WCAG 2.2.1), with the
// times shortened: an HR session of 12 s idle is warned about 6 s before
// its end, extended with the keyboard, and then left to run out; a session
// of 8 s in all is warned that it cannot be extended.
//
//	go test -race -run BrowserSession -v ./web/

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"lederradar/survey"
	"lederradar/web"
)

func TestBrowserSessionTimeout(t *testing.T) {
	t.Parallel()
	chromium := browserExecPath(t)

	ctx, cancel := browserContext(t)
	defer cancel()

	const idle, warning = 12 * time.Second, 6 * time.Second
	app := startBrowserApp(t, ctx, func(c *web.Config) { c.StaffIdle, c.StaffWarning = idle, warning })
	b, stop := startBrowser(t, ctx, chromium, app.baseURL)
	defer stop()
	k := &keyboard{b: b, pressed: map[string]int{}}

	step := func(name string, f func(t *testing.T)) {
		t.Helper()
		if !t.Run(name, f) {
			t.FailNow()
		}
	}

	// idleEnd is no earlier than the end of the session as it was
	// created: the page's seconds left are rounded up.
	var loggedIn, idleEnd time.Time
	step("log in", func(t *testing.T) {
		b.navigate(t, app.baseURL+"/login")
		loggedIn = time.Now()
		b.login(t, browserLogin(t, app, survey.RoleHR))
		if loc := b.location(t); loc != app.baseURL+"/hr" {
			t.Fatalf("after logging in HR is at %s", loc)
		}
		left := browserEval[string](t, b, `document.body.dataset.sessionIdle`)
		secs, err := strconv.Atoi(left)
		if err != nil || secs < 1 || time.Duration(secs)*time.Second > idle {
			t.Fatalf("data-session-idle=%q, want 1 to %d seconds", left, int(idle/time.Second))
		}
		idleEnd = time.Now().Add(time.Duration(secs) * time.Second)
		if open := browserEval[bool](t, b, `document.getElementById("session-dialog").open`); open {
			t.Fatal("the warning is open right after logging in")
		}
	})

	step("warned before the idle end", func(t *testing.T) {
		d := waitDialog(t, b, "idle", idle+5*time.Second)
		before := time.Until(idleEnd)
		t.Logf("the warning came %.1f s after logging in, %.1f s before the idle end", time.Since(loggedIn).Seconds(), before.Seconds())
		if before < warning-2*time.Second || before > warning+time.Second {
			t.Errorf("the warning came %v before the idle end, want about %v", before, warning)
		}
		if want := "Du bliver logget ud om 6 sekunder på grund af inaktivitet. Vil du fortsætte?"; d.Text != want {
			t.Errorf("the warning says %q, want %q", d.Text, want)
		}
		if d.Title != "Du bliver snart logget ud" || !d.Modal || d.Role != "alertdialog" {
			t.Errorf("the dialog is %+v, want a modal alertdialog titled »Du bliver snart logget ud«", d)
		}
		f := k.wantVisible(t, "the warning")
		if f.Tag != "button" || f.Text != "Fortsæt" {
			t.Errorf("the warning focuses %s, want the button »Fortsæt«", f)
		}
	})

	var extended time.Time
	step("Enter on Fortsæt extends", func(t *testing.T) {
		k.press(t, kb.Enter, false)
		extended = time.Now()
		if !browserWait(t, b, `!document.getElementById("session-dialog").open`, 5*time.Second) {
			t.Fatal("the dialog stays open after »Fortsæt«")
		}
		// Past the end the session had before it was extended.
		time.Sleep(time.Until(idleEnd.Add(500 * time.Millisecond)))
		if time.Since(extended) > idle-3*time.Second {
			t.Fatalf("too slow to tell: %v since the extension", time.Since(extended))
		}
		if status := b.navigateStatus(t, app.baseURL+"/hr"); status != http.StatusOK {
			t.Fatalf("/hr after the extension answered %d", status)
		}
		if loc := b.location(t); loc != app.baseURL+"/hr" {
			t.Fatalf("%.1f s after logging in, %.1f s after extending, /hr leads to %s: the session was not extended",
				time.Since(loggedIn).Seconds(), time.Since(extended).Seconds(), loc)
		}
		t.Logf("the session works %.1f s after logging in (idle %v), %.1f s after extending", time.Since(loggedIn).Seconds(), idle, time.Since(extended).Seconds())
	})

	step("logged out when time runs out", func(t *testing.T) {
		// This page came less than the warning time before the end: it
		// warns at once, and nobody answers.
		waitDialog(t, b, "idle", 3*time.Second)
		d := waitDialog(t, b, "expired", idle)
		t.Logf("logged out %.1f s after extending", time.Since(extended).Seconds())
		if d.Title != "Du er logget ud" || d.Text != "Din session er udløbet. Log ind igen for at fortsætte." {
			t.Errorf("the dialog says %q: %q", d.Title, d.Text)
		}
		f := k.focused(t)
		if f.Tag != "a" || f.Href != "/login?next=/hr" || f.Text != "Log ind igen" {
			t.Errorf("the expired dialog focuses %s, want the link »Log ind igen« to /login?next=/hr", f)
		}
		// The server agrees: the link, followed with Enter, finds no session.
		k.submit(t, kb.Enter)
		if loc, want := b.location(t), app.baseURL+"/login?next=/hr"; loc != want {
			t.Errorf("Enter on the link leads to %s, want %s", loc, want)
		}
		b.navigate(t, app.baseURL+"/hr")
		if loc, want := b.location(t), app.baseURL+"/login?next=/hr"; loc != want {
			t.Errorf("/hr after the time-out leads to %s, want %s", loc, want)
		}
	})

	// The hard end: warned, and told it cannot be extended.
	const maxAge = 8 * time.Second
	short := startBrowserApp(t, ctx, func(c *web.Config) { c.StaffIdle, c.StaffMax, c.StaffWarning = time.Minute, maxAge, 5*time.Second })
	step("warned before the hard end", func(t *testing.T) {
		b.navigate(t, short.baseURL+"/login")
		loggedIn = time.Now()
		b.login(t, browserLogin(t, short, survey.RoleAdmin))
		d := waitDialog(t, b, "max", 10*time.Second)
		t.Logf("the warning came %.1f s after logging in", time.Since(loggedIn).Seconds())
		if want := "Du bliver logget ud om 5 sekunder, fordi en session højst kan vare 8 sekunder. Den kan ikke forlænges. Gem det, du er i gang med, og log ind igen bagefter."; d.Text != want {
			t.Errorf("the warning says %q, want %q", d.Text, want)
		}
		if n := browserEval[int](t, b, `Array.from(document.querySelectorAll("#session-dialog button")).filter(b => b.offsetParent !== null && b.textContent.trim() === "Fortsæt").length`); n != 0 {
			t.Error("the warning before the hard end offers »Fortsæt«")
		}
		f := k.wantVisible(t, "the warning")
		if f.Tag != "button" || f.Text != "OK" {
			t.Errorf("the warning focuses %s, want »OK«", f)
		}
		k.press(t, kb.Enter, false)
		if !browserWait(t, b, `!document.getElementById("session-dialog").open`, 3*time.Second) {
			t.Fatal("»OK« does not close the dialog")
		}
		d = waitDialog(t, b, "expired", 10*time.Second)
		if d.Title != "Du er logget ud" {
			t.Errorf("at the hard end the dialog says %q", d.Title)
		}
		t.Logf("logged out %.1f s after logging in (at most %v)", time.Since(loggedIn).Seconds(), maxAge)
		b.navigate(t, short.baseURL+"/admin")
		if loc := b.location(t); loc != short.baseURL+"/login?next=/admin" {
			t.Errorf("/admin after the hard end leads to %s", loc)
		}
	})

	step("no script errors or CSP violations", func(t *testing.T) {
		for _, m := range b.console.problems() {
			t.Errorf("browser console: %s", m)
		}
	})
	t.Logf("keys: %v", k.pressed)
}

// dialogInfo is what the session dialog shows.
type dialogInfo struct {
	State, Title, Text, Role string
	Modal                    bool
}

// waitDialog waits until the session dialog is open on state and returns
// what it shows.
func waitDialog(t *testing.T, b *browserTab, state string, timeout time.Duration) dialogInfo {
	t.Helper()
	cond := fmt.Sprintf(`(d => d.open && !d.querySelector('[data-session-state=%q]').hidden)(document.getElementById("session-dialog"))`, state)
	if !browserWait(t, b, cond, timeout) {
		d := browserEval[string](t, b, `(d => d.open + " " + Array.from(d.querySelectorAll("[data-session-state]")).filter(e => !e.hidden).map(e => e.dataset.sessionState))(document.getElementById("session-dialog"))`)
		t.Fatalf("no %q session dialog within %v (open, showing: %s)", state, timeout, d)
	}
	return browserEval[dialogInfo](t, b, `(d => {
		const part = Array.from(d.querySelectorAll("[data-session-state]")).find(e => !e.hidden);
		const byID = id => { const e = document.getElementById(d.getAttribute(id)); return e ? e.textContent.trim() : ""; };
		return {State: part.dataset.sessionState, Title: byID("aria-labelledby"), Text: byID("aria-describedby"),
			Role: d.getAttribute("role"), Modal: d.matches(":modal")};
	})(document.getElementById("session-dialog"))`)
}

// browserWait polls cond in the page until it is true or timeout passes,
// and says whether it came true.
func browserWait(t *testing.T, b *browserTab, cond string, timeout time.Duration) bool {
	t.Helper()
	return browserEval[bool](t, b, fmt.Sprintf(`new Promise(resolve => {
		const end = Date.now() + %d;
		(function poll() {
			let ok = false;
			try { ok = !!(%s); } catch (e) {}
			if (ok || Date.now() > end) return resolve(ok);
			setTimeout(poll, 50);
		})();
	})`, timeout.Milliseconds(), cond), chromedp.EvalAwaitPromise)
}
