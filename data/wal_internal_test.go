package data

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestTruncateWALWaitsForReaders checks that a reader still using the
// write-ahead log keeps TruncateWAL from emptying it — reported as
// ErrWALKept, not as done — and that once the reader has finished the
// log is emptied.
func TestTruncateWALWaitsForReaders(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "wal.db")
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	// The writer's one connection waits 0.1 s for readers, not 5.
	if _, err := d.write.ExecContext(ctx, "PRAGMA busy_timeout = 100"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.write.ExecContext(ctx, "INSERT INTO people (email, name) VALUES ('a@x.dk', 'A')"); err != nil {
		t.Fatal(err)
	}
	reader, err := d.read.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := reader.QueryRowContext(ctx, "SELECT count(*) FROM people").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if _, err := d.write.ExecContext(ctx, "INSERT INTO people (email, name) VALUES ('b@x.dk', 'B')"); err != nil {
		t.Fatal(err)
	}
	if err := d.TruncateWAL(ctx); !errors.Is(err, ErrWALKept) {
		t.Errorf("TruncateWAL with a reader on the log = %v, want ErrWALKept", err)
	}
	if err := reader.Rollback(); err != nil {
		t.Fatal(err)
	}
	if err := d.TruncateWAL(ctx); err != nil {
		t.Fatalf("TruncateWAL without readers = %v", err)
	}
	if fi, err := os.Stat(path + "-wal"); err != nil || fi.Size() != 0 {
		t.Errorf("the log after TruncateWAL: %v bytes, %v", fi.Size(), err)
	}
}
