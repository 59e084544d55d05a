package web

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync/atomic"
	"testing"

	"lederradar/internal/orggen"
)

// countingListener counts the bytes the server writes: what goes over the
// wire to the browser, status lines and headers included.
type countingListener struct {
	net.Listener
	out *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return countingConn{c, l.out}, nil
}

type countingConn struct {
	net.Conn
	out *atomic.Int64
}

func (c countingConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	c.out.Add(int64(n))
	return n, err
}

// TestWireBudget holds the leader's pages to the byte budgets of figure 4
// (docs/performance.md): the result page's first view — the page and every
// asset it names, as a browser that accepts gzip gets them — at most
// 450 KB; a repeat view, with the assets cached for good, at most 30 KB;
// a questionnaire page at most 30 KB.
func TestWireBudget(t *testing.T) {
	t.Parallel()
	s, _, org := generatedServer(t, 300)
	var out atomic.Int64
	srv := httptest.NewUnstartedServer(s.Handler())
	srv.Listener = countingListener{srv.Listener, &out}
	srv.Start()
	defer srv.Close()
	// One connection at a time, so every byte counted is the view's.
	c := &http.Client{
		Transport: &http.Transport{DisableCompression: true, MaxConnsPerHost: 1},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	var token string
	for _, l := range org.Links {
		if l.State == orggen.Submitted {
			token = l.Token
			break
		}
	}
	resp, err := c.Get(srv.URL + "/i/" + token)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var cookie *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == s.cookieName(sessionCookie) {
			cookie = ck
		}
	}
	if cookie == nil {
		t.Fatal("no session")
	}
	fetch := func(path string) []byte {
		t.Helper()
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL+path, nil)
		req.Header.Set("Accept-Encoding", "gzip, deflate, br, zstd")
		req.AddCookie(cookie)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		return b
	}
	view := func(paths ...string) int64 {
		before := out.Load()
		for _, p := range paths {
			fetch(p)
		}
		return out.Load() - before
	}
	assets := regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`)
	page := fetch("/result")
	if !regexp.MustCompile(`data-chart=`).Match(page) {
		t.Fatal("the result page has no chart: the first view would not load ECharts")
	}
	paths := []string{"/result"}
	for _, m := range assets.FindAllSubmatch(page, -1) {
		paths = append(paths, string(m[1]))
	}
	first := view(paths...)
	repeat := view("/result")
	questionnaire := view("/survey/1")
	t.Logf("result first view %d B (%d requests), repeat %d B, questionnaire page %d B", first, len(paths), repeat, questionnaire)
	for _, b := range []struct {
		name      string
		got, want int64
	}{
		{"result page, first view", first, 450_000},
		{"result page, repeat view", repeat, 30_000},
		{"questionnaire page", questionnaire, 30_000},
	} {
		if b.got > b.want {
			t.Errorf("%s: %d bytes, budget %d", b.name, b.got, b.want)
		}
	}
}
