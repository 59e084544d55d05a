package web_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/internal/csvfile"
	"lederradar/internal/links"
	"lederradar/survey"
)

// demoRaters makes the open round of the demo leader with the personal
// link leaderToken a 360 round with two raters of that leader, through
// data.ImportRaters: a peer who has not started and an employee who has
// answered every item and submitted. It returns their links.
func demoRaters(t *testing.T, db *data.DB, in *survey.Instrument, leaderToken string) (notStarted, submitted string) {
	t.Helper()
	ctx := context.Background()
	inv, err := db.FindInvitationByTokenHash(ctx, auth.HashToken(leaderToken))
	must(t, err)
	leader, err := db.FindPersonByID(ctx, inv.PersonID)
	must(t, err)
	rows := []csvfile.RaterRow{
		{Line: 2, SubjectEmail: leader.Email, RaterEmail: "kollega.bedoemmer@demo.kommune.dk", Relation: survey.Peer},
		{Line: 3, SubjectEmail: leader.Email, RaterEmail: "medarbejder.bedoemmer@demo.kommune.dk", Relation: survey.Employee},
	}
	raterLinks, err := db.ImportRaters(ctx, inv.RoundID, rows, nil)
	must(t, err)
	done, err := db.FindPersonByEmail(ctx, rows[1].RaterEmail)
	must(t, err)
	all := survey.Answers{}
	for _, c := range in.Competences {
		for _, it := range c.Items {
			all[it.ID] = 4
		}
	}
	_, err = db.SaveAnswers(ctx, data.AnswerSave{RoundID: inv.RoundID, SubjectID: leader.ID, RaterID: done.ID, Relation: survey.Employee, FormKey: "demo-rater-page", Answers: all})
	must(t, err)
	_, err = db.SubmitResponse(ctx, inv.RoundID, leader.ID, done.ID, survey.Employee, "demo-rater-submit")
	must(t, err)
	return raterLinks[0].Token, raterLinks[1].Token
}

// TestBrowserRaterJourney: a peer opens their link, begins, answers two
// pages, leaves, comes back on another device and resumes, switches to
// English and back on a page (saving it), reviews what gets no score,
// submits and is thanked — never shown a result.
func TestBrowserRaterJourney(t *testing.T) {
	t.Parallel()
	chromium := browserExecPath(t)
	ctx, cancel := browserContext(t)
	defer cancel()
	app := startBrowserApp(t, ctx)
	in := app.instrument
	pages := len(in.Competences)
	leader := app.notStarted.Name
	token, _ := demoRaters(t, app.db, in, app.notStarted.Token)
	link := links.For(app.baseURL, token)

	b, stop := startBrowser(t, ctx, chromium, app.baseURL)
	defer stop()
	step := func(name string, f func(t *testing.T)) {
		t.Helper()
		if !t.Run(name, f) {
			t.FailNow()
		}
	}
	legends := func(t *testing.T, tab *browserTab) []string {
		return browserEval[[]string](t, tab, `Array.from(document.querySelectorAll("form.questionnaire legend"), l => l.textContent.trim())`)
	}
	third := func(p int, lang survey.Lang) []string {
		var out []string
		for _, it := range in.Competences[p-1].Items {
			out = append(out, it.Other.In(lang))
		}
		return out
	}

	step("open the link", func(t *testing.T) {
		b.navigate(t, link)
		if loc, want := b.location(t), app.baseURL+"/start"; loc != want {
			t.Errorf("the link lands on %s, want %s", loc, want)
		}
		if h1, want := b.text(t, "h1"), "Før du begynder: din vurdering af "+leader; h1 != want {
			t.Errorf("heading %q, want %q", h1, want)
		}
		if who := b.text(t, "dl.start-facts"); !strings.Contains(who, "mindst 4 andre") || !strings.Contains(who, "Du ser ikke resultatet") {
			t.Errorf("the start page does not say who sees what: %q", who)
		}
		if n := browserEval[int](t, b, `document.querySelectorAll('a[href="/result"]').length`); n != 0 {
			t.Errorf("%d links to a result", n)
		}
		b.submit(t, `main a.button.primary`)
		b.wantProgress(t, 1, pages)
		if h1, want := b.text(t, "h1"), in.Competences[0].Name.Da+" – om "+leader; h1 != want {
			t.Errorf("heading %q, want %q", h1, want)
		}
		if got := legends(t, b); !slices.Equal(got, third(1, survey.Danish)) {
			t.Errorf("items %q, want the third person %q", got, third(1, survey.Danish))
		}
	})

	step("answer pages 1 and 2, then leave", func(t *testing.T) {
		for p := 1; p <= 2; p++ {
			b.answerPage(t, browserAnswers[p-1])
			b.submit(t, `button[name=nav][value=next]`)
			b.wantSaved(t, fmt.Sprintf("/survey/%d?saved=1", p+1))
		}
		b.navigate(t, app.baseURL+"/")
	})

	step("come back on another device and resume", func(t *testing.T) {
		other, otherCancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext(), chromedp.WithListener(b.console.listen))
		defer otherCancel()
		d := &browserTab{ctx: other, base: app.baseURL, console: b.console}
		d.navigate(t, link)
		if loc, want := d.location(t), app.baseURL+"/survey/3"; loc != want {
			t.Errorf("the link on another device lands on %s, want %s", loc, want)
		}
		b.navigate(t, link)
		if loc, want := b.location(t), app.baseURL+"/survey/3"; loc != want {
			t.Errorf("the link again lands on %s, want %s", loc, want)
		}
	})

	step("switch language on a page, which saves it", func(t *testing.T) {
		b.answerPage(t, browserAnswers[2])
		b.submit(t, `button[name=nav][value=lang-en]`)
		if loc, want := b.location(t), app.baseURL+"/survey/3?saved=1"; loc != want {
			t.Errorf("after the switch the browser is at %s, want %s", loc, want)
		}
		if h1, want := b.text(t, "h1"), in.Competences[2].Name.En+" – about "+leader; h1 != want {
			t.Errorf("English heading %q, want %q", h1, want)
		}
		if got := legends(t, b); !slices.Equal(got, third(3, survey.English)) {
			t.Errorf("English items %q, want %q", got, third(3, survey.English))
		}
		if got := b.checked(t); !slices.Equal(got, browserStrings(browserAnswers[2])) {
			t.Errorf("answers after the switch %v, want %v", got, browserAnswers[2])
		}
		b.submit(t, `button[name=nav][value=lang-da]`)
	})

	step("review what gets no score", func(t *testing.T) {
		b.submit(t, `button[name=nav][value=review]`)
		b.wantSaved(t, "/review?saved=1")
		if got, want := b.text(t, "#noscore-title"), fmt.Sprintf("%d kompetencer får ingen score", pages-3); got != want {
			t.Errorf("no-score heading %q, want %q", got, want)
		}
		first := browserEval[string](t, b, `document.querySelector("ul.missing li a").textContent.trim()`)
		if want := in.Competences[3].Items[0].Other.Da; first != want {
			t.Errorf("first unanswered item %q, want the third person %q", first, want)
		}
		if intro := b.text(t, "main > p"); !strings.Contains(intro, leader) {
			t.Errorf("review intro %q does not name %s", intro, leader)
		}
	})

	step("submit", func(t *testing.T) {
		b.submit(t, `form[action="/review"] button[type=submit]`)
		if loc, want := b.location(t), app.baseURL+"/thanks?submitted=1"; loc != want {
			t.Errorf("after submit the browser is at %s, want %s", loc, want)
		}
		if h1, want := b.text(t, "h1"), "Tak for dine svar om "+leader; h1 != want {
			t.Errorf("heading %q, want %q", h1, want)
		}
		if got := b.text(t, ".status .notice"); got != "Dine svar er indsendt." {
			t.Errorf("status %q", got)
		}
		if n := browserEval[int](t, b, `document.querySelectorAll('a[href="/result"], #radar, table.scores').length`); n != 0 {
			t.Errorf("the thank-you page has %d links to or parts of a result", n)
		}
		if status := b.navigateStatus(t, app.baseURL+"/result"); status != http.StatusNotFound {
			t.Errorf("/result answers a rater %d, want 404", status)
		}
	})

	step("phone and desktop layouts", func(t *testing.T) {
		dir := os.Getenv("LEDERRADAR_RATER_SHOTS") // a directory for this test's screenshots
		for _, v := range []struct {
			width, height int64
			path, ready   string
			name          string
		}{
			{1280, 900, "/start", `main a.button.primary`, "rater-start-desktop.png"},
			{390, 844, "/start", `main a.button.primary`, "rater-start-phone.png"},
			{1280, 900, "/survey/2", `form.questionnaire`, "rater-questionnaire-desktop.png"},
			{390, 844, "/survey/2", `form.questionnaire`, "rater-questionnaire-phone.png"},
			{390, 844, "/thanks", `main h1`, "rater-thanks-phone.png"},
		} {
			file := ""
			if dir != "" {
				file = filepath.Join(dir, v.name)
			}
			if w := b.layout(t, v.width, v.height, v.path, v.ready, file); w > v.width {
				t.Errorf("%s at %dpx wide is %dpx wide: it scrolls sideways", v.path, v.width, w)
			}
		}
	})

	step("the thank-you page in English", func(t *testing.T) {
		b.navigate(t, app.baseURL+"/thanks")
		b.submit(t, `form[action="/language"] button[type=submit]`)
		if h1, want := b.text(t, "h1"), "Thank you for your answers about "+leader; h1 != want {
			t.Errorf("English heading %q, want %q", h1, want)
		}
		for _, m := range b.console.problems() {
			t.Errorf("browser console: %s", m)
		}
	})
}
