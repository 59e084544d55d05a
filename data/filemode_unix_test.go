//go:build unix

package data_test

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"lederradar/data"
	"lederradar/survey"
)

// TestDatabaseFilesOwnerOnly: the database, its -wal and -shm and every
// backup hold personal data and are readable by their owner only (0600),
// whatever the umask says, and an older, world-readable database is
// tightened when opened. The umask is the process's, so these subtests do
// not run in parallel with anything.
func TestDatabaseFilesOwnerOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	wantPrivate := func(t *testing.T, paths ...string) {
		t.Helper()
		for _, p := range paths {
			fi, err := os.Stat(p)
			if err != nil {
				t.Errorf("%s: %v", filepath.Base(p), err)
				continue
			}
			if got, want := fi.Mode().Perm(), fs.FileMode(0o600); got != want {
				t.Errorf("%s mode = %v, want %v", filepath.Base(p), got, want)
			}
		}
	}
	write := func(t *testing.T, db *data.DB) {
		t.Helper()
		mustInstrument(t, db, "test-1")
		p := mustPerson(t, db, "a@example.dk", "A")
		r := mustRound(t, db, "2026", survey.RoundOpen)
		if _, err := db.SaveAnswers(ctx, data.AnswerSave{
			RoundID: r.ID, SubjectID: p.ID, RaterID: p.ID, Relation: survey.Self,
			FormKey: "k1", Answers: survey.Answers{"a1": 4},
		}); err != nil {
			t.Fatal(err)
		}
	}

	for _, umask := range []int{0o022, 0o000, 0o077} {
		t.Run(fmt.Sprintf("umask %04o", umask), func(t *testing.T) {
			old := syscall.Umask(umask)
			defer syscall.Umask(old)
			dir := t.TempDir()
			path := filepath.Join(dir, "lederradar.db")
			db := mustOpenDBAt(t, path)
			write(t, db)
			wantPrivate(t, path, path+"-wal", path+"-shm")

			backup := filepath.Join(dir, "backup.db")
			if err := db.Backup(ctx, backup); err != nil {
				t.Fatalf("Backup: %v", err)
			}
			wantPrivate(t, backup)
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
			// The backup opens as a database (VACUUM INTO filled the
			// empty file made for it) and stays private.
			b := mustOpenDBAt(t, backup)
			if _, err := b.FindPersonByEmail(ctx, "a@example.dk"); err != nil {
				t.Errorf("backup: %v", err)
			}
			wantPrivate(t, backup, backup+"-wal", backup+"-shm")
		})
	}

	t.Run("an older world-readable database is tightened on open", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "old.db")
		db := mustOpenDBAt(t, path)
		write(t, db)
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{path, path + "-wal", path + "-shm"} {
			if _, err := os.Stat(p); err == nil {
				if err := os.Chmod(p, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		db = mustOpenDBAt(t, path)
		mustPerson(t, db, "b@example.dk", "B")
		wantPrivate(t, path, path+"-wal", path+"-shm")
	})

	t.Run("a failed backup leaves no file", func(t *testing.T) {
		db := mustOpenDB(t)
		ctx, cancel := context.WithCancel(ctx)
		cancel()
		backup := filepath.Join(t.TempDir(), "backup.db")
		if err := db.Backup(ctx, backup); err == nil {
			t.Fatal("Backup with a cancelled context succeeded")
		}
		if _, err := os.Stat(backup); !os.IsNotExist(err) {
			t.Errorf("after a failed backup: %v, want no file", err)
		}
	})
}
