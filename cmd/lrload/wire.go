package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
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
	// A leader who has not started answers everything, so that the result
	// has its chart; the answering is not measured.
	token := ""
	for i := len(links) - 1; i >= 0; i-- {
		if links[i].State == orggen.NotStarted {
			token = links[i].Token
			break
		}
	}
	if token == "" {
		return errors.New("wire: the links have no leader who has not started")
	}
	m := &meter{}
	c := newClient(newTransport(1, m))
	rec := newRecorder()
	if err := leaderJourney(ctx, c, base, rec, nil, token, rand.New(rand.NewPCG(1, 1))); err != nil { // #nosec G404 -- made-up answers, the same every run
		return err
	}

	// measure fetches paths as one view and returns the bytes that came
	// in for them: status lines, headers and bodies.
	measure := func(paths ...string) (int64, error) {
		before := m.in.Load()
		for _, p := range paths {
			if _, _, err := call(ctx, c, rec, nil, "wire", get(base, p), http.StatusOK); err != nil {
				return 0, err
			}
		}
		return m.in.Load() - before, nil
	}
	// The page first, to learn its assets.
	_, page, err := call(ctx, c, rec, nil, "wire", get(base, "/result"), http.StatusOK)
	if err != nil {
		return err
	}
	var assets []string
	for _, a := range assetRE.FindAllSubmatch(page, -1) {
		assets = append(assets, string(a[1]))
	}
	first, err := measure(append([]string{"/result"}, assets...)...)
	if err != nil {
		return err
	}
	repeat, err := measure("/result")
	if err != nil {
		return err
	}
	q, err := measure("/survey/1")
	if err != nil {
		return err
	}
	_, qpage, err := call(ctx, c, rec, nil, "wire", get(base, "/survey/1"), http.StatusOK)
	if err != nil {
		return err
	}
	var qAssets []string
	for _, a := range assetRE.FindAllSubmatch(qpage, -1) {
		qAssets = append(qAssets, string(a[1]))
	}
	qFirst, err := measure(append([]string{"/survey/1"}, qAssets...)...)
	if err != nil {
		return err
	}

	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "view\tbytes\tbudget\tof budget\t\n")
	row := func(name string, n, budget int64) {
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
	row(fmt.Sprintf("result, first view (page + %d assets)", len(assets)), first, firstViewBudget)
	row("result, repeat view", repeat, repeatViewBudget)
	row("questionnaire page", q, pageBudget)
	row(fmt.Sprintf("questionnaire, first view (page + %d assets)", len(qAssets)), qFirst, 0)
	_ = tw.Flush() // a report on the terminal
	fmt.Fprintf(stdout, "\nBenchmarkWire/view=result-first\t1\t%d B\nBenchmarkWire/view=result-repeat\t1\t%d B\nBenchmarkWire/view=questionnaire\t1\t%d B\n", first, repeat, q)
	if first > firstViewBudget || repeat > repeatViewBudget || q > pageBudget {
		return errors.New("over budget")
	}
	return nil
}
