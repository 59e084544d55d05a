package web_test

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"lederradar/web"
)

// argon2Memory is what one password check holds (m=19 MiB).
const argon2Memory = 19 << 20

// TestLoginFloodKeepsTheServerAnswering: 1,000 log-ins at once for
// unknown e-mail addresses run at most a few password checks at a time,
// so the heap grows by a few checks' 19 MiB, not a thousand (before, 100
// took a server from 104 MB to 1.08 GB); the server keeps answering
// /healthz meanwhile; a log-in that gets no turn within the wait is told
// the server is busy (503, Retry-After), and is not counted as a failure.
func TestLoginFloodKeepsTheServerAnswering(t *testing.T) {
	if testing.Short() {
		t.Skip("1,000 log-ins")
	}
	const n = 1000
	e := newEnv(t, func(c *web.Config) {
		c.PasswordCheckWait = 2 * time.Second
		c.DummyPasswordCheck = nil // the real check, 19 MiB each
	})
	checks := min(4, max(1, runtime.GOMAXPROCS(0))) // the server's default
	// The heap may hold the checks running, their garbage until the
	// collector runs (GOGC=100 doubles the heap before it does), and the
	// goroutines, requests and responses of a thousand log-ins.
	bound := uint64(2*checks*argon2Memory + 96<<20)

	runtime.GC()
	base := heapBytes()
	var peak atomic.Uint64
	stop := make(chan struct{})
	var probes sync.WaitGroup
	var slowest atomic.Int64
	var healthFailures atomic.Int32
	probes.Go(func() { // samples the heap
		for {
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
			if h := heapBytes(); h > peak.Load() {
				peak.Store(h)
			}
		}
	})
	probes.Go(func() { // asks /healthz meanwhile
		for {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
			start := time.Now()
			if w := e.do(request{path: "/healthz"}); w.Code != http.StatusOK {
				healthFailures.Add(1)
			}
			if d := int64(time.Since(start)); d > slowest.Load() {
				slowest.Store(d)
			}
		}
	})

	codes := make([]int, n)
	bodies := make([]string, n)
	retry := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			w := e.do(request{method: "POST", path: "/login", form: loginForm(fmt.Sprintf("ukendt%d@example.dk", i), "forkert kodeord!!"),
				remote: fmt.Sprintf("198.51.%d.%d:1234", 100+i/250, i%250+1)})
			codes[i], bodies[i], retry[i] = w.Code, w.Body.String(), w.Header().Get("Retry-After")
		})
	}
	wg.Wait()
	close(stop)
	probes.Wait()

	grew := int64(peak.Load()) - int64(base)
	t.Logf("heap %d MiB before, peak %d MiB (+%d MiB, bound +%d MiB); slowest /healthz %v",
		base>>20, peak.Load()>>20, grew>>20, bound>>20, time.Duration(slowest.Load()))
	if grew > int64(bound) {
		t.Errorf("the heap grew by %d MiB during %d log-ins, want at most %d MiB (%d checks at a time)", grew>>20, n, bound>>20, checks)
	}
	if f := healthFailures.Load(); f > 0 {
		t.Errorf("/healthz failed %d times during the log-ins", f)
	}
	if d := time.Duration(slowest.Load()); d > 2*time.Second {
		t.Errorf("/healthz took %v during the log-ins, want it answering", d)
	}
	counts := map[int]int{}
	for i, code := range codes {
		counts[code]++
		switch code {
		case http.StatusUnauthorized:
		case http.StatusServiceUnavailable:
			if !strings.Contains(bodies[i], "Der er travlt lige nu") || retry[i] == "" {
				t.Errorf("a busy answer without its message or Retry-After: %q", retry[i])
			}
		default:
			t.Errorf("log-in %d = %d, want 401 or 503", i, code)
		}
	}
	t.Logf("answers: %v", counts)
	if counts[http.StatusServiceUnavailable] == 0 {
		t.Error("no log-in was turned away, so the wait was not bounded")
	}

	// An attempt turned away is not counted against its account.
	for i, code := range codes {
		if code != http.StatusServiceUnavailable {
			continue
		}
		email := fmt.Sprintf("ukendt%d@example.dk", i)
		if got, err := e.db.LoginFailures(context.Background(), email, time.Hour); err != nil || got != 0 {
			t.Errorf("failures of %s, turned away = %d, %v; want 0", email, got, err)
		}
		break
	}
}

// heapBytes is the memory the heap's objects, live or not yet swept, take.
func heapBytes() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}
