package web_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"lederradar/internal/orggen"
	"lederradar/survey"
)

// TestBrowserHostileText opens the pages of the hostile organisation
// (security_env_test.go) in Chromium, starts every chart and shows the
// tooltip of every data point, which ECharts draws from names and
// labels. Nothing may run (alert, confirm and prompt are counted), no
// element may come from the hostile text, and the hostile text must be
// visible as text, in the page and in the tooltips.
func TestBrowserHostileText(t *testing.T) {
	t.Parallel()
	chromium := browserExecPath(t)
	e := newSecEnv(t)
	ctx, cancel := browserContext(t)
	defer cancel()
	srv := httptest.NewServer(e.handler)
	defer srv.Close()
	b, stop := startBrowser(t, ctx, chromium, srv.URL)
	defer stop()
	if _, err := chromedp.Call(b.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.__ran = 0; ["alert", "confirm", "prompt", "print"].forEach(function (n) { window[n] = function () { window.__ran++; }; });`,
	}); err != nil {
		t.Fatal(err)
	}

	// A leader's session in a round, as opening the link would start it.
	leaderIn := func(invitation int64) {
		t.Helper()
		httpOnly := true
		c := e.leaderSession(invitation)
		if _, err := chromedp.Call(b.ctx, network.SetCookie, network.SetCookieParams{Name: c.Name, Value: c.Value, URL: srv.URL, Path: "/",
			HTTPOnly: &httpOnly, SameSite: network.CookieSameSiteLax}); err != nil {
			t.Fatal(err)
		}
	}

	pagesChecked, charts, tips := 0, 0, 0
	tooltipText := ""
	check := func(path string) {
		t.Helper()
		b.navigate(t, srv.URL+path)
		pagesChecked++
		type result struct {
			Ran      int      `json:"ran"`
			Injected []string `json:"injected"`
			Charts   int      `json:"charts"`
			Blocks   int      `json:"blocks"`
			Tips     int      `json:"tips"`
			Shown    int      `json:"shown"`
			Texts    []string `json:"texts"`
			Body     string   `json:"body"`
		}
		r := browserEval[result](t, b, `(function () {
  var texts = [], tips = 0, shown = 0;
  document.querySelectorAll(".chart-ready").forEach(function (el) {
    var c = echarts.getInstanceByDom(el);
    if (!c) { return; }
    // The tooltip is drawn into the chart's SVG: its text is what the
    // SVG holds while it shows and not before.
    var drawn = function () {
      var seen = {};
      el.querySelectorAll("text, tspan").forEach(function (n) { seen[n.textContent] = (seen[n.textContent] || 0) + 1; });
      return seen;
    };
    c.setOption({ tooltip: { hideDelay: 0 } }); // hidden at once, so each tooltip is seen alone
    (c.getOption().series || []).forEach(function (s, si) {
      var n = Math.min((s.data || []).length, 40);
      for (var di = 0; di < n; di++) {
        c.dispatchAction({ type: "hideTip" });
        c.getZr().flush(); // drawn on the next frame otherwise
        var before = drawn();
        c.dispatchAction({ type: "showTip", seriesIndex: si, dataIndex: di });
        c.getZr().flush();
        var after = drawn(), tip = [];
        Object.keys(after).forEach(function (k) { if (after[k] > (before[k] || 0)) { tip.push(k); } });
        shown++;
        if (tip.length > 0) { tips++; }
        texts.push(tip.join("\n"));
      }
    });
    c.dispatchAction({ type: "hideTip" });
  });
  var injected = [];
  document.querySelectorAll("*").forEach(function (el) {
    for (var i = 0; i < el.attributes.length; i++) {
      var a = el.attributes[i].name.toLowerCase();
      if (a.indexOf("on") === 0) { injected.push(el.tagName + "[" + a + "]"); }
    }
    if ((el.tagName === "IMG" && el.getAttribute("src") === "x") ||
        (el.tagName === "SCRIPT" && !el.src && el.type !== "application/json")) {
      injected.push(el.outerHTML.slice(0, 80));
    }
  });
  return { ran: window.__ran, injected: injected, charts: document.querySelectorAll(".chart-ready").length,
    blocks: document.querySelectorAll('script[type="application/json"][data-chart]').length,
    tips: tips, shown: shown, texts: texts, body: document.body.innerText };
})()`)
		if r.Ran != 0 {
			t.Errorf("%s: hostile text ran script %d times", path, r.Ran)
		}
		if len(r.Injected) > 0 {
			t.Errorf("%s: elements from hostile text: %v", path, r.Injected)
		}
		if r.Charts != r.Blocks {
			t.Errorf("%s: %d of %d charts started", path, r.Charts, r.Blocks)
		}
		charts += r.Charts
		tips += r.Tips
		if r.Tips != r.Shown {
			t.Errorf("%s: %d of %d tooltips asked for drew any text", path, r.Tips, r.Shown)
		}
		for _, text := range r.Texts {
			if strings.Contains(text, "NaN") || strings.Contains(text, "undefined") || strings.Contains(text, "null") {
				t.Errorf("%s: a tooltip reads %q", path, text)
			}
		}
		tooltipText += strings.Join(r.Texts, "\n")
		shows := strings.Contains(r.Body, xssScript) || strings.Contains(r.Body, xssImg) || strings.Contains(r.Body, xssSvg) || strings.Contains(r.Body, "=HYPERLINK")
		if !shows && path != "/admin" && path != "/admin/audit" { // these two show no names
			t.Errorf("%s: no hostile text visible as text", path)
		}
	}

	// A leader in the open round.
	leaderIn(e.invA)
	check("/survey/1")
	check("/review")

	// HR: every group of the closed round, alone and against the earlier
	// round, and the heatmap.
	b.navigate(t, srv.URL+"/login")
	b.login(t, orggen.Account{Role: survey.RoleHR, Email: "hr@example.dk", Password: secPassword})
	round := fmt.Sprintf("/hr/rounds/%d", e.closed.ID)
	check("/hr")
	check(round)
	keys := map[string]bool{}
	for _, m := range secGroupLink.FindAllStringSubmatch(browserEval[string](t, b, `document.documentElement.outerHTML`), -1) {
		keys[m[1]] = true
	}
	for k := range keys {
		check(round + "/groups/" + k)
		check(fmt.Sprintf("%s/groups/%s?compare=%d", round, k, e.earlier.ID))
	}
	check(round + "/heatmap")

	// The leader's result of the closed round, with every group overlay.
	leaderIn(e.invAClosed)
	check("/result")
	for k := range keys {
		check("/result?compare=" + k)
	}

	// An administrator.
	b.navigate(t, srv.URL+"/login")
	b.login(t, orggen.Account{Role: survey.RoleAdmin, Email: "admin@example.dk", Password: secPassword})
	for _, p := range []string{"/admin", "/admin/people", fmt.Sprintf("/admin/people/%d", e.editPerson.ID), "/admin/rounds",
		fmt.Sprintf("/admin/rounds/%d", e.closed.ID), "/admin/audit"} {
		check(p)
	}

	// Nothing may break the policy: no script refused, and no inline style
	// either (the tooltips are drawn into the SVG, not built as HTML with
	// style attributes).
	for _, m := range b.console.problems() {
		if m.kind == "exception" || strings.Contains(m.text, "Refused to") || strings.Contains(m.text, "violates") {
			t.Errorf("console: %s", m)
		}
	}
	if len(keys) < 3 || charts == 0 || tips == 0 {
		t.Errorf("the walk saw %d groups, %d charts, %d tooltips: it did not exercise the charts", len(keys), charts, tips)
	}
	if !strings.Contains(tooltipText, xssImg) {
		t.Errorf("no tooltip showed the hostile chart label as text")
	}
	t.Logf("hostile text in Chromium: %d pages, %d charts started, %d tooltips shown; 0 scripts ran, 0 elements injected, 0 policy violations", pagesChecked, charts, tips)
}
