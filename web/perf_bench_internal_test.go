package web

// Benchmarks behind docs/performance.md. They run only with -bench; the
// organisations they need are generated once into a cache directory
// (LEDERRADAR_BENCH_DIR, default $TMPDIR/lederradar-bench) and reused.
// The sizes are LEDERRADAR_BENCH_PEOPLE (default "1000,10000"); add 100000
// for the 100k figures, whose organisation takes a few minutes to make the
// first time.

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/internal/gcsettings"
	"lederradar/internal/orggen"
	"lederradar/survey"
)

// benchSizes are the organisation sizes the HR benchmarks run at.
func benchSizes(tb testing.TB) []int {
	spec := os.Getenv("LEDERRADAR_BENCH_PEOPLE")
	if spec == "" {
		spec = "1000,10000"
	}
	var out []int
	for _, f := range strings.Split(spec, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 100 {
			tb.Fatalf("LEDERRADAR_BENCH_PEOPLE: %q is not a size", f)
		}
		out = append(out, n)
	}
	return out
}

// benchEnv is a server on a generated organisation, serving on loopback.
type benchEnv struct {
	s     *Server
	db    *data.DB
	in    *survey.Instrument
	http  *httptest.Server
	links []orggen.Link
	hr    *http.Cookie
}

// newest returns the newest round with the status.
func (e *benchEnv) newest(tb testing.TB, status survey.RoundStatus) *survey.Round {
	tb.Helper()
	rounds, err := e.db.FindRounds(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	for i := range rounds { // newest first
		if rounds[i].Status == status {
			return &rounds[i]
		}
	}
	tb.Fatalf("no %s round", status)
	return nil
}

// newBenchEnv serves a copy of the generated organisation of n people
// (even reading writes: sessions, the audit log). extra adds routes before
// the server starts.
func newBenchEnv(tb testing.TB, n int, opt data.Options, extra func(*Server)) *benchEnv {
	tb.Helper()
	gcsettings.Apply(os.LookupEnv) // the collector as the server runs it
	ctx := context.Background()
	path := filepath.Join(tb.TempDir(), "bench.db")
	links, err := orggen.CopyFixture(ctx, orggen.FixtureDir(), n, path)
	if err != nil {
		tb.Fatal(err)
	}
	db, err := data.OpenWithOptions(path, opt)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	in, err := survey.DefaultInstrument()
	if err != nil {
		tb.Fatal(err)
	}
	s := quietServer(tb, db, in)
	if extra != nil {
		extra(s)
	}
	e := &benchEnv{s: s, db: db, in: in, links: links}
	e.http = httptest.NewServer(s.Handler())
	tb.Cleanup(e.http.Close)

	// An HR session, made directly: the log-in form is not what is measured.
	u, _, err := db.FindUserByEmail(ctx, orggen.FixtureHR.Email)
	if err != nil {
		tb.Fatal(err)
	}
	token, hash := auth.NewToken()
	if err := db.CreateUserSession(ctx, hash, u.ID, time.Hour, 12*time.Hour); err != nil {
		tb.Fatal(err)
	}
	e.hr = &http.Cookie{Name: s.cookieName(userCookie), Value: token}
	return e
}

// client is an HTTP client that keeps its connections and follows no
// redirects, as the benchmarks check every status themselves.
func benchClient(conns int) *http.Client {
	return &http.Client{
		Transport: &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// openLink exchanges a link token for the leader's session cookie.
func (e *benchEnv) openLink(tb testing.TB, c *http.Client, token string) *http.Cookie {
	tb.Helper()
	resp, err := c.Get(e.http.URL + "/i/" + token)
	if err != nil {
		tb.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		tb.Fatalf("GET /i/…: %d", resp.StatusCode)
	}
	for _, ck := range resp.Cookies() {
		if ck.Name == e.s.cookieName(sessionCookie) {
			return ck
		}
	}
	tb.Fatal("no session cookie")
	return nil
}

// do sends a request and checks its status, draining the body; it
// returns the body's length.
func do(c *http.Client, req *http.Request, want int) (int64, error) {
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if err != nil {
		return n, err
	}
	if resp.StatusCode != want {
		return n, fmt.Errorf("%s %s: %d, want %d", req.Method, req.URL.Path, resp.StatusCode, want)
	}
	return n, nil
}

// pageForm is the form of one questionnaire page, answered.
func pageForm(in *survey.Instrument, page int, rng *rand.Rand) url.Values {
	f := url.Values{}
	for _, it := range in.Competences[page-1].Items {
		f.Set(it.ID, strconv.Itoa(rng.IntN(6)))
	}
	tok, _ := auth.NewToken()
	f.Set("formkey", tok[:32])
	f.Set("nav", "next")
	return f
}

func postForm(base string, cookie *http.Cookie, path string, f url.Values) *http.Request {
	req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(f.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(cookie)
	return req
}

// freshLeaders opens a new round with everyone invited and returns their
// tokens: leaders who have not answered yet, for the write benchmarks.
func (e *benchEnv) freshLeaders(tb testing.TB) []string {
	tb.Helper()
	ctx := context.Background()
	r := survey.Round{Name: "Bench " + strconv.FormatInt(time.Now().UnixNano(), 36), Status: survey.RoundOpen, InstrumentVersion: e.in.Version}
	if err := e.db.CreateRound(ctx, &r); err != nil {
		tb.Fatal(err)
	}
	ids := make([]int64, 0, len(e.links))
	for _, l := range e.links {
		ids = append(ids, l.PersonID)
	}
	tokens, err := e.db.IssueInvitations(ctx, r.ID, ids, nil)
	if err != nil {
		tb.Fatal(err)
	}
	out := make([]string, 0, len(tokens))
	for _, t := range tokens {
		out = append(out, t)
	}
	return out
}

// BenchmarkWritesHTTP is figure 1 through HTTP: leaders save the eleven
// pages of the questionnaire and submit, at 1, 8 and 64 concurrent
// clients; an op is one durable write (a page saved or the submit), so
// ns/op compares with data's BenchmarkRawWrites.
func BenchmarkWritesHTTP(b *testing.B) {
	e := newBenchEnv(b, 10000, data.Options{}, nil)
	var pool []string
	for _, clients := range []int{1, 8, 64} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			pages := len(e.in.Competences)
			perLeader := pages + 1
			leaders := (b.N + perLeader - 1) / perLeader
			c := benchClient(clients)
			defer c.CloseIdleConnections()
			cookies := make([]*http.Cookie, leaders)
			for i := range cookies {
				if len(pool) == 0 {
					pool = e.freshLeaders(b)
				}
				cookies[i] = e.openLink(b, c, pool[0])
				pool = pool[1:]
			}
			var next, done atomic.Int64
			var wg sync.WaitGroup
			errs := make(chan error, clients)
			b.ResetTimer()
			cpu := processCPU()
			for w := range clients {
				wg.Go(func() {
					rng := rand.New(rand.NewPCG(uint64(w), 1))
					for {
						i := next.Add(1) - 1
						if i >= int64(leaders) {
							return
						}
						for step := range perLeader {
							if done.Add(1) > int64(b.N) {
								return
							}
							var req *http.Request
							if step < pages {
								req = postForm(e.http.URL, cookies[i], "/survey/"+strconv.Itoa(step+1), pageForm(e.in, step+1, rng))
							} else {
								tok, _ := auth.NewToken()
								req = postForm(e.http.URL, cookies[i], "/review", url.Values{"formkey": {tok[:32]}})
							}
							if _, err := do(c, req, http.StatusSeeOther); err != nil {
								errs <- err
								return
							}
						}
					}
				})
			}
			wg.Wait()
			b.StopTimer()
			close(errs)
			for err := range errs {
				b.Fatal(err)
			}
			b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "writes/s")
		})
	}
}

// BenchmarkBarePost is the floor under figure 1 at one client: a page's
// form posted, one at a time, to a Gin handler on the same server (same
// middleware and loopback socket, same client) that reads the form and
// redirects as a save does, with no session, no database and no write.
// An op is one round trip; at one client, a save through HTTP costs this
// plus the write and the save's own work.
func BenchmarkBarePost(b *testing.B) {
	e := newBenchEnv(b, 1000, data.Options{}, func(s *Server) {
		s.engine.POST("/bench/bare", func(c *gin.Context) {
			if err := c.Request.ParseForm(); err != nil {
				c.Status(http.StatusBadRequest)
				return
			}
			c.Redirect(http.StatusSeeOther, "/bench/bare")
		})
	})
	c := benchClient(1)
	defer c.CloseIdleConnections()
	rng := rand.New(rand.NewPCG(1, 1))
	cookie := &http.Cookie{Name: "none", Value: "x"}
	b.ResetTimer()
	cpu := processCPU()
	for i := range b.N {
		req := postForm(e.http.URL, cookie, "/bench/bare", pageForm(e.in, i%len(e.in.Competences)+1, rng))
		if _, err := do(c, req, http.StatusSeeOther); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
}

// benchPage is a page the rendering benchmarks open, and as whom.
type benchPage struct {
	name, path string
	cookie     *http.Cookie
}

// newPageBench serves the organisation of 1,000 people and returns a
// client of conns connections and the leader's pages: a half-way
// leader's questionnaire and review, and the result of a leader who has
// submitted (and answered the closed rounds).
func newPageBench(b *testing.B, conns int) (*benchEnv, *http.Client, []benchPage) {
	e := newBenchEnv(b, 1000, data.Options{}, nil)
	c := benchClient(conns)
	var started, submitted *http.Cookie
	for _, l := range e.links {
		if l.State == orggen.Started && started == nil {
			started = e.openLink(b, c, l.Token)
		}
		if l.State == orggen.Submitted && submitted == nil {
			submitted = e.openLink(b, c, l.Token)
		}
	}
	return e, c, []benchPage{
		{"questionnaire", "/survey/3", started},
		{"review", "/review", started},
		{"result", "/result", submitted},
	}
}

// TestGeneratedResultShowsOthers checks that the generated organisation
// the benchmarks and lrload measure has its leaders' results carry the
// 360 part: in the open round, whose raters still answer, a leader who
// answered the previous (360) round sees how others saw them then, and
// for some, others' chart and table.
func TestGeneratedResultShowsOthers(t *testing.T) {
	if testing.Short() {
		t.Skip("generates an organisation of 300 people the first time")
	}
	e := newBenchEnv(t, 300, data.Options{}, nil)
	c := benchClient(1)
	results, fromRound, table := 0, 0, 0
	for _, l := range e.links {
		if l.State != orggen.Submitted || results == 40 {
			continue
		}
		req, err := http.NewRequest(http.MethodGet, e.http.URL+"/result", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.AddCookie(e.openLink(t, c, l.Token))
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		page, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET /result: %d, %v", resp.StatusCode, err)
		}
		body := string(page)
		results++
		if strings.Contains(body, `<section class="others"`) && strings.Contains(body, `class="from-round"`) {
			fromRound++
		}
		if strings.Contains(body, `class="scores others-table"`) {
			table++
		}
	}
	t.Logf("of %d results, %d show the previous round's others' view, %d others' table", results, fromRound, table)
	// Four in five answered the previous round; a third of those had all
	// five raters answer, the threshold to show others pooled.
	if fromRound < results/2 || table == 0 {
		t.Errorf("of %d results, %d show the previous round's others' view and %d others' table; want most and some", results, fromRound, table)
	}
}

// BenchmarkHR is figure 3: an open 360 round's response rates with its
// raters' counts (first and last page), HR's round list, and of the
// newest closed round (a 360 round) its overview, a group's profile, the
// group's others' view and the heatmap, warm (the report in memory, as
// every view after the first), on organisations of the benchmark sizes. The first view after a
// start adds the kept report's read (data's BenchmarkRoundReport,
// cache=kept), and the first with none kept its build (cache=none).
// It calls the handler in-process: no network, only the server's work.
func BenchmarkHR(b *testing.B) {
	for _, n := range benchSizes(b) {
		b.Run(fmt.Sprintf("people=%d", n), func(b *testing.B) {
			e := newBenchEnv(b, n, data.Options{}, nil)
			ctx := context.Background()
			closed := e.newest(b, survey.RoundClosed)
			rep, err := e.db.RoundReport(ctx, closed, e.s.minGroup)
			if err != nil {
				b.Fatal(err)
			}
			// A department shown, as HR would open it from the list.
			group := ""
			for _, g := range rep.Groups[1:] {
				if !g.Profile.Suppressed {
					group = g.Spec.Key
					break
				}
			}
			shown := 0
			for _, g := range rep.Groups {
				if !g.Profile.Suppressed {
					shown++
				}
			}
			b.Logf("%d people: %d groups, %d shown", n, len(rep.Groups), shown)
			others := othersShownGroup(b, e, closed, rep)
			h := e.s.Handler()
			view := func(b *testing.B, path string) {
				var bytes int
				cpu := processCPU()
				for range b.N {
					req := httptest.NewRequest(http.MethodGet, path, nil)
					req.AddCookie(e.hr)
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, req)
					if rec.Code != http.StatusOK {
						b.Fatalf("%s: %d", path, rec.Code)
					}
					bytes = rec.Body.Len()
				}
				b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
				b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/view")
				b.ReportMetric(float64(bytes), "B/page")
			}
			// The open round's response rates, as HR follows them: the
			// first page and the last, read from the kept counts.
			open := e.newest(b, survey.RoundOpen)
			last := (len(rep.Groups) + roundPageSize - 1) / roundPageSize
			openBase := fmt.Sprintf("/hr/rounds/%d", open.ID)
			b.Run("page=open-overview/at=first", func(b *testing.B) { view(b, openBase) })
			b.Run("page=open-overview/at=last", func(b *testing.B) { view(b, fmt.Sprintf("%s?page=%d", openBase, last)) })
			b.Run("page=rounds", func(b *testing.B) { view(b, "/hr") })
			base := fmt.Sprintf("/hr/rounds/%d", closed.ID)
			for _, page := range []struct{ name, path string }{
				{"closed-overview", base},
				{"profile", base + "/groups/" + group},
				{"others", base + "/groups/" + others + "/others"},
				{"heatmap", base + "/heatmap"},
			} {
				b.Run("page="+page.name+"/cache=warm", func(b *testing.B) { view(b, page.path) })
			}
		})
	}
}

// othersShownGroup is a department of the closed 360 round whose raters'
// view is shown, as HR would open it from the round's overview.
func othersShownGroup(b *testing.B, e *benchEnv, closed *survey.Round, rep *data.RoundReport) string {
	b.Helper()
	if closed.Kind != survey.ThreeSixty {
		b.Fatalf("round %q is not a 360 round: the fixture is older than orggen.Version 2", closed.Name)
	}
	others, err := e.db.RoundOthersReport(context.Background(), closed, e.s.minGroup)
	if err != nil {
		b.Fatal(err)
	}
	for _, g := range rep.Groups[1:] {
		if op, err := others.Group(context.Background(), g.Spec.Key); err == nil && !op.Suppressed {
			return g.Spec.Key
		}
	}
	b.Fatal("no group's raters' view is shown")
	return ""
}

// BenchmarkHandlers calls the leader's pages in-process, one at a time:
// the server's own work per page, without the network, for profiling.
func BenchmarkHandlers(b *testing.B) {
	e, _, pages := newPageBench(b, 1)
	h := e.s.Handler()
	for _, page := range pages {
		b.Run("page="+page.name, func(b *testing.B) {
			cpu := processCPU()
			for range b.N {
				req := httptest.NewRequest(http.MethodGet, page.path, nil)
				if page.cookie != nil {
					req.AddCookie(page.cookie)
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: %d", page.path, rec.Code)
				}
			}
			b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
		})
	}
}
