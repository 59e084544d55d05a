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
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"lederradar/internal/orggen"
)

// runLoad is `lrload run`: simulated leaders open their links, answer
// every page and submit, while simulated HR users sign in and read group
// profiles and the heatmap of a closed round.
func runLoad(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	l, tf, err := parseLoadFlags(args, stderr)
	if err != nil {
		return err
	}
	base, links, err := tf.open(ctx)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, l.duration)
	defer cancel()
	rec := newRecorder()
	b := newBudget(l.requests)
	tr := newTransport(l.leaders+l.hr, nil)
	defer tr.CloseIdleConnections()

	start := time.Now()
	finished := l.drive(ctx, base, tr, rec, b, notSubmitted(links))
	elapsed := time.Since(start)

	fmt.Fprintf(stdout, "lrload run: %d leaders, %d HR users against %s for %s (%d leaders finished)\n\n",
		l.leaders, l.hr, base, elapsed.Round(time.Millisecond), finished)
	rec.print(stdout, elapsed, fmt.Sprintf("Load/leaders=%d/hr=%d", l.leaders, l.hr))
	if l.pid > 0 {
		cur, peak, err := rss(l.pid)
		if err != nil {
			return fmt.Errorf("memory of process %d: %w", l.pid, err)
		}
		fmt.Fprintf(stdout, "\nserver memory: RSS %.1f MB, peak RSS (VmHWM) %.1f MB\n", float64(cur)/1e6, float64(peak)/1e6)
	}
	if n := rec.errors(); n > 0 {
		return fmt.Errorf("%d requests failed", n)
	}
	return nil
}

// loadRun is what `lrload run` was asked to do: how many leaders and HR
// users to simulate, as whom, and for how long at most.
type loadRun struct {
	hrEmail, hrPassword string
	leaders, hr         int
	duration            time.Duration
	requests            int
	pid                 int // server process, to report its peak memory; 0 for none
	seed                uint64
}

// parseLoadFlags reads the flags of `lrload run`, refusing a run that
// has nobody to simulate or no bounds.
func parseLoadFlags(args []string, stderr io.Writer) (loadRun, targetFlags, error) {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tf := addTargetFlags(fs)
	var l loadRun
	fs.StringVar(&l.hrEmail, "hr-email", orggen.FixtureHR.Email, "HR account to sign in with")
	fs.StringVar(&l.hrPassword, "hr-password", "", "its password")
	fs.IntVar(&l.leaders, "leaders", 8, "concurrent simulated leaders")
	fs.IntVar(&l.hr, "hr", 2, "concurrent simulated HR users")
	fs.DurationVar(&l.duration, "duration", 60*time.Second, "longest the run may take")
	fs.IntVar(&l.requests, "requests", 50000, "most requests the run may send")
	fs.IntVar(&l.pid, "pid", 0, "server process id, to report its peak memory (VmHWM)")
	fs.Uint64Var(&l.seed, "seed", 1, "seed of the answers given")
	if err := fs.Parse(args); err != nil {
		return l, tf, errUsage
	}
	if *tf.links == "" || (l.hr > 0 && l.hrPassword == "") || l.leaders < 0 || l.hr < 0 || l.leaders+l.hr == 0 {
		fmt.Fprintln(stderr, "run: --links, and --hr-password when --hr > 0, are required")
		return l, tf, errUsage
	}
	if l.duration <= 0 || l.duration > time.Hour || l.requests <= 0 {
		fmt.Fprintln(stderr, "run: --duration must be within an hour and --requests positive")
		return l, tf, errUsage
	}
	return l, tf, nil
}

// notSubmitted returns the links of leaders who have not submitted: they
// go first, as in a round under way.
func notSubmitted(links []orggen.Link) []orggen.Link {
	var queue []orggen.Link
	for _, l := range links {
		if l.State != orggen.Submitted {
			queue = append(queue, l)
		}
	}
	return queue
}

// drive runs the simulated leaders through queue and the HR users beside
// them until the queue, the request budget b or ctx runs out, and returns
// how many leaders finished their journey.
func (l loadRun) drive(ctx context.Context, base *url.URL, tr *http.Transport, rec *recorder, b *budget, queue []orggen.Link) int64 {
	var next, finished atomic.Int64
	var wg sync.WaitGroup
	for w := range l.leaders {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(l.seed, uint64(w))) // #nosec G115 G404 -- reproducible made-up answers; w is a worker number
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if i >= int64(len(queue)) {
					return
				}
				err := leaderJourney(ctx, newClient(tr), base, rec, b, queue[i].Token, rng)
				if errors.Is(err, errSpent) || ctx.Err() != nil {
					return
				}
				if err == nil {
					finished.Add(1)
				}
			}
		})
	}
	for w := range l.hr {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(l.seed, 1<<20+uint64(w))) // #nosec G115 G404 -- reproducible made-up choices; w is a worker number
			hrSession(ctx, newClient(tr), base, rec, b, l.hrEmail, l.hrPassword, rng)
		})
	}
	wg.Wait()
	return finished.Load()
}

var (
	formKeyRE  = regexp.MustCompile(`name="formkey" value="([^"]+)"`)
	radioRE    = regexp.MustCompile(`type="radio" id="[^"]*" name="([^"]+)"`)
	roundRE    = regexp.MustCompile(`href="/hr/rounds/(\d+)"`)
	groupRE    = regexp.MustCompile(`href="(/hr/rounds/\d+/groups/[a-z]+(?:-\d+)?)"`)
	othersRE   = regexp.MustCompile(`href="(/hr/rounds/\d+/groups/[a-z]+(?:-\d+)?/others)"`)
	heatmapRE  = regexp.MustCompile(`href="(/hr/rounds/\d+/heatmap)"`)
	nextRE     = regexp.MustCompile(`href="(/hr/rounds/\d+/heatmap\?page=\d+)" rel="next"`)
	pageLinkRE = regexp.MustCompile(`^/survey/(\d+)$`)
)

// hrPages are the pages HR reads: the newest closed round's shown groups,
// its groups' others' views (a 360 round's) and the first page of its
// heatmap, and the newest open round's response rates ("" when no round
// is open).
type hrPages struct {
	groups, others []string
	heatmap, rates string
}

// hrSignIn signs HR in on c and finds the pages HR reads.
func hrSignIn(ctx context.Context, c *http.Client, base *url.URL, rec *recorder, b *budget, email, password string) (hrPages, error) {
	var p hrPages
	form := url.Values{"email": {email}, "password": {password}, "next": {"/hr"}}
	if _, _, err := call(ctx, c, rec, b, "hr-login", post(base, "/login", form), http.StatusSeeOther); err != nil {
		return p, err
	}
	_, body, err := call(ctx, c, rec, b, "hr-rounds", get(base, "/hr"), http.StatusOK)
	if err != nil {
		return p, err
	}
	for _, m := range roundRE.FindAllSubmatch(body, -1) {
		path := "/hr/rounds/" + string(m[1])
		_, page, err := call(ctx, c, rec, b, "hr-round", get(base, path), http.StatusOK)
		if err != nil {
			return p, err
		}
		h := heatmapRE.FindSubmatch(page)
		if h == nil && p.rates == "" {
			p.rates = path // the newest open round: its response rates
		}
		if h != nil {
			p.heatmap = string(h[1])
			for _, g := range groupRE.FindAllSubmatch(page, -1) {
				p.groups = append(p.groups, string(g[1]))
			}
			for _, g := range othersRE.FindAllSubmatch(page, -1) {
				p.others = append(p.others, string(g[1]))
			}
			break // the newest closed round
		}
	}
	if p.heatmap == "" || len(p.groups) == 0 {
		err := errors.New("no closed round with shown groups")
		rec.step("hr-round").fail(err)
		return p, err
	}
	return p, nil
}

// leaderJourney is one leader answering the whole questionnaire from the
// personal link, as a browser would: open the link, resume, view and save
// every page, view the review, submit, view the result.
func leaderJourney(ctx context.Context, c *http.Client, base *url.URL, rec *recorder, b *budget, token string, rng *rand.Rand) error {
	if _, _, err := call(ctx, c, rec, b, "open-link", get(base, "/i/"+token), http.StatusSeeOther); err != nil {
		return err
	}
	resp, _, err := call(ctx, c, rec, b, "resume", get(base, "/survey"), http.StatusSeeOther)
	if err != nil {
		return err
	}
	first := 1
	if m := pageLinkRE.FindStringSubmatch(resp.Header.Get("Location")); m != nil {
		first, _ = strconv.Atoi(m[1])
	}
	// From where the leader left off to the last page: the review page
	// comes after the last.
	for page := first; ; page++ {
		path := "/survey/" + strconv.Itoa(page)
		_, body, err := call(ctx, c, rec, b, "page-view", get(base, path), http.StatusOK)
		if err != nil {
			return err
		}
		form, err := pageForm(path, body, rng)
		if err != nil {
			rec.step("page-view").fail(err)
			return err
		}
		resp, _, err := call(ctx, c, rec, b, "page-save", post(base, path, form), http.StatusSeeOther)
		if err != nil {
			return err
		}
		if loc := resp.Header.Get("Location"); len(loc) >= 7 && loc[:7] == "/review" {
			break
		}
	}
	_, body, err := call(ctx, c, rec, b, "review-view", get(base, "/review"), http.StatusOK)
	if err != nil {
		return err
	}
	form, err := reviewForm(body)
	if err != nil {
		rec.step("review-view").fail(err)
		return err
	}
	if _, _, err := call(ctx, c, rec, b, "submit", post(base, "/review", form), http.StatusSeeOther); err != nil {
		return err
	}
	_, _, err = call(ctx, c, rec, b, "result-view", get(base, "/result?submitted=1"), http.StatusOK)
	return err
}

// pageForm is what a leader posts from the questionnaire page at path
// whose HTML is body: its form key, "next", and an answer to every item.
func pageForm(path string, body []byte, rng *rand.Rand) (url.Values, error) {
	key := formKeyRE.FindSubmatch(body)
	if key == nil {
		return nil, fmt.Errorf("%s: no form key", path)
	}
	form := url.Values{"formkey": {string(key[1])}, "nav": {"next"}}
	for _, m := range radioRE.FindAllSubmatch(body, -1) {
		if item := string(m[1]); !form.Has(item) {
			form.Set(item, strconv.Itoa(answer(rng)))
		}
	}
	return form, nil
}

// reviewForm is the submit a leader posts from the review page body.
func reviewForm(body []byte) (url.Values, error) {
	key := formKeyRE.FindSubmatch(body)
	if key == nil {
		return nil, errors.New("/review: no form key")
	}
	return url.Values{"formkey": {string(key[1])}}, nil
}

// answer draws an answer: mostly the upper half of the scale, sometimes
// "ved ikke".
func answer(rng *rand.Rand) int {
	if rng.IntN(20) == 0 {
		return 0
	}
	return 2 + rng.IntN(4)
}

// hrSession signs in as HR, finds a closed round and its shown groups, and
// then reads group profiles and, now and then, the heatmap and the open
// round's response rates until the run ends.
func hrSession(ctx context.Context, c *http.Client, base *url.URL, rec *recorder, b *budget, email, password string, rng *rand.Rand) {
	p, err := hrSignIn(ctx, c, base, rec, b, email, password)
	if err != nil {
		return
	}
	groups, heatmap, rates := p.groups, p.heatmap, p.rates
	page := heatmap
	for i := 0; ctx.Err() == nil; i++ {
		var err error
		if i%5 == 2 && rates != "" {
			_, _, err = call(ctx, c, rec, b, "hr-rates", get(base, rates), http.StatusOK)
		} else if i%5 == 4 {
			// The heatmap a page at a time, as HR reads through it.
			var body []byte
			_, body, err = call(ctx, c, rec, b, "hr-heatmap", get(base, page), http.StatusOK)
			page = heatmap
			if m := nextRE.FindSubmatch(body); m != nil {
				page = string(m[1])
			}
		} else {
			_, _, err = call(ctx, c, rec, b, "hr-profile", get(base, groups[rng.IntN(len(groups))]), http.StatusOK)
		}
		if err != nil && (errors.Is(err, errSpent) || ctx.Err() != nil) {
			return
		}
	}
}
