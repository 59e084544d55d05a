package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// Group commit. A durable commit costs an fsync of the WAL, a millisecond
// or more on real disks, and SQLite has one writer: committing every saved
// page on its own caps the saves per second at the disk's fsyncs per
// second. So the posted forms (SaveAnswers, SubmitResponse) go to one
// writer goroutine, which runs every form waiting at the time in one
// IMMEDIATE transaction — each in its own savepoint, so that a form that
// fails or turns out to be a repeat leaves the others alone — commits
// once, and only then answers each caller with its own result. Nobody is
// told "saved" before the COMMIT that holds their answers; while one batch
// commits, the next gathers.
//
// When nobody else is saving, the caller runs its form itself, as a batch
// of one: at low load that spares the hand-over to the writer goroutine
// and back, two goroutine wake-ups that cost more than the statements.

// DefaultMaxBatch is how many posted forms one transaction takes at most
// when Options leave it open.
const DefaultMaxBatch = 64

// Options tune a DB beyond its defaults. The zero value is the default.
type Options struct {
	// MaxBatch is the most posted forms one group commit takes. 1 turns
	// group commit off: each form gets its own transaction and commit, in
	// the caller's goroutine. 0 means DefaultMaxBatch.
	MaxBatch int
}

// The savepoint each form of a group commit runs in.
const (
	savepointSQL  = "SAVEPOINT form"
	rollbackToSQL = "ROLLBACK TO form"
	releaseSQL    = "RELEASE form"
)

// errClosed answers forms posted after Close.
var errClosed = errors.New("data: the database is closed")

// formFunc runs one posted form inside the shared transaction and reports
// whether it was a repeat (nothing to keep) or failed; either way its
// savepoint is rolled back.
type formFunc func(ctx context.Context, tx *sql.Tx) (duplicate bool, err error)

type formRequest struct {
	ctx       context.Context
	run       formFunc
	duplicate bool
	err       error
	done      chan struct{}
}

// groupWriter is the goroutine that owns the posted forms' transactions.
type groupWriter struct {
	d        *DB
	maxBatch int
	requests chan *formRequest // unbuffered: a request is queued while its sender waits
	closing  chan struct{}
	stopped  chan struct{}
	once     sync.Once

	// mu is held while a batch runs, by the writer goroutine or by a
	// caller running its own form; closed (under mu) stops the callers.
	mu     sync.Mutex
	closed bool
	// queued counts the forms handed to the writer goroutine and not yet
	// answered: while there are any, callers queue behind them.
	queued atomic.Int64

	forms, batches atomic.Int64 // taken and run, for tests and benchmarks

	// fault, set only by tests before the first form, makes a step of a
	// batch fail as SQLite might: "BEGIN", savepointSQL, rollbackToSQL,
	// releaseSQL or "COMMIT", in a batch of forms forms.
	fault func(step string, forms int) error
}

// step reports the failure a test has planted at this step, if any.
func (w *groupWriter) step(name string, forms int) error {
	if w.fault == nil {
		return nil
	}
	return w.fault(name, forms)
}

// exec runs one of the batch's savepoint statements.
func (w *groupWriter) exec(ctx context.Context, q preparedTx, stmt string, forms int) error {
	if err := w.step(stmt, forms); err != nil {
		return err
	}
	_, err := q.ExecContext(ctx, stmt)
	return err
}

// stats returns how many forms the writer has taken and in how many
// transactions it ran them.
func (w *groupWriter) stats() (forms, batches int64) {
	return w.forms.Load(), w.batches.Load()
}

func newGroupWriter(d *DB, maxBatch int) *groupWriter {
	w := &groupWriter{
		d:        d,
		maxBatch: maxBatch,
		requests: make(chan *formRequest),
		closing:  make(chan struct{}),
		stopped:  make(chan struct{}),
	}
	go w.loop()
	return w
}

// do runs f in the next group commit and returns its result once that has
// committed (or failed).
func (w *groupWriter) do(ctx context.Context, f formFunc) (bool, error) {
	req := &formRequest{ctx: ctx, run: f}
	if w.queued.Load() == 0 && w.mu.TryLock() {
		defer w.mu.Unlock()
		if w.closed {
			return false, errClosed
		}
		if err := ctx.Err(); err != nil {
			return false, err
		}
		w.commit([]*formRequest{req})
		w.forms.Add(1)
		w.batches.Add(1)
		return req.duplicate, req.err
	}
	req.done = make(chan struct{})
	w.queued.Add(1)
	defer w.queued.Add(-1)
	select {
	case w.requests <- req:
	case <-w.closing:
		return false, errClosed
	case <-ctx.Done():
		return false, ctx.Err()
	}
	// Once taken, the request is answered after its batch's COMMIT, even if
	// the caller has gone: its result is what is on disk.
	<-req.done
	return req.duplicate, req.err
}

// close stops taking forms, lets the batches under way finish, and
// returns when the goroutine has ended.
func (w *groupWriter) close() {
	w.once.Do(func() { close(w.closing) })
	<-w.stopped
	w.mu.Lock() // a caller running its own form finishes first
	w.closed = true
	w.mu.Unlock()
}

func (w *groupWriter) loop() {
	defer close(w.stopped)
	batch := make([]*formRequest, 0, w.maxBatch)
	for {
		select {
		case req := <-w.requests:
			batch = append(batch[:0], req)
		case <-w.closing:
			return
		}
		// Everyone already waiting joins this batch.
	gather:
		for len(batch) < w.maxBatch {
			select {
			case req := <-w.requests:
				batch = append(batch, req)
			default:
				break gather
			}
		}
		w.mu.Lock()
		w.commit(batch)
		w.mu.Unlock()
		w.forms.Add(int64(len(batch)))
		w.batches.Add(1)
		for _, req := range batch {
			close(req.done)
		}
		clear(batch)
	}
}

// commit runs a batch in one transaction. A request's own failure rolls
// back its savepoint only; a failure of the transaction itself (BEGIN,
// a savepoint that cannot be rolled back, COMMIT) fails every request that
// had not failed on its own, repeats included: a repeat may be of a form
// in the same batch, which is then not stored either.
func (w *groupWriter) commit(batch []*formRequest) {
	// The statements run under a context no caller can cancel: an
	// interrupted statement may roll back the whole transaction, which
	// holds the other callers' forms too.
	ctx := context.Background()
	n := len(batch)
	err := w.step("BEGIN", n)
	var tx *sql.Tx
	if err == nil {
		tx, err = w.d.write.BeginTx(ctx, nil)
	}
	if err != nil {
		for _, req := range batch {
			req.err = fmt.Errorf("data: unable to begin saving: %w", err)
		}
		return
	}
	defer tx.Rollback()
	q := preparedTx{w.d, tx}
	var live []*formRequest // ran without an error of their own, repeats included
	changed := false
	fail := func(err error) {
		for _, req := range live {
			req.duplicate, req.err = false, err
		}
	}
	// A batch of one needs no savepoint: if its form fails, the whole
	// transaction rolls back.
	alone := len(batch) == 1
	for i, req := range batch {
		if err := req.ctx.Err(); err != nil {
			req.err = err // gave up before its turn: nothing done
			continue
		}
		if alone {
			req.duplicate, req.err = req.run(context.WithoutCancel(req.ctx), tx)
			if req.err == nil {
				live = append(live, req)
			}
			changed = req.err == nil && !req.duplicate
			continue
		}
		if err := w.exec(ctx, q, savepointSQL, n); err != nil {
			err = fmt.Errorf("data: unable to begin saving: %w", err)
			live = append(live, batch[i:]...)
			fail(err)
			return
		}
		req.duplicate, req.err = req.run(context.WithoutCancel(req.ctx), tx)
		keep := req.err == nil && !req.duplicate
		if !keep {
			if err := w.exec(ctx, q, rollbackToSQL, n); err != nil {
				live = append(live, batch[i:]...)
				fail(fmt.Errorf("data: unable to roll back a failed form: %w", err))
				return
			}
		}
		if err := w.exec(ctx, q, releaseSQL, n); err != nil {
			live = append(live, batch[i:]...)
			fail(fmt.Errorf("data: unable to save: %w", err))
			return
		}
		if req.err == nil {
			live = append(live, req)
		}
		changed = changed || keep
	}
	if !changed {
		return // nothing to keep; the deferred rollback ends the transaction
	}
	err = w.step("COMMIT", n)
	if err == nil {
		err = tx.Commit()
	}
	if err != nil {
		fail(fmt.Errorf("data: unable to commit: %w", err))
	}
}
