package data

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"lederradar/internal/auth"
	"lederradar/survey"
)

// oldDatabase makes at path a database as an earlier release left it:
// the first n migrations applied, the next one named next. It runs stmts
// in it and closes it, for Open to upgrade.
func oldDatabase(t *testing.T, path string, n int, next string, stmts ...string) {
	t.Helper()
	ctx := context.Background()
	h, err := sql.Open("sqlite", dsn(path, writeParams))
	if err != nil {
		t.Fatal(err)
	}
	h.SetMaxOpenConns(1)
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) <= n || ms[n].name != next {
		t.Fatalf("migrations = %d, want %s after the first %d", len(ms), next, n)
	}
	old := &DB{write: h}
	for _, m := range ms[:n] {
		if err := old.applyMigration(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range stmts {
		if _, err := h.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestMigration0002 applies 0002 to a database that 0001 made and that
// holds data, as an upgrade of a running installation does.
func TestMigration0002(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	// A database as the first release left it: 0001 only, with a person,
	// a round, an invitation and a leader's session.
	_, sessionHash := auth.NewToken()
	_, invHash := auth.NewToken()
	now := formatTime(time.Now())
	oldDatabase(t, path, 1, "0002_accounts.sql",
		"INSERT INTO instruments (version, body) VALUES ('v1', x'00')",
		"INSERT INTO people (id, email, name) VALUES (1, 'ann@example.dk', 'Ann')",
		fmt.Sprintf("INSERT INTO rounds (id, name, status, instrument_version, created_at) VALUES (1, '2025', 'open', 'v1', '%s')", now),
		fmt.Sprintf("INSERT INTO invitations (id, round_id, person_id, subject_id, relation, token_hash, created_at) VALUES (1, 1, 1, 1, 'self', '%s', '%s')", invHash, now),
		fmt.Sprintf("INSERT INTO sessions (token_hash, invitation_id, created_at, last_seen_at, expires_at, idle_seconds) VALUES ('%s', 1, '%s', '%s', '2999-01-01T00:00:00Z', 3600)", sessionHash, now, now))

	d, err := Open(path)
	if err != nil {
		t.Fatalf("Open of a 0001 database: %v", err)
	}
	t.Cleanup(func() { d.Close() })

	t.Run("fresh database", func(t *testing.T) {
		f, err := Open(filepath.Join(t.TempDir(), "fresh.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var v int
		if err := f.read.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
			t.Fatal(err)
		}
		if got, want := v, len(ms); got != want {
			t.Errorf("user_version = %d, want %d", got, want)
		}
		for _, table := range []string{"users", "login_failures", "api_tokens", "audit_log"} {
			ok, err := exists(ctx, f.read, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?", table)
			if err != nil || !ok {
				t.Errorf("table %s missing (%v)", table, err)
			}
		}
	})

	t.Run("version and tables", func(t *testing.T) {
		var v int
		if err := d.read.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
			t.Fatal(err)
		}
		if got, want := v, len(ms); got != want {
			t.Errorf("user_version = %d, want %d", got, want)
		}
		for _, table := range []string{"users", "login_failures", "api_tokens", "audit_log"} {
			ok, err := exists(ctx, d.read, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?", table)
			if err != nil || !ok {
				t.Errorf("table %s missing (%v)", table, err)
			}
		}
		ok, err := exists(ctx, d.read, "SELECT 1 FROM pragma_table_info('sessions') WHERE name = 'user_id'")
		if err != nil || !ok {
			t.Errorf("sessions.user_id missing (%v)", err)
		}
	})

	t.Run("old data kept", func(t *testing.T) {
		p, err := d.FindPersonByEmail(ctx, "ann@example.dk")
		if err != nil || p.ID != 1 {
			t.Errorf("FindPersonByEmail = %+v, %v; want person 1", p, err)
		}
		s, _, _, _, err := d.FindLeaderSession(ctx, sessionHash, time.Hour)
		if err != nil {
			t.Fatalf("leader session after migration: %v", err)
		}
		if got, want := s.InvitationID, int64(1); got != want || s.UserID != 0 {
			t.Errorf("session = %+v, want invitation %d and no user", *s, want)
		}
		_, err = d.FindUserSession(ctx, sessionHash, time.Hour)
		if got, want := survey.ErrorCode(err), survey.ENOTFOUND; got != want {
			t.Errorf("FindUserSession of a leader session: code %q, want %q", got, want)
		}
	})

	t.Run("a session belongs to exactly one of invitation and user", func(t *testing.T) {
		u := &survey.User{Email: "hr@example.dk", Role: survey.RoleHR}
		if err := d.CreateUser(ctx, u, "$argon2id$x"); err != nil {
			t.Fatal(err)
		}
		_, hash := auth.NewToken()
		for _, args := range [][]any{{hash, 1, u.ID}, {hash, nil, nil}} {
			_, err := d.write.ExecContext(ctx, `
				INSERT INTO sessions (token_hash, invitation_id, user_id, created_at, last_seen_at, expires_at, idle_seconds)
				VALUES (?, ?, ?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', 60)`, args...)
			if err == nil {
				t.Errorf("session with invitation %v and user %v stored, want a CHECK failure", args[1], args[2])
			}
		}
	})

	t.Run("reopen applies nothing", func(t *testing.T) {
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
		d, err = Open(path)
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		if _, _, err := d.FindUserByEmail(ctx, "hr@example.dk"); err != nil {
			t.Errorf("user after reopen: %v", err)
		}
	})
}

// TestMigration0005 applies 0005 to a database that 0001–0004 made, in
// which the person with the highest id, 7, was erased and is named only by
// the audit log: the next person must not get id 7 again.
func TestMigration0005(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	oldDatabase(t, path, 4, "0005_people_id_floor.sql",
		"INSERT INTO people (id, email, name) VALUES (3, 'ann@example.dk', 'Ann')",
		"INSERT INTO audit_log (at, actor, action, target, detail) VALUES ('2026-01-01T00:00:00Z', 'leader:6', 'mydata.download', 'person:6', '')",
		"INSERT INTO audit_log (at, actor, action, target, detail) VALUES ('2026-01-02T00:00:00Z', 'user:1', 'person.erase', 'person:7', '')")
	d, err := Open(path)
	if err != nil {
		t.Fatalf("Open of a 0004 database: %v", err)
	}
	defer d.Close()
	p := &survey.Person{Email: "bo@example.dk", Name: "Bo"}
	if err := d.CreatePerson(ctx, p); err != nil {
		t.Fatal(err)
	}
	if p.ID != 8 {
		t.Errorf("the first person after the migration got id %d, want 8 (the audit log names 7)", p.ID)
	}
}
