package web

import (
	"context"
	"runtime"
	"time"
)

// Each argon2id check holds 19 MiB for its length (auth.HashPassword),
// so checks run at most passwordChecks at a time: one per processor, at
// most maxPasswordChecks. A log-in waits for a turn for passwordCheckWait
// at most, then gets a "busy, try again" page; so a flood of log-ins,
// known accounts or not, costs a bounded amount of memory and leaves the
// rest of the server answering.
const (
	maxPasswordChecks        = 4
	defaultPasswordCheckWait = 10 * time.Second
)

// passwordChecks hands out the turns to check a password.
type passwordChecks struct {
	slots chan struct{}
	wait  time.Duration
}

func newPasswordChecks(n int, wait time.Duration) *passwordChecks {
	if n <= 0 {
		n = min(maxPasswordChecks, max(1, runtime.GOMAXPROCS(0)))
	}
	if wait <= 0 {
		wait = defaultPasswordCheckWait
	}
	return &passwordChecks{slots: make(chan struct{}, n), wait: wait}
}

// run runs check when a turn is free and reports whether it ran: false
// when no turn came within the wait, or ctx ended first.
func (p *passwordChecks) run(ctx context.Context, check func()) bool {
	t := time.NewTimer(p.wait)
	defer t.Stop()
	select {
	case p.slots <- struct{}{}:
	case <-t.C:
		return false
	case <-ctx.Done():
		return false
	}
	defer func() { <-p.slots }()
	check()
	return true
}

// sleepContext waits d, or until ctx ends.
func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
