package data_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/survey"
)

// TestErasureLeavesNoCopy erases a person who answered in a round that
// then closed, and reads the raw bytes of the database file and its
// write-ahead log: the person's name (the one they have and the one they
// had before an edit), e-mail, link and session hashes and form keys
// occur in neither. Deleted rows are overwritten (secure_delete), and the
// log, which held earlier versions of their pages, is emptied.
func TestErasureLeavesNoCopy(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "traces.db")
	db := mustOpenDBAt(t, path)
	newClock(db)
	mustInstrument(t, db, "test-1")
	dept := survey.Group{Kind: survey.Department, Name: "Teknik"}
	if err := db.CreateGroup(ctx, &dept); err != nil {
		t.Fatal(err)
	}
	r := mustRound(t, db, "Runde", survey.RoundOpen)
	var secrets [][]byte
	var erased *survey.Person
	for i := range 8 {
		p := &survey.Person{Email: fmt.Sprintf("leader%d@example.dk", i), Name: fmt.Sprintf("Leder %d", i), DepartmentID: dept.ID}
		if i == 3 {
			p.Email, p.Name = "qorblefax.zyx@example.dk", "Oldname Vexquatch"
		}
		if err := db.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
		inv, token := mustInvitation(t, db, r, p)
		_, sessionHash := auth.NewToken()
		if err := db.CreateSession(ctx, sessionHash, inv.ID, time.Hour, time.Hour); err != nil {
			t.Fatal(err)
		}
		saveKey, submitKey := fmt.Sprintf("idem-save-%d-Qx7", i), fmt.Sprintf("idem-submit-%d-Qx7", i)
		if _, err := db.SaveAnswers(ctx, data.AnswerSave{RoundID: r.ID, SubjectID: p.ID, RaterID: p.ID, Relation: survey.Self,
			FormKey: saveKey, Answers: survey.Answers{"a1": 5, "a2": 4}}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SubmitResponse(ctx, r.ID, p.ID, p.ID, survey.Self, submitKey); err != nil {
			t.Fatal(err)
		}
		if i == 3 {
			erased = p
			secrets = append(secrets, []byte(p.Name), []byte(p.Email), []byte(auth.HashToken(token)), []byte(sessionHash),
				[]byte(saveKey), []byte(submitKey))
		}
	}
	// An edit leaves the old name in the page's free space unless deleted
	// content is overwritten.
	erased.Name = "Zyxwvut Qorblefax"
	if err := db.UpdatePerson(ctx, erased); err != nil {
		t.Fatal(err)
	}
	secrets = append(secrets, []byte(erased.Name))
	if err := db.SetRoundStatus(ctx, r.ID, survey.RoundClosed); err != nil {
		t.Fatal(err)
	}
	// Before the erasure, every trace is there to find: the check finds
	// what it looks for.
	if found := traces(t, path, secrets); len(found) == 0 {
		t.Fatal("no trace of the person before the erasure: the test looks in the wrong place")
	}
	if err := db.ErasePerson(ctx, erased.ID, "user:1"); err != nil {
		t.Fatal(err)
	}
	if found := traces(t, path, secrets); len(found) > 0 {
		t.Errorf("after the erasure the files still hold %q", found)
	}
}

// traces returns which of secrets occur in the database file at path, its
// write-ahead log or its shared-memory index.
func traces(t *testing.T, path string, secrets [][]byte) []string {
	t.Helper()
	var found []string
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		b, err := os.ReadFile(f)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range secrets {
			if bytes.Contains(b, s) {
				found = append(found, filepath.Base(f)+": "+string(s))
			}
		}
	}
	return found
}
