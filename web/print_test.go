package web_test

// The printed personal report (C4): Chromium prints /result to PDF as the
// browser's "Save as PDF" does, under the print stylesheet, and the PDF
// must be A4, at most two pages, with the radar as vector graphics (no
// images at all: the chart's axis labels are text), the score table,
// strengths, development areas and reflection prompts, and nothing of the
// navigation. Three reports: without overlays, with the previous round
// (more columns, the stacked layout), and with the previous round and the
// department once the round has closed (more columns still), the last in
// English too.
//
//	go test -race -run BrowserPrint -v ./web/
//
// Page count, paper size and images are read from the PDF in Go; the text
// is read with pdftotext (poppler-utils, which .ci/run installs), and, with
// no dependency, from the page under print media. With
// LEDERRADAR_SCREENSHOTS=1 the pages of the report are rendered with
// pdftoppm to docs/screenshots/report-page1.png (and -page2).

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/internal/links"
	"lederradar/survey"
)

// pdftotextPath is where pdftotext is, for reading a printed PDF's text;
// empty when it is missing outside CI, which requires it.
func pdftotextPath(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("pdftotext")
	if err != nil && os.Getenv("CI") != "" {
		t.Fatal("no pdftotext in PATH (poppler-utils), and CI requires the printed PDFs' text checks")
	}
	return path
}

func TestBrowserPrintReport(t *testing.T) {
	chromium := browserExecPath(t)
	// Its own app and browser, and no timing: it runs beside the others.
	t.Parallel()
	pdftotext := pdftotextPath(t)
	if pdftotext == "" {
		t.Log("no pdftotext: the PDF's text is not checked, only the page's under print media")
	}

	ctx, cancel := browserContext(t)
	defer cancel()

	app := startBrowserApp(t, ctx)
	in := app.instrument
	b, stop := startBrowser(t, ctx, chromium, app.baseURL)
	defer stop()

	var submitted string
	for _, l := range app.links {
		if l.State == "submitted" {
			submitted = l.Token
		}
	}
	if submitted == "" {
		t.Fatalf("the demo has no submitted leader: %+v", app.links)
	}
	plain := printNewLeader(t, ctx, app)

	autumn, err := app.db.FindRoundByName(ctx, fmt.Sprintf("Efterår %d", app.seeded.Year()))
	if err != nil {
		t.Fatal(err)
	}

	labels := func(lang survey.Lang) []string {
		var out []string
		for _, c := range in.Competences {
			out = append(out, c.Label.In(lang))
		}
		return out
	}
	danish := []string{"Dit resultat", "Din radar", "Dine scorer pr. kompetence", "Dine stærkeste kompetencer",
		"Dine udviklingsområder", "Spørgsmål til refleksion"}
	english := []string{"Your result", "Your radar", "Your scores per competence", "Your strongest competences",
		"Your development areas", "Questions for reflection"}
	// The navigation, the forms and the footer, which paper has no use for.
	notDanish := []string{"Spring til indhold", "Spørgeskema", "Gennemse", "English", "Sammenlign med", "Udskriv eller gem som PDF",
		"Ret dine svar", "Lederradar bygger på", "Dine svar er personlige"}
	notEnglish := []string{"Skip to content", "Questionnaire", "Review", "Dansk", "Compare with", "Print or save as PDF",
		"Edit your answers", "Lederradar builds on", "Your answers are personal"}

	pdfs := map[string][]byte{}
	for _, c := range []struct {
		name, token string
		lang        survey.Lang
		closeRound  bool
		columns     int
		want, not   []string
	}{
		{name: "no overlays", token: plain, lang: survey.Danish, columns: 4, want: danish, not: notDanish},
		{name: "previous round", token: submitted, lang: survey.Danish, columns: 6, want: danish, not: notDanish},
		{name: "previous round and department", token: submitted, lang: survey.Danish, closeRound: true, columns: 8, want: danish, not: notDanish},
		{name: "in English", token: submitted, lang: survey.English, columns: 8, want: english, not: notEnglish},
	} {
		if !t.Run(c.name, func(t *testing.T) {
			if c.closeRound {
				if err := app.db.SetRoundStatus(ctx, autumn.ID, survey.RoundClosed); err != nil {
					t.Fatal(err)
				}
			}
			b.navigate(t, links.For(app.baseURL, c.token))
			if c.lang == survey.English && browserEval[string](t, b, `document.documentElement.lang`) != "en" {
				b.submit(t, `form[action="/language"] button[type=submit]`)
			}
			b.navigate(t, app.baseURL+"/result")
			b.do(t, chromedp.WaitReady(chromedp.CSS(`#radar.chart-ready svg`)))
			if n := browserEval[int](t, b, `document.querySelector("table.scores:not(.others-table) thead tr").cells.length`); n != c.columns {
				t.Errorf("the score table has %d columns, want %d", n, c.columns)
			}
			scores := browserEval[[]string](t, b, `Array.from(document.querySelectorAll("table.scores:not(.others-table) tbody tr"), r => r.querySelector("td").textContent.trim())`)

			printMedia(t, b, c.not)

			pdf, err := chromedp.Run(b.ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize(), chromedp.PDFPrintBackground()))
			if err != nil {
				t.Fatalf("print to PDF: %v", err)
			}
			pdfs[c.name] = pdf
			if dir := os.Getenv("LEDERRADAR_PDF_DIR"); dir != "" {
				if err := os.WriteFile(filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-")+".pdf"), pdf, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			pages, a4, images := pdfFacts(pdf)
			t.Logf("%s: %d bytes, %d pages, A4 %v, %d images", c.name, len(pdf), pages, a4, images)
			// The leader's own report fits two pages; how others see them
			// (a 360 round) prints on pages of its own after it
			// (TestBrowserResult360 checks those).
			most := 2
			if browserEval[bool](t, b, `document.querySelector("section.others") !== null`) {
				most = 4
			}
			if pages < 1 || pages > most {
				t.Errorf("the report prints on %d pages, want at most %d", pages, most)
			}
			if !a4 {
				t.Error("the report does not print on A4")
			}
			if images != 0 {
				t.Errorf("the PDF holds %d images, want none: the radar must be vector graphics", images)
			}
			if ops := pdfPathOps(pdf); ops < 200 {
				t.Errorf("the PDF draws %d path segments, want the radar's hundreds", ops)
			}
			if pdftotext == "" {
				return
			}
			text := pdfText(t, pdftotext, pdf)
			flat := strings.Join(strings.Fields(text), " ")
			for _, s := range append(append(append([]string{}, c.want...), labels(c.lang)...), scores[:3]...) {
				if !strings.Contains(flat, s) {
					t.Errorf("the printed report lacks %q", s)
				}
			}
			for _, s := range c.not {
				if strings.Contains(flat, s) {
					t.Errorf("the printed report shows %q", s)
				}
			}
			// The radar's axis labels are text in the PDF, as a vector
			// chart's are, each label once in the chart and once in the
			// table.
			for _, l := range labels(c.lang)[:3] {
				if n := strings.Count(flat, l); n < 2 {
					t.Errorf("%q is in the PDF's text %d times, want it in the radar and in the table", l, n)
				}
			}
		}) {
			t.FailNow()
		}
	}

	if os.Getenv("LEDERRADAR_SCREENSHOTS") == "1" {
		pdftoppm, err := exec.LookPath("pdftoppm")
		if err != nil {
			t.Fatal("LEDERRADAR_SCREENSHOTS=1 needs pdftoppm (poppler-utils) for the report's pages")
		}
		dir := filepath.Join("..", "docs", "screenshots")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		src := filepath.Join(t.TempDir(), "report.pdf")
		if err := os.WriteFile(src, pdfs["previous round"], 0o644); err != nil {
			t.Fatal(err)
		}
		for _, old := range []string{"report-page1.png", "report-page2.png"} {
			os.Remove(filepath.Join(dir, old))
		}
		out := filepath.Join(t.TempDir(), "report")
		if b, err := exec.Command(pdftoppm, "-png", "-r", "80", src, out).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v\n%s", err, b)
		}
		pngs, _ := filepath.Glob(out + "-*.png")
		for i, p := range pngs {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Join(dir, fmt.Sprintf("report-page%d.png", i+1))
			if err := os.WriteFile(name, b, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("wrote %s (%d bytes)", name, len(b))
		}
	}

	for _, m := range b.console.problems() {
		t.Errorf("browser console: %s", m)
	}
}

// printNewLeader adds a leader to the demo's open round who has answered
// and submitted, with no earlier round: a report without overlays. It
// returns their personal link's token.
func printNewLeader(t *testing.T, ctx context.Context, app *browserApp) string {
	t.Helper()
	db, in := app.db, app.instrument
	round, err := db.FindRoundByName(ctx, fmt.Sprintf("Efterår %d", app.seeded.Year()))
	if err != nil {
		t.Fatal(err)
	}
	dept, err := db.FindGroupByName(ctx, survey.Department, "Børn og Unge")
	if err != nil {
		t.Fatal(err)
	}
	p := survey.Person{Email: "ny.leder@demo.kommune.dk", Name: "Ny Leder", DepartmentID: dept.ID}
	must(t, db.CreatePerson(ctx, &p))
	token, hash := auth.NewToken()
	inv := survey.Invitation{RoundID: round.ID, PersonID: p.ID, SubjectID: p.ID, Relation: survey.Self}
	must(t, db.CreateInvitation(ctx, &inv, p.ID, hash))
	answers := survey.Answers{}
	for c, comp := range in.Competences {
		for i, it := range comp.Items {
			answers[it.ID] = survey.Answer(keyboardAnswers[c][i])
		}
	}
	_, err = db.SaveAnswers(ctx, data.AnswerSave{RoundID: round.ID, SubjectID: p.ID, RaterID: p.ID, Relation: survey.Self, FormKey: "print-page", Answers: answers})
	must(t, err)
	_, err = db.SubmitResponse(ctx, round.ID, p.ID, p.ID, survey.Self, "print-submit")
	must(t, err)
	return token
}

// printMedia checks the page under print media without any dependency:
// the navigation, forms and footer are not displayed, the report's parts
// are, and none of the texts in not is visible.
func printMedia(t *testing.T, b *browserTab, not []string) {
	t.Helper()
	b.do(t, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}))
	defer b.do(t, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{})
		return err
	}))
	type shown struct {
		Hidden, Shown []string
		Text          string
	}
	s := browserEval[shown](t, b, `(() => {
		const displayed = e => e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";
		const hidden = ["a.skip", "header.site", "nav", "footer.site", "form", ".status", "select", "button"];
		const shown = ["h1", "#radar svg", "table.scores", "section.strengths", "section.development", "ul.prompts"];
		return {
			Hidden: hidden.filter(sel => Array.from(document.querySelectorAll(sel)).some(displayed)),
			Shown: shown.filter(sel => displayed(document.querySelector(sel))),
			Text: document.body.innerText,
		};
	})()`)
	if len(s.Hidden) > 0 {
		t.Errorf("under print media these still show: %q", s.Hidden)
	}
	if len(s.Shown) != 6 {
		t.Errorf("under print media only %q of the report's parts show", s.Shown)
	}
	for _, n := range not {
		if strings.Contains(s.Text, n) {
			t.Errorf("under print media the page shows %q", n)
		}
	}
}

var (
	pdfPageRE    = regexp.MustCompile(`/Type\s*/Page\b[^s]`)
	pdfCountRE   = regexp.MustCompile(`/Type\s*/Pages\b[^>]*?/Count\s+(\d+)|/Count\s+(\d+)[^>]*?/Type\s*/Pages\b`)
	pdfMediaRE   = regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]`)
	pdfImageRE   = regexp.MustCompile(`/Subtype\s*/Image\b`)
	pdfStreamRE  = regexp.MustCompile(`(?s)/FlateDecode.*?>>\s*stream\r?\n`)
	pdfPathOpsRE = regexp.MustCompile(`[\d.-]+ [\d.-]+ l\b|(?:[\d.-]+ ){5}[\d.-]+ c\b`)
)

// pdfFacts reads a PDF as Chromium writes it (no object streams): the
// number of pages (the page objects, which must agree with the page
// tree's count), whether every page is A4 portrait, and how many images
// it holds.
func pdfFacts(pdf []byte) (pages int, a4 bool, images int) {
	pages = len(pdfPageRE.FindAll(pdf, -1))
	if m := pdfCountRE.FindSubmatch(pdf); m != nil {
		count := string(m[1]) + string(m[2])
		if count != fmt.Sprint(pages) {
			return -1, false, 0
		}
	}
	boxes := pdfMediaRE.FindAllSubmatch(pdf, -1)
	a4 = len(boxes) > 0
	for _, m := range boxes {
		var w, h float64
		fmt.Sscan(string(m[1]), &w)
		fmt.Sscan(string(m[2]), &h)
		// 210 × 297 mm is 595.3 × 841.9 points.
		a4 = a4 && w > 594 && w < 597 && h > 840 && h < 843
	}
	return pages, a4, len(pdfImageRE.FindAll(pdf, -1))
}

// pdfPathOps counts the line and curve segments in the PDF's compressed
// content streams: a vector radar draws hundreds.
func pdfPathOps(pdf []byte) int {
	n := 0
	for _, loc := range pdfStreamRE.FindAllIndex(pdf, -1) {
		r, err := zlib.NewReader(bytes.NewReader(pdf[loc[1]:]))
		if err != nil {
			continue
		}
		content, _ := io.ReadAll(io.LimitReader(r, 16<<20))
		n += len(pdfPathOpsRE.FindAll(content, -1))
	}
	return n
}

func pdfText(t *testing.T, pdftotext string, pdf []byte) string {
	t.Helper()
	src := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(src, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, "-enc", "UTF-8", src, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
