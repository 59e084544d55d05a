package data

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// The hot lookups of every page a leader or HR user opens — the session,
// its invitation, round and person, the response — run as statements
// prepared once on the read pool: database/sql keeps each prepared per
// connection, so SQLite parses and plans them once per connection rather
// than once per request, which on a page of five lookups is a good part of
// the page's time.

// readStmts holds the read pool's prepared statements by query text.
type readStmts struct {
	stmts  sync.Map // query → *sql.Stmt
	mu     sync.Mutex
	closed bool
}

// readStmt returns the read pool's prepared statement for query,
// preparing it the first time.
func (d *DB) readStmt(ctx context.Context, query string) (*sql.Stmt, error) {
	return d.prepared.get(ctx, d.read, query)
}

// get returns the statement prepared on h for query, preparing it the
// first time.
func (c *readStmts) get(ctx context.Context, h *sql.DB, query string) (*sql.Stmt, error) {
	if s, ok := c.stmts.Load(query); ok {
		return s.(*sql.Stmt), nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.stmts.Load(query); ok {
		return s.(*sql.Stmt), nil
	}
	if c.closed {
		return nil, errClosed
	}
	s, err := h.PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("data: unable to prepare: %w", err)
	}
	c.stmts.Store(query, s)
	return s, nil
}

// close closes the statements.
func (c *readStmts) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	c.stmts.Range(func(q, s any) bool {
		_ = s.(*sql.Stmt).Close() // closing: the pool closes next, and reports its own error
		c.stmts.Delete(q)
		return true
	})
}

// preparedTx runs a write transaction's statements through statements
// prepared once on the write connection, for the posted forms: a page
// save is a handful of statements, and parsing them anew each time cost
// more than running them. The write pool has one connection, which a
// transaction holds, so nothing can be prepared on it from inside one:
// the statements are prepared when the database opens (formStatements),
// and any other runs unprepared.
type preparedTx struct {
	d  *DB
	tx *sql.Tx
}

// formStatements are the statements of the posted forms, prepared on the
// write connection at Open.
var formStatements = []string{
	findRoundSQL, findResponseSQL, findFormKeySQL, personExistsSQL, createResponseSQL,
	saveAnswerSQL, submitSQL, readAnswersSQL, storeTallySQL, insertFormKeySQL, checkSessionSQL, touchSessionSQL,
	savepointSQL, rollbackToSQL, releaseSQL,
}

// prepareForms prepares formStatements on the write connection, while no
// transaction holds it.
func (d *DB) prepareForms(ctx context.Context) error {
	for _, q := range formStatements {
		if _, err := d.writePrepared.get(ctx, d.write, q); err != nil {
			return err
		}
	}
	return nil
}

// stmt returns the prepared statement for query, if it was prepared.
func (p preparedTx) stmt(query string) *sql.Stmt {
	if s, ok := p.d.writePrepared.stmts.Load(query); ok {
		return s.(*sql.Stmt)
	}
	return nil
}

func (p preparedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s := p.stmt(query); s != nil {
		return p.tx.StmtContext(ctx, s).ExecContext(ctx, args...)
	}
	return p.tx.ExecContext(ctx, query, args...)
}

func (p preparedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := p.stmt(query); s != nil {
		return p.tx.StmtContext(ctx, s).QueryContext(ctx, args...)
	}
	return p.tx.QueryContext(ctx, query, args...)
}

func (p preparedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if s := p.stmt(query); s != nil {
		return p.tx.StmtContext(ctx, s).QueryRowContext(ctx, args...)
	}
	return p.tx.QueryRowContext(ctx, query, args...)
}

// readRow runs a one-row query on the read pool through its prepared
// statement. Its error, if any, comes out of Scan, as with QueryRow.
func (d *DB) readRow(ctx context.Context, query string, args ...any) rowScanner {
	s, err := d.readStmt(ctx, query)
	if err != nil {
		return errRow{err}
	}
	return s.QueryRowContext(ctx, args...)
}

// readRows runs a query on the read pool through its prepared statement.
func (d *DB) readRows(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	s, err := d.readStmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}

// closeStmts closes the prepared statements, before the handles close.
func (d *DB) closeStmts() {
	d.prepared.close()
	d.writePrepared.close()
}

// rowScanner is what *sql.Row and errRow share.
type rowScanner interface {
	Scan(dest ...any) error
}

// errRow is a row whose query could not even be prepared.
type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }
