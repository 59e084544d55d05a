package web_test

// A leader in an open 360 round asks two people for feedback, in
// headless Chromium, and the page fits a desk's and a phone's width.
//
//	go test -race -run BrowserNominations -v ./web/
//
// With LEDERRADAR_SCREENSHOTS=1 it writes its screenshots to
// docs/screenshots/ (nominations-1280.png, nominations-390.png).

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"lederradar/data"
	"lederradar/internal/links"
	"lederradar/survey"
)

func TestBrowserNominations(t *testing.T) {
	t.Parallel()
	chromium := browserExecPath(t)
	ctx, cancel := browserContext(t)
	defer cancel()

	app := startBrowserApp(t, ctx)
	open, err := app.db.FindRoundByName(context.Background(), fmt.Sprintf("Efterår %d", app.seeded.Year()))
	must(t, err)
	must(t, app.db.SetRoundSettings(context.Background(), open.ID, data.RoundSettings{Kind: survey.ThreeSixty,
		Limits: survey.NominationLimits{Manager: 1, Peer: 3, Employee: 3}}))
	b, stop := startBrowser(t, ctx, chromium, app.baseURL)
	defer stop()

	step := func(name string, f func(t *testing.T)) {
		t.Helper()
		if !t.Run(name, f) {
			t.FailNow()
		}
	}
	step("the navigation offers it", func(t *testing.T) {
		b.navigate(t, links.For(app.baseURL, app.notStarted.Token))
		b.submit(t, `nav.leader a[href="/nominations"]`)
		if h1 := b.text(t, "h1"); h1 != "Bed andre om feedback" {
			t.Errorf("heading %q", h1)
		}
	})
	nominate := func(t *testing.T, email, relation string) {
		t.Helper()
		b.do(t, chromedp.SetValue(chromedp.CSS(`#email`), email),
			chromedp.Click(chromedp.CSS(fmt.Sprintf(`input[name=relation][value=%q]`, relation))))
		b.submitStatus(t, `form[action="/nominations"] button[type=submit]`)
	}
	step("a colleague", func(t *testing.T) {
		nominate(t, "kollega.en@demo.kommune.dk", "peer")
		if got := b.text(t, ".status .notice"); !strings.Contains(got, "Personen er tilføjet") {
			t.Errorf("status %q", got)
		}
	})
	step("an employee", func(t *testing.T) {
		nominate(t, "medarbejder.to@demo.kommune.dk", "employee")
		list := b.text(t, "ul.nominations")
		for _, want := range []string{"kollega.en@demo.kommune.dk\nKollega", "medarbejder.to@demo.kommune.dk\nMedarbejder", "Linket er ikke sendt endnu"} {
			if !strings.Contains(list, want) {
				t.Errorf("the list lacks %q:\n%s", want, list)
			}
		}
		if got := b.text(t, "label:has(input[value=peer])"); got != "Kollega (du kan tilføje 2 mere)" {
			t.Errorf("peer choice %q", got)
		}
	})
	step("oneself is refused, in words, with the address kept", func(t *testing.T) {
		nominate(t, app.notStarted.Email, "peer")
		if got := b.text(t, `[role=alert]`); !strings.Contains(got, "du kan ikke bedømme dig selv") {
			t.Errorf("alert %q", got)
		}
		if v := browserEval[string](t, b, `document.querySelector("#email").value`); v != app.notStarted.Email {
			t.Errorf("the address field holds %q", v)
		}
		if n := browserEval[int](t, b, `document.querySelectorAll("ul.nominations li").length`); n != 2 {
			t.Errorf("the list has %d, want 2", n)
		}
	})
	step("it fits a desk and a phone", func(t *testing.T) {
		var dir string
		if os.Getenv("LEDERRADAR_SCREENSHOTS") == "1" {
			dir = filepath.Join("..", "docs", "screenshots")
		} else if d := os.Getenv("LEDERRADAR_SHOTS_DIR"); d != "" {
			dir = d
		}
		for _, width := range []int64{1280, 390} {
			file := ""
			if dir != "" {
				file = filepath.Join(dir, fmt.Sprintf("nominations-%d.png", width))
			}
			if w := b.layout(t, width, 900, "/nominations", "main h1", file); w > width {
				t.Errorf("the page at %dpx is %dpx wide", width, w)
			}
		}
	})
	for _, m := range b.console.problems() {
		t.Errorf("browser console: %s", m)
	}
}
