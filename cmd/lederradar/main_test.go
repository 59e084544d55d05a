package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestApplyEnv(t *testing.T) {
	env := map[string]string{
		"LEDERRADAR_DB":              "/from/env.db",
		"LEDERRADAR_TRUSTED_PROXIES": "10.0.0.1",
		"LEDERRADAR_ADDR":            "ignored:1", // the command line wins
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	db := fs.String("db", "default.db", "")
	proxies := fs.String("trusted-proxies", "", "")
	addr := fs.String("addr", "127.0.0.1:8080", "")
	level := fs.String("log-level", "info", "")
	if err := fs.Parse([]string{"--addr", "127.0.0.1:9999"}); err != nil {
		t.Fatal(err)
	}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	if err := applyEnv(fs, lookup); err != nil {
		t.Fatal(err)
	}
	for name, got := range map[string]string{"db": *db, "trusted-proxies": *proxies, "addr": *addr, "log-level": *level} {
		want := map[string]string{"db": "/from/env.db", "trusted-proxies": "10.0.0.1", "addr": "127.0.0.1:9999", "log-level": "info"}[name]
		if got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}

	fs2 := flag.NewFlagSet("t", flag.ContinueOnError)
	fs2.Duration("shutdown-wait", time.Second, "")
	_ = fs2.Parse(nil)
	err := applyEnv(fs2, func(k string) (string, bool) { return "soon", k == "LEDERRADAR_SHUTDOWN_WAIT" })
	if err == nil || !strings.Contains(err.Error(), "LEDERRADAR_SHUTDOWN_WAIT") {
		t.Errorf("a bad environment value gave %v, want an error naming the variable", err)
	}
}

func TestUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(t.Context(), nil, nil, &out, &errOut); err != errUsage {
		t.Errorf("no arguments: %v, want usage error", err)
	}
	if err := run(t.Context(), []string{"frobnicate"}, nil, &out, &errOut); err != errUsage || !strings.Contains(errOut.String(), "unknown command") {
		t.Errorf("unknown command: %v, %q", err, errOut.String())
	}
	out.Reset()
	if err := run(t.Context(), []string{"instrument"}, nil, &out, &errOut); err != nil || !strings.Contains(out.String(), `version = "2026.2"`) {
		t.Errorf("instrument: %v, %d bytes", err, out.Len())
	}
}

// TestInvalidInstrumentStopsStartUp: an organisation's broken instrument
// file stops the server with a message naming the problem.
func TestInvalidInstrumentStopsStartUp(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.toml")
	if err := os.WriteFile(bad, []byte("version = \"x\"\n[title]\nda = \"a\"\nen = \"b\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	err := run(t.Context(), []string{"serve", "--db", filepath.Join(dir, "x.db"), "--addr", "127.0.0.1:0", "--instrument", bad}, nil, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "scale needs 5 points") {
		t.Errorf("err = %v, want one naming the scale", err)
	}
	err = run(t.Context(), []string{"serve", "--db", filepath.Join(dir, "x.db"), "--addr", "127.0.0.1:0", "--instrument", filepath.Join(dir, "missing.toml")}, nil, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "missing.toml") {
		t.Errorf("err = %v, want one naming the missing file", err)
	}
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestDemo starts the demo on a free port, follows a printed link, checks
// /healthz, and shuts down gracefully when the context ends.
func TestDemo(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	db := filepath.Join(t.TempDir(), "demo.db")
	ctx, cancel := context.WithCancel(t.Context())
	var out, errOut lockedBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"demo", "--addr", addr, "--db", db}, nil, &out, &errOut) }()

	var links []string
	deadline := time.Now().Add(180 * time.Second)
	for time.Now().Before(deadline) {
		links = regexp.MustCompile(`http://\S+/i/\S+`).FindAllString(out.String(), -1)
		if len(links) >= 3 {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("demo stopped: %v\n%s", err, errOut.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	if len(links) < 3 {
		t.Fatalf("demo printed %d links:\n%s", len(links), out.String())
	}
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", err, resp)
	}
	resp.Body.Close()

	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = client.Get(links[0])
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/survey" {
		t.Errorf("link → %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if strings.Contains(errOut.String(), strings.TrimPrefix(links[0], "http://"+addr+"/i/")) {
		t.Error("the log holds a personal link's token")
	}

	// Without a relay, the demo's mail goes to a folder beside its
	// database, which it names.
	mailFolder := filepath.Join(filepath.Dir(db), "demo-mail")
	if !strings.Contains(out.String(), "Mail goes to the folder "+mailFolder) {
		t.Errorf("the demo does not say where its mail goes:\n%s", out.String())
	}
	if fi, err := os.Stat(mailFolder); err != nil || !fi.IsDir() {
		t.Errorf("mail folder %s: %v", mailFolder, err)
	}

	checkSecondDemoLeavesFirst(t, addr, db, out.String())

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("demo after shutdown: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("no graceful shutdown")
	}

	// Started again on the same database, the demo keeps its data and
	// prints new links for the same leaders.
	ctx2, cancel2 := context.WithCancel(t.Context())
	var out2 lockedBuffer
	done2 := make(chan error, 1)
	go func() { done2 <- run(ctx2, []string{"demo", "--addr", addr, "--db", db}, nil, &out2, io.Discard) }()
	for i := 0; i < 400 && !strings.Contains(out2.String(), "/i/"); i++ {
		time.Sleep(50 * time.Millisecond)
	}
	cancel2()
	if err := <-done2; err != nil {
		t.Fatalf("second demo start: %v", err)
	}
	again := regexp.MustCompile(`http://\S+/i/\S+`).FindAllString(out2.String(), -1)
	if len(again) != 4 || again[0] == links[0] {
		t.Errorf("second start printed %v", again)
	}
}

// checkSecondDemoLeavesFirst starts the demo again while one runs, on
// the same address and then on another one with the same database: both
// fail with a reason, and the running demo's printed links and log-ins
// still work.
func checkSecondDemoLeavesFirst(t *testing.T, addr, db, printed string) {
	t.Helper()
	other, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	otherAddr := other.Addr().String()
	other.Close()
	otherDB := filepath.Join(t.TempDir(), "other.db")
	for _, tt := range []struct{ addr, db, want string }{
		{addr, otherDB, "cannot listen on " + addr},
		{addr, db, "cannot listen on " + addr},
		{otherAddr, db, "a demo is already running on " + db},
	} {
		var out2 bytes.Buffer
		err := run(t.Context(), []string{"demo", "--addr", tt.addr, "--db", tt.db}, nil, &out2, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "stay valid") {
			t.Errorf("second demo on %s with %s: %v, want %q", tt.addr, filepath.Base(tt.db), err, tt.want)
		}
		if strings.Contains(out2.String(), "/i/") {
			t.Errorf("second demo printed links:\n%s", out2.String())
		}
	}
	if _, err := os.Stat(otherDB); err == nil {
		t.Error("a demo that could not listen made its database")
	}

	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, link := range regexp.MustCompile(`http://\S+/i/\S+`).FindAllString(printed, -1) {
		resp, err := client.Get(link)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") == "/" {
			t.Errorf("after a second start, a printed link → %d %q", resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	logins := regexp.MustCompile(`(?m)^\s+(?:hr|admin)\s+(\S+)\s+password: (\S+)$`).FindAllStringSubmatch(printed, -1)
	if len(logins) == 0 {
		t.Fatalf("no log-ins printed:\n%s", printed)
	}
	for _, l := range logins {
		resp, err := client.PostForm("http://"+addr+"/login", url.Values{"email": {l[1]}, "password": {l[2]}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("after a second start, %s logs in with %d", l[1], resp.StatusCode)
		}
	}
}

func TestMinGroupFloor(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(t.Context(), []string{"serve", "--db", filepath.Join(t.TempDir(), "x.db"), "--min-group", "2"}, nil, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "below 3") {
		t.Errorf("--min-group 2: %v, want a refusal", err)
	}
}
