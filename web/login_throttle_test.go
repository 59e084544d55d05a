package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"lederradar/internal/auth"
	"lederradar/web"
)

// loginForm is a log-in form for email with password.
func loginForm(email, password string) url.Values {
	return url.Values{"email": {email}, "password": {password}}
}

// TestLoginAttemptsSentAtOnceAreEachCounted: 49 wrong passwords and the
// right one sent at once for one account, each from its own address, are
// each counted before their password is checked, so each waits the delay
// of the attempts before it: no more than the free attempts pass without
// a delay (before, all fifty were checked on the same count of none, and
// the right one got in among them).
func TestLoginAttemptsSentAtOnceAreEachCounted(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	e.sleeps.take()
	const n = 50
	e.sleeps.holdUntil(n) // sent at once: all counted before any is checked
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			pw := "forkert kodeord nummer " + fmt.Sprint(i)
			if i == n/2 {
				pw = staffPassword
			}
			codes[i] = e.do(request{method: "POST", path: "/login", form: loginForm("hr@example.dk", pw),
				remote: fmt.Sprintf("198.51.100.%d:1234", i+1)}).Code
		})
	}
	wg.Wait()

	got := e.sleeps.take()
	slices.Sort(got)
	var want []time.Duration
	for i := range n {
		want = append(want, auth.LoginDelay(i, 0))
	}
	if !slices.Equal(got, want) {
		t.Errorf("delays of %d attempts at once = %v,\nwant each after those before it: %v", n, got, want)
	}
	for i, code := range codes {
		wantCode := http.StatusUnauthorized
		if i == n/2 {
			wantCode = http.StatusSeeOther // the owner gets in, after the delay
		}
		if code != wantCode {
			t.Errorf("attempt %d = %d, want %d", i, code, wantCode)
		}
	}
}

// TestLoginSlowsGuessersWithoutLockingOutTheOwner: anonymous wrong
// passwords make each further guess wait longer, per account and per
// client, up to the cap, but never keep the owner out: the right password
// gets in after the capped delay at most, however many have failed, and
// from the guesser's own address too. Before, five wrong passwords from
// anyone locked the account for 15 minutes.
func TestLoginSlowsGuessersWithoutLockingOutTheOwner(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	e.sleeps.take()
	const attacker = "203.0.113.7:4444"
	var want []time.Duration
	for i := range 10 {
		// A forged X-Forwarded-For changes nothing: no proxy is trusted.
		w := e.do(request{method: "POST", path: "/login", form: loginForm("admin@example.dk", "forkert kodeord!!"),
			remote: attacker, header: map[string]string{"X-Forwarded-For": fmt.Sprintf("10.0.0.%d", i)}})
		if w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), "E-mail eller adgangskode er forkert") {
			t.Fatalf("wrong password %d = %d", i, w.Code)
		}
		want = append(want, auth.LoginDelay(i, i))
	}
	if got := e.sleeps.take(); !slices.Equal(got, want) {
		t.Errorf("the guesser's delays = %v, want %v", got, want)
	}
	if got, want := want[len(want)-1], auth.LoginDelayCap; got != want {
		t.Errorf("after 10 failures the delay is %v, want the cap %v", got, want)
	}

	for _, owner := range []string{"198.51.100.1:1234", attacker} {
		w := e.do(request{method: "POST", path: "/login", form: loginForm("admin@example.dk", staffPassword), remote: owner})
		if loc := w.Header().Get("Location"); w.Code != http.StatusSeeOther || loc != "/admin" {
			t.Errorf("the owner from %s after 10 failures = %d → %q, want logged in", owner, w.Code, loc)
		}
		for _, d := range e.sleeps.take() {
			if d > auth.LoginDelayCap {
				t.Errorf("the owner from %s waited %v, more than the cap %v", owner, d, auth.LoginDelayCap)
			}
		}
	}

	// The guesser's address stays slowed on other accounts too.
	w := e.do(request{method: "POST", path: "/login", form: loginForm("hr@example.dk", "forkert kodeord!!"), remote: attacker})
	if got := e.sleeps.take(); w.Code != http.StatusUnauthorized || !slices.Equal(got, []time.Duration{auth.LoginDelayCap}) {
		t.Errorf("the guesser on another account = %d after %v, want 401 after %v", w.Code, got, auth.LoginDelayCap)
	}
	// A successful log-in does not clear its address's failures.
	e.do(request{method: "POST", path: "/login", form: loginForm("nobody@example.dk", "forkert kodeord!!"), remote: attacker})
	if got := e.sleeps.take(); !slices.Equal(got, []time.Duration{auth.LoginDelayCap}) {
		t.Errorf("the guesser after its owner's log-in waited %v, want %v", got, auth.LoginDelayCap)
	}
}

// TestLoginClientIsTheTrustedProxysClient: behind a configured proxy each
// client is counted by the address the proxy forwards, so one guesser
// does not slow the others; without the configuration the header is not
// believed and cannot reset anything (TestLoginSlowsGuessers...).
func TestLoginClientIsTheTrustedProxysClient(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t, func(c *web.Config) { c.TrustedProxies = []string{"192.0.2.0/24"} })
	e.sleeps.take()
	for range 10 {
		e.do(request{method: "POST", path: "/login", form: loginForm("nobody1@example.dk", "forkert kodeord!!"),
			header: map[string]string{"X-Forwarded-For": "203.0.113.9"}})
	}
	if got := e.sleeps.take(); got[len(got)-1] != auth.LoginDelayCap {
		t.Errorf("the guesser's delays behind the proxy = %v, want up to %v", got, auth.LoginDelayCap)
	}
	e.do(request{method: "POST", path: "/login", form: loginForm("nobody2@example.dk", "forkert kodeord!!"),
		header: map[string]string{"X-Forwarded-For": "198.51.100.5"}})
	if got := e.sleeps.take(); !slices.Equal(got, []time.Duration{0}) {
		t.Errorf("another client behind the same proxy waited %v, want 0", got)
	}
}
