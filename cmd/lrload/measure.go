package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"lederradar/internal/orggen"
)

// targetFlags are --target and --links, which every command that loads a
// server takes.
type targetFlags struct{ target, links *string }

func addTargetFlags(fs *flag.FlagSet) targetFlags {
	return targetFlags{
		target: fs.String("target", "http://127.0.0.1:8080", "server to load (loopback only)"),
		links:  fs.String("links", "", "links file from lrload gen"),
	}
}

// open checks the target and reads the links.
func (t targetFlags) open(ctx context.Context) (*url.URL, []orggen.Link, error) {
	base, err := loopbackURL(ctx, *t.target)
	if err != nil {
		return nil, nil, err
	}
	links, err := orggen.ReadLinks(*t.links)
	if err != nil {
		return nil, nil, err
	}
	return base, links, nil
}

// loopbackURL parses target and refuses anything but http(s) to a
// loopback address: lrload puts load on a server, and that server must be
// this machine's.
func loopbackURL(ctx context.Context, target string) (*url.URL, error) {
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--target %q: want http://127.0.0.1:PORT", target)
	}
	host := u.Hostname()
	ips := []net.IP{net.ParseIP(host)}
	if ips[0] == nil {
		addrs, err := net.DefaultResolver.LookupIPAddr(ctx, host)
		if err != nil {
			return nil, fmt.Errorf("--target %q: %w", target, err)
		}
		ips = ips[:0]
		for _, a := range addrs {
			ips = append(ips, a.IP)
		}
	}
	if len(ips) == 0 {
		return nil, fmt.Errorf("--target %q: no address", target)
	}
	for _, ip := range ips {
		if !ip.IsLoopback() {
			return nil, fmt.Errorf("--target %q: %s is not a loopback address; lrload only loads this machine", target, ip)
		}
	}
	u.Path, u.RawQuery, u.Fragment = "", "", ""
	return u, nil
}

// meter counts the bytes that come in over the connections it dials.
type meter struct {
	in, out atomic.Int64
}

type meteredConn struct {
	net.Conn
	m *meter
}

func (c meteredConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.m.in.Add(int64(n))
	return n, err
}

func (c meteredConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.m.out.Add(int64(n))
	return n, err
}

// newTransport returns a transport for conns concurrent connections that
// meters its bytes when m is set, and leaves Accept-Encoding to the
// caller: lrload sends what a browser sends and reads what comes.
func newTransport(conns int, m *meter) *http.Transport {
	d := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := d.DialContext(ctx, network, addr)
			if err != nil || m == nil {
				return c, err
			}
			return meteredConn{c, m}, nil
		},
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
}

// newClient is one simulated browser: its own cookies, no redirects
// followed (each hop is a step of its own), sharing the transport.
func newClient(t http.RoundTripper) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{
		Transport: t,
		Jar:       jar,
		Timeout:   60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// browserAcceptEncoding is what a current browser sends.
const browserAcceptEncoding = "gzip, deflate, br, zstd"

// budget bounds a run: it ends at its deadline (the context) or when the
// requests are spent, whichever comes first.
type budget struct {
	left atomic.Int64
}

func newBudget(n int) *budget {
	b := &budget{}
	b.left.Store(int64(n))
	return b
}

// take spends one request, and reports false when none are left.
func (b *budget) take() bool { return b.left.Add(-1) >= 0 }

var errSpent = errors.New("request budget spent")

// step is one kind of request, measured.
type step struct {
	name  string
	mu    sync.Mutex
	lat   []time.Duration
	bytes int64
	errs  int
	first []string // the first few errors
}

// recorder holds the steps of a run, in the order first seen.
type recorder struct {
	mu    sync.Mutex
	steps []*step
	byKey map[string]*step
}

func newRecorder() *recorder { return &recorder{byKey: map[string]*step{}} }

func (r *recorder) step(name string) *step {
	r.mu.Lock()
	defer r.mu.Unlock()
	s, ok := r.byKey[name]
	if !ok {
		s = &step{name: name}
		r.byKey[name] = s
		r.steps = append(r.steps, s)
	}
	return s
}

func (s *step) ok(d time.Duration, n int64) {
	s.mu.Lock()
	s.lat = append(s.lat, d)
	s.bytes += n
	s.mu.Unlock()
}

func (s *step) fail(err error) {
	s.mu.Lock()
	s.errs++
	if len(s.first) < 3 {
		s.first = append(s.first, err.Error())
	}
	s.mu.Unlock()
}

// errors returns the run's errors, all steps together.
func (r *recorder) errors() int {
	n := 0
	for _, s := range r.steps {
		n += s.errs
	}
	return n
}

// call sends req as step name of r and checks the status; it returns the
// response with its body read into body.
func call(ctx context.Context, c *http.Client, r *recorder, b *budget, name string, req *http.Request, want int) (*http.Response, []byte, error) {
	if b != nil && !b.take() {
		return nil, nil, errSpent
	}
	return callFrom(ctx, c, r, name, req, want, time.Time{})
}

// callFrom is call without a budget, with the latency measured from start:
// in an open loop, the time the request was due, so that waiting for the
// load generator or for the leader's previous request counts. A zero start
// is the moment of sending.
func callFrom(ctx context.Context, c *http.Client, r *recorder, name string, req *http.Request, want int, start time.Time) (*http.Response, []byte, error) {
	if ctx.Err() != nil {
		return nil, nil, ctx.Err()
	}
	s := r.step(name)
	if start.IsZero() {
		start = time.Now()
	}
	resp, err := c.Do(req.WithContext(ctx))
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, ctx.Err() // the run ended under it: not the server's error
		}
		s.fail(err)
		return nil, nil, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close() // read to the end: the read's error is the one that counts
	d := time.Since(start)
	if err != nil {
		if ctx.Err() != nil {
			return nil, nil, ctx.Err()
		}
		s.fail(err)
		return nil, nil, err
	}
	if resp.StatusCode != want {
		err := fmt.Errorf("%s %s: status %d, want %d", req.Method, req.URL.Path, resp.StatusCode, want)
		s.fail(err)
		return nil, nil, err
	}
	s.ok(d, int64(len(body)))
	return resp, body, nil
}

func get(base *url.URL, path string) *http.Request {
	req, _ := http.NewRequest(http.MethodGet, base.String()+path, nil)
	req.Header.Set("Accept-Encoding", browserAcceptEncoding)
	return req
}

func post(base *url.URL, path string, form url.Values) *http.Request {
	req, _ := http.NewRequest(http.MethodPost, base.String()+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	// A browser posting a same-origin form says so.
	req.Header.Set("Origin", base.Scheme+"://"+base.Host)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return req
}

// percentile returns the p-th percentile (0–100) of sorted durations,
// nearest rank.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p/100*float64(len(sorted))+0.5) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func ms(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e6, 'f', 2, 64) }

// print writes the run's table and, below it, the same figures in the Go
// benchmark format, so that benchstat can compare runs.
func (r *recorder) print(w io.Writer, elapsed time.Duration, prefix string) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "step\tok\terrors\treq/s\tp50 ms\tp95 ms\tp99 ms\tmax ms\tbytes/req\t\n")
	type line struct {
		name          string
		n             int
		ns            float64
		p50, p95, p99 time.Duration
		rate, bytes   float64
	}
	var lines []line
	for _, s := range r.steps {
		s.mu.Lock()
		lat := slices.Clone(s.lat)
		errs, bytes := s.errs, s.bytes
		s.mu.Unlock()
		slices.Sort(lat)
		var sum time.Duration
		for _, d := range lat {
			sum += d
		}
		l := line{name: s.name, n: len(lat)}
		if l.n > 0 {
			l.ns = float64(sum) / float64(l.n)
			l.p50, l.p95, l.p99 = percentile(lat, 50), percentile(lat, 95), percentile(lat, 99)
			l.bytes = float64(bytes) / float64(l.n)
		}
		l.rate = float64(l.n) / elapsed.Seconds()
		lines = append(lines, l)
		maxd := time.Duration(0)
		if l.n > 0 {
			maxd = lat[l.n-1]
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%s\t%s\t%s\t%s\t%.0f\t\n", s.name, l.n, errs, l.rate, ms(l.p50), ms(l.p95), ms(l.p99), ms(maxd), l.bytes)
	}
	_ = tw.Flush() // a report on the terminal
	fmt.Fprintln(w)
	for _, l := range lines {
		if l.n == 0 {
			continue
		}
		fmt.Fprintf(w, "Benchmark%s/step=%s\t%d\t%.0f ns/op\t%s p50-ms\t%s p95-ms\t%s p99-ms\t%.1f req/s\t%.0f B/req\n",
			prefix, l.name, l.n, l.ns, ms(l.p50), ms(l.p95), ms(l.p99), l.rate, l.bytes)
	}
	for _, s := range r.steps {
		for _, e := range s.first {
			fmt.Fprintf(w, "error: %s: %s\n", s.name, e)
		}
	}
}

// rss returns the resident set size and its peak (VmRSS, VmHWM) of a
// process on this machine, in bytes.
func rss(pid int) (cur, peak int64, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	for _, l := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			continue
		}
		f := strings.Fields(v)
		if len(f) != 2 || f[1] != "kB" {
			continue
		}
		n, _ := strconv.ParseInt(f[0], 10, 64)
		switch k {
		case "VmRSS":
			cur = n << 10
		case "VmHWM":
			peak = n << 10
		}
	}
	return cur, peak, nil
}

// splitInts parses "1,8,64".
func splitInts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a positive number", f)
		}
		out = append(out, n)
	}
	return out, nil
}
