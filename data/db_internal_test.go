package data

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// The handles are private, so the pragma check is an internal test.
func TestPragmasOnEveryConnection(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, err := Open(filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()

	check := func(t *testing.T, c *sql.Conn, wantQueryOnly int) {
		t.Helper()
		var mode string
		var fk, sync, busy, qo int
		for _, q := range []struct {
			pragma string
			dest   any
		}{
			{"journal_mode", &mode}, {"foreign_keys", &fk}, {"synchronous", &sync},
			{"busy_timeout", &busy}, {"query_only", &qo},
		} {
			if err := c.QueryRowContext(ctx, "PRAGMA "+q.pragma).Scan(q.dest); err != nil {
				t.Fatalf("PRAGMA %s: %v", q.pragma, err)
			}
		}
		if got, want := strings.ToLower(mode), "wal"; got != want {
			t.Errorf("journal_mode = %q, want %q", got, want)
		}
		if got, want := fk, 1; got != want {
			t.Errorf("foreign_keys = %d, want %d", got, want)
		}
		if got, want := sync, 2; got != want {
			t.Errorf("synchronous = %d, want %d (FULL)", got, want)
		}
		if got, want := busy, 5000; got != want {
			t.Errorf("busy_timeout = %d, want %d", got, want)
		}
		if got, want := qo, wantQueryOnly; got != want {
			t.Errorf("query_only = %d, want %d", got, want)
		}
	}

	t.Run("write handle", func(t *testing.T) {
		c, err := d.write.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		check(t, c, 0)
	})

	t.Run("every read connection", func(t *testing.T) {
		// Hold several at once so the pool must open new ones.
		var conns []*sql.Conn
		for range 4 {
			c, err := d.read.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, c)
		}
		for _, c := range conns {
			check(t, c, 1)
			c.Close()
		}
		if got := d.read.Stats().OpenConnections; got < 4 {
			t.Errorf("read pool has %d connections, want at least 4", got)
		}
	})

	t.Run("write handle has one connection", func(t *testing.T) {
		if got, want := d.write.Stats().MaxOpenConnections, 1; got != want {
			t.Errorf("MaxOpenConnections = %d, want %d", got, want)
		}
	})
}

func TestMigrations(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "m.db")
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}

	userVersion := func(t *testing.T) int {
		t.Helper()
		var v int
		if err := d.read.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}

	t.Run("all applied", func(t *testing.T) {
		ms, err := migrations()
		if err != nil {
			t.Fatal(err)
		}
		if got, want := userVersion(t), len(ms); got != want {
			t.Errorf("user_version = %d, want %d", got, want)
		}
		for _, table := range []string{"instruments", "groups", "people", "team_members", "rounds",
			"invitations", "sessions", "responses", "answers", "form_keys"} {
			ok, err := exists(ctx, d.read, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?", table)
			if err != nil || !ok {
				t.Errorf("table %s missing (%v)", table, err)
			}
		}
	})

	t.Run("reopen is a no-op", func(t *testing.T) {
		before := userVersion(t)
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
		d, err = Open(path)
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		if got, want := userVersion(t), before; got != want {
			t.Errorf("user_version after reopen = %d, want %d", got, want)
		}
	})

	t.Run("refuses a newer schema", func(t *testing.T) {
		if _, err := d.write.ExecContext(ctx, "PRAGMA user_version = 999"); err != nil {
			t.Fatal(err)
		}
		d.Close()
		d2, err := Open(path)
		if err == nil {
			d2.Close()
			t.Fatal("Open of a newer schema succeeded, want an error")
		}
	})
}
