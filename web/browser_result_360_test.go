package web_test

// The leader's result in a 360 round, in headless Chromium: while the
// round is open it says others' answers come at close; once closed, the
// "how others see you" section at 1280 and 390 px in Danish and English,
// and printed to PDF, where it starts a page of its own.
//
//	go test -race -run BrowserResult360 -v ./web/
//
// TestBrowserAccessibility writes its screenshots (result-360-*.png).

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/internal/csvfile"
	"lederradar/internal/links"
	"lederradar/survey"
)

// seed360Leader adds to a database with the default instrument a leader,
// Lea, in an open 360 round of her own named name, where the manager is
// shown alone: her self-assessment (selfAnswers360) and the answers of a
// manager, five peers and five direct reports, imported as answers
// collected elsewhere. Raters answer 2 to 5 by competence, so the radar
// has a shape. It returns her link's token and the round.
func seed360Leader(t *testing.T, ctx context.Context, db *data.DB, in *survey.Instrument, name string) (string, survey.Round) {
	t.Helper()
	round := survey.Round{Name: name, Status: survey.RoundOpen, InstrumentVersion: in.Version, ManagerShown: true}
	must(t, db.CreateRound(ctx, &round))
	lea := survey.Person{Email: "lea.360@demo.kommune.dk", Name: "Lea Holm"}
	must(t, db.CreatePerson(ctx, &lea))
	token, hash := auth.NewToken()
	inv := survey.Invitation{RoundID: round.ID, PersonID: lea.ID, SubjectID: lea.ID, Relation: survey.Self}
	must(t, db.CreateInvitation(ctx, &inv, lea.ID, hash))
	var raters []csvfile.RaterRow
	rows := []csvfile.ResponseRow{{Line: 2, Email: lea.Email, Answers: selfAnswers360(in)}}
	for i, rel := range []survey.Relation{survey.Manager, survey.Peer, survey.Peer, survey.Peer, survey.Peer, survey.Peer,
		survey.Employee, survey.Employee, survey.Employee, survey.Employee, survey.Employee} {
		email := fmt.Sprintf("bedømmer%d@demo.kommune.dk", i)
		raters = append(raters, csvfile.RaterRow{Line: i + 2, SubjectEmail: lea.Email, RaterEmail: email, Relation: rel})
		a := survey.Answers{}
		for c, comp := range in.Competences {
			for j, it := range comp.Items {
				a[it.ID] = survey.Answer(2 + (c*3+i+j/3)%4)
			}
		}
		rows = append(rows, csvfile.ResponseRow{Line: i + 3, Email: email, SubjectEmail: lea.Email, Relation: rel, Answers: a})
	}
	_, err := db.ImportRaters(ctx, round.ID, raters, nil)
	must(t, err)
	_, err = db.ImportResponses(ctx, &round, rows)
	must(t, err)
	return token, round
}

func TestBrowserResult360(t *testing.T) {
	chromium := browserExecPath(t)
	t.Parallel()
	ctx, cancel := browserContext(t)
	defer cancel()
	app := startBrowserApp(t, ctx)
	in := app.instrument
	token, round := seed360Leader(t, ctx, app.db, in, "360 Lederudvikling")
	b, stop := startBrowser(t, ctx, chromium, app.baseURL)
	defer stop()

	b.navigate(t, links.For(app.baseURL, token))
	b.navigate(t, app.baseURL+"/result")
	if got := b.text(t, "section.others"); !strings.Contains(got, "Deres svar vises her, når de er færdige med at svare – senest når runden lukker.") || strings.Contains(got, "Svar fra") {
		t.Errorf("the open round's section says %q", got)
	}
	must(t, app.db.CloseRound(ctx, round.ID, 5))

	// LEDERRADAR_360_SHOTS names a folder for full-page PNGs to look at.
	shots := os.Getenv("LEDERRADAR_360_SHOTS")
	for _, c := range []struct {
		lang  survey.Lang
		want  []string
		label string
	}{
		{survey.Danish, []string{"Sådan ser andre dig", "Svar fra: 1 leder, 5 kolleger, 5 medarbejdere, 11 i alt.", "Blinde pletter", "Skjulte styrker", "Udsagn med størst forskel"}, "Din leder"},
		{survey.English, []string{"How others see you", "Answers from: 1 manager, 5 peers, 5 direct reports, 11 in all.", "Blind spots", "Hidden strengths", "Statements with the largest gaps"}, "Your manager"},
	} {
		t.Run(string(c.lang), func(t *testing.T) {
			if browserEval[string](t, b, `document.documentElement.lang`) != string(c.lang) {
				b.submit(t, `form[action="/language"] button[type=submit]`)
			}
			b.navigate(t, app.baseURL+"/result")
			b.do(t, chromedp.WaitReady(chromedp.CSS(`#radar-others.chart-ready svg`)))
			text := b.text(t, "section.others")
			for _, s := range c.want {
				if !strings.Contains(text, s) {
					t.Errorf("the section lacks %q:\n%s", s, text)
				}
			}
			heads := browserEval[[]string](t, b, `Array.from(document.querySelectorAll("table.others-table thead th"), th => th.textContent.trim())`)
			if len(heads) != 8 || heads[3] != c.label {
				t.Errorf("table heads %q, want 8 with %q", heads, c.label)
			}
			series := browserEval[int](t, b, `JSON.parse(document.querySelector('script[data-chart="radar-others"]').textContent).series.length`)
			if series != 2 {
				t.Errorf("the radar has %d series, want self and others", series)
			}
			for _, vp := range []struct {
				width, height int64
				kind          string
			}{{1280, 900, "desktop"}, {390, 844, "phone"}} {
				file := ""
				if shots != "" {
					file = filepath.Join(shots, fmt.Sprintf("result-360-%s-%s.png", c.lang, vp.kind))
				}
				if w := b.layout(t, vp.width, vp.height, "/result", `#radar-others.chart-ready svg`, file); w > vp.width {
					t.Errorf("at %d px the page is %d px wide", vp.width, w)
				}
			}
			printOthers(t, b, string(c.lang), c.want)
		})
	}
	for _, m := range b.console.problems() {
		t.Errorf("browser console: %s", m)
	}
}

// printOthers prints the page to PDF as "Save as PDF" does and checks that
// the 360 section is there, on a page of its own after the leader's own
// result, with its radar as vector graphics and want in its text.
func printOthers(t *testing.T, b *browserTab, lang string, want []string) {
	t.Helper()
	pdf, err := chromedp.Run(b.ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize(), chromedp.PDFPrintBackground()))
	if err != nil {
		t.Fatalf("print to PDF: %v", err)
	}
	pages, a4, images := pdfFacts(pdf)
	t.Logf("%d bytes, %d pages, A4 %v, %d images", len(pdf), pages, a4, images)
	if pages < 2 || !a4 || images != 0 {
		t.Errorf("the PDF has %d pages (A4 %v) and %d images; want the own result's pages, then the section's, on A4, vector only", pages, a4, images)
	}
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("no pdftotext in PATH (poppler-utils), and CI requires the printed text check")
		}
		t.Log("no pdftotext: the PDF's text is not checked")
		return
	}
	src := filepath.Join(t.TempDir(), "result.pdf")
	must(t, os.WriteFile(src, pdf, 0o644))
	if dir := os.Getenv("LEDERRADAR_PDF_DIR"); dir != "" {
		must(t, os.WriteFile(filepath.Join(dir, "result-360-"+lang+".pdf"), pdf, 0o644))
	}
	pageText := func(first, last int) string {
		out, err := exec.Command(pdftotext, "-enc", "UTF-8", "-f", fmt.Sprint(first), "-l", fmt.Sprint(last), src, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		return strings.Join(strings.Fields(string(out)), " ")
	}
	all := pageText(1, pages)
	for _, s := range want {
		if !strings.Contains(all, s) {
			t.Errorf("the printed result lacks %q", s)
		}
	}
	// The section starts a page: the page before it ends with the
	// leader's own result, and the section's first page begins with its
	// heading.
	for p := 1; p <= pages; p++ {
		text := pageText(p, p)
		if i := strings.Index(text, want[0]); i >= 0 {
			if i > 0 {
				t.Errorf("the section's heading is not at the top of page %d: %q", p, text[:i])
			}
			return
		}
	}
	t.Errorf("no page starts with %q", want[0])
}
