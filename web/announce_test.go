package web_test

// Errors are announced: a form the server refuses comes back with its
// message in an alert (role="alert", an assertive live region) that takes
// the focus as the page loads, without JavaScript (autofocus), and with
// "Fejl: " before the page title, which a screen reader reads first. The
// test asks Chromium's accessibility tree, which is what a screen reader
// reads, not only the markup.
//
//	go test -race -run BrowserErrors -v ./web/

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"lederradar/internal/auth"
	"lederradar/internal/links"
	"lederradar/survey"
)

func TestBrowserErrorsAnnounced(t *testing.T) {
	chromium := browserExecPath(t)
	// Its own app and browser, and no timing: it runs beside the others.
	t.Parallel()

	ctx, cancel := browserContext(t)
	defer cancel()

	app := startBrowserApp(t, ctx)
	in := app.instrument
	b, stop := startBrowser(t, ctx, chromium, app.baseURL)
	defer stop()

	step := func(name string, f func(t *testing.T)) {
		t.Helper()
		if !t.Run(name, f) {
			t.FailNow()
		}
	}

	step("status region is polite", func(t *testing.T) {
		b.navigate(t, links.For(app.baseURL, app.notStarted.Token))
		b.navigate(t, app.baseURL+"/survey/1") // past the start page
		role := browserEval[string](t, b, `(e => e ? e.getAttribute("role") + " " + e.getAttribute("aria-live") : "")(document.querySelector("main .status"))`)
		if role != "status polite" {
			t.Errorf(`the status region is %q, want role="status" aria-live="polite"`, role)
		}
	})

	step("an answer off the scale", func(t *testing.T) {
		item := in.Competences[0].Items[1]
		// A crafted form: the browser would never send 9 from these
		// buttons, a forged or broken client could.
		browserEval[bool](t, b, fmt.Sprintf(`(() => { const r = document.getElementById(%q); r.value = "9"; r.checked = true; return true; })()`, item.ID+"-3"))
		if status := b.submitStatus(t, `button[name=nav][value=next]`); status != http.StatusBadRequest {
			t.Fatalf("an off-scale answer answered %d, want %d", status, http.StatusBadRequest)
		}
		want := fmt.Sprintf("Svaret på spørgsmål »%s« er ikke en mulighed på skalaen. Intet blev gemt.", item.ID)
		wantAnnounced(t, b, "Siden kunne ikke gemmes", want, "Fejl: ")
		// The next Tab goes on from the message to the first question.
		b.do(t, chromedp.KeyEvent(kb.Tab))
		if name := browserEval[string](t, b, `document.activeElement.getAttribute("name") || ""`); name != in.Competences[0].Items[0].ID {
			t.Errorf("Tab from the error message reaches %q, want the first question", name)
		}
		inv, err := app.db.FindInvitationByTokenHash(ctx, auth.HashToken(app.notStarted.Token))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := app.db.FindResponse(ctx, inv.RoundID, inv.SubjectID, inv.PersonID); survey.ErrorCode(err) != survey.ENOTFOUND {
			t.Errorf("after the refused page FindResponse = %v, want nothing stored", err)
		}
	})

	step("log-in failure", func(t *testing.T) {
		b.navigate(t, app.baseURL+"/login")
		hr := browserLogin(t, app, survey.RoleHR)
		b.do(t,
			chromedp.WaitVisible(chromedp.CSS(`#email`)),
			chromedp.SendKeys(chromedp.CSS(`#email`), hr.Email),
			chromedp.SendKeys(chromedp.CSS(`#password`), hr.Password+"x"),
		)
		if status := b.submitStatus(t, `form[action="/login"] button[type=submit]`); status != http.StatusUnauthorized {
			t.Fatalf("a wrong password answered %d, want %d", status, http.StatusUnauthorized)
		}
		wantAnnounced(t, b, "", "E-mail eller adgangskode er forkert.", "Fejl: ")
	})

	step("import errors", func(t *testing.T) {
		b.navigate(t, app.baseURL+"/login")
		b.login(t, browserLogin(t, app, survey.RoleAdmin))
		bad := filepath.Join(t.TempDir(), "bad.csv")
		if err := os.WriteFile(bad, []byte("email;name;department;teams\nikke-en-adresse;Forkert Adresse;Børn og Unge;\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		b.navigate(t, app.baseURL+"/admin/import")
		b.do(t, chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{bad}))
		if status := b.submitStatus(t, `form[action="/admin/import"] button[type=submit]`); status != http.StatusBadRequest {
			t.Fatalf("a bad file answered %d, want %d", status, http.StatusBadRequest)
		}
		wantAnnounced(t, b, "Filen blev ikke importeret", "Linje 2: Ugyldig e-mailadresse »ikke-en-adresse«.", "Fejl: ")
	})

	step("no script errors or CSP violations", func(t *testing.T) {
		for _, m := range b.console.problems() {
			t.Errorf("browser console: %s", m)
		}
	})
}

// wantAnnounced checks that the page the tab shows starts its title with
// prefix and has the focus on an alert, in the accessibility tree, that
// says heading (if not empty) and message.
func wantAnnounced(t *testing.T, b *browserTab, heading, message, prefix string) {
	t.Helper()
	if title := browserEval[string](t, b, `document.title`); !strings.HasPrefix(title, prefix) {
		t.Errorf("page title %q does not start %q", title, prefix)
	}
	// autofocus acts once the page has rendered.
	browserEval[int](t, b, `new Promise(r => requestAnimationFrame(() => setTimeout(() => r(1), 50)))`, chromedp.EvalAwaitPromise)
	ax, err := chromedp.Run(b.ctx, focusedAXNode())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("focused accessibility node: role %s, live %q, focused %v, text %q", ax.Role, ax.Live, ax.Focused, ax.Text)
	if ax.Role != "alert" || ax.Live != "assertive" || !ax.Focused {
		t.Errorf("the focus is on a %q node (live %q, focused %v), want an assertive alert with the focus", ax.Role, ax.Live, ax.Focused)
	}
	for _, s := range []string{heading, message} {
		if s != "" && !strings.Contains(ax.Text, s) {
			t.Errorf("the focused alert says %q, want it to contain %q", ax.Text, s)
		}
	}
}

// axInfo is what Chromium's accessibility tree says of a node.
type axInfo struct {
	Role, Live string
	Focused    bool
	Text       string // the DOM text of the node, for the message
}

// focusedAXNode reads the accessibility node of the focused element.
func focusedAXNode() chromedp.Action[axInfo] {
	return func(ctx context.Context, t *chromedp.Target) (axInfo, error) {
		var info axInfo
		ev, err := cdp.Call(ctx, t, runtime.Evaluate, runtime.EvaluateParams{Expression: "document.activeElement"})
		if err != nil {
			return info, err
		}
		if ev.Result == nil || ev.Result.ObjectID == "" {
			return info, fmt.Errorf("no focused element")
		}
		yes := true
		text, err := cdp.Call(ctx, t, runtime.Evaluate, runtime.EvaluateParams{Expression: "document.activeElement.textContent.replace(/\\s+/g, ' ').trim()", ReturnByValue: &yes})
		if err == nil && text.Result != nil {
			_ = json.Unmarshal(text.Result.Value, &info.Text)
		}
		no := false
		res, err := cdp.Call(ctx, t, accessibility.GetPartialAXTree, accessibility.GetPartialAXTreeParams{ObjectID: ev.Result.ObjectID, FetchRelatives: &no})
		if err != nil {
			return info, err
		}
		if len(res.Nodes) == 0 {
			return info, fmt.Errorf("the focused element has no accessibility node")
		}
		n := res.Nodes[0]
		value := func(v *accessibility.Value) string {
			if v == nil {
				return ""
			}
			var s any
			if err := json.Unmarshal(v.Value, &s); err != nil {
				return string(v.Value)
			}
			return fmt.Sprint(s)
		}
		info.Role = value(n.Role)
		for _, p := range n.Properties {
			switch p.Name {
			case accessibility.PropertyNameLive:
				info.Live = value(p.Value)
			case accessibility.PropertyNameFocused:
				info.Focused = value(p.Value) == "true"
			}
		}
		return info, nil
	}
}
