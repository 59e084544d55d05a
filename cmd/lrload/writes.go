package main

import (
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"lederradar/internal/orggen"
)

// runWrites is `lrload writes`: figure 1 against the real server. At each
// level of concurrency, clients post the eleven pages of a leader's
// questionnaire and the submit, leader after leader, as fast as the
// server answers; every post is one durable write. Sessions are opened
// before the clock starts.
func runWrites(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("writes", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tf := addTargetFlags(fs)
	levels := fs.String("clients", "1,8,64", "concurrent clients, one level after the other")
	writes := fs.Int("writes", 2400, "writes per level (a leader is 12)")
	duration := fs.Duration("duration", 60*time.Second, "longest a level may take")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	clients, err := splitInts(*levels)
	if err != nil || *tf.links == "" || *writes < 12 || *duration <= 0 || *duration > time.Hour {
		fmt.Fprintln(stderr, "writes: --links, --clients like 1,8,64, --writes ≥ 12 and a --duration within an hour are required")
		return errUsage
	}
	base, links, err := tf.open(ctx)
	if err != nil {
		return err
	}
	var fresh []string
	for _, l := range links {
		if l.State == orggen.NotStarted {
			fresh = append(fresh, l.Token)
		}
	}
	pages, err := countPages(ctx, base, fresh)
	if err != nil {
		return err
	}
	perLeader := pages + 1
	need := 0
	for range clients {
		need += (*writes + perLeader - 1) / perLeader
	}
	// The first leader was used to count the pages.
	fresh = fresh[1:]
	if need > len(fresh) {
		return fmt.Errorf("writes: %d levels of %d writes need %d leaders who have not started; the links have %d", len(clients), *writes, need, len(fresh))
	}

	var all []string
	failed := false
	for _, n := range clients {
		leaders := (*writes + perLeader - 1) / perLeader
		tokens := fresh[:leaders]
		fresh = fresh[leaders:]
		line, ok, err := writeLevel(ctx, base, tokens, n, pages, *writes, *duration, stdout)
		if err != nil {
			return err
		}
		failed = failed || !ok
		all = append(all, line)
	}
	fmt.Fprintln(stdout)
	for _, l := range all {
		fmt.Fprintln(stdout, l)
	}
	if failed {
		return errors.New("some writes failed")
	}
	return nil
}

// countPages opens one leader's link and follows the questionnaire's
// "next" links to count its pages.
func countPages(ctx context.Context, base *url.URL, tokens []string) (int, error) {
	if len(tokens) == 0 {
		return 0, errors.New("writes: the links have no leader who has not started")
	}
	c := newClient(newTransport(1, nil))
	rec := newRecorder()
	if _, _, err := call(ctx, c, rec, nil, "open-link", get(base, "/i/"+tokens[0]), http.StatusSeeOther); err != nil {
		return 0, err
	}
	_, body, err := call(ctx, c, rec, nil, "page-view", get(base, "/survey/1"), http.StatusOK)
	if err != nil {
		return 0, err
	}
	m := regexp.MustCompile(`max="(\d+)"`).FindSubmatch(body)
	if m == nil {
		return 0, errors.New("writes: no progress bar on the first page to count the pages by")
	}
	return strconv.Atoi(string(m[1]))
}

// writeLevel runs one level of concurrency and returns its benchmark line.
func writeLevel(ctx context.Context, base *url.URL, tokens []string, clients, pages, writes int, limit time.Duration, stdout io.Writer) (string, bool, error) {
	tr := newTransport(clients, nil)
	defer tr.CloseIdleConnections()
	rec := newRecorder()
	// Sessions first, outside the measurement.
	sessions := make([]*http.Client, len(tokens))
	items, err := itemNames(ctx, base, tr, tokens[0], pages)
	if err != nil {
		return "", false, err
	}
	for i, t := range tokens {
		sessions[i] = newClient(tr)
		if _, _, err := call(ctx, sessions[i], rec, nil, "open-link", get(base, "/i/"+t), http.StatusSeeOther); err != nil {
			return "", false, err
		}
	}

	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	b := newBudget(writes)
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for w := range clients {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 7)) // #nosec G115 G404 -- reproducible made-up answers; w is a worker number
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if i >= int64(len(sessions)) {
					return
				}
				c := sessions[i]
				for p := 1; p <= pages+1; p++ {
					var req *http.Request
					name := "page-save"
					if p <= pages {
						form := url.Values{"formkey": {formKey()}, "nav": {"next"}}
						for _, it := range items[p-1] {
							form.Set(it, strconv.Itoa(answer(rng)))
						}
						req = post(base, "/survey/"+strconv.Itoa(p), form)
					} else {
						name = "submit"
						req = post(base, "/review", url.Values{"formkey": {formKey()}})
					}
					if _, _, err := call(ctx, c, rec, b, name, req, http.StatusSeeOther); err != nil {
						return
					}
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	var lat []time.Duration
	for _, name := range []string{"page-save", "submit"} {
		s := rec.step(name)
		lat = append(lat, s.lat...)
	}
	slices.Sort(lat)
	n := len(lat)
	fmt.Fprintf(stdout, "clients=%d: %d writes in %s: %.0f writes/s, p50 %s ms, p95 %s ms, p99 %s ms, %d errors\n",
		clients, n, elapsed.Round(time.Millisecond), float64(n)/elapsed.Seconds(),
		ms(percentile(lat, 50)), ms(percentile(lat, 95)), ms(percentile(lat, 99)), rec.errors())
	for _, s := range rec.steps {
		for _, e := range s.first {
			fmt.Fprintf(stdout, "  error: %s: %s\n", s.name, e)
		}
	}
	if n == 0 {
		return "", false, errors.New("writes: nothing was written")
	}
	line := fmt.Sprintf("BenchmarkLoadWrites/clients=%d\t%d\t%.0f ns/op\t%.1f writes/s\t%s p50-ms\t%s p95-ms\t%s p99-ms",
		clients, n, float64(elapsed)/float64(n), float64(n)/elapsed.Seconds(),
		ms(percentile(lat, 50)), ms(percentile(lat, 95)), ms(percentile(lat, 99)))
	return line, rec.errors() == 0 && n >= writes, nil
}

// itemNames reads the item names of every page from the questionnaire,
// with a leader's session.
func itemNames(ctx context.Context, base *url.URL, tr http.RoundTripper, token string, pages int) ([][]string, error) {
	c := newClient(tr)
	rec := newRecorder()
	if _, _, err := call(ctx, c, rec, nil, "open-link", get(base, "/i/"+token), http.StatusSeeOther); err != nil {
		return nil, err
	}
	out := make([][]string, pages)
	for p := 1; p <= pages; p++ {
		_, body, err := call(ctx, c, rec, nil, "page-view", get(base, "/survey/"+strconv.Itoa(p)), http.StatusOK)
		if err != nil {
			return nil, err
		}
		for _, m := range radioRE.FindAllSubmatch(body, -1) {
			if !slices.Contains(out[p-1], string(m[1])) {
				out[p-1] = append(out[p-1], string(m[1]))
			}
		}
	}
	return out, nil
}

// formKey makes a fresh form key, as each page a browser loads has one.
func formKey() string {
	b := make([]byte, 16)
	_, _ = crand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}
