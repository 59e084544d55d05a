package web_test

// The keyboard-only journey: a leader completes the whole questionnaire in
// headless Chromium with nothing but key events — Tab, Shift+Tab, the arrow
// keys, Space and Enter — sent through the DevTools protocol as a keyboard
// would send them: no clicks, no values set by script. After every key
// that moves the focus, the focused element must show a focus indicator.
//
//	go test -race -run BrowserKeyboard -v ./web/
//
// It skips when no Chromium is installed, unless CI is set.

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"lederradar/internal/auth"
	"lederradar/internal/links"
	"lederradar/survey"
)

// keyboardAnswers are the answers the keys choose, page by page: every
// point of the scale and "Ved ikke" (0), so the arrow keys go both ways
// and wrap around.
var keyboardAnswers = [][]int{
	{5, 4, 3, 2},
	{1, 0, 5, 4},
	{3, 3, 4, 2},
	{2, 1, 0, 3},
	{4, 4, 4, 4},
	{5, 5, 4, 5},
	{3, 2, 2, 3},
	{4, 3, 3, 4},
	{2, 2, 1, 2},
	{4, 4, 5, 4},
	{3, 4, 3, 0},
}

func TestBrowserKeyboardOnly(t *testing.T) {
	chromium := browserExecPath(t)
	// Its own app and browser, and no timing: it runs beside the others.
	t.Parallel()

	ctx, cancel := browserContext(t)
	defer cancel()

	app := startBrowserApp(t, ctx)
	in := app.instrument
	pages := len(in.Competences)
	if len(keyboardAnswers) != pages {
		t.Fatalf("the test answers %d pages, the instrument has %d", len(keyboardAnswers), pages)
	}
	// The options of an item in page order: the scale, then "Ved ikke".
	var order []int
	for _, p := range in.Scale {
		order = append(order, int(p.Value))
	}
	order = append(order, int(survey.DontKnow))

	b, stop := startBrowser(t, ctx, chromium, app.baseURL)
	defer stop()
	k := &keyboard{b: b, pressed: map[string]int{}}

	step := func(name string, f func(t *testing.T)) {
		t.Helper()
		if !t.Run(name, f) {
			t.FailNow()
		}
	}

	// Opening the personal link from the e-mail is the one thing done
	// without the keyboard here.
	b.navigate(t, links.For(app.baseURL, app.notStarted.Token))

	step("skip link and header", func(t *testing.T) {
		skip := k.tab(t)
		if skip.Tag != "a" || skip.Class != "skip" || skip.Text != "Spring til indhold" || skip.Href != "#main" {
			t.Fatalf("the first Tab reaches %s, want the skip link »Spring til indhold«", skip)
		}
		if !skip.InView {
			t.Errorf("the focused skip link is not on screen: %s", skip)
		}
		// The whole header, to see its focus styles too, and back.
		var header []string
		for {
			f := k.tab(t)
			if f.InMain {
				break
			}
			header = append(header, f.String())
			if len(header) > 20 {
				t.Fatalf("no end to the header: %q", header)
			}
		}
		t.Logf("header: %q", header)
		if len(header) < 3 {
			t.Errorf("the header has %d focusable elements, want the brand, the language switch and the navigation: %q", len(header), header)
		}
		for range len(header) + 1 {
			k.shiftTab(t)
		}
		if f := k.focused(t); f.Class != "skip" {
			t.Fatalf("Shift+Tab back through the header ends on %s, want the skip link", f)
		}
		k.skipToMain(t)
	})

	// The link lands on the start page; its one action begins.
	step("start page", func(t *testing.T) {
		f := k.tab(t)
		if f.Tag != "a" || f.Href != "/survey/1" || f.Text != "Begynd" {
			t.Fatalf("the first Tab in the start page's main content reaches %s, want »Begynd«", f)
		}
		k.submit(t, kb.Enter)
		if loc, want := b.location(t), app.baseURL+"/survey/1"; loc != want {
			t.Fatalf("Enter on Begynd leads to %s, want %s", loc, want)
		}
	})

	for p := 1; p <= pages; p++ {
		answers := keyboardAnswers[p-1]
		comp := in.Competences[p-1]
		step(fmt.Sprintf("page %d", p), func(t *testing.T) {
			k.skipLink(t)
			for i, it := range comp.Items {
				f := k.tab(t)
				if f.Tag != "input" || f.Type != "radio" || f.Name != it.ID {
					t.Fatalf("Tab to item %d reaches %s, want a radio button of %s", i+1, f, it.ID)
				}
				k.choose(t, f, order, answers[i], i)
			}
			if got := b.checked(t); !slices.Equal(got, browserStrings(answers)) {
				t.Fatalf("after the keys the checked answers are %v, want %v", got, answers)
			}
			want := fmt.Sprintf("/survey/%d?saved=1", p+1)
			if p == pages {
				want = "/review?saved=1"
			}
			if p%2 == 1 {
				// Enter in a radio button submits the form with its
				// default button: the first in tree order, a hidden one
				// before the language switch that saves and continues.
				k.submit(t, kb.Enter)
			} else {
				// Forrige comes first, before the primary action.
				if p > 1 {
					if f := k.tab(t); f.Tag != "button" || f.Name != "nav" || f.Value != "back" {
						t.Fatalf("Tab after the last item reaches %s, want Forrige (nav=back)", f)
					}
				}
				f := k.tab(t)
				primary := "next"
				if p == pages {
					primary = "review"
				}
				if f.Tag != "button" || f.Name != "nav" || f.Value != primary || !strings.Contains(f.Class, "primary") {
					t.Fatalf("Tab after Forrige reaches %s, want the primary button (nav=%s)", f, primary)
				}
				key := kb.Enter
				if p%4 == 0 {
					key = " " // Space presses a button as well
				}
				k.submit(t, key)
			}
			if loc := b.location(t); loc != app.baseURL+want {
				t.Fatalf("after the keys the browser is at %s, want %s: the primary action", loc, app.baseURL+want)
			}
			if got := b.text(t, ".status .notice"); got != "Dine svar er gemt." {
				t.Errorf("status %q, want %q", got, "Dine svar er gemt.")
			}
		})
	}

	step("review and submit", func(t *testing.T) {
		k.skipLink(t)
		tabs := 0
		for {
			f := k.tab(t)
			tabs++
			if f.Tag == "button" && f.Form == "/review" {
				if f.Text != "Indsend besvarelse" {
					t.Errorf("the review's submit button reads %q", f.Text)
				}
				break
			}
			if tabs > 80 || !f.InMain {
				t.Fatalf("%d Tabs on the review page end on %s before the submit button", tabs, f)
			}
		}
		t.Logf("the submit button is %d Tabs into the review's main content", tabs)
		k.submit(t, " ")
		if loc, want := b.location(t), app.baseURL+"/result?submitted=1"; loc != want {
			t.Fatalf("after submitting the browser is at %s, want %s", loc, want)
		}
	})

	step("result table", func(t *testing.T) {
		k.skipLink(t)
		if h1 := b.text(t, "h1"); h1 != "Dit resultat" {
			t.Errorf("result heading %q", h1)
		}
		scores := browserEval[[]string](t, b, `Array.from(document.querySelectorAll("table.scores:not(.others-table) tbody tr"), r => r.querySelector("td").textContent.trim())`)
		if len(scores) != pages {
			t.Fatalf("the score table has %d rows, want %d", len(scores), pages)
		}
		for p, got := range scores {
			if want := browserScore(keyboardAnswers[p], ","); got != want {
				t.Errorf("score of %s is %q, want %q", in.Competences[p].ID, got, want)
			}
		}
	})

	step("stored answers are the keys' choices", func(t *testing.T) {
		inv, err := app.db.FindInvitationByTokenHash(ctx, auth.HashToken(app.notStarted.Token))
		if err != nil {
			t.Fatal(err)
		}
		resp, err := app.db.FindResponse(ctx, inv.RoundID, inv.SubjectID, inv.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		if !resp.Submitted() {
			t.Error("the response is not submitted")
		}
		n := 0
		for p, comp := range in.Competences {
			for i, it := range comp.Items {
				n++
				if got, ok := resp.Answers[it.ID]; !ok || int(got) != keyboardAnswers[p][i] {
					t.Errorf("stored answer to %s is %v (stored %v), want %d", it.ID, got, ok, keyboardAnswers[p][i])
				}
			}
		}
		if len(resp.Answers) != n {
			t.Errorf("%d answers stored, want %d", len(resp.Answers), n)
		}
	})

	step("no script errors or CSP violations", func(t *testing.T) {
		for _, m := range b.console.problems() {
			t.Errorf("browser console: %s", m)
		}
	})

	// The focus check is only worth something if it sees a missing
	// indicator: take the focus styles away (through the CSSOM, which the
	// policy allows) and look.
	step("focus check catches a missing indicator", func(t *testing.T) {
		browserEval[int](t, b, `document.styleSheets[0].insertRule(
			":focus, :focus-visible { outline: none !important; box-shadow: none !important; }", document.styleSheets[0].cssRules.length)`)
		k.press(t, kb.Tab, false)
		if f := k.focused(t); f.Visible || f.Tag == "body" {
			t.Errorf("without focus styles the check still finds an indicator on %s (%s)", f, f.Indicator)
		}
	})

	var keys []string
	total := 0
	for key, n := range k.pressed {
		keys = append(keys, fmt.Sprintf("%s %d", key, n))
		total += n
	}
	sort.Strings(keys)
	t.Logf("%d pages answered and submitted with %d key presses (%s), %d focus checks, no clicks",
		pages, total, strings.Join(keys, ", "), k.checks)
}

// keyboard sends key events to a tab and counts them.
type keyboard struct {
	b       *browserTab
	pressed map[string]int
	checks  int // focus indicators checked
}

// focusInfo describes the focused element.
type focusInfo struct {
	Tag, ID, Class, Type, Name, Value, Text, Href string
	// Form is the action of the element's form.
	Form    string
	Checked bool
	// Indicator is the computed outline and box-shadow; Visible says one
	// of them shows.
	Indicator string
	Visible   bool
	InView    bool
	InMain    bool
}

func (f focusInfo) String() string {
	s := "<" + f.Tag
	for _, a := range [][2]string{{"id", f.ID}, {"class", f.Class}, {"type", f.Type}, {"name", f.Name}, {"value", f.Value}, {"href", f.Href}} {
		if a[1] != "" {
			s += fmt.Sprintf(" %s=%q", a[0], a[1])
		}
	}
	if f.Checked {
		s += " checked"
	}
	return s + ">" + f.Text
}

const focusedJS = `(() => {
	const e = document.activeElement;
	if (!e) return {Tag: "none"};
	const s = getComputedStyle(e);
	const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
	const shadow = s.boxShadow && s.boxShadow !== "none";
	const r = e.getBoundingClientRect();
	const main = document.getElementById("main");
	return {
		Tag: e.tagName.toLowerCase(), ID: e.id || "", Class: typeof e.className === "string" ? e.className : "",
		Type: e.getAttribute("type") || "", Name: e.getAttribute("name") || "", Value: e.getAttribute("value") || "",
		Text: (e.textContent || "").trim().replace(/\s+/g, " ").slice(0, 60), Href: e.getAttribute("href") || "",
		Form: e.form ? e.form.getAttribute("action") || "" : "", Checked: !!e.checked,
		Indicator: s.outlineStyle + " " + s.outlineWidth + " " + s.outlineColor + " / " + s.boxShadow,
		Visible: !!(outline || shadow),
		InView: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth,
		InMain: !!main && main.contains(e) && e !== main,
	};
})()`

func (k *keyboard) focused(t *testing.T) focusInfo {
	t.Helper()
	return browserEval[focusInfo](t, k.b, focusedJS)
}

// press sends one key, with Shift when shift is set.
func (k *keyboard) press(t *testing.T, key string, shift bool) {
	t.Helper()
	var opts []chromedp.KeyOption
	name := keyName(key)
	if shift {
		opts = append(opts, chromedp.KeyModifiers(chromedp.ModifierShift))
		name = "Shift+" + name
	}
	k.b.do(t, chromedp.KeyEvent(key, opts...))
	k.pressed[name]++
}

func keyName(key string) string {
	switch key {
	case kb.Tab:
		return "Tab"
	case kb.Enter:
		return "Enter"
	case " ":
		return "Space"
	case kb.ArrowDown:
		return "ArrowDown"
	case kb.ArrowUp:
		return "ArrowUp"
	case kb.ArrowLeft:
		return "ArrowLeft"
	case kb.ArrowRight:
		return "ArrowRight"
	case kb.Escape:
		return "Escape"
	}
	return fmt.Sprintf("%q", key)
}

// tab presses Tab and returns the element it focuses, which must show a
// focus indicator and be on screen.
func (k *keyboard) tab(t *testing.T) focusInfo {
	t.Helper()
	k.press(t, kb.Tab, false)
	return k.wantVisible(t, "Tab")
}

func (k *keyboard) shiftTab(t *testing.T) focusInfo {
	t.Helper()
	k.press(t, kb.Tab, true)
	return k.wantVisible(t, "Shift+Tab")
}

func (k *keyboard) wantVisible(t *testing.T, after string) focusInfo {
	t.Helper()
	f := k.focused(t)
	k.checks++
	if f.Tag == "body" || f.Tag == "none" {
		t.Fatalf("after %s nothing is focused", after)
	}
	if !f.Visible {
		t.Errorf("after %s the focused %s shows no focus indicator (%s)", after, f, f.Indicator)
	}
	if !f.InView {
		t.Errorf("after %s the focused %s is not on screen", after, f)
	}
	return f
}

// skipToMain presses Enter on the focused skip link and waits for the
// focus to land on <main>.
func (k *keyboard) skipToMain(t *testing.T) {
	t.Helper()
	k.press(t, kb.Enter, false)
	id := browserEval[string](t, k.b, `new Promise(resolve => {
		const end = Date.now() + 3000;
		(function poll() {
			const e = document.activeElement;
			if ((e && e.id === "main") || Date.now() > end) return resolve(e ? e.id || e.tagName : "");
			setTimeout(poll, 20);
		})();
	})`, chromedp.EvalAwaitPromise)
	if id != "main" {
		t.Fatalf("Enter on the skip link focuses %q, want <main id=main>", id)
	}
	if loc := k.b.location(t); !strings.HasSuffix(loc, "#main") {
		t.Errorf("after the skip link the address is %s, want it to end #main", loc)
	}
}

// skipLink presses Tab on a freshly loaded page, which must reach the skip
// link, and Enter on it.
func (k *keyboard) skipLink(t *testing.T) {
	t.Helper()
	if f := k.tab(t); f.Class != "skip" {
		t.Fatalf("the first Tab on the page reaches %s, want the skip link", f)
	}
	k.skipToMain(t)
}

// choose selects want in the radio group whose button f has the focus,
// with the arrow keys (and Space for the first option when none is
// checked), by the shorter way round. Odd items use ArrowRight and
// ArrowLeft, even ones ArrowDown and ArrowUp: both pairs move through a
// radio group.
func (k *keyboard) choose(t *testing.T, f focusInfo, order []int, want, item int) {
	t.Helper()
	index := func(v string) int {
		for i, o := range order {
			if fmt.Sprint(o) == v {
				return i
			}
		}
		t.Fatalf("radio value %q is not an option", v)
		return 0
	}
	cur, target := index(f.Value), index(fmt.Sprint(want))
	n := len(order)
	forward := (target - cur + n) % n
	next, prev := kb.ArrowDown, kb.ArrowUp
	if item%2 == 1 {
		next, prev = kb.ArrowRight, kb.ArrowLeft
	}
	switch {
	case forward == 0 && !f.Checked:
		k.press(t, " ", false)
	case forward == 0:
	case forward <= n-forward:
		for range forward {
			k.press(t, next, false)
			k.wantVisible(t, keyName(next))
		}
	default:
		for range n - forward {
			k.press(t, prev, false)
			k.wantVisible(t, keyName(prev))
		}
	}
	got := k.focused(t)
	if got.Name != f.Name || got.Value != fmt.Sprint(want) || !got.Checked {
		t.Fatalf("after choosing %d in %s the focus is on %s, want the checked option %d", want, f.Name, got, want)
	}
}

// submit presses key, which must submit a form, and waits for the page it
// leads to, which must answer 200.
func (k *keyboard) submit(t *testing.T, key string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(k.b.ctx, 15*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.KeyEvent(key))
	k.pressed[keyName(key)]++
	if err != nil {
		t.Fatalf("%s did not load a page: %v", keyName(key), err)
	}
	if resp.Status != http.StatusOK {
		t.Fatalf("%s led to a page that answered %d", keyName(key), resp.Status)
	}
}
