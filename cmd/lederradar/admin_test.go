package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/survey"
)

// runCmd runs the command line args with stdin and returns what it wrote.
func runCmd(t *testing.T, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err = run(t.Context(), args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), err
}

// mustRun runs args and fails the test on an error.
func mustRun(t *testing.T, stdin string, args ...string) (stdout, stderr string) {
	t.Helper()
	stdout, stderr, err := runCmd(t, stdin, args...)
	if err != nil {
		t.Fatalf("%s: %v\nstderr:\n%s", strings.Join(args, " "), err, stderr)
	}
	return stdout, stderr
}

// openDB opens the database a command wrote, for the test to look at, and
// closes it when the test ends.
func mustOpenDB(t *testing.T, path string) *data.DB {
	t.Helper()
	db, err := data.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// wantCode fails the test unless err carries the domain error code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := survey.ErrorCode(err); got != code {
		t.Errorf("err = %v (code %q), want code %q", err, got, code)
	}
}

// wantAudit fails the test unless the audit log has an entry by the CLI
// with the action and target.
func wantAudit(t *testing.T, db *data.DB, action, target string) {
	t.Helper()
	es, err := db.FindAudit(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if e.Actor == "cli" && e.Action == action && e.Target == target {
			return
		}
	}
	t.Errorf("no audit entry (cli, %s, %s) in %+v", action, target, es)
}

const peopleCSV = "email,name,department,teams\n" +
	"anna@kommune.dk,Anna Andersen,Ældre,\"Sundhed;Tryghed\"\n" +
	"bo@kommune.dk,Bo Berg,Ældre,Sundhed\n" +
	"cai@kommune.dk,Cai Carlsen,Skole,\n"

func TestUserAdd(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "lr.db")
	generated := regexp.MustCompile(`(?m)^[2-9a-hjkmnp-z]{5}(-[2-9a-hjkmnp-z]{5}){4}$`)
	tests := []struct {
		name     string
		args     []string
		stdin    string
		wantErr  string // a code, "usage", or "" for success
		password string // the password stored, "generated" to read it from the output
		role     survey.Role
	}{
		{"generated", []string{"--email", "hr@kommune.dk", "--role", "hr", "--generate"}, "ignored\n", "", "generated", survey.RoleHR},
		{"from stdin", []string{"--email", "admin@kommune.dk", "--role", "admin"}, "korrekt hest batteri\n", "", "korrekt hest batteri", survey.RoleAdmin},
		{"stdin without newline, CRLF trimmed", []string{"--role", "hr", "--email", "crlf@kommune.dk"}, "en lang adgangskode\r\n", "", "en lang adgangskode", survey.RoleHR},
		{"too short", []string{"--email", "short@kommune.dk", "--role", "hr"}, "kort\n", survey.EINVALID, "", ""},
		{"empty stdin", []string{"--email", "none@kommune.dk", "--role", "hr"}, "", survey.EINTERNAL, "", ""},
		{"a common password", []string{"--email", "common@kommune.dk", "--role", "hr"}, "QwertyUiop123\n", survey.EINVALID, "", ""},
		{"the e-mail address", []string{"--email", "mette.lund@kommune.dk", "--role", "hr"}, "Mette.Lund@kommune.dk\n", survey.EINVALID, "", ""},
		{"the e-mail's local part", []string{"--email", "mette.lundgaard@kommune.dk", "--role", "hr"}, "mette.lundgaard\n", survey.EINVALID, "", ""},
		{"taken", []string{"--email", "HR@kommune.dk", "--role", "hr", "--generate"}, "", survey.ECONFLICT, "", ""},
		{"bad role", []string{"--email", "x@kommune.dk", "--role", "boss", "--generate"}, "", survey.EINVALID, "", ""},
		{"bad e-mail", []string{"--email", "not-an-address", "--role", "hr", "--generate"}, "", survey.EINVALID, "", ""},
		{"no e-mail", []string{"--role", "hr", "--generate"}, "", "usage", "", ""},
		{"an argument", []string{"--email", "y@kommune.dk", "--role", "hr", "extra"}, "", "usage", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"user", "add", "--db", dbPath}, tt.args...)
			out, errOut, err := runCmd(t, tt.stdin, args...)
			email := ""
			if i := slices.Index(tt.args, "--email"); i >= 0 {
				email = tt.args[i+1]
			}
			switch tt.wantErr {
			case "":
				if err != nil {
					t.Fatalf("err = %v\n%s", err, errOut)
				}
			case "usage":
				if !errors.Is(err, errUsage) {
					t.Fatalf("err = %v, want the usage error", err)
				}
				return
			default:
				wantCode(t, err, tt.wantErr)
				if err != nil && strings.Contains(err.Error(), "code=") {
					t.Errorf("error %q reads like a struct, not a sentence", err)
				}
				if tt.wantErr != survey.ECONFLICT {
					_, _, err := mustOpenDB(t, dbPath).FindUserByEmail(t.Context(), email)
					wantCode(t, err, survey.ENOTFOUND)
				}
				return
			}

			password := tt.password
			if password == "generated" {
				password = generated.FindString(out)
				if password == "" {
					t.Fatalf("no generated password in %q", out)
				}
			} else if strings.Contains(out, password) {
				t.Errorf("the output shows the password: %q", out)
			}
			db := mustOpenDB(t, dbPath)
			u, hash, err := db.FindUserByEmail(t.Context(), email)
			if err != nil {
				t.Fatal(err)
			}
			if !auth.CheckPassword(hash, password) {
				t.Errorf("the stored hash does not accept the password %q", password)
			}
			if u.Role != tt.role {
				t.Errorf("role = %q, want %q", u.Role, tt.role)
			}
			wantAudit(t, db, "user.add", "user:"+itoa(u.ID))
		})
	}

	t.Run("list", func(t *testing.T) {
		out, _ := mustRun(t, "", "user", "list", "--db", dbPath)
		for _, want := range []string{"EMAIL", "hr@kommune.dk", "admin@kommune.dk", "admin", "no"} {
			if !strings.Contains(out, want) {
				t.Errorf("user list lacks %q:\n%s", want, out)
			}
		}
		if strings.Contains(out, "short@") {
			t.Errorf("user list shows a refused user:\n%s", out)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestImportPeople(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "lr.db")
	good := writeFile(t, dir, "people.csv", peopleCSV)

	out, _ := mustRun(t, "", "import", "people", "--db", dbPath, good)
	if want := "created 3, updated 0 people; 4 new groups"; !strings.Contains(out, want) {
		t.Errorf("output %q, want %q", out, want)
	}
	// Again: the same people, updated; flags after the file work too.
	out, _ = mustRun(t, "", "import", "people", good, "--db", dbPath)
	if want := "created 0, updated 3 people; 0 new groups"; !strings.Contains(out, want) {
		t.Errorf("output %q, want %q", out, want)
	}

	// A file with a bad address on line 3 is refused whole: its valid new
	// person on line 2 is not stored either.
	bad := writeFile(t, dir, "bad.csv", "email,name,department,teams\n"+
		"dina@kommune.dk,Dina Dam,Skole,\n"+
		"ikke en adresse,Erik Eg,Skole,\n")
	_, errOut, err := runCmd(t, "", "import", "people", "--db", dbPath, bad)
	if err == nil || !strings.Contains(err.Error(), "nothing was stored") {
		t.Errorf("err = %v, want one saying nothing was stored", err)
	}
	wantCode(t, err, survey.EINVALID)
	if want := bad + ":3: "; !strings.Contains(errOut, want) || !strings.Contains(errOut, "ikke en adresse") {
		t.Errorf("stderr %q, want a problem at %q naming the address", errOut, want)
	}
	db := mustOpenDB(t, dbPath)
	people, err := db.FindPeople(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(people) != 3 {
		t.Errorf("%d people after the refused file, want 3", len(people))
	}
	wantAudit(t, db, "import.people", "")

	t.Run("missing file", func(t *testing.T) {
		_, _, err := runCmd(t, "", "import", "people", "--db", dbPath, filepath.Join(dir, "missing.csv"))
		if err == nil || !strings.Contains(err.Error(), "missing.csv") {
			t.Errorf("err = %v, want one naming the file", err)
		}
	})
	t.Run("stdin", func(t *testing.T) {
		out, _ := mustRun(t, "email;name\nfie@kommune.dk;Fie Fog\n", "import", "people", "--db", dbPath, "-")
		if !strings.Contains(out, "created 1, updated 0") {
			t.Errorf("output %q", out)
		}
	})
}

func TestImportResponses(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "lr.db")
	mustRun(t, "", "import", "people", "--db", dbPath, writeFile(t, dir, "people.csv", peopleCSV))
	in, err := survey.DefaultInstrument()
	if err != nil {
		t.Fatal(err)
	}
	items := in.Competences[0].Items
	header := "email;" + items[0].ID + ";" + items[1].ID + ";" + items[2].ID + "\n"

	// An unknown person is a line-numbered problem, and the round the
	// import would have made is not made.
	bad := writeFile(t, dir, "bad.csv", header+"anna@kommune.dk;5;4;3\nukendt@kommune.dk;1;2;3\n")
	_, errOut, err := runCmd(t, "", "import", "responses", "--db", dbPath, "--round", "Efterår 2026", bad)
	if err == nil || !strings.Contains(errOut, bad+":3: ") || !strings.Contains(errOut, "ukendt@kommune.dk") {
		t.Errorf("err = %v, stderr %q: want the unknown person on line 3", err, errOut)
	}
	_, err = mustOpenDB(t, dbPath).FindRoundByName(t.Context(), "Efterår 2026")
	wantCode(t, err, survey.ENOTFOUND)

	good := writeFile(t, dir, "good.csv", header+"anna@kommune.dk;5;4;3\nbo@kommune.dk;0;;2\n")
	out, _ := mustRun(t, "", "import", "responses", "--db", dbPath, "--round", "Efterår 2026", good)
	if !strings.Contains(out, "imported 2 responses") {
		t.Errorf("output %q, want the count", out)
	}
	db := mustOpenDB(t, dbPath)
	r, err := db.FindRoundByName(t.Context(), "Efterår 2026")
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != survey.RoundOpen || r.InstrumentVersion != in.Version {
		t.Errorf("round %+v, want open on instrument %s", r, in.Version)
	}
	wantAudit(t, db, "import.responses", "round:"+itoa(r.ID))

	// Into an existing open round, by the round's own instrument.
	out, _ = mustRun(t, "", "import", "responses", "--db", dbPath, "--round", "Efterår 2026",
		writeFile(t, dir, "more.csv", header+"cai@kommune.dk;1;1;1\n"))
	if !strings.Contains(out, "imported 1 responses") {
		t.Errorf("output %q", out)
	}

	_, _, err = runCmd(t, "", "import", "responses", "--db", dbPath, good)
	if !errors.Is(err, errUsage) {
		t.Errorf("without --round: %v, want the usage error", err)
	}
}

func TestRound(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "lr.db")

	// Flags after the name, as people type them.
	out, _ := mustRun(t, "", "round", "create", "--db", dbPath, "Forår 2027", "--opens", "2027-03-01", "--closes", "2027-03-31", "--draft")
	if !strings.Contains(out, "Forår 2027") {
		t.Errorf("output %q", out)
	}
	db := mustOpenDB(t, dbPath)
	r, err := db.FindRoundByName(t.Context(), "Forår 2027")
	if err != nil {
		t.Fatal(err)
	}
	in, _ := survey.DefaultInstrument()
	if r.Status != survey.RoundDraft || r.InstrumentVersion != in.Version ||
		!r.Opens.Equal(time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)) || !r.Closes.Equal(time.Date(2027, 3, 31, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("round %+v", r)
	}
	wantAudit(t, db, "round.create", "round:"+itoa(r.ID))

	steps := []struct {
		args []string
		code string // "" for success, "usage"
		want survey.RoundStatus
	}{
		{[]string{"round", "open", "--db", dbPath, "Forår 2027", "--early"}, "", survey.RoundOpen},
		{[]string{"round", "open", "Forår 2027", "--db", dbPath}, "", survey.RoundOpen}, // already open: no-op
		{[]string{"round", "close", "--db", dbPath, "Forår 2027"}, "", survey.RoundClosed},
		{[]string{"round", "open", "--db", dbPath, "Forår 2027"}, survey.ECONFLICT, survey.RoundClosed},
		{[]string{"round", "close", "--db", dbPath, "Forår 2028"}, survey.ENOTFOUND, survey.RoundClosed},
		{[]string{"round", "create", "--db", dbPath, "forår 2027"}, survey.ECONFLICT, survey.RoundClosed},
		{[]string{"round", "create", "--db", dbPath, "Sent", "--opens", "2027-03-31", "--closes", "2027-03-01"}, survey.EINVALID, survey.RoundClosed},
		{[]string{"round", "create", "--db", dbPath, "Sent", "--opens", "1. marts"}, "usage", survey.RoundClosed},
		{[]string{"round", "create", "--db", dbPath, "To", "ord"}, "usage", survey.RoundClosed},
		{[]string{"round", "create", "--db", dbPath}, "usage", survey.RoundClosed},
		{[]string{"round", "reopen", "--db", dbPath, "Forår 2027"}, "usage", survey.RoundClosed},
		{[]string{"round"}, "usage", survey.RoundClosed},
	}
	for _, s := range steps {
		_, errOut, err := runCmd(t, "", s.args...)
		switch s.code {
		case "":
			if err != nil {
				t.Fatalf("%v: %v\n%s", s.args, err, errOut)
			}
		case "usage":
			if !errors.Is(err, errUsage) {
				t.Errorf("%v: %v, want the usage error", s.args, err)
			}
		default:
			if survey.ErrorCode(err) != s.code {
				t.Errorf("%v: %v, want code %s", s.args, err, s.code)
			}
		}
		r, err := db.FindRoundByName(t.Context(), "Forår 2027")
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != s.want {
			t.Errorf("after %v: %s, want %s", s.args, r.Status, s.want)
		}
	}
	wantAudit(t, db, "round.open", "round:"+itoa(r.ID))
	wantAudit(t, db, "round.close", "round:"+itoa(r.ID))

	out, _ = mustRun(t, "", "round", "list", "--db", dbPath)
	if !strings.Contains(out, "Forår 2027") || !strings.Contains(out, "closed") || !strings.Contains(out, "2027-03-31") {
		t.Errorf("round list:\n%s", out)
	}
	mustRun(t, "", "round", "create", "--db", dbPath, "Efterår 2027")
	if r, err := db.FindRoundByName(t.Context(), "Efterår 2027"); err != nil || r.Status != survey.RoundOpen || !r.Opens.IsZero() {
		t.Errorf("round without flags: %+v, %v; want open without dates", r, err)
	}
}

// TestRoundOpensOnItsDay checks that the command line treats a round's
// first day as the round's page does: a round dated after today opens
// only with --early, and opening a second round says which is open too.
func TestRoundOpensOnItsDay(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "lr.db")
	later := time.Now().AddDate(0, 0, 30).Format(time.DateOnly)
	mustRun(t, "", "round", "create", "--db", dbPath, "Nu")

	_, _, err := runCmd(t, "", "round", "create", "--db", dbPath, "Senere", "--opens", later)
	if survey.ErrorCode(err) != survey.EINVALID || !strings.Contains(err.Error(), later) || !strings.Contains(err.Error(), "--draft") {
		t.Errorf("create dated later without --draft: %v; want the refusal naming the date and --draft", err)
	}
	db := mustOpenDB(t, dbPath)
	if _, err := db.FindRoundByName(t.Context(), "Senere"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("the refused round exists: %v", err)
	}

	mustRun(t, "", "round", "create", "--db", dbPath, "Senere", "--opens", later, "--draft")
	_, _, err = runCmd(t, "", "round", "open", "--db", dbPath, "Senere")
	if survey.ErrorCode(err) != survey.EINVALID || !strings.Contains(err.Error(), "--early") {
		t.Errorf("open before its day: %v; want the refusal naming --early", err)
	}
	if r, err := db.FindRoundByName(t.Context(), "Senere"); err != nil || r.Status != survey.RoundDraft {
		t.Errorf("after the refused open: %+v, %v; want a draft", r, err)
	}
	_, errOut, err := runCmd(t, "", "round", "open", "--db", dbPath, "Senere", "--early")
	if err != nil || !strings.Contains(errOut, `also open: "Nu"`) {
		t.Errorf("open --early: %v, stderr %q; want it opened with a note on \"Nu\"", err, errOut)
	}

	_, errOut, err = runCmd(t, "", "round", "create", "--db", dbPath, "Tidlig", "--opens", later, "--early")
	if err != nil || !strings.Contains(errOut, `"Nu"`) || !strings.Contains(errOut, `"Senere"`) {
		t.Errorf("create --early: %v, stderr %q; want it opened with a note on both", err, errOut)
	}
	if r, err := db.FindRoundByName(t.Context(), "Tidlig"); err != nil || r.Status != survey.RoundOpen {
		t.Errorf("create --early: %+v, %v; want open", r, err)
	}
}

// readInvitations parses the invitations CSV and returns its rows after
// the header, checking the shape mail merge in Danish Excel needs.
func readInvitations(t *testing.T, b []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("\ufeff")) {
		t.Fatalf("no byte order mark: %q", b)
	}
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	cr.Comma = ';'
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("invalid CSV: %v\n%s", err, b)
	}
	if len(recs) == 0 || !slices.Equal(recs[0], []string{"email", "name", "link"}) {
		t.Fatalf("header %v, want email;name;link", recs)
	}
	return recs[1:]
}

func TestInvitations(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "lr.db")
	const base = "https://lederradar.example.dk"
	mustRun(t, "", "import", "people", "--db", dbPath, writeFile(t, dir, "people.csv", peopleCSV))
	mustRun(t, "", "round", "create", "--db", dbPath, "Forår 2027")
	db := mustOpenDB(t, dbPath)

	tokenOf := func(t *testing.T, link string) string {
		t.Helper()
		token, ok := strings.CutPrefix(link, base+"/i/")
		if !ok || !auth.WellFormedToken(token) {
			t.Fatalf("link %q is not %s/i/TOKEN", link, base)
		}
		return token
	}
	found := func(token string) error {
		_, err := db.FindInvitationByTokenHash(t.Context(), auth.HashToken(token))
		return err
	}

	out := filepath.Join(dir, "links.csv")
	_, errOut := mustRun(t, "", "invitations", "--db", dbPath, "--round", "Forår 2027", "--base-url", base, "--out", out)
	if !strings.Contains(errOut, "Issued 3 links") {
		t.Errorf("stderr %q", errOut)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	rows := readInvitations(t, b)
	if len(rows) != 3 {
		t.Fatalf("%d rows, want 3:\n%s", len(rows), b)
	}
	first := map[string]string{} // email → token
	for _, row := range rows {
		token := tokenOf(t, row[2])
		if err := found(token); err != nil {
			t.Errorf("%s's link: %v", row[0], err)
		}
		first[row[0]] = token
	}
	if rows[0][0] != "anna@kommune.dk" || rows[0][1] != "Anna Andersen" {
		t.Errorf("first row %v", rows[0])
	}
	if fi, err := os.Stat(out); err == nil && fi.Mode().Perm()&0o077 != 0 {
		t.Errorf("the links file is readable by others: %v", fi.Mode())
	}
	r, _ := db.FindRoundByName(t.Context(), "Forår 2027")
	wantAudit(t, db, "invitations.issue", "round:"+itoa(r.ID))

	// Again: nobody lacks a link, so nothing is issued or written.
	stdout, errOut := mustRun(t, "", "invitations", "--db", dbPath, "--round", "Forår 2027", "--base-url", base)
	if stdout != "" || !strings.Contains(errOut, "already has a link") {
		t.Errorf("second run: stdout %q, stderr %q", stdout, errOut)
	}

	// A newcomer gets a link of their own; the others keep theirs.
	mustRun(t, "email,name\ndina@kommune.dk,=Dina Dam\n", "import", "people", "--db", dbPath, "-")
	stdout, _ = mustRun(t, "", "invitations", "--db", dbPath, "--round", "Forår 2027", "--base-url", base)
	rows = readInvitations(t, []byte(stdout))
	if len(rows) != 1 || rows[0][0] != "dina@kommune.dk" {
		t.Fatalf("newcomer run: %v", rows)
	}
	if rows[0][1] != "'=Dina Dam" {
		t.Errorf("name %q: a spreadsheet would run it as a formula", rows[0][1])
	}
	first[rows[0][0]] = tokenOf(t, rows[0][2])

	// --all without --yes changes nothing and says why.
	unconfirmed := filepath.Join(dir, "unconfirmed.csv")
	stdout, errOut, err = runCmd(t, "", "invitations", "--db", dbPath, "--round", "Forår 2027", "--base-url", base, "--all", "--out", unconfirmed)
	if err == nil || !strings.Contains(err.Error()+errOut, "Add --yes") || stdout != "" {
		t.Errorf("--all without --yes: err %v, stdout %q, stderr %q; want an error naming --yes", err, stdout, errOut)
	}
	if _, err := os.Stat(unconfirmed); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("--all without --yes left %s: %v", unconfirmed, err)
	}
	for email, token := range first {
		if err := found(token); err != nil {
			t.Errorf("%s's link after --all without --yes: %v", email, err)
		}
	}

	// --all --yes re-issues everyone's: the earlier links stop working.
	stdout, _ = mustRun(t, "", "invitations", "--db", dbPath, "--round", "Forår 2027", "--base-url", base, "--all", "--yes")
	rows = readInvitations(t, []byte(stdout))
	if len(rows) != 4 {
		t.Fatalf("--all: %d rows, want 4", len(rows))
	}
	for _, row := range rows {
		if err := found(tokenOf(t, row[2])); err != nil {
			t.Errorf("%s's new link: %v", row[0], err)
		}
	}
	for email, token := range first {
		if err := found(token); survey.ErrorCode(err) != survey.ENOTFOUND {
			t.Errorf("%s's old link after --all: %v, want ENOTFOUND", email, err)
		}
	}
	wantAudit(t, db, "invitations.reissue", "round:"+itoa(r.ID))

	// A closed round takes no invitations, and no file is left behind.
	mustRun(t, "", "round", "close", "--db", dbPath, "Forår 2027")
	closedOut := filepath.Join(dir, "closed.csv")
	_, errOut, err = runCmd(t, "", "invitations", "--db", dbPath, "--round", "Forår 2027", "--out", closedOut)
	wantCode(t, err, survey.ECLOSED)
	if !strings.Contains(errOut, "--base-url") {
		t.Errorf("no warning that the default base URL is local: %q", errOut)
	}
	if _, err := os.Stat(closedOut); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a closed round left %s: %v", closedOut, err)
	}
	_, _, err = runCmd(t, "", "invitations", "--db", dbPath)
	if !errors.Is(err, errUsage) {
		t.Errorf("without --round: %v, want the usage error", err)
	}
}

func TestToken(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "lr.db")
	token, errOut := mustRun(t, "", "token", "create", "--db", dbPath, "--role", "hr", "--name", "Power BI")
	token = strings.TrimSpace(token)
	if !auth.WellFormedToken(token) {
		t.Fatalf("stdout %q is not a token alone", token)
	}
	if strings.Contains(errOut, token) {
		t.Error("the token is on stderr too")
	}
	db := mustOpenDB(t, dbPath)
	tok, err := db.FindAPITokenByHash(t.Context(), auth.HashToken(token))
	if err != nil {
		t.Fatal(err)
	}
	if tok.Role != survey.RoleHR || tok.Name != "Power BI" {
		t.Errorf("token %+v", tok)
	}
	id := itoa(tok.ID)
	wantAudit(t, db, "token.create", "token:"+id)

	list, _ := mustRun(t, "", "token", "list", "--db", dbPath)
	if !strings.Contains(list, "Power BI") || strings.Contains(list, token) {
		t.Errorf("token list:\n%s", list)
	}

	mustRun(t, "", "token", "revoke", "--db", dbPath, id)
	_, err = db.FindAPITokenByHash(t.Context(), auth.HashToken(token))
	wantCode(t, err, survey.ENOTFOUND)
	wantAudit(t, db, "token.revoke", "token:"+id)

	_, _, err = runCmd(t, "", "token", "revoke", "--db", dbPath, "999")
	wantCode(t, err, survey.ENOTFOUND)
	_, _, err = runCmd(t, "", "token", "revoke", "--db", dbPath, "abc")
	if !errors.Is(err, errUsage) {
		t.Errorf("revoke abc: %v, want the usage error", err)
	}
	_, _, err = runCmd(t, "", "token", "create", "--db", dbPath, "--role", "boss")
	wantCode(t, err, survey.EINVALID)
	// Without --name the token is named by its date.
	mustRun(t, "", "token", "create", "--db", dbPath)
}

func TestBackup(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "lr.db")
	mustRun(t, "", "import", "people", "--db", dbPath, writeFile(t, dir, "people.csv", peopleCSV))

	backup := filepath.Join(dir, "backup.db")
	out, _ := mustRun(t, "", "backup", "--db", dbPath, backup)
	if strings.TrimSpace(out) != backup {
		t.Errorf("output %q, want the path %q", out, backup)
	}
	copied := mustOpenDB(t, backup)
	people, err := copied.FindPeople(t.Context())
	if err != nil || len(people) != 3 {
		t.Errorf("the backup has %d people (%v), want 3", len(people), err)
	}

	_, _, err = runCmd(t, "", "backup", "--db", dbPath, backup)
	wantCode(t, err, survey.ECONFLICT)
	missing := filepath.Join(dir, "missing.db")
	_, _, err = runCmd(t, "", "backup", "--db", missing, filepath.Join(dir, "b2.db"))
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("backup of a missing database: %v", err)
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Error("backup created the missing database")
	}
}

// TestEnvDB: with LEDERRADAR_DB set, --db may be left out; the flag still
// wins.
func TestEnvDB(t *testing.T) {
	dir := t.TempDir()
	envDB := filepath.Join(dir, "env.db")
	t.Setenv("LEDERRADAR_DB", envDB)
	mustRun(t, "", "user", "add", "--email", "hr@kommune.dk", "--role", "hr", "--generate")
	if _, _, err := mustOpenDB(t, envDB).FindUserByEmail(t.Context(), "hr@kommune.dk"); err != nil {
		t.Errorf("the user is not in LEDERRADAR_DB: %v", err)
	}
	out, _ := mustRun(t, "", "user", "list")
	if !strings.Contains(out, "hr@kommune.dk") {
		t.Errorf("user list from LEDERRADAR_DB:\n%s", out)
	}
	flagDB := filepath.Join(dir, "flag.db")
	mustRun(t, "", "round", "create", "Forår 2027", "--db", flagDB)
	if _, err := mustOpenDB(t, flagDB).FindRoundByName(t.Context(), "Forår 2027"); err != nil {
		t.Errorf("--db did not win over LEDERRADAR_DB: %v", err)
	}
}

func TestParseFlags(t *testing.T) {
	tests := []struct {
		args    []string
		want    []string
		wantDB  string
		wantAll bool
	}{
		{[]string{"x"}, []string{"x"}, "lederradar.db", false},
		{[]string{"--db", "a.db", "x"}, []string{"x"}, "a.db", false},
		{[]string{"x", "--db", "a.db", "--all"}, []string{"x"}, "a.db", true},
		{[]string{"--all", "x", "y", "--db=b.db"}, []string{"x", "y"}, "b.db", true},
		{[]string{"x", "--", "--db", "y"}, []string{"x", "--db", "y"}, "lederradar.db", false},
		{[]string{"-", "--all"}, []string{"-"}, "lederradar.db", true},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			fs, db := newFlagSet("test", &bytes.Buffer{})
			all := fs.Bool("all", false, "")
			got, err := parseFlags(fs, tt.args, len(tt.want))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) || *db != tt.wantDB || *all != tt.wantAll {
				t.Errorf("got %q, db %q, all %v; want %q, %q, %v", got, *db, *all, tt.want, tt.wantDB, tt.wantAll)
			}
		})
	}
	var stderr bytes.Buffer
	fs, _ := newFlagSet("test", &stderr)
	if _, err := parseFlags(fs, []string{"x", "y"}, 1); !errors.Is(err, errUsage) || !strings.Contains(stderr.String(), `"y"`) {
		t.Errorf("one argument too many: %v, %q", err, stderr.String())
	}
	fs, _ = newFlagSet("test", &stderr)
	if _, err := parseFlags(fs, []string{"--nope"}, 0); !errors.Is(err, errUsage) {
		t.Errorf("unknown flag: %v", err)
	}
}

func TestAdminUsage(t *testing.T) {
	for _, args := range [][]string{{"user"}, {"user", "frob"}, {"import"}, {"import", "groups"}, {"token"}, {"round", "-h"}, {"backup"}} {
		_, errOut, err := runCmd(t, "", args...)
		if !errors.Is(err, errUsage) || !strings.Contains(errOut, "Usage") {
			t.Errorf("%v: %v, stderr %q; want the usage error and text", args, err, errOut)
		}
	}
	out, _ := mustRun(t, "", "help")
	for _, cmd := range []string{"user add", "import people", "import responses", "round create", "round open|close", "invitations", "token create", "person erase", "backup"} {
		if !strings.Contains(out, cmd) {
			t.Errorf("usage lacks %q", cmd)
		}
	}
}

// TestRoundCloseKeepsReport closes rounds from the command line: the close
// keeps the round's report with the anonymity threshold given (the
// server's, from --min-group or LEDERRADAR_MIN_GROUP), and a threshold
// below the floor is refused before anything changes.
func TestRoundCloseKeepsReport(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "close.db")
	for _, name := range []string{"Forår 2027", "Efterår 2027"} {
		mustRun(t, "", "round", "create", "--db", dbPath, name)
		mustRun(t, "", "round", "open", "--db", dbPath, name)
	}
	_, _, err := runCmd(t, "", "round", "close", "--db", dbPath, "--min-group", "2", "Forår 2027")
	if err == nil {
		t.Fatal("round close --min-group 2 succeeded")
	}
	mustRun(t, "", "round", "close", "--db", dbPath, "--min-group", "7", "Forår 2027")
	t.Setenv("LEDERRADAR_MIN_GROUP", "6")
	mustRun(t, "", "round", "close", "--db", dbPath, "Efterår 2027")
	db := mustOpenDB(t, dbPath)
	for name, want := range map[string]int{"Forår 2027": 7, "Efterår 2027": 6} {
		r, err := db.FindRoundByName(t.Context(), name)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != survey.RoundClosed {
			t.Errorf("%s is %s", name, r.Status)
		}
		kept, err := db.FindRoundReport(t.Context(), r.ID)
		if err != nil {
			t.Errorf("%s: no report kept by the close: %v", name, err)
		} else if kept.MinGroup != want {
			t.Errorf("%s: kept with threshold %d, want %d", name, kept.MinGroup, want)
		}
		in, err := db.FindReportInputs(t.Context(), r.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		if in.MinGroup != want {
			t.Errorf("%s: the round keeps threshold %d, want %d", name, in.MinGroup, want)
		}
	}
}
