package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lederradar/survey"
)

// TestPersonErase erases a person from the command line: the person and
// their answers go, the audit log names the command line, and an
// address nobody has is an error that changes nothing.
func TestPersonErase(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "lr.db")
	mustRun(t, "", "import", "people", "--db", dbPath, writeFile(t, dir, "people.csv", peopleCSV))
	in, err := survey.DefaultInstrument()
	if err != nil {
		t.Fatal(err)
	}
	item := in.Competences[0].Items[0].ID
	mustRun(t, "", "import", "responses", "--db", dbPath, "--round", "Forår 2027",
		writeFile(t, dir, "answers.csv", "email;"+item+"\nanna@kommune.dk;5\nbo@kommune.dk;4\n"))
	db := mustOpenDB(t, dbPath)
	ctx := t.Context()
	anna, err := db.FindPersonByEmail(ctx, "anna@kommune.dk")
	if err != nil {
		t.Fatal(err)
	}
	round, err := db.FindRoundByName(ctx, "Forår 2027")
	if err != nil {
		t.Fatal(err)
	}
	state := func() (people, responses, audit int) {
		t.Helper()
		ps, err := db.FindPeople(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rs, err := db.FindSubmittedResponses(ctx, round.ID)
		if err != nil {
			t.Fatal(err)
		}
		es, err := db.FindAudit(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		return len(ps), len(rs), len(es)
	}

	t.Run("unknown e-mail", func(t *testing.T) {
		people, responses, audit := state()
		_, _, err := runCmd(t, "", "person", "erase", "--db", dbPath, "nobody@kommune.dk")
		wantCode(t, err, survey.ENOTFOUND)
		if err == nil || !strings.Contains(err.Error(), "nobody@kommune.dk") {
			t.Errorf("err = %v, want one naming the address", err)
		}
		if p, r, a := state(); p != people || r != responses || a != audit {
			t.Errorf("after a refused erasure: %d people, %d responses, %d audit entries; want %d, %d, %d", p, r, a, people, responses, audit)
		}
	})

	t.Run("usage", func(t *testing.T) {
		for _, args := range [][]string{{"person"}, {"person", "erase", "--db", dbPath}, {"person", "forget", "--db", dbPath, "anna@kommune.dk"}} {
			_, errOut, err := runCmd(t, "", args...)
			if !errors.Is(err, errUsage) || !strings.Contains(errOut, "Usage") {
				t.Errorf("%v: %v, stderr %q; want the usage error and text", args, err, errOut)
			}
		}
		missing := filepath.Join(dir, "missing.db")
		if _, _, err := runCmd(t, "", "person", "erase", "--db", missing, "anna@kommune.dk"); err == nil || !strings.Contains(err.Error(), "does not exist") {
			t.Errorf("erasure in a missing database: %v", err)
		}
		if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
			t.Error("the erasure created the missing database")
		}
	})

	t.Run("erase", func(t *testing.T) {
		out, _ := mustRun(t, "", "person", "erase", "--db", dbPath, "Anna@Kommune.dk")
		if !strings.Contains(out, "Erased person") {
			t.Errorf("output %q", out)
		}
		_, err := db.FindPersonByEmail(ctx, "anna@kommune.dk")
		wantCode(t, err, survey.ENOTFOUND)
		rs, err := db.FindSubmittedResponses(ctx, round.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rs {
			if r.SubjectID == anna.ID || r.RaterID == anna.ID {
				t.Errorf("a response of the erased person is left: %+v", r)
			}
		}
		if len(rs) != 1 {
			t.Errorf("%d responses left, want Bo's", len(rs))
		}
		wantAudit(t, db, "person.erase", "person:"+itoa(anna.ID))

		_, _, err = runCmd(t, "", "person", "erase", "--db", dbPath, "anna@kommune.dk")
		wantCode(t, err, survey.ENOTFOUND)
	})
}
