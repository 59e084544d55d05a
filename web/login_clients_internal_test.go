package web

import (
	"testing"
	"time"
)

// TestLoginClients: an IPv6 client is counted by its /64, an IPv4 one by
// its address; attempts age out of the window; forgetting one takes back
// only that one; and the map stays bounded.
func TestLoginClients(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"192.0.2.7":            "192.0.2.7",
		"::ffff:192.0.2.7":     "192.0.2.7",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1": "2001:db8:1:2::/64",
		"not an address":       "not an address",
	} {
		if got := loginClientKey(in); got != want {
			t.Errorf("loginClientKey(%q) = %q, want %q", in, got, want)
		}
	}

	l := newLoginClients(15 * time.Minute)
	t0 := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	for i := range 5 {
		if got := l.begin("a", t0.Add(time.Duration(i)*time.Minute)); got != i {
			t.Errorf("attempt %d saw %d before it", i, got)
		}
	}
	l.forget("a", t0.Add(4*time.Minute))
	if got, want := l.begin("a", t0.Add(15*time.Minute+30*time.Second)), 3; got != want {
		t.Errorf("after one forgotten and one aged out: %d before, want %d", got, want)
	}
	for i := range maxLoginClients + 10 {
		l.begin(loginClientKey("198.51.100.1")+string(rune(i)), t0.Add(time.Hour))
	}
	if got := len(l.attempts); got > maxLoginClients {
		t.Errorf("%d clients tracked, want at most %d", got, maxLoginClients)
	}
}
