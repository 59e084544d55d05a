package data_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"lederradar/data"
	"lederradar/survey"
)

func TestOpen(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("fresh database is empty and migrated", func(t *testing.T) {
		db := mustOpenDB(t)
		got, err := db.IsEmpty(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := true; got != want {
			t.Errorf("IsEmpty = %v, want %v", got, want)
		}
		if got, want := data.SchemaVersion(), 1; got < want {
			t.Errorf("SchemaVersion = %d, want at least %d", got, want)
		}
	})

	t.Run("reopening keeps data and applies nothing", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "reopen.db")
		db := mustOpenDBAt(t, path)
		mustPerson(t, db, "a@example.dk", "A")
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
		db = mustOpenDBAt(t, path)
		got, err := db.IsEmpty(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := false; got != want {
			t.Errorf("IsEmpty after reopen = %v, want %v", got, want)
		}
		if _, err := db.FindPersonByEmail(ctx, "a@example.dk"); err != nil {
			t.Errorf("FindPersonByEmail after reopen: %v", err)
		}
	})

	t.Run("refuses a URI or memory", func(t *testing.T) {
		for _, path := range []string{"", ":memory:", "file:x.db?mode=memory"} {
			_, err := data.Open(path)
			wantCode(t, err, survey.EINVALID)
		}
	})

	t.Run("path with URI characters", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "odd?dir#50%")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "a&b.db")
		db := mustOpenDBAt(t, path)
		mustPerson(t, db, "a@example.dk", "A")
		if _, err := os.Stat(path); err != nil {
			t.Errorf("database file not at %s: %v", path, err)
		}
	})
}

func TestBackup(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	mustInstrument(t, db, "test-1")
	p := mustPerson(t, db, "a@example.dk", "A")
	r := mustRound(t, db, "2026", survey.RoundOpen)
	if _, err := db.SaveAnswers(ctx, data.AnswerSave{
		RoundID: r.ID, SubjectID: p.ID, RaterID: p.ID, Relation: survey.Self,
		FormKey: "k1", Answers: survey.Answers{"a1": 4},
	}); err != nil {
		t.Fatal(err)
	}

	path := filepath.Join(t.TempDir(), "backup.db")
	if err := db.Backup(ctx, path); err != nil {
		t.Fatalf("Backup: %v", err)
	}

	t.Run("backup opens and has the rows", func(t *testing.T) {
		b := mustOpenDBAt(t, path)
		got, err := b.FindPersonByEmail(ctx, "a@example.dk")
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != p.ID {
			t.Errorf("person id = %d, want %d", got.ID, p.ID)
		}
		resp, err := b.FindResponse(ctx, r.ID, p.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := resp.Answers["a1"], survey.Answer(4); got != want {
			t.Errorf("answer a1 = %d, want %d", got, want)
		}
	})

	t.Run("refuses an existing file", func(t *testing.T) {
		err := db.Backup(ctx, path)
		wantCode(t, err, survey.ECONFLICT)
	})
}
