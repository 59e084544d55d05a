package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lederradar/survey"
)

func TestImportRaters(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "lr.db")
	mustRun(t, "", "import", "people", "--db", dbPath, writeFile(t, dir, "people.csv", peopleCSV))
	mustRun(t, "", "round", "create", "--db", dbPath, "Forår 2027", "--draft")

	// A bad line refuses the file whole, with the line's number.
	bad := writeFile(t, dir, "bad.csv", "subject_email;rater_email;relation\nanna@kommune.dk;chef@kommune.dk;leder\nanna@kommune.dk;anna@kommune.dk;kollega\n")
	_, errOut, err := runCmd(t, "", "import", "raters", "--db", dbPath, "--round", "Forår 2027", bad)
	wantCode(t, err, survey.EINVALID)
	if !strings.Contains(errOut, bad+":3: ") || !strings.Contains(errOut, "rate themself") {
		t.Errorf("stderr %q: want line 3's problem", errOut)
	}
	db := mustOpenDB(t, dbPath)
	if _, err := db.FindPersonByEmail(t.Context(), "chef@kommune.dk"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("line 2's rater was stored: %v", err)
	}

	good := writeFile(t, dir, "good.csv", "subject_email;rater_email;relation\nanna@kommune.dk;chef@kommune.dk;leder\nanna@kommune.dk;bo@kommune.dk;peer\n")
	linksFile := filepath.Join(dir, "links.csv")
	out, errOut := mustRun(t, "", "import", "raters", "--db", dbPath, "--round", "Forår 2027", "--base-url", "https://lederradar.kommune.dk", "--out", linksFile, good)
	if out != "" || !strings.Contains(errOut, "Imported 2 raters") {
		t.Errorf("stdout %q, stderr %q", out, errOut)
	}
	b, err := os.ReadFile(linksFile)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimPrefix(string(b), "\ufeff"), "\r\n")
	if lines[0] != "email;leader;relation;link" || !strings.HasPrefix(lines[1], "chef@kommune.dk;Anna Andersen;manager;https://lederradar.kommune.dk/i/") ||
		!strings.HasPrefix(lines[2], "bo@kommune.dk;Anna Andersen;peer;https://lederradar.kommune.dk/i/") {
		t.Errorf("links file:\n%s", b)
	}
	if fi, err := os.Stat(linksFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("links file mode %v, %v: want 0600", fi.Mode(), err)
	}
	r, err := db.FindRoundByName(t.Context(), "Forår 2027")
	if err != nil || r.Kind != survey.ThreeSixty {
		t.Errorf("round %+v, %v: want a 360 round", r, err)
	}
	wantAudit(t, db, "import.raters", "round:"+itoa(r.ID))

	// A rater who is no leader is erased by address, as a leader is.
	if out, _ := mustRun(t, "", "person", "erase", "--db", dbPath, "chef@kommune.dk"); !strings.Contains(out, "Erased person") {
		t.Errorf("stdout %q", out)
	}
	if _, err := db.FindPersonByEmail(t.Context(), "chef@kommune.dk"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("the rater is still there: %v", err)
	}
}
