package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"lederradar/internal/orggen"
	"lederradar/survey"
)

// fakeServer answers the requests of lrload open as Lederradar's pages
// would, in the same HTML, with a questionnaire of fakePages pages. It
// checks that each leader's requests come in the order of a journey, and
// can be told to be slow or to fail.
type fakeServer struct {
	mu         sync.Mutex
	last       map[string]int // per leader: the last step seen
	outOfOrder int
	views      map[int]int // page views per page
	submits    int
	results    int         // result pages viewed, by leaders
	thanks     int         // thank-you pages viewed, by raters
	others     int         // others' views of a group read by HR
	arrivals   []time.Time // of HR's group profiles and heatmap pages

	saveDelay  time.Duration // every save takes this long
	failPage   int           // saves of this page fail with 500
	stall      time.Duration // HR's requests wait until the first profile's arrival plus stall
	stallUntil time.Time
}

const fakePages = 3

func newFakeServer(t *testing.T, f *fakeServer) *url.URL {
	t.Helper()
	f.last, f.views = map[string]int{}, map[int]int{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /i/{token}", func(w http.ResponseWriter, r *http.Request) {
		token := r.PathValue("token")
		if !f.inOrder(token, 0) {
			http.Error(w, "out of order", http.StatusConflict)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "s", Value: token, Path: "/"})
		http.Redirect(w, r, "/survey", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /survey/{page}", f.leader(func(w http.ResponseWriter, r *http.Request, token string, page int) int {
		f.mu.Lock()
		f.views[page]++
		f.mu.Unlock()
		fmt.Fprintf(w, `<progress max="%d"></progress><input type="hidden" name="formkey" value="k%d">`, fakePages, page)
		for _, item := range []string{"a", "b"} {
			fmt.Fprintf(w, `<input type="radio" id="q%d%s-1" name="q%d%s" value="1">`, page, item, page, item)
		}
		return 2*page - 1
	}))
	mux.HandleFunc("POST /survey/{page}", f.leader(func(w http.ResponseWriter, r *http.Request, token string, page int) int {
		time.Sleep(f.saveDelay)
		if page == f.failPage {
			http.Error(w, "failed", http.StatusInternalServerError)
			return 2 * page
		}
		if r.PostFormValue("formkey") == "" || r.PostFormValue(fmt.Sprintf("q%da", page)) == "" || r.PostFormValue(fmt.Sprintf("q%db", page)) == "" {
			http.Error(w, "unanswered", http.StatusBadRequest)
			return 2 * page
		}
		next := "/survey/" + strconv.Itoa(page+1)
		if page == fakePages {
			next = "/review"
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
		return 2 * page
	}))
	mux.HandleFunc("GET /review", f.leader(func(w http.ResponseWriter, r *http.Request, token string, _ int) int {
		fmt.Fprint(w, `<input type="hidden" name="formkey" value="review">`)
		return 2*fakePages + 1
	}))
	mux.HandleFunc("POST /review", f.leader(func(w http.ResponseWriter, r *http.Request, token string, _ int) int {
		f.mu.Lock()
		f.submits++
		f.mu.Unlock()
		http.Redirect(w, r, "/result?submitted=1", http.StatusSeeOther)
		return 2*fakePages + 2
	}))
	// A rater has no result, and a leader no thank-you page.
	mux.HandleFunc("GET /result", f.leader(func(w http.ResponseWriter, r *http.Request, token string, _ int) int {
		f.count(w, strings.HasPrefix(token, "rater"), &f.results)
		fmt.Fprint(w, `<section class="others" aria-labelledby="others-title"><table class="scores others-table"></table></section>`)
		return 2*fakePages + 3
	}))
	mux.HandleFunc("GET /thanks", f.leader(func(w http.ResponseWriter, r *http.Request, token string, _ int) int {
		f.count(w, !strings.HasPrefix(token, "rater"), &f.thanks)
		return 2*fakePages + 3
	}))
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		if r.PostFormValue("password") != orggen.FixtureHR.Password {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "hr", Value: "1", Path: "/"})
		http.Redirect(w, r, "/hr", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /hr", f.hr(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<a href="/hr/rounds/3">open</a> <a href="/hr/rounds/2">closed</a>`)
	}))
	mux.HandleFunc("GET /hr/rounds/3", f.hr(func(w http.ResponseWriter, r *http.Request) {}))
	mux.HandleFunc("GET /hr/rounds/2", f.hr(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<a href="/hr/rounds/2/heatmap">heatmap</a>`)
		for i := range 4 {
			fmt.Fprintf(w, `<a href="/hr/rounds/2/groups/dept-%d">dept</a> <a href="/hr/rounds/2/groups/dept-%d/others">others</a>`, i+1, i+1)
		}
	}))
	mux.HandleFunc("GET /hr/rounds/2/heatmap", f.hr(func(w http.ResponseWriter, r *http.Request) {
		f.stalled(r)
		if r.URL.Query().Get("page") == "" {
			fmt.Fprint(w, `<a href="/hr/rounds/2/heatmap?page=2" rel="next">next</a>`)
		}
	}))
	mux.HandleFunc("GET /hr/rounds/2/groups/{group}", f.hr(func(w http.ResponseWriter, r *http.Request) {
		f.stalled(r)
	}))
	mux.HandleFunc("GET /hr/rounds/2/groups/{group}/others", f.hr(func(w http.ResponseWriter, r *http.Request) {
		f.count(w, false, &f.others)
	}))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	return u
}

// count counts a page in n, or refuses it with 403 when forbidden.
func (f *fakeServer) count(w http.ResponseWriter, forbidden bool, n *int) {
	if forbidden {
		w.WriteHeader(http.StatusForbidden)
		return
	}
	f.mu.Lock()
	*n++
	f.mu.Unlock()
}

// inOrder reports whether step is the one after the leader's last.
func (f *fakeServer) inOrder(token string, step int) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	last, seen := f.last[token]
	if (!seen && step != 0) || (seen && step != last+1) {
		f.outOfOrder++
		return false
	}
	f.last[token] = step
	return true
}

// leader wraps a leader's page: the session, the page number, the order.
func (f *fakeServer) leader(h func(http.ResponseWriter, *http.Request, string, int) int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie("s")
		if err != nil {
			http.Error(w, "no session", http.StatusUnauthorized)
			return
		}
		page, _ := strconv.Atoi(r.PathValue("page"))
		rw := httptest.NewRecorder()
		step := h(rw, r, c.Value, page)
		if !f.inOrder(c.Value, step) {
			http.Error(w, "out of order", http.StatusConflict)
			return
		}
		maps.Copy(w.Header(), rw.Header())
		w.WriteHeader(rw.Code)
		_, _ = w.Write(rw.Body.Bytes())
	}
}

func (f *fakeServer) hr(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, err := r.Cookie("hr"); err != nil {
			http.Error(w, "not signed in", http.StatusUnauthorized)
			return
		}
		h(w, r)
	}
}

// stalled records an HR read's arrival and, with a stall set, holds every
// read from the first profile's arrival until the stall is over.
func (f *fakeServer) stalled(r *http.Request) {
	f.mu.Lock()
	now := time.Now()
	f.arrivals = append(f.arrivals, now)
	if f.stall > 0 && f.stallUntil.IsZero() && strings.Contains(r.URL.Path, "/groups/") {
		f.stallUntil = now.Add(f.stall)
	}
	until := f.stallUntil
	f.mu.Unlock()
	time.Sleep(time.Until(until))
}

// fakeLinks writes n fresh leaders' links and returns the file, and
// beside it, as lrload gen does, n fresh raters' links.
func fakeLinks(t *testing.T, n int) string {
	t.Helper()
	var links []orggen.Link
	var raters []orggen.RaterLink
	for i := range n {
		links = append(links, orggen.Link{PersonID: int64(i + 1), Token: fmt.Sprintf("token%04d", i), State: orggen.NotStarted})
		raters = append(raters, orggen.RaterLink{SubjectID: int64(i + 1), Relation: survey.Peer, Token: fmt.Sprintf("rater%04d", i), State: orggen.NotStarted})
	}
	links = append(links, orggen.Link{PersonID: int64(n + 1), Token: "done", State: orggen.Submitted})
	raters = append(raters, orggen.RaterLink{SubjectID: 1, Relation: survey.Manager, Token: "rater-done", State: orggen.Submitted})
	dir := t.TempDir()
	if err := orggen.WriteRaterLinks(filepath.Join(dir, "org.rater-links"), raters); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "org.links")
	if err := orggen.WriteLinks(path, links); err != nil {
		t.Fatal(err)
	}
	return path
}

// newOpenLoop is an open loop against base with short, small defaults.
func newOpenLoop(t *testing.T, base *url.URL, links int) *openLoop {
	t.Helper()
	o := &openLoop{base: base, hrEmail: orggen.FixtureHR.Email, hrPass: orggen.FixtureHR.Password, timeout: 5 * time.Second,
		mix: mix{warmup: 100 * time.Millisecond, think: 50 * time.Millisecond, hrShare: 0.1, sessions: 2, seed: 1}, raterShare: 1.0 / 3}
	target, path := base.String(), fakeLinks(t, links)
	if err := o.setTarget(context.Background(), "", "", targetFlags{target: &target, links: &path}); err != nil {
		t.Fatal(err)
	}
	return o
}

func TestPlan(t *testing.T) {
	m := mix{rate: 100, duration: 2 * time.Second, hrShare: 0.1, think: 100 * time.Millisecond,
		steps: leaderSteps(3), sessions: 2, groups: 5, heatmapPages: 2, seed: 1}
	s, err := plan(m)
	if err != nil {
		t.Fatal(err)
	}
	// 90 leaders' requests a second, one each 100 ms: 9 at once; they
	// join over one journey of 10 requests, a second.
	if s.slots != 9 || s.measureFrom != time.Second {
		t.Errorf("slots %d, measured from %v; want 9, 1s", s.slots, s.measureFrom)
	}
	hr, perStep, lastAt := 0, map[int]int{}, time.Duration(-1)
	next := map[int]int{}             // per leader: the step that comes next
	prevAt := map[int]time.Duration{} // per leader: when its last request was due
	for _, tk := range s.ticks {
		if tk.at <= lastAt || tk.at%(10*time.Millisecond) != 0 {
			t.Fatalf("tick at %v after %v: want every 10 ms, in order", tk.at, lastAt)
		}
		lastAt = tk.at
		if tk.kind != leaderTick {
			hr++
			continue
		}
		if tk.step != next[tk.leader] {
			t.Fatalf("leader %d: step %d, want %d", tk.leader, tk.step, next[tk.leader])
		}
		if at, ok := prevAt[tk.leader]; ok && tk.at-at < m.think {
			t.Errorf("leader %d: two requests %v apart, want at least %v", tk.leader, tk.at-at, m.think)
		}
		next[tk.leader]++
		prevAt[tk.leader] = tk.at
		if tk.at >= s.measureFrom {
			perStep[tk.step]++
		}
	}
	if hr != 30 {
		t.Errorf("%d HR requests in 3 s, want 30", hr)
	}
	// Once everyone has joined, each step of the journey has its share.
	for step := range m.steps {
		if n := perStep[step]; n < 17 || n > 19 {
			t.Errorf("measured requests at step %d: %d, want 18 ± 1 (%v)", step, n, perStep)
		}
	}
	if s.leaders != len(next) {
		t.Errorf("leaders %d, but %d sent requests", s.leaders, len(next))
	}

	t.Run("HR only", func(t *testing.T) {
		m := m
		m.hrShare, m.warmup, m.others = 1, 500*time.Millisecond, 3
		s, err := plan(m)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.ticks) != 250 || s.leaders != 0 || s.measureFrom != m.warmup {
			t.Errorf("%d ticks, %d leaders, measured from %v; want 250, 0, %v", len(s.ticks), s.leaders, s.measureFrom, m.warmup)
		}
		heatmaps, others := 0, 0
		for i, tk := range s.ticks {
			if tk.kind == hrOthersTick {
				others++
			}
			if tk.session != i%2 {
				t.Fatalf("tick %d from session %d, want them in turn", i, tk.session)
			}
			if tk.kind == hrHeatmapTick {
				if tk.page != heatmaps%2 {
					t.Fatalf("heatmap page %d, want %d: pages in order", tk.page, heatmaps%2)
				}
				heatmaps++
			}
		}
		if heatmaps != 62 || others != 63 {
			t.Errorf("%d heatmap pages and %d others' views of 250 reads, want one in four each", heatmaps, others)
		}
	})
	for name, m := range map[string]mix{
		"no rate":       {duration: time.Second, steps: 10, think: time.Second},
		"share over 1":  {rate: 10, duration: time.Second, hrShare: 2, sessions: 1, groups: 1, heatmapPages: 1},
		"HR, no groups": {rate: 10, duration: time.Second, hrShare: 0.5, sessions: 1, steps: 10, think: time.Second},
		"no journey":    {rate: 10, duration: time.Second, think: time.Second},
	} {
		if _, err := plan(m); err == nil {
			t.Errorf("%s: planned, want an error", name)
		}
	}
}

func TestSearchRate(t *testing.T) {
	for _, tc := range []struct {
		name       string
		tried      []trial
		capacity   float64
		pass, fail float64 // 0: either
	}{
		{"between the levels", []trial{{rate: 100, pass: true}, {rate: 300, pass: true}, {rate: 1000}}, 730, 0, 0},
		{"above every level", []trial{{rate: 100, pass: true}}, 1234, 0, 0},
		{"below every level", []trial{{rate: 100}, {rate: 300}}, 30, 0, 0},
		{"beyond the most", []trial{{rate: 100, pass: true}}, 1e9, 4000, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tries := 0
			pass, fail, err := searchRate(tc.tried, 4000, func(r float64) (trial, error) {
				tries++
				return trial{rate: r, pass: r <= tc.capacity}, nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if tries > 12 {
				t.Errorf("%d levels tried", tries)
			}
			if tc.fail == -1 {
				if pass.rate != tc.pass || fail.rate != 0 {
					t.Errorf("pass %v, fail %v; want %v and none", pass.rate, fail.rate, tc.pass)
				}
				return
			}
			if pass.rate > tc.capacity || fail.rate <= tc.capacity || fail.rate-pass.rate > max(10, pass.rate/20) {
				t.Errorf("pass %v, fail %v; want them within 5 %% (10 at least) around %v", pass.rate, fail.rate, tc.capacity)
			}
		})
	}
	t.Run("error", func(t *testing.T) {
		boom := errors.New("boom")
		if _, _, err := searchRate(nil, 4000, func(float64) (trial, error) { return trial{}, boom }); !errors.Is(err, boom) {
			t.Errorf("err %v, want %v", err, boom)
		}
	})
}

func TestOpenLoopLevel(t *testing.T) {
	f := &fakeServer{}
	o := newOpenLoop(t, newFakeServer(t, f), 300)
	var out bytes.Buffer
	res, err := o.level(context.Background(), 60, time.Second, &out)
	if err != nil {
		t.Fatal(err)
	}
	if res.due < 59 || res.due > 61 || res.ok != res.due || res.errors != 0 {
		t.Errorf("due %d, ok %d, errors %d; want 60 ± 1 due, all ok\n%s", res.due, res.ok, res.errors, out.String())
	}
	f.mu.Lock()
	if f.outOfOrder != 0 || f.submits == 0 || f.results == 0 || f.thanks == 0 || f.others == 0 {
		t.Errorf("%d requests out of a journey's order, %d submits, %d results, %d thank-you pages, %d others' views; want none, then some of each",
			f.outOfOrder, f.submits, f.results, f.thanks, f.others)
	}
	f.mu.Unlock()
	f.mu.Lock()
	n := f.results
	f.mu.Unlock()
	if n == 0 || !strings.Contains(out.String(), fmt.Sprintf("result pages: %d, of which %d show how others see the leader (%d with", n, n, n)) {
		t.Errorf("report does not count %d result pages with others' view:\n%s", n, out.String())
	}
	for _, want := range []string{"BenchmarkOpenLoop/rate=60/step=all\t", "page-save", "hr-profile", "hr-heatmap", "hr-others", "submit", "result-view",
		"rater-open-link", "rater-page-save", "rater-submit", "rater-thanks-view"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	// The next level takes leaders the first did not use.
	used := o.used
	if _, err := o.level(context.Background(), 30, 500*time.Millisecond, io.Discard); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	if o.used <= used || f.outOfOrder != 0 {
		t.Errorf("used %d then %d leaders, %d out of order", used, o.used, f.outOfOrder)
	}
	f.mu.Unlock()
	if _, err := o.level(context.Background(), 1000, 10*time.Second, io.Discard); err == nil || !strings.Contains(err.Error(), "leaders who have not started") {
		t.Errorf("a level needing more leaders than are left: %v", err)
	}
}

// An open loop sends on schedule while the server does not answer, and
// counts each request's latency from when it was due.
func TestOpenLoopDoesNotWait(t *testing.T) {
	f := &fakeServer{stall: 500 * time.Millisecond}
	o := newOpenLoop(t, newFakeServer(t, f), 10)
	o.mix.hrShare, o.mix.warmup = 1, 0
	res, err := o.level(context.Background(), 100, time.Second, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	during := -2 // the set-up read the two heatmap pages before
	for _, a := range f.arrivals {
		if a.Before(f.stallUntil) {
			during++
		}
	}
	f.mu.Unlock()
	// 50 requests are due in the 500 ms no answer comes. A closed loop of
	// two HR users would have sent two; on a busy machine some come late.
	if during < 25 {
		t.Errorf("%d requests arrived while the server stalled, want about 50", during)
	}
	// The 50 answered at the stall's end waited 0–500 ms: the slowest 5 %
	// of 100 more than 300 ms.
	if res.errors != 0 || res.p95 < 300*time.Millisecond {
		t.Errorf("p95 %v, %d errors; want over 300 ms, none", res.p95, res.errors)
	}
}

// A leader's request waits for the leader's previous one, and the wait
// counts: a slow save makes the next page view late.
func TestOpenLoopCountsTheWait(t *testing.T) {
	f := &fakeServer{saveDelay: 150 * time.Millisecond}
	o := newOpenLoop(t, newFakeServer(t, f), 100)
	o.mix.hrShare = 0
	views := time.Duration(0)
	var out bytes.Buffer
	if _, err := o.level(context.Background(), 40, time.Second, &out); err != nil {
		t.Fatal(err)
	}
	// page-view's p50 from the report: the server answers views at once.
	for _, line := range strings.Split(out.String(), "\n") {
		if f := strings.Fields(line); len(f) > 5 && f[0] == "page-view" {
			p50, _ := strconv.ParseFloat(f[4], 64)
			views = time.Duration(p50 * float64(time.Millisecond))
		}
	}
	if views < 80*time.Millisecond {
		t.Errorf("page views' p50 %v, want over 80 ms: each waits for a save 100 ms longer than the think time\n%s", views, out.String())
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.outOfOrder != 0 {
		t.Errorf("%d requests out of order", f.outOfOrder)
	}
}

// A failed request ends the leader's journey: the rest is skipped, and
// counted.
func TestOpenLoopSkipsAfterAFailure(t *testing.T) {
	f := &fakeServer{failPage: 2}
	o := newOpenLoop(t, newFakeServer(t, f), 100)
	var out bytes.Buffer
	res, err := o.level(context.Background(), 60, time.Second, &out)
	if err != nil {
		t.Fatal(err)
	}
	if res.errors == 0 || res.verdict(time.Hour).pass {
		t.Errorf("%d errors, passed: want errors and no pass", res.errors)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.views[3] != 0 || f.submits != 0 {
		t.Errorf("%d views of page 3, %d submits after saves of page 2 failed; want none", f.views[3], f.submits)
	}
	if !strings.Contains(out.String(), "skipped") || !strings.Contains(out.String(), "status 500") {
		t.Errorf("report names neither the skipped requests nor the failure:\n%s", out.String())
	}
}

// TestOpenCommand runs the command end to end. Its p99 bound is an hour,
// so that a level fails only on errors: how fast the fake server answers
// depends on what else the machine runs, and the search's own logic is
// TestSearchRate's.
func TestOpenCommand(t *testing.T) {
	base := newFakeServer(t, &fakeServer{})
	links := fakeLinks(t, 500)
	var out, errs bytes.Buffer
	err := run(context.Background(), []string{"open", "--target", base.String(), "--links", links,
		"--rates", "20", "--duration", "300ms", "--warmup", "0s", "--think", "50ms",
		"--search", "--search-max", "80", "--search-duration", "300ms", "--p99", "1h"}, &out, &errs)
	if err != nil {
		t.Fatalf("%v\n%s%s", err, out.String(), errs.String())
	}
	for _, want := range []string{"BenchmarkOpenLoop/rate=20/step=all", "BenchmarkOpenLoop/rate=80/step=all",
		"at least 80 requests/s", "BenchmarkOpenLoopCapacity\t1\t80 req/s"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	for _, args := range [][]string{
		{"open"},
		{"open", "--target", "http://10.0.0.1:8080", "--links", links},
		{"open", "--target", base.String(), "--links", links, "--rates", "30000"},
		{"open", "--target", base.String(), "--links", links, "--hr-share", "1.5"},
		{"open", "--bin", "lederradar"},
	} {
		if err := run(context.Background(), args, io.Discard, io.Discard); !errors.Is(err, errUsage) {
			t.Errorf("%q: %v, want a usage error", args, err)
		}
	}
}

func TestCopyDB(t *testing.T) {
	dir := t.TempDir()
	from, to := filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db")
	for suffix, text := range map[string]string{"": "main", "-wal": "log"} {
		if err := os.WriteFile(from+suffix, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := copyDB(from, to); err != nil {
		t.Fatal(err)
	}
	for suffix, want := range map[string]string{"": "main", "-wal": "log"} {
		if got, err := os.ReadFile(to + suffix); err != nil || string(got) != want {
			t.Errorf("%s: %q, %v; want %q", to+suffix, got, err, want)
		}
	}
	if err := copyDB(from, to); err == nil {
		t.Error("copied over an existing file")
	}
	if err := copyDB(filepath.Join(dir, "none.db"), filepath.Join(dir, "c.db")); err == nil {
		t.Error("copied a database that is not there")
	}
}

func TestJourneyKinds(t *testing.T) {
	for _, tc := range []struct {
		share float64
		want  string
	}{{0, "LLLLLL"}, {1.0 / 3, "LLRLLR"}, {0.5, "LRLRLR"}, {1, "RRRRRR"}} {
		got := ""
		for _, r := range journeyKinds(6, tc.share) {
			got += map[bool]string{false: "L", true: "R"}[r]
		}
		if got != tc.want {
			t.Errorf("share %v: %s, want %s", tc.share, got, tc.want)
		}
	}
}
