package web_test

// A new leader's first steps in headless Chromium, at a desk's and a
// phone's width (issue 14, the leader's points): the start page a link
// lands on, the language switch that keeps unsaved answers, Forrige
// before the primary action, a review that names the competences that
// will get no score, and a radar that draws no point where there is no
// score, runs clockwise from the top and fills its column.
//
//	go test -race -run BrowserFirstSteps -v ./web/
//
// With LEDERRADAR_SCREENSHOTS=1 it writes its screenshots to
// docs/screenshots/.

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"lederradar/internal/links"
	"lederradar/survey"
)

// firstStepsAnswers are the answers, page by page: page 1 has one answer
// on the scale and three »Ved ikke« (answered, but no score), page 5 none
// (no score); nil is a page left unanswered.
var firstStepsAnswers = [][]int{
	{4, 0, 0, 0},
	{3, 3, 4, 2},
	{5, 5, 4, 5},
	{2, 0, 3, 2},
	nil,
	{3, 2, 2, 3},
	{5, 4, 5, 5},
	{4, 3, 3, 4},
	{2, 2, 1, 2},
	{4, 4, 5, 4},
	{3, 4, 3, 3},
}

func TestBrowserFirstSteps(t *testing.T) {
	t.Parallel()
	chromium := browserExecPath(t)
	ctx, cancel := browserContext(t)
	defer cancel()

	app := startBrowserApp(t, ctx)
	in := app.instrument
	pages := len(in.Competences)
	if len(firstStepsAnswers) != pages {
		t.Fatalf("the test answers %d pages, the instrument has %d", len(firstStepsAnswers), pages)
	}
	b, stop := startBrowser(t, ctx, chromium, app.baseURL)
	defer stop()

	var dir string
	if os.Getenv("LEDERRADAR_SCREENSHOTS") == "1" {
		dir = filepath.Join("..", "docs", "screenshots")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// at loads path in a new tab of the session at the given width, checks
	// that nothing scrolls sideways, writes a screenshot when asked and
	// returns the tab for more checks; close it when done.
	at := func(t *testing.T, width int64, path, ready, shot string) (*browserTab, func()) {
		t.Helper()
		tab, cancel := chromedp.NewContext(b.ctx, chromedp.WithListener(b.console.listen))
		s := &browserTab{ctx: tab, base: b.base, console: b.console}
		s.do(t, chromedp.EmulateViewport(width, 900))
		s.navigate(t, b.base+path)
		s.do(t, chromedp.WaitVisible(chromedp.CSS(ready)))
		if w := browserEval[int64](t, s, `document.documentElement.scrollWidth`); w > width {
			t.Errorf("%s at %dpx is %dpx wide: it scrolls sideways", path, width, w)
		}
		if dir != "" && shot != "" {
			png, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatalf("screenshot of %s: %v", path, err)
			}
			file := filepath.Join(dir, fmt.Sprintf("%s-%d.png", shot, width))
			if err := os.WriteFile(file, png, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("wrote %s", file)
		}
		return s, cancel
	}
	step := func(name string, f func(t *testing.T)) {
		t.Helper()
		if !t.Run(name, f) {
			t.FailNow()
		}
	}

	step("the link opens the start page", func(t *testing.T) {
		b.navigate(t, links.For(app.baseURL, app.notStarted.Token))
		if loc, want := b.location(t), app.baseURL+"/start"; loc != want {
			t.Fatalf("after the link the browser is at %s, want %s", loc, want)
		}
		if h1 := b.text(t, "h1"); h1 != "Før du begynder" {
			t.Errorf("heading %q", h1)
		}
		main := b.text(t, "main")
		closes := app.seeded.AddDate(0, 0, 21)
		for _, want := range []string{"omkring 15 minutter", "indtil runden lukker den " + strconv.Itoa(closes.Day()) + ".",
			strconv.Itoa(closes.Year()) + ".", "Dit resultat er dit eget", "mindst 5 besvarelser",
			in.Scale[0].Label.In(survey.Danish), in.DontKnow.Label.In(survey.Danish)} {
			if !strings.Contains(main, want) {
				t.Errorf("the start page does not say %q:\n%s", want, main)
			}
		}
		if n := browserEval[int](t, b, `document.querySelectorAll("main .primary").length`); n != 1 {
			t.Errorf("the start page has %d primary actions, want one", n)
		}
		for _, w := range []int64{1280, 390} {
			_, done := at(t, w, "/start", "main h1", "start")
			done()
		}
	})

	step("begin", func(t *testing.T) {
		b.submit(t, `main a.button.primary`)
		if loc, want := b.location(t), app.baseURL+"/survey/1"; loc != want {
			t.Fatalf("Begynd leads to %s, want %s", loc, want)
		}
	})

	step("the language switch keeps unsaved answers", func(t *testing.T) {
		b.answerPage(t, firstStepsAnswers[0])
		b.submit(t, `header .lang button[value="lang-en"]`)
		if loc, want := b.location(t), app.baseURL+"/survey/1?saved=1"; loc != want {
			t.Errorf("after the switch the browser is at %s, want %s", loc, want)
		}
		if lang := browserEval[string](t, b, `document.documentElement.lang`); lang != "en" {
			t.Errorf(`<html lang=%q>, want "en"`, lang)
		}
		if got := b.checked(t); !slices.Equal(got, browserStrings(firstStepsAnswers[0])) {
			t.Errorf("in English the page shows answers %v, want the unsaved %v", got, firstStepsAnswers[0])
		}
		if got := b.text(t, ".status .notice"); got != "Your answers have been saved." {
			t.Errorf("status %q", got)
		}
		b.submit(t, `header .lang button[value="lang-da"]`)
		if lang := browserEval[string](t, b, `document.documentElement.lang`); lang != "da" {
			t.Errorf(`back: <html lang=%q>, want "da"`, lang)
		}
		if got := b.checked(t); !slices.Equal(got, browserStrings(firstStepsAnswers[0])) {
			t.Errorf("back in Danish the page shows answers %v, want %v", got, firstStepsAnswers[0])
		}
	})

	step("Forrige comes before the primary action", func(t *testing.T) {
		b.submit(t, `button[name=nav][value=next]`)
		b.wantSaved(t, "/survey/2?saved=1")
		for _, w := range []int64{1280, 390} {
			s, done := at(t, w, "/survey/2", "form.questionnaire", "questionnaire-buttons")
			got := browserEval[[]string](t, s, `Array.from(document.querySelectorAll(".nav-buttons button"), e => e.value + (e.classList.contains("primary") ? "*" : ""))`)
			if want := []string{"back", "next*", "review"}; !slices.Equal(got, want) {
				t.Errorf("at %dpx the buttons are %v, want %v (* the primary)", w, got, want)
			}
			type box struct{ Left, Top, Right, Width float64 }
			boxes := browserEval[map[string]box](t, s, `Object.fromEntries(Array.from(document.querySelectorAll(".nav-buttons button"), e => { const r = e.getBoundingClientRect(); return [e.value, {Left: r.left, Top: r.top, Right: r.right, Width: r.width}]; }))`)
			back, next, review := boxes["back"], boxes["next"], boxes["review"]
			if back.Top != next.Top || back.Right > next.Left {
				t.Errorf("at %dpx Forrige %+v is not left of the primary %+v on its row", w, back, next)
			}
			if w == 390 && (next.Width <= back.Width || review.Top <= next.Top) {
				t.Errorf("on a phone the primary (%+v) should be the wider button beside Forrige (%+v), the overview (%+v) below", next, back, review)
			}
			done()
		}
	})

	step("Enter in an answer saves and continues", func(t *testing.T) {
		b.answerPage(t, firstStepsAnswers[1])
		b.do(t, chromedp.Focus(chromedp.CSS(`form.questionnaire input[type=radio]:checked`)))
		resp, err := chromedp.RunResponse(b.ctx, chromedp.KeyEvent(kb.Enter))
		if err != nil || resp.Status != 200 {
			t.Fatalf("Enter: %v, %v", resp, err)
		}
		b.wantSaved(t, "/survey/3?saved=1")
	})

	step("answer the rest, leaving page 5 empty", func(t *testing.T) {
		for p := 3; p <= pages; p++ {
			if firstStepsAnswers[p-1] != nil {
				b.answerPage(t, firstStepsAnswers[p-1])
			}
			b.submit(t, `.nav-buttons .primary`)
		}
		if loc, want := b.location(t), app.baseURL+"/review?saved=1"; loc != want {
			t.Fatalf("after the last page the browser is at %s, want %s", loc, want)
		}
	})

	step("the review names the competences without a score", func(t *testing.T) {
		if got := b.text(t, "#noscore-title"); got != "2 kompetencer får ingen score" {
			t.Errorf("heading %q", got)
		}
		got := browserEval[[]string](t, b, `Array.from(document.querySelectorAll(".noscore-box li a"), a => a.getAttribute("href") + " " + a.textContent)`)
		want := []string{"/survey/1 " + in.Competences[0].Name.In(survey.Danish), "/survey/5 " + in.Competences[4].Name.In(survey.Danish)}
		if !slices.Equal(got, want) {
			t.Errorf("the box links %q, want %q", got, want)
		}
		first := b.text(t, ".noscore-box li")
		if !strings.Contains(first, "1 af 4 udsagn er besvaret på skalaen 1–5; der skal mindst 2 til.") {
			t.Errorf("the reason for competence 1 reads %q", first)
		}
		if status := b.text(t, "ol.review > li .count"); status != "4 af 4 besvaret, heraf 3 »Ved ikke«" {
			t.Errorf("competence 1 reads %q", status)
		}
		for _, w := range []int64{1280, 390} {
			_, done := at(t, w, "/review", ".noscore-box", "review-noscore")
			done()
		}
		b.submit(t, `.noscore-box li a`)
		if loc, want := b.location(t), app.baseURL+"/survey/1"; loc != want {
			t.Errorf("the link leads to %s, want %s", loc, want)
		}
		b.navigate(t, app.baseURL+"/review")
		b.submit(t, `form[action="/review"] button[type=submit]`)
	})

	step("the radar draws no point without a score", func(t *testing.T) {
		summary := b.text(t, "#chart-summary")
		wantSummary := fmt.Sprintf("%s, %s har ingen score og har intet punkt i radaren", in.Competences[0].Label.In(survey.Danish), in.Competences[4].Label.In(survey.Danish))
		if !strings.Contains(summary, wantSummary) {
			t.Errorf("summary %q does not say %q", summary, wantSummary)
		}
		for _, w := range []int64{1280, 390} {
			s, done := at(t, w, "/result", "#radar.chart-ready svg", "result-gaps")
			if dir != "" {
				png, err := chromedp.Run(s.ctx, chromedp.Screenshot(chromedp.CSS("#radar")))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("result-radar-%d.png", w)), png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			g := browserEval[radarGeometry](t, s, radarGeometryJS)
			t.Logf("at %dpx: %+v", w, g)
			checkRadar(t, w, g, firstStepsAnswers)
			// A point's tooltip names its competence and score, as the
			// table writes it.
			tip := browserEval[string](t, s, `new Promise(r => {
				const chart = echarts.getInstanceByDom(document.getElementById("radar"));
				chart.dispatchAction({type: "showTip", seriesIndex: 0, dataIndex: 1});
				setTimeout(() => r(Array.from(document.querySelectorAll("#radar svg text"), t => t.textContent).join("|")), 100);
			})`, chromedp.EvalAwaitPromise)
			if want := in.Competences[1].Label.In(survey.Danish) + "|" + browserScore(firstStepsAnswers[1], ","); !strings.Contains(tip, want) {
				t.Errorf("at %dpx the chart's texts with the tooltip of axis 2 are %q, want %q", w, tip, want)
			}
			done()
		}
	})

	step("no script errors or CSP violations", func(t *testing.T) {
		browserEval[int](t, b, `new Promise(r => requestAnimationFrame(() => setTimeout(() => r(1), 50)))`, chromedp.EvalAwaitPromise)
		for _, m := range b.console.problems() {
			t.Errorf("browser console: %s", m)
		}
	})
}

// radarGeometry is what the page drew: the radar's centre and radius, the
// leader's point per axis (Drawn false where there is none), the point
// the radar puts each score at, the axis ends, the scale's numbers and
// the smallest font of the chart's text, and the chart's box and column.
type radarGeometry struct {
	CX, CY, R      float64
	Points         []radarPoint
	AxisEnds       [][2]float64
	Texts          []string
	MinFont        float64
	Canvas, Column float64
	CanvasCentre   float64
	ColumnCentre   float64
}

type radarPoint struct {
	Drawn          bool
	X, Y           float64
	WantX, WantY   float64
	DistanceCentre float64
}

const radarGeometryJS = `(() => {
	const el = document.getElementById("radar");
	const chart = echarts.getInstanceByDom(el);
	const model = chart.getModel();
	const radar = model.getComponent("radar").coordinateSystem;
	const series = model.getSeriesByIndex(0);
	const data = series.getData();
	const n = radar.getIndicatorAxes().length;
	// A radar series lays its points out as one item, a line series (the
	// one with gaps) as a flat list of x, y.
	const line = series.subType === "line";
	const flat = line ? data.getLayout("points") : [];
	const layout = i => line ? [flat[2 * i], flat[2 * i + 1]] : data.getItemLayout(0)[i];
	const option = chart.getOption().series[0].data;
	const values = line ? option.map(d => d.value[0]) : option[0].value;
	const points = [];
	for (let i = 0; i < n; i++) {
		const p = layout(i) || [NaN, NaN];
		const drawn = isFinite(p[0]) && isFinite(p[1]);
		const want = drawn ? radar.dataToPoint(values[i], i) : [0, 0];
		points.push({Drawn: drawn, X: drawn ? p[0] : 0, Y: drawn ? p[1] : 0, WantX: want[0], WantY: want[1],
			DistanceCentre: drawn ? Math.hypot(p[0] - radar.cx, p[1] - radar.cy) : 0});
	}
	const ends = [];
	for (let i = 0; i < n; i++) { ends.push(radar.dataToPoint(5, i)); }
	const texts = Array.from(el.querySelectorAll("svg text"), t => t.textContent);
	const fonts = Array.from(el.querySelectorAll("svg text"), t => parseFloat(getComputedStyle(t).fontSize));
	const canvas = el.getBoundingClientRect();
	const col = el.closest("section").getBoundingClientRect();
	return {CX: radar.cx, CY: radar.cy, R: radar.r, Points: points, AxisEnds: ends, Texts: texts,
		MinFont: Math.min(...fonts), Canvas: canvas.width, Column: col.width,
		CanvasCentre: canvas.left + canvas.width / 2, ColumnCentre: col.left + col.width / 2};
})()`

// checkRadar checks the drawn radar at width against the answers given.
func checkRadar(t *testing.T, width int64, g radarGeometry, answers [][]int) {
	t.Helper()
	if len(g.Points) != len(answers) {
		t.Fatalf("at %dpx the radar has %d axes, want %d", width, len(g.Points), len(answers))
	}
	for i, a := range answers {
		onScale := 0
		for _, v := range a {
			if v != int(survey.DontKnow) {
				onScale++
			}
		}
		p := g.Points[i]
		if scored := 2*onScale >= len(a) && onScale > 0; !scored {
			if p.Drawn {
				t.Errorf("at %dpx axis %d has no score but a point at (%.0f, %.0f), %.0f px from the centre", width, i+1, p.X, p.Y, p.DistanceCentre)
			}
			continue
		}
		if !p.Drawn {
			t.Errorf("at %dpx axis %d has a score but no point", width, i+1)
			continue
		}
		if math.Hypot(p.X-p.WantX, p.Y-p.WantY) > 1.5 {
			t.Errorf("at %dpx axis %d's point (%.1f, %.1f) is off the radar's axis, want (%.1f, %.1f)", width, i+1, p.X, p.Y, p.WantX, p.WantY)
		}
	}
	// Clockwise from the top: the first axis points up, the second to the
	// right of it, the last to the left.
	top, second, last := g.AxisEnds[0], g.AxisEnds[1], g.AxisEnds[len(g.AxisEnds)-1]
	if math.Abs(top[0]-g.CX) > 1 || top[1] >= g.CY || second[0] <= g.CX || last[0] >= g.CX {
		t.Errorf("at %dpx the axes do not run clockwise from the top: first %v, second %v, last %v, centre (%.0f, %.0f)", width, top, second, last, g.CX, g.CY)
	}
	for _, n := range []string{"1", "2", "3", "4", "5"} {
		if !slices.Contains(g.Texts, n) {
			t.Errorf("at %dpx the scale's %s is not on the radar: %q", width, n, g.Texts)
		}
	}
	if g.MinFont < 12 {
		t.Errorf("at %dpx the radar's smallest text is %.1f px, want 12 at least", width, g.MinFont)
	}
	if math.Abs(g.CanvasCentre-g.ColumnCentre) > 1 || math.Abs(g.CX-g.Canvas/2) > 1 {
		t.Errorf("at %dpx the chart (%.0f px wide) is centred at %.0f in a %.0f px column centred at %.0f, the radar at %.0f in the chart: want both centred", width, g.Canvas, g.CanvasCentre, g.Column, g.ColumnCentre, g.CX)
	}
	// On a phone the chart takes the column's width, and the radar what
	// its axis names leave; on a desk its height bounds it.
	if width <= 400 && (g.Canvas < g.Column-1 || g.R < 0.25*float64(width)) {
		t.Errorf("at %dpx the chart is %.0f px wide in a %.0f px column, the radar's radius %.0f px: want the column's width and a radius of %.0f at least", width, g.Canvas, g.Column, g.R, 0.25*float64(width))
	}
	if width > 400 && g.R < 170 {
		t.Errorf("at %dpx the radar's radius is %.0f px, want 170 at least", width, g.R)
	}
}
