// Package data stores the survey in SQLite. It is the only package that
// imports database/sql and the driver; everything else sees survey values
// and coded survey errors. It also owns a round's report (RoundReport),
// built with scoring where the report's inputs live.
package data

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"lederradar/survey"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// DB is the survey's database: one SQLite file in WAL mode, written through
// a single connection and read through a pool.
type DB struct {
	// Now returns the current time; tests replace it. Every stored time
	// comes from it, in UTC and whole seconds.
	Now func() time.Time

	path  string
	write *sql.DB // one connection: SQLite has one writer anyway
	read  *sql.DB // query_only connections for reads outside write transactions

	mu          sync.Mutex
	instruments map[string]*survey.Instrument // parsed, by version; shared (CachedInstrument)
	// reports are the closed rounds' reports, held once read (RoundReport).
	reports reportCache

	// writer batches posted forms into group commits; nil when
	// Options.MaxBatch is 1.
	writer *groupWriter
	// prepared are the read pool's prepared hot lookups, writePrepared
	// the posted forms' statements on the write connection (stmtcache.go).
	prepared, writePrepared readStmts
}

// Every pragma lives in the DSN, so that each connection the pool opens gets
// it, not only the one an Exec happens to reach. busy_timeout comes first
// (the driver applies it first in any case) so that the others wait rather
// than fail on a busy file. synchronous=FULL because under WAL a power loss
// with NORMAL may roll back the last commits, and a saved answer must stay
// saved. secure_delete because an erased person's rows must leave no copy
// in the file's free space (ErasePerson).
const (
	writeParams = "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_pragma=secure_delete(1)&_txlock=immediate"
	// The driver applies _query_only after every _pragma, so the pool can
	// still confirm the journal mode before it turns read-only.
	readParams = "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)&_pragma=secure_delete(1)&_txlock=deferred&_query_only=1"
)

// dsn makes a SQLite URI for path. SQLite decodes %HH escapes in a URI and
// the driver splits at the first '?', so those characters are escaped.
func dsn(path, params string) string {
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return "file:" + r.Replace(path) + "?" + params
}

// Open opens the database at path, creating it when missing, and applies
// any migrations it has not seen yet.
func Open(path string) (*DB, error) {
	return OpenWithOptions(path, Options{})
}

// OpenWithOptions is Open with options other than the defaults.
func OpenWithOptions(path string, opt Options) (*DB, error) {
	if opt.MaxBatch < 0 {
		return nil, survey.Errorf(survey.EINVALID, "the batch size must not be negative")
	}
	if opt.MaxBatch == 0 {
		opt.MaxBatch = DefaultMaxBatch
	}
	if path == "" {
		return nil, survey.Errorf(survey.EINVALID, "database path is required")
	}
	if strings.HasPrefix(path, "file:") || path == ":memory:" {
		// A second pooled connection to ":memory:" sees another, empty
		// database; a URI would take the place of our parameters.
		return nil, survey.Errorf(survey.EINVALID, "database path must be a plain file name, not %q", path)
	}
	if err := restrictDatabaseFiles(path); err != nil {
		return nil, err
	}
	d := &DB{Now: time.Now, path: path, instruments: map[string]*survey.Instrument{}}
	ctx := context.Background()

	var err error
	d.write, err = sql.Open("sqlite", dsn(path, writeParams))
	if err != nil {
		return nil, fmt.Errorf("data: unable to open %s: %w", path, err)
	}
	d.write.SetMaxOpenConns(1)
	d.write.SetMaxIdleConns(1)
	d.write.SetConnMaxLifetime(0)
	d.write.SetConnMaxIdleTime(0)
	if err := d.write.PingContext(ctx); err != nil {
		_ = d.write.Close()
		return nil, fmt.Errorf("data: unable to open %s: %w", path, err)
	}
	if err := checkPragmas(ctx, d.write); err != nil {
		_ = d.write.Close()
		return nil, err
	}
	if err := d.migrate(ctx); err != nil {
		_ = d.write.Close()
		return nil, err
	}

	// The read pool opens after the writer has made the file WAL and
	// migrated it, so no reader ever sees a half-made schema.
	d.read, err = sql.Open("sqlite", dsn(path, readParams))
	if err != nil {
		_ = d.write.Close()
		return nil, fmt.Errorf("data: unable to open %s for reading: %w", path, err)
	}
	n := max(4, runtime.NumCPU())
	d.read.SetMaxOpenConns(n)
	d.read.SetMaxIdleConns(n)
	d.read.SetConnMaxIdleTime(5 * time.Minute)
	if err := checkPragmas(ctx, d.read); err != nil {
		_ = d.read.Close()
		_ = d.write.Close()
		return nil, err
	}
	if err := d.prepareForms(ctx); err != nil {
		d.closeStmts()
		_ = d.read.Close()
		_ = d.write.Close()
		return nil, err
	}
	if opt.MaxBatch > 1 {
		d.writer = newGroupWriter(d, opt.MaxBatch)
	}
	return d, nil
}

// checkPragmas confirms on one connection of h that the settings the
// durability promise rests on took effect. journal_mode=WAL, for one, is
// silently refused on file systems without shared memory.
func checkPragmas(ctx context.Context, h *sql.DB) error {
	var mode string
	var fk, synchronous, secure int
	if err := h.QueryRowContext(ctx, "PRAGMA secure_delete").Scan(&secure); err != nil {
		return fmt.Errorf("data: unable to read secure_delete: %w", err)
	}
	if secure != 1 {
		return fmt.Errorf("data: unable to configure the database: secure_delete=%d, want 1", secure)
	}
	if err := h.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		return fmt.Errorf("data: unable to read journal_mode: %w", err)
	}
	if err := h.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk); err != nil {
		return fmt.Errorf("data: unable to read foreign_keys: %w", err)
	}
	if err := h.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&synchronous); err != nil {
		return fmt.Errorf("data: unable to read synchronous: %w", err)
	}
	if !strings.EqualFold(mode, "wal") || fk != 1 || synchronous != 2 {
		return fmt.Errorf("data: unable to configure the database: journal_mode=%s foreign_keys=%d synchronous=%d, want wal, 1, 2", mode, fk, synchronous)
	}
	return nil
}

// ErrWALKept is TruncateWAL's error when readers kept the write-ahead
// log from being emptied.
var ErrWALKept = errors.New("data: readers kept the write-ahead log from being emptied; it empties at a later checkpoint")

// walTries is how often TruncateWAL tries; each try waits for readers as
// long as the busy timeout.
const walTries = 2

// TruncateWAL copies every committed change into the database file and
// empties the write-ahead log, whose frames keep earlier versions of
// changed pages — an erased person's rows among them — until they are
// overwritten. A reader still using the log blocks it: it waits for
// readers (the busy timeout), tries walTries times, and then returns
// ErrWALKept; the next checkpoint that completes empties it.
func (d *DB) TruncateWAL(ctx context.Context) error {
	for try := 1; ; try++ {
		var busy, frames, copied int
		if err := d.write.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &frames, &copied); err != nil {
			return fmt.Errorf("data: unable to empty the write-ahead log: %w", err)
		}
		if busy == 0 {
			return nil
		}
		if try == walTries {
			return ErrWALKept
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Close closes both handles, after the group commit under way, if any,
// has finished. Every committed write is already on disk.
func (d *DB) Close() error {
	if d.writer != nil {
		d.writer.close()
	}
	d.closeStmts()
	var errs []error
	if d.read != nil {
		errs = append(errs, d.read.Close())
	}
	if d.write != nil {
		errs = append(errs, d.write.Close())
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("data: unable to close: %w", err)
	}
	return nil
}

// Ping reports whether the database answers, for health checks.
func (d *DB) Ping(ctx context.Context) error {
	if err := d.read.PingContext(ctx); err != nil {
		return fmt.Errorf("data: unable to ping: %w", err)
	}
	return nil
}

// migration is one numbered file under migrations/.
type migration struct {
	version int
	name    string
	body    string
}

// migrations returns the embedded migrations in order, and an error when
// their numbers are not 1, 2, 3, … without gaps.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, fmt.Errorf("data: unable to list migrations: %w", err)
	}
	var ms []migration
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("data: unable to read migration %s: name must start with a number and '_'", base)
		}
		b, err := migrationFS.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("data: unable to read migration %s: %w", base, err)
		}
		ms = append(ms, migration{version: v, name: base, body: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("data: unable to order migrations: %s should be number %d", m.name, i+1)
		}
	}
	return ms, nil
}

// SchemaVersion is the number of the last embedded migration: the
// user_version of a database this program has opened.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil {
		return 0
	}
	return len(ms)
}

// migrate applies every migration newer than the database's user_version,
// each in its own transaction together with the new user_version, so a
// failed file leaves the database at the previous version.
func (d *DB) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	var current int
	if err := d.write.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return fmt.Errorf("data: unable to read schema version: %w", err)
	}
	if current > len(ms) {
		return fmt.Errorf("data: unable to use database: its schema version %d is newer than this program's %d", current, len(ms))
	}
	for _, m := range ms[current:] {
		if err := d.applyMigration(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

func (d *DB) applyMigration(ctx context.Context, m migration) error {
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("data: unable to begin migration %s: %w", m.name, err)
	}
	defer tx.Rollback()
	// Another process may have migrated while this one waited for the
	// write lock.
	var current int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return fmt.Errorf("data: unable to read schema version: %w", err)
	}
	if current >= m.version {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.body); err != nil {
		return fmt.Errorf("data: unable to apply migration %s: %w", m.name, err)
	}
	rows, err := tx.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return fmt.Errorf("data: unable to check foreign keys after %s: %w", m.name, err)
	}
	broken := rows.Next()
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return fmt.Errorf("data: unable to check foreign keys after %s: %w", m.name, err)
	}
	if broken {
		return fmt.Errorf("data: unable to apply migration %s: it leaves foreign keys broken", m.name)
	}
	// PRAGMA takes no placeholders; the version is an integer we made.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
		return fmt.Errorf("data: unable to set schema version %d: %w", m.version, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("data: unable to commit migration %s: %w", m.name, err)
	}
	return nil
}

// now returns the current time as it is stored: UTC, whole seconds.
func (d *DB) now() time.Time {
	f := d.Now
	if f == nil {
		f = time.Now
	}
	return f().UTC().Truncate(time.Second)
}

// timeLayout is RFC 3339 in UTC with whole seconds: fixed width, so that
// text order is time order.
const timeLayout = "2006-01-02T15:04:05Z"

func formatTime(t time.Time) string {
	return t.UTC().Truncate(time.Second).Format(timeLayout)
}

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) sql.NullString {
	if t.IsZero() {
		return sql.NullString{}
	}
	return sql.NullString{String: formatTime(t), Valid: true}
}

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("data: unable to read time %q: %w", s, err)
	}
	return t.UTC(), nil
}

func parseNullTime(s sql.NullString) (time.Time, error) {
	if !s.Valid {
		return time.Time{}, nil
	}
	return parseTime(s.String)
}

// sqliteCode returns the extended result code of a driver error, or 0.
func sqliteCode(err error) int {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code()
	}
	return 0
}

func isUniqueViolation(err error) bool {
	c := sqliteCode(err)
	return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

func isForeignKeyViolation(err error) bool {
	return sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

// queryer is what *sql.DB and *sql.Tx share, so a lookup can run inside a
// write transaction or on the read pool.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// exists reports whether query (a SELECT 1 …) finds a row.
func exists(ctx context.Context, q queryer, query string, args ...any) (bool, error) {
	var one int
	err := q.QueryRowContext(ctx, query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// validTokenHash reports whether s is a hex SHA-256 as auth.HashToken
// makes it, so a raw token passed by mistake is refused, never stored.
func validTokenHash(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// IsEmpty reports whether the database holds no people yet, as a fresh one
// that the demo may seed.
func (d *DB) IsEmpty(ctx context.Context) (bool, error) {
	found, err := exists(ctx, d.read, "SELECT 1 FROM people LIMIT 1")
	if err != nil {
		return false, fmt.Errorf("data: unable to check for people: %w", err)
	}
	return !found, nil
}

// findAll runs query on the read pool and scans every row with scan: the
// common loop of the lookups that list a whole table. what names the rows
// in error messages ("rounds").
func findAll[T any](ctx context.Context, d *DB, what, query string, scan func(interface{ Scan(...any) error }) (T, error), args ...any) ([]T, error) {
	rows, err := d.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("data: unable to find %s: %w", what, err)
	}
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("data: unable to find %s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: unable to find %s: %w", what, err)
	}
	return out, nil
}
