package mail

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"lederradar/data"
	"lederradar/survey"
)

// Retry policy: a temporary failure is tried again after a minute,
// doubling up to an hour; after MaxAttempts tries in all (about two
// hours) the message has failed.
const (
	MaxAttempts  = 8
	firstBackoff = time.Minute
	maxBackoff   = time.Hour
	// claimLease is how long a claimed message may be sending before it
	// counts as cut off mid-send (unknown): well over one message's
	// conversation with the relay (Config.Timeout).
	claimLease = 5 * time.Minute
	// pollEvery is how often an idle worker looks at the outbox without
	// being woken, for messages queued by another process (the command
	// line) or due for a retry.
	pollEvery = time.Minute
)

// Worker sends the outbox's messages, one at a time.
type Worker struct {
	db     *data.DB
	cfg    Config
	tmpl   *templates
	logger *slog.Logger
	helo   string
	wake   chan struct{}

	// Now and Sleep are the clock the rate limit and the backoff run on;
	// tests replace them. Sleep returns early with ctx's error.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error

	lastSend time.Time // when the last message was handed to the relay
}

// New checks cfg and returns a worker that sends db's outbox through its
// relay. Run it with Run (the server) or SendDue (the command line).
func New(db *data.DB, cfg Config, logger *slog.Logger) (*Worker, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	tmpl, err := loadTemplates()
	if err != nil {
		return nil, err
	}
	helo, err := os.Hostname()
	if err != nil || helo == "" {
		helo = "localhost"
	}
	return &Worker{db: db, cfg: cfg, tmpl: tmpl, logger: logger, helo: helo, wake: make(chan struct{}, 1),
		Now: time.Now, Sleep: sleep}, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Wake tells a running worker that something was queued. It never
// blocks.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Tally is what SendDue did.
type Tally struct {
	Sent, Retrying, Failed int
}

// SendDue sends every message that is due, one by one at the relay's
// rate, until none is due or ctx ends. A message whose retry lies ahead
// stays queued for a later call.
func (w *Worker) SendDue(ctx context.Context) (Tally, error) {
	var t Tally
	for ctx.Err() == nil {
		// Wait for the rate only when there is something to send.
		if next, ok, err := w.db.NextOutboxDue(ctx); err != nil {
			return t, err
		} else if !ok || next.After(w.Now()) {
			_, err := w.db.RecoverOutbox(ctx)
			return t, err
		}
		if err := w.waitRate(ctx); err != nil {
			return t, err
		}
		m, err := w.db.ClaimOutbox(ctx, claimLease)
		if survey.ErrorCode(err) == survey.ENOTFOUND {
			return t, nil
		} else if err != nil {
			return t, err
		}
		if err := w.sendOne(ctx, m, &t); err != nil {
			return t, err
		}
	}
	return t, ctx.Err()
}

// sendOne sends a claimed message and records how it went. Only a
// failure to record is returned: a refused message is the outbox's to
// keep.
func (w *Worker) sendOne(ctx context.Context, m *data.OutboxMessage, t *Tally) error {
	// A claimed message is sent or recorded even when ctx ends now: the
	// claim is committed, and a message left sending is lost to unknown.
	ctx = context.WithoutCancel(ctx)
	w.lastSend = w.Now()
	msg, err := w.compose(m, w.lastSend)
	if err == nil {
		err = w.send(ctx, msg, m)
	}
	switch {
	case err == nil:
		t.Sent++
		return w.db.MarkOutboxSent(ctx, m.ID)
	case permanent(err) || m.Attempts >= MaxAttempts:
		t.Failed++
		w.logger.Warn("mail: not sent", slog.Int64("message", m.ID), slog.String("kind", string(m.Kind)), slog.Int("attempts", m.Attempts))
		return w.db.MarkOutboxFailed(ctx, m.ID, reason(err, m.Email))
	default:
		t.Retrying++
		at := w.Now().Add(backoff(m.Attempts))
		w.logger.Info("mail: will try again", slog.Int64("message", m.ID), slog.String("kind", string(m.Kind)), slog.Int("attempts", m.Attempts), slog.Time("at", at))
		return w.db.MarkOutboxRetry(ctx, m.ID, at, reason(err, m.Email))
	}
}

// backoff is how long to wait after the given number of attempts.
func backoff(attempts int) time.Duration {
	d := firstBackoff
	for i := 1; i < attempts && d < maxBackoff; i++ {
		d *= 2
	}
	return min(d, maxBackoff)
}

// waitRate waits until the relay's rate allows another message.
func (w *Worker) waitRate(ctx context.Context) error {
	if w.lastSend.IsZero() {
		return nil
	}
	if wait := w.lastSend.Add(time.Minute / time.Duration(w.cfg.Rate)).Sub(w.Now()); wait > 0 {
		return w.Sleep(ctx, wait)
	}
	return nil
}

// Run sends the outbox until ctx ends: what is due at once, then
// whenever Wake is called, the next message falls due, or a minute has
// passed. It returns when it has stopped; a message being sent is
// finished first.
func (w *Worker) Run(ctx context.Context) {
	if w.cfg.Folder != "" {
		w.logger.Info("mail: writing to a folder", slog.String("folder", w.cfg.Folder))
	} else {
		w.logger.Info("mail: sending through the relay", slog.String("relay", w.cfg.Addr), slog.String("tls", string(w.cfg.TLS)), slog.Int("per_minute", w.cfg.Rate))
	}
	for ctx.Err() == nil {
		t, err := w.SendDue(ctx)
		if err != nil && ctx.Err() == nil {
			w.logger.Error("mail", slog.Any("error", err))
		}
		if t != (Tally{}) {
			w.logger.Info("mail: sent", slog.Int("sent", t.Sent), slog.Int("retrying", t.Retrying), slog.Int("failed", t.Failed))
		}
		wait := pollEvery
		if next, ok, err := w.db.NextOutboxDue(ctx); err == nil && ok {
			wait = min(wait, max(next.Sub(w.Now()), time.Second))
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-w.wake:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// String describes the relay for the log and the start-up line.
func (w *Worker) String() string {
	return fmt.Sprintf("%s (%s)", w.cfg.Addr, w.cfg.TLS)
}
