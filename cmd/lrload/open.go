package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"lederradar/internal/orggen"
)

// openLoop is `lrload open`: what the levels of a run share.
type openLoop struct {
	// Either bin and db: each level starts bin on a fresh copy of db;
	// or base: every level loads that running server.
	bin, db string
	base    *url.URL
	fresh   []string // tokens of the leaders who have not started
	used    int      // of fresh, by earlier levels on base
	// raters are the tokens of the raters who have not started, used
	// those of them earlier levels on base took, and raterShare the
	// share of the journeys that are raters'.
	raters     []string
	usedRaters int
	raterShare float64
	raterLinks string
	mix        mix // rate, duration, steps and HR's pages filled in per level
	hrEmail    string
	hrPass     string
	timeout    time.Duration // of one request
}

// runOpen is `lrload open`: an open loop. At each rate the mix of a round
// under way (leaders answering, submitting and viewing their result;
// raters answering about a leader; HR reading group profiles, others'
// views and the heatmap) is sent on a fixed schedule,
// whether or not earlier requests have been answered, and each request's
// latency is counted from when it was due. With --search it then looks for
// the highest rate whose p99 stays within --p99 without errors.
func runOpen(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("open", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tf := addTargetFlags(fs)
	bin := fs.String("bin", "", "lederradar binary to start on a fresh copy of --db for each level (instead of --target)")
	dbPath := fs.String("db", "", "database to copy for each level, with --bin (links: DB.links unless --links)")
	rates := fs.String("rates", "100,300,1000", "requests a second, one level after the other")
	duration := fs.Duration("duration", 30*time.Second, "measured time of each level")
	o := &openLoop{}
	fs.DurationVar(&o.mix.warmup, "warmup", 3*time.Second, "time at the full rate before the measurement, after the ramp")
	fs.DurationVar(&o.mix.think, "think", 500*time.Millisecond, "time between two requests of one leader")
	fs.Float64Var(&o.mix.hrShare, "hr-share", 0.1, "HR's share of the requests (0–1)")
	fs.Float64Var(&o.raterShare, "rater-share", 1.0/3, "raters' share of the questionnaire journeys (0–1), the rest leaders'")
	fs.StringVar(&o.raterLinks, "rater-links", "", "raters' links file from lrload gen (default: the links file's, .links replaced by .rater-links)")
	fs.IntVar(&o.mix.sessions, "hr-sessions", 2, "HR users signed in")
	fs.Uint64Var(&o.mix.seed, "seed", 1, "seed of the answers and of the profiles HR reads")
	fs.StringVar(&o.hrEmail, "hr-email", orggen.FixtureHR.Email, "HR account to sign in with")
	fs.StringVar(&o.hrPass, "hr-password", orggen.FixtureHR.Password, "its password")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Second, "longest a request may take before it counts as an error")
	search := fs.Bool("search", false, "then search for the highest rate whose p99 is within --p99")
	limit := fs.Duration("p99", 50*time.Millisecond, "p99 a level must keep, without errors, to pass")
	most := fs.Float64("search-max", 4000, "highest rate the search tries")
	searchDuration := fs.Duration("search-duration", 20*time.Second, "measured time of each level of the search")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	levels, err := splitInts(*rates)
	if err != nil || !o.validFlags(*duration, *searchDuration, *limit, *most, levels) {
		fmt.Fprintln(stderr, "open: --rates like 100,300,1000 (each at most 20000), durations within 10 minutes, --hr-share and --rater-share within 0–1, --hr-sessions 1–16 are required")
		return errUsage
	}
	if err := o.setTarget(ctx, *bin, *dbPath, tf); err != nil {
		fmt.Fprintln(stderr, "open:", err)
		return errUsage
	}
	var tried []trial
	for _, r := range levels {
		res, err := o.level(ctx, float64(r), *duration, stdout)
		if err != nil {
			return err
		}
		tried = append(tried, res.verdict(*limit))
	}
	printVerdicts(stdout, tried, *limit)
	if !*search {
		return nil
	}
	var all []trial
	pass, fail, err := searchRate(tried, *most, func(r float64) (trial, error) {
		res, err := o.level(ctx, r, *searchDuration, stdout)
		if err != nil {
			return trial{}, err
		}
		all = append(all, res.verdict(*limit))
		return all[len(all)-1], nil
	})
	if err != nil {
		return err
	}
	printVerdicts(stdout, all, *limit)
	printCapacity(stdout, pass, fail, *limit, *most)
	return nil
}

// validFlags bounds every run: rates, durations and the mix in range.
func (o *openLoop) validFlags(duration, searchDuration, limit time.Duration, most float64, levels []int) bool {
	inRange := func(d time.Duration) bool { return d > 0 && d <= 10*time.Minute }
	return inRange(duration) && inRange(searchDuration) && inRange(o.timeout) && limit > 0 &&
		most >= 1 && most <= 20000 && !slices.ContainsFunc(levels, func(r int) bool { return r > 20000 }) &&
		o.mix.warmup >= 0 && o.mix.warmup <= 10*time.Minute && o.mix.think > 0 && o.mix.think <= time.Minute &&
		o.mix.hrShare >= 0 && o.mix.hrShare <= 1 && o.mix.sessions >= 1 && o.mix.sessions <= 16 &&
		o.raterShare >= 0 && o.raterShare <= 1
}

// setTarget takes either --bin and --db, or --target, and reads the links.
func (o *openLoop) setTarget(ctx context.Context, bin, db string, tf targetFlags) error {
	if bin != "" {
		if db == "" {
			return errors.New("--bin needs --db")
		}
		o.bin, o.db = bin, db
		if *tf.links == "" {
			*tf.links = db + ".links"
		}
	} else {
		base, err := loopbackURL(ctx, *tf.target)
		if err != nil {
			return err
		}
		o.base = base
	}
	if *tf.links == "" {
		return errors.New("--links (or --bin and --db) is required")
	}
	links, err := orggen.ReadLinks(*tf.links)
	if err != nil {
		return err
	}
	for _, l := range links {
		if l.State == orggen.NotStarted {
			o.fresh = append(o.fresh, l.Token)
		}
	}
	if o.raterShare == 0 {
		return nil
	}
	if o.raterLinks == "" {
		o.raterLinks = strings.TrimSuffix(*tf.links, ".links") + ".rater-links"
	}
	raters, err := orggen.ReadRaterLinks(o.raterLinks)
	if err != nil {
		return fmt.Errorf("raters' links (--rater-links, or --rater-share 0 for leaders only): %w", err)
	}
	for _, l := range raters {
		if l.State == orggen.NotStarted {
			o.raters = append(o.raters, l.Token)
		}
	}
	return nil
}

// level runs one level: on a server started for it from a copy of the
// database, or on the running one.
func (o *openLoop) level(ctx context.Context, rate float64, duration time.Duration, w io.Writer) (levelResult, error) {
	if o.bin == "" {
		return o.levelOn(ctx, o.base, 0, rate, duration, w)
	}
	dir, err := os.MkdirTemp("", "lrload-open-")
	if err != nil {
		return levelResult{}, err
	}
	defer os.RemoveAll(dir)
	db := filepath.Join(dir, "lederradar.db")
	if err := copyDB(o.db, db); err != nil {
		return levelResult{}, err
	}
	s, _, err := startServer(ctx, o.bin, db)
	if err != nil {
		return levelResult{}, err
	}
	defer s.stop()
	return o.levelOn(ctx, &url.URL{Scheme: "http", Host: s.addr}, s.pid(), rate, duration, w)
}

// copyDB copies a database that no server has open, with its write-ahead
// log if it has one.
func copyDB(from, to string) error {
	for _, suffix := range []string{"", "-wal"} {
		src, err := os.Open(from + suffix) // #nosec G304 -- the database named by whoever runs the tool
		if errors.Is(err, os.ErrNotExist) && suffix != "" {
			continue
		} else if err != nil {
			return err
		}
		dst, err := os.OpenFile(to+suffix, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600) // #nosec G304 -- in a directory of our own
		if err == nil {
			_, err = io.Copy(dst, src)
			if cerr := dst.Close(); err == nil {
				err = cerr
			}
		}
		_ = src.Close() // read only: the copy's error is the one that counts
		if err != nil {
			return err
		}
	}
	return nil
}

// levelOn sets a level up on the server at base (HR signed in, the pages
// counted; not measured), runs its schedule and reports it.
func (o *openLoop) levelOn(ctx context.Context, base *url.URL, pid int, rate float64, duration time.Duration, w io.Writer) (levelResult, error) {
	tr := newTransport(1024, nil)
	tr.MaxConnsPerHost = 1024 // a bound on the open sockets if the server stalls
	defer tr.CloseIdleConnections()
	fresh := o.fresh[min(o.used, len(o.fresh)):]
	pages, err := countPages(ctx, base, fresh)
	if err != nil {
		return levelResult{}, err
	}
	l := &levelRun{base: base, tr: tr, timeout: o.timeout, pages: pages,
		seed: o.mix.seed, rec: newRecorder(), warm: newRecorder()}
	m := o.mix
	m.rate, m.duration, m.steps = rate, duration, leaderSteps(pages)
	if m.hrShare > 0 {
		if err := l.signInHR(ctx, m.sessions, o.hrEmail, o.hrPass); err != nil {
			return levelResult{}, err
		}
		m.groups, m.heatmapPages, m.others = len(l.groups), len(l.heatmap), len(l.others)
	}
	s, err := plan(m)
	if err != nil {
		return levelResult{}, err
	}
	leaders, raters, err := o.journeys(l, s, fresh[1:])
	if err != nil {
		return levelResult{}, fmt.Errorf("open: %v requests a second for %s: %w", rate, duration, err)
	}
	if o.bin == "" {
		o.used += 1 + leaders
		o.usedRaters += raters
	}
	before := loadAverage()
	lag := l.run(ctx, s)
	if err := ctx.Err(); err != nil {
		return levelResult{}, err
	}
	res := l.result(rate, duration, lag)
	res.leaders, res.slots, res.load = s.leaders, s.slots, [2]string{before, loadAverage()}
	for _, t := range s.ticks {
		if t.at >= s.measureFrom {
			res.due++
		}
	}
	if pid > 0 {
		if _, peak, err := rss(pid); err == nil {
			res.peakRSS = peak
		}
	}
	res.print(w, base, s, l)
	return res, nil
}

// journeys gives each of the schedule's journeys its token: the share
// o.raterShare raters', the rest leaders' (from fresh), and returns how
// many of each it took.
func (o *openLoop) journeys(l *levelRun, s schedule, fresh []string) (leaders, raters int, err error) {
	l.rater = journeyKinds(s.leaders, o.raterShare)
	freshRaters := o.raters[min(o.usedRaters, len(o.raters)):]
	for _, r := range l.rater {
		if r {
			raters++
		} else {
			leaders++
		}
	}
	if leaders > len(fresh) || raters > len(freshRaters) {
		return 0, 0, fmt.Errorf("%d leaders who have not started and %d such raters are needed; %d and %d are left", leaders+1, raters, len(fresh)+1, len(freshRaters))
	}
	l.tokens = make([]string, 0, s.leaders)
	leaders, raters = 0, 0
	for _, r := range l.rater {
		if r {
			l.tokens, raters = append(l.tokens, freshRaters[raters]), raters+1
		} else {
			l.tokens, leaders = append(l.tokens, fresh[leaders]), leaders+1
		}
	}
	return leaders, raters, nil
}

// levelRun is one level under way.
type levelRun struct {
	base    *url.URL
	tr      http.RoundTripper
	timeout time.Duration
	pages   int      // of the questionnaire
	tokens  []string // the leaders and raters the schedule's indexes name
	rater   []bool   // which of tokens are raters'
	hr      []*http.Client
	groups  []string // group profiles HR reads
	others  []string // others' views of groups HR reads
	heatmap []string // heatmap pages, in order
	seed    uint64
	// rec measures the requests due after the ramp and warm-up, warm
	// the ones before.
	rec, warm *recorder
	// results counts the result pages viewed, and of them those that
	// show how others see the leader and those with others' table.
	results, withOthers, withTable atomic.Int64
}

// Marks of a result page's 360 part (web/templates/partials/
// result_feedback.html): the section, and others' table within it.
var (
	othersSectionMark = []byte(`<section class="others"`)
	othersTableMark   = []byte(`class="scores others-table"`)
)

// countResult counts a result page and its 360 part.
func (l *levelRun) countResult(body []byte) {
	l.results.Add(1)
	if bytes.Contains(body, othersSectionMark) {
		l.withOthers.Add(1)
	}
	if bytes.Contains(body, othersTableMark) {
		l.withTable.Add(1)
	}
}

func (l *levelRun) client() *http.Client {
	c := newClient(l.tr)
	c.Timeout = l.timeout
	return c
}

// signInHR signs HR in n times and lists every heatmap page.
func (l *levelRun) signInHR(ctx context.Context, n int, email, password string) error {
	setup := newRecorder()
	for range n {
		c := l.client()
		p, err := hrSignIn(ctx, c, l.base, setup, nil, email, password)
		if err != nil {
			return fmt.Errorf("open: HR could not sign in and find a closed round: %w", err)
		}
		l.hr, l.groups, l.others = append(l.hr, c), p.groups, p.others
		if len(l.heatmap) > 0 {
			continue
		}
		for page := p.heatmap; page != "" && len(l.heatmap) < 1000; {
			l.heatmap = append(l.heatmap, page)
			_, body, err := call(ctx, c, setup, nil, "hr-heatmap", get(l.base, page), http.StatusOK)
			if err != nil {
				return fmt.Errorf("open: %w", err)
			}
			page = ""
			if m := nextRE.FindSubmatch(body); m != nil {
				page = string(m[1])
			}
		}
	}
	return nil
}

// run sends the schedule's requests, each when it is due, and returns how
// late the measured ones were sent (the load generator's own lag).
func (l *levelRun) run(ctx context.Context, s schedule) []time.Duration {
	leaders := make([]*leaderRun, s.leaders)
	var lag []time.Duration
	var wg sync.WaitGroup
	timer := time.NewTimer(0)
	defer timer.Stop()
	start := time.Now()
	for _, t := range s.ticks {
		due := start.Add(t.at)
		if d := time.Until(due); d > 0 {
			timer.Reset(d)
			select {
			case <-timer.C:
			case <-ctx.Done():
			}
		}
		if ctx.Err() != nil {
			break
		}
		rec := l.warm
		if t.at >= s.measureFrom {
			rec = l.rec
			lag = append(lag, time.Since(due))
		}
		if t.kind != leaderTick {
			wg.Go(func() { l.hrRequest(ctx, rec, t, due) })
			continue
		}
		lr := leaders[t.leader]
		if lr == nil {
			rng := rand.New(rand.NewPCG(l.seed, uint64(t.leader))) // #nosec G115 G404 -- reproducible made-up answers; an index
			lr = &leaderRun{token: l.tokens[t.leader], rater: l.rater[t.leader], c: l.client(), rng: rng}
			leaders[t.leader] = lr
		}
		// A leader's requests go one after the other, as a browser's:
		// each waits for the one before, and the wait counts.
		prev, done := lr.done, make(chan struct{})
		lr.done = done
		wg.Go(func() {
			defer close(done)
			if prev != nil {
				<-prev
			}
			lr.do(ctx, l, rec, t.step, due)
		})
	}
	wg.Wait()
	return lag
}

func (l *levelRun) hrRequest(ctx context.Context, rec *recorder, t tick, due time.Time) {
	name, path := "hr-profile", l.groups[t.page]
	switch t.kind {
	case hrHeatmapTick:
		name, path = "hr-heatmap", l.heatmap[t.page]
	case hrOthersTick:
		name, path = "hr-others", l.others[t.page]
	}
	_, _, _ = callFrom(ctx, l.hr[t.session], rec, name, get(l.base, path), http.StatusOK, due) // recorded
}

// leaderRun is one leader's or rater's browser. Its requests run one at
// a time, in order (levelRun.run), so its fields need no lock.
type leaderRun struct {
	token  string
	rater  bool // a rater answers about a leader and ends on the thank-you page
	c      *http.Client
	rng    *rand.Rand
	body   []byte        // the page last viewed
	done   chan struct{} // closed when the latest request has finished
	failed bool          // a request failed: the rest of the journey is skipped
}

var errSkipped = errors.New("skipped: an earlier request of this leader failed")

// do sends step of the leader's journey (leaderSteps), due at due.
func (lr *leaderRun) do(ctx context.Context, l *levelRun, rec *recorder, step int, due time.Time) {
	if lr.failed {
		rec.step("skipped").fail(errSkipped)
		return
	}
	prefix := ""
	if lr.rater {
		prefix = "rater-" // the raters' steps apart from the leaders'
	}
	send := func(name string, req *http.Request, want int) error {
		_, body, err := callFrom(ctx, lr.c, rec, prefix+name, req, want, due)
		if req.Method == http.MethodGet {
			lr.body = body
		}
		return err
	}
	formFailed := func(name string, err error) error {
		rec.step(prefix + name).fail(err)
		return err
	}
	var err error
	switch n := l.pages; {
	case step == 0:
		err = send("open-link", get(l.base, "/i/"+lr.token), http.StatusSeeOther)
	case step <= 2*n && step%2 == 1:
		err = send("page-view", get(l.base, "/survey/"+strconv.Itoa((step+1)/2)), http.StatusOK)
	case step <= 2*n:
		path := "/survey/" + strconv.Itoa(step/2)
		form, ferr := pageForm(path, lr.body, lr.rng)
		if err = ferr; err != nil {
			err = formFailed("page-save", err)
		} else {
			err = send("page-save", post(l.base, path, form), http.StatusSeeOther)
		}
	case step == 2*n+1:
		err = send("review-view", get(l.base, "/review"), http.StatusOK)
	case step == 2*n+2:
		form, ferr := reviewForm(lr.body)
		if err = ferr; err != nil {
			err = formFailed("submit", err)
		} else {
			err = send("submit", post(l.base, "/review", form), http.StatusSeeOther)
		}
	case lr.rater:
		err = send("thanks-view", get(l.base, "/thanks?submitted=1"), http.StatusOK)
	default:
		if err = send("result-view", get(l.base, "/result?submitted=1"), http.StatusOK); err == nil {
			l.countResult(lr.body)
		}
	}
	lr.failed = err != nil
}

// loadAverage is the machine's load average over 1, 5 and 15 minutes, or
// "?" where /proc does not say.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "?"
}

// levelResult is what a level measured.
type levelResult struct {
	rate               float64
	duration           time.Duration
	due, ok, errors    int // requests measured: due, answered as wanted, failed or skipped
	p50, p95, p99, max time.Duration
	mean               time.Duration
	lagP99, lagMax     time.Duration // the load generator's, behind the schedule
	leaders, slots     int
	load               [2]string // before and after
	peakRSS            int64     // of the server, when lrload started it
}

// result gathers the measured requests of every kind.
func (l *levelRun) result(rate float64, duration time.Duration, lag []time.Duration) levelResult {
	res := levelResult{rate: rate, duration: duration, errors: l.rec.errors()}
	var lat []time.Duration
	for _, s := range l.rec.steps {
		lat = append(lat, s.lat...)
	}
	slices.Sort(lat)
	res.ok = len(lat)
	if res.ok > 0 {
		var sum time.Duration
		for _, d := range lat {
			sum += d
		}
		res.mean = sum / time.Duration(res.ok)
		res.p50, res.p95, res.p99, res.max = percentile(lat, 50), percentile(lat, 95), percentile(lat, 99), lat[res.ok-1]
	}
	slices.Sort(lag)
	if len(lag) > 0 {
		res.lagP99, res.lagMax = percentile(lag, 99), lag[len(lag)-1]
	}
	return res
}

// verdict is whether the level kept p99 within limit without errors.
func (r levelResult) verdict(limit time.Duration) trial {
	return trial{rate: r.rate, pass: r.errors == 0 && r.ok > 0 && r.p99 <= limit, p99: r.p99, errors: r.errors}
}

func (r levelResult) print(w io.Writer, base *url.URL, s schedule, l *levelRun) {
	fmt.Fprintf(w, "lrload open: %g requests/s against %s, measured for %s (%d requests due) after a ramp and warm-up of %s; %d leaders answering at once, %d started; load average %s before, %s after\n\n",
		r.rate, base, r.duration, r.due, s.measureFrom.Round(time.Millisecond), r.slots, r.leaders, r.load[0], r.load[1])
	prefix := fmt.Sprintf("OpenLoop/rate=%g", r.rate)
	l.rec.print(w, r.duration, prefix)
	fmt.Fprintf(w, "all: %d ok, %d errors; p50 %s ms, p95 %s ms, p99 %s ms, max %s ms (from when each was due); sent late by the load generator: p99 %s ms, max %s ms\n",
		r.ok, r.errors, ms(r.p50), ms(r.p95), ms(r.p99), ms(r.max), ms(r.lagP99), ms(r.lagMax))
	if n := l.results.Load(); n > 0 {
		fmt.Fprintf(w, "result pages: %d, of which %d show how others see the leader (%d with others' chart and table)\n", n, l.withOthers.Load(), l.withTable.Load())
	}
	if n := l.warm.errors(); n > 0 {
		fmt.Fprintf(w, "ramp and warm-up: %d errors (not counted)\n", n)
	}
	if r.peakRSS > 0 {
		fmt.Fprintf(w, "server peak RSS (VmHWM): %.1f MB\n", float64(r.peakRSS)/1e6)
	}
	fmt.Fprintf(w, "Benchmark%s/step=all\t%d\t%d ns/op\t%s p50-ms\t%s p95-ms\t%s p99-ms\t%d errors\n\n",
		prefix, r.ok, r.mean.Nanoseconds(), ms(r.p50), ms(r.p95), ms(r.p99), r.errors)
}

// printVerdicts writes one line per level: its rate, p99, errors and
// whether it passed.
func printVerdicts(w io.Writer, tried []trial, limit time.Duration) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "requests/s\tp99 ms\terrors\tp99 ≤ %s ms, no errors\t\n", ms(limit))
	for _, t := range tried {
		verdict := "no"
		if t.pass {
			verdict = "yes"
		}
		fmt.Fprintf(tw, "%g\t%s\t%d\t%s\t\n", t.rate, ms(t.p99), t.errors, verdict)
	}
	_ = tw.Flush() // a report on the terminal
	fmt.Fprintln(w)
}

// printCapacity writes the search's answer.
func printCapacity(w io.Writer, pass, fail trial, limit time.Duration, most float64) {
	switch {
	case pass.rate == 0:
		fmt.Fprintf(w, "no rate tried kept p99 within %s ms without errors (lowest tried: %g requests/s, p99 %s ms, %d errors)\n", ms(limit), fail.rate, ms(fail.p99), fail.errors)
	case fail.rate == 0:
		fmt.Fprintf(w, "highest rate with p99 ≤ %s ms and no errors: at least %g requests/s (p99 %s ms; the search stops at %g)\n", ms(limit), pass.rate, ms(pass.p99), most)
	default:
		fmt.Fprintf(w, "highest rate with p99 ≤ %s ms and no errors: %g requests/s (p99 %s ms); %g requests/s did not (p99 %s ms, %d errors)\n",
			ms(limit), pass.rate, ms(pass.p99), fail.rate, ms(fail.p99), fail.errors)
	}
	fmt.Fprintf(w, "BenchmarkOpenLoopCapacity\t1\t%g req/s\n", pass.rate)
}
