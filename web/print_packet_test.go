package web_test

// The LUS packet (C8), printed as the browser's "Save as PDF" does: a
// leader fills the development plan in Chromium to the brim (three focus
// competences, every text at its longest), opens the packet and prints
// it. The PDF must be A4, at most three pages, with the radar as vector
// graphics, and hold the leader's name, the focus competences, their
// actions and the reflection questions, in the leader's language; for a
// 360 leader how others see them too.
//
//	go test -race -run BrowserPrintPacket -v ./web/

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"lederradar/internal/links"
	"lederradar/survey"
)

// longText is s repeated to exactly n characters.
func longText(s string, n int) string {
	r := []rune(strings.Repeat(s, n/len([]rune(s))+1))
	return string(r[:n])
}

func TestBrowserPrintPacket(t *testing.T) {
	chromium := browserExecPath(t)
	t.Parallel()
	pdftotext := pdftotextPath(t)
	if pdftotext == "" {
		t.Skip("no pdftotext: the packet's text cannot be checked")
	}
	ctx, cancel := browserContext(t)
	defer cancel()
	app := startBrowserApp(t, ctx)
	in := app.instrument
	b, stop := startBrowser(t, ctx, chromium, app.baseURL)
	defer stop()

	var self string
	for _, l := range app.links {
		if l.State == "submitted" && !l.Rater {
			self = l.Token
		}
	}
	lea, round := seed360Leader(t, ctx, app.db, in, "360 LUS-forberedelse")
	actions := longText("Før mødet spørger jeg de andre afdelinger, hvad de har brug for; bagefter følger jeg op. ", survey.MaxActionsLen)
	involve := longText("Min leder, teamet og naboafdelingen. ", survey.MaxInvolveLen)

	for _, c := range []struct {
		name, token, leader string
		lang                survey.Lang
		want                []string
		// closes is the leader's round, closed once she is in: how
		// others see her is ready, and the plan is still hers to make.
		closes *survey.Round
	}{
		{name: "self-assessment in Danish", token: self, lang: survey.Danish,
			want: []string{"Forberedelse til LUS-samtalen", "Min udviklingsplan", "Det vil jeg gøre", "Dem vil jeg involvere",
				"Spørgsmål til refleksion", "Til samtalen", "Du følger op 15. marts 2027."}},
		{name: "360 in English", token: lea, leader: "Lea Holm", lang: survey.English, closes: &round,
			want: []string{"Preparing the development talk", "Lea Holm", "Your radar: yourself and how others see you", "Others",
				"My development plan", "What I will do", "Questions for reflection", "For the talk"}},
	} {
		if !t.Run(c.name, func(t *testing.T) {
			b.navigate(t, links.For(app.baseURL, c.token))
			if c.closes != nil {
				must(t, app.db.CloseRound(ctx, c.closes.ID, 5))
			}
			if c.lang == survey.English && browserEval[string](t, b, `document.documentElement.lang`) != "en" {
				b.submit(t, `form[action="/language"] button[type=submit]`)
			}
			b.navigate(t, app.baseURL+"/plan")
			for i := range survey.MaxFocuses {
				n := i + 1
				b.do(t, chromedp.SetValue(chromedp.CSS(fmt.Sprintf("#focus%d", n)), in.Competences[i*4].ID),
					chromedp.SetValue(chromedp.CSS(fmt.Sprintf("#focus%d_actions", n)), actions),
					chromedp.SetValue(chromedp.CSS(fmt.Sprintf("#focus%d_involve", n)), involve))
			}
			b.do(t, chromedp.SetValue(chromedp.CSS(`#revisit`), "15-03-2027"))
			b.submit(t, `form.plan-form button[type=submit]`)
			if s := browserEval[string](t, b, `document.querySelector(".status") ? document.querySelector(".status").textContent : ""`); !strings.Contains(s, map[survey.Lang]string{survey.Danish: "Din plan er gemt", survey.English: "Your plan is saved"}[c.lang]) {
				t.Fatalf("the plan was not saved: status %q", s)
			}
			b.navigate(t, app.baseURL+"/plan/packet")
			b.do(t, chromedp.WaitReady(chromedp.CSS(`.packet-chart .chart-canvas.chart-ready svg`)))
			pdf, err := chromedp.Run(b.ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize(), chromedp.PDFPrintBackground()))
			if err != nil {
				t.Fatalf("print to PDF: %v", err)
			}
			if dir := os.Getenv("LEDERRADAR_PDF_DIR"); dir != "" {
				must(t, os.WriteFile(filepath.Join(dir, "packet-"+strings.ReplaceAll(c.name, " ", "-")+".pdf"), pdf, 0o644))
			}
			pages, a4, images := pdfFacts(pdf)
			t.Logf("%s: %d bytes, %d pages, A4 %v, %d images", c.name, len(pdf), pages, a4, images)
			if pages < 1 || pages > 3 {
				t.Errorf("the packet prints on %d pages, want at most 3", pages)
			}
			if !a4 {
				t.Error("the packet does not print on A4")
			}
			if images != 0 {
				t.Errorf("the PDF holds %d images, want none: the radar must be vector graphics", images)
			}
			if ops := pdfPathOps(pdf); ops < 200 {
				t.Errorf("the PDF draws %d path segments, want the radar's hundreds", ops)
			}
			flat := strings.Join(strings.Fields(pdfText(t, pdftotext, pdf)), " ")
			want := append([]string{}, c.want...)
			for i := range survey.MaxFocuses {
				comp := in.Competences[i*4]
				want = append(want, comp.Name.In(c.lang), comp.Prompts[0].Text.In(c.lang)[:20])
			}
			want = append(want, strings.Join(strings.Fields(actions), " ")[:60])
			for _, s := range want {
				if !strings.Contains(flat, s) {
					t.Errorf("the printed packet lacks %q", s)
				}
			}
			for _, s := range []string{"Spring til indhold", "Skip to content", "Lederradar bygger på", "Lederradar builds on", "Gem planen", "Save the plan"} {
				if strings.Contains(flat, s) {
					t.Errorf("the printed packet shows %q", s)
				}
			}
			// Every word of the longest actions is printed: the third
			// focus's last words too.
			if n := strings.Count(flat, "bagefter følger jeg op"); n < 3*strings.Count(actions, "bagefter følger jeg op") {
				t.Errorf("the actions are cut: %d of %d repetitions printed", n, 3*strings.Count(actions, "bagefter følger jeg op"))
			}
		}) {
			t.FailNow()
		}
	}
}
