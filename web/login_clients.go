package web

import (
	"net/netip"
	"sync"
	"time"
)

// maxLoginClients bounds how many client addresses loginClients tracks,
// so that an attacker with many addresses cannot grow it without end.
const maxLoginClients = 10000

// loginClients counts recent log-in attempts per client address, for the
// per-client half of log-in throttling (auth.LoginDelay). It lives in
// memory only, so addresses are never written to the database; a restart
// forgets them, while the per-account count, which stops guessing at one
// account, is kept in the database.
type loginClients struct {
	mu       sync.Mutex
	window   time.Duration
	attempts map[string][]time.Time // by client key, oldest first
}

func newLoginClients(window time.Duration) *loginClients {
	return &loginClients{window: window, attempts: map[string][]time.Time{}}
}

// loginClientKey is the address an attempt is counted under: an IPv4
// address, or an IPv6 address's /64, which one subscriber usually holds
// whole.
func loginClientKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	a = a.Unmap()
	if a.Is6() {
		return netip.PrefixFrom(a, 64).Masked().String()
	}
	return a.String()
}

// begin records an attempt by client at now and returns how many of its
// attempts within the window came before it. Recording and counting
// happen under one lock, so attempts sent at once each see the others.
func (l *loginClients) begin(client string, now time.Time) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	recent := l.prune(l.attempts[client], now)
	if len(recent) == 0 && len(l.attempts) >= maxLoginClients {
		for k, ts := range l.attempts {
			if len(l.prune(ts, now)) == 0 {
				delete(l.attempts, k)
			}
		}
		if len(l.attempts) >= maxLoginClients {
			for k := range l.attempts { // full of active clients: drop one
				delete(l.attempts, k)
				break
			}
		}
	}
	l.attempts[client] = append(recent, now)
	return len(recent)
}

// forget takes back one attempt begun at at: one that succeeded, or whose
// password was never checked.
func (l *loginClients) forget(client string, at time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ts := l.attempts[client]
	for i := len(ts) - 1; i >= 0; i-- {
		if ts[i].Equal(at) {
			ts = append(ts[:i], ts[i+1:]...)
			break
		}
	}
	if len(ts) == 0 {
		delete(l.attempts, client)
	} else {
		l.attempts[client] = ts
	}
}

// prune returns the attempts of ts within the window before now.
func (l *loginClients) prune(ts []time.Time, now time.Time) []time.Time {
	i := 0
	for i < len(ts) && !ts[i].After(now.Add(-l.window)) {
		i++
	}
	return ts[i:]
}
