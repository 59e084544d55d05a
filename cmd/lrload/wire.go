package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"text/tabwriter"

	"lederradar/internal/orggen"
)

// Budgets of figure 4, in bytes on the wire from the server.
const (
	firstViewBudget  = 450_000
	repeatViewBudget = 30_000
	pageBudget       = 30_000
)

var assetRE = regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`)

// runWire is `lrload wire`: the bytes a leader's browser receives for the
// result page the first time (the page and every asset it names, as a
// browser that accepts gzip gets them) and again (the page only: the
// assets are cached for good), and for a questionnaire page.
func runWire(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("wire", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tf := addTargetFlags(fs)
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if *tf.links == "" {
		fmt.Fprintln(stderr, "wire: --links is required")
		return errUsage
	}
	base, links, err := tf.open(ctx)
	if err != nil {
		return err
	}
	token, err := lastNotStarted(links)
	if err != nil {
		return err
	}
	w, err := newWireBrowser(ctx, base, token)
	if err != nil {
		return err
	}
	v, err := w.measureViews(ctx)
	if err != nil {
		return err
	}
	v.print(stdout)
	if v.overBudget() {
		return errors.New("over budget")
	}
	return nil
}

// lastNotStarted returns the token of the last leader in links who has
// not started: one who answers everything, so that the result has its
// chart.
func lastNotStarted(links []orggen.Link) (string, error) {
	for i := len(links) - 1; i >= 0; i-- {
		if links[i].State == orggen.NotStarted {
			return links[i].Token, nil
		}
	}
	return "", errors.New("wire: the links have no leader who has not started")
}

// wireBrowser is one leader's browser, counting the bytes that come in.
type wireBrowser struct {
	base *url.URL
	c    *http.Client
	m    *meter
	rec  *recorder
}

// newWireBrowser opens the leader's link and answers everything; the
// answering is not measured.
func newWireBrowser(ctx context.Context, base *url.URL, token string) (*wireBrowser, error) {
	m := &meter{}
	w := &wireBrowser{base: base, c: newClient(newTransport(1, m)), m: m, rec: newRecorder()}
	if err := leaderJourney(ctx, w.c, base, w.rec, nil, token, rand.New(rand.NewPCG(1, 1))); err != nil { // #nosec G404 -- made-up answers, the same every run
		return nil, err
	}
	return w, nil
}

// fetch gets a page and returns its body.
func (w *wireBrowser) fetch(ctx context.Context, path string) ([]byte, error) {
	_, body, err := call(ctx, w.c, w.rec, nil, "wire", get(w.base, path), http.StatusOK)
	return body, err
}

// view fetches paths as one view and returns the bytes that came in for
// them: status lines, headers and bodies.
func (w *wireBrowser) view(ctx context.Context, paths ...string) (int64, error) {
	before := w.m.in.Load()
	for _, p := range paths {
		if _, err := w.fetch(ctx, p); err != nil {
			return 0, err
		}
	}
	return w.m.in.Load() - before, nil
}

// assetsOf fetches the page at path, unmeasured, to learn the assets it
// names.
func (w *wireBrowser) assetsOf(ctx context.Context, path string) ([]string, error) {
	page, err := w.fetch(ctx, path)
	if err != nil {
		return nil, err
	}
	var assets []string
	for _, a := range assetRE.FindAllSubmatch(page, -1) {
		assets = append(assets, string(a[1]))
	}
	return assets, nil
}

// wireViews are the bytes of the views figure 4 measures, with the number
// of assets of each first view.
type wireViews struct {
	resultAssets, surveyAssets int
	resultFirst, resultRepeat  int64
	survey, surveyFirst        int64
}

// measureViews measures the result page first and again, then a
// questionnaire page, then (for the report, without a budget) the
// questionnaire's first view.
func (w *wireBrowser) measureViews(ctx context.Context) (wireViews, error) {
	var v wireViews
	assets, err := w.assetsOf(ctx, "/result")
	if err != nil {
		return v, err
	}
	v.resultAssets = len(assets)
	if v.resultFirst, err = w.view(ctx, append([]string{"/result"}, assets...)...); err != nil {
		return v, err
	}
	if v.resultRepeat, err = w.view(ctx, "/result"); err != nil {
		return v, err
	}
	if v.survey, err = w.view(ctx, "/survey/1"); err != nil {
		return v, err
	}
	if assets, err = w.assetsOf(ctx, "/survey/1"); err != nil {
		return v, err
	}
	v.surveyAssets = len(assets)
	if v.surveyFirst, err = w.view(ctx, append([]string{"/survey/1"}, assets...)...); err != nil {
		return v, err
	}
	return v, nil
}

// print writes the views as a table against their budgets, then as
// benchmark lines for benchstat.
func (v wireViews) print(stdout io.Writer) {
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "view\tbytes\tbudget\tof budget\t\n")
	printWireRow(tw, fmt.Sprintf("result, first view (page + %d assets)", v.resultAssets), v.resultFirst, firstViewBudget)
	printWireRow(tw, "result, repeat view", v.resultRepeat, repeatViewBudget)
	printWireRow(tw, "questionnaire page", v.survey, pageBudget)
	printWireRow(tw, fmt.Sprintf("questionnaire, first view (page + %d assets)", v.surveyAssets), v.surveyFirst, 0)
	_ = tw.Flush() // a report on the terminal
	fmt.Fprintf(stdout, "\nBenchmarkWire/view=result-first\t1\t%d B\nBenchmarkWire/view=result-repeat\t1\t%d B\nBenchmarkWire/view=questionnaire\t1\t%d B\n", v.resultFirst, v.resultRepeat, v.survey)
}

// printWireRow writes one view's bytes and their share of its budget; a
// budget of 0 means the view has none.
func printWireRow(tw io.Writer, name string, n, budget int64) {
	share := "—"
	if budget > 0 {
		share = fmt.Sprintf("%.0f %%", 100*float64(n)/float64(budget))
	}
	b := "—"
	if budget > 0 {
		b = fmt.Sprint(budget)
	}
	fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t\n", name, n, b, share)
}

// overBudget reports whether a view with a budget went over it.
func (v wireViews) overBudget() bool {
	return v.resultFirst > firstViewBudget || v.resultRepeat > repeatViewBudget || v.survey > pageBudget
}
