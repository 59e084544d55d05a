package data_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/internal/testdb"
	"lederradar/survey"
)

// emptyDB is a new database, migrated: a copy opens faster than a new
// file migrates under the race detector. TestOpen and the migration tests
// open new files themselves.
var emptyDB testdb.Template[struct{}]

// mustOpenDB opens a fresh database in a temporary directory and closes it
// when the test ends.
func mustOpenDB(tb testing.TB) *data.DB {
	tb.Helper()
	path, _ := emptyDB.Copy(tb, "test.db", func(path string) (struct{}, error) {
		db, err := data.Open(path)
		if err != nil {
			return struct{}{}, err
		}
		return struct{}{}, db.Close()
	})
	return mustOpenDBAt(tb, path)
}

// mustOpenDBAt opens the database at path and closes it when the test
// ends; closing it earlier is harmless.
func mustOpenDBAt(tb testing.TB, path string) *data.DB {
	tb.Helper()
	db, err := data.Open(path)
	if err != nil {
		tb.Fatalf("Open(%q): %v", path, err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// clock is a settable time source for DB.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(db *data.DB) *clock {
	c := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	db.Now = c.Now
	return c
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// instrumentFile returns a small valid instrument file: two competences
// of four items each, ids "a1".."a4" and "b1".."b4".
func instrumentFile(version, title string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "version = %q\n", version)
	fmt.Fprintf(&b, "title = { da = %q, en = %q }\n", title, title)
	b.WriteString("source = { da = \"Kilde\", en = \"Source\" }\n")
	b.WriteString("dont_know = { value = 0, label = { da = \"Ved ikke\", en = \"Don't know\" } }\n")
	for v := 1; v <= 5; v++ {
		fmt.Fprintf(&b, "[[scale]]\nvalue = %d\nlabel = { da = \"p%d\", en = \"p%d\" }\n", v, v, v)
	}
	for _, c := range []string{"a", "b"} {
		fmt.Fprintf(&b, "[[competences]]\nid = %q\n", c)
		for _, f := range []string{"name", "label", "description"} {
			fmt.Fprintf(&b, "%s = { da = \"%s %s\", en = \"%s %s\" }\n", f, f, c, f, c)
		}
		for i := 1; i <= 4; i++ {
			fmt.Fprintf(&b, "[[competences.items]]\nid = \"%s%d\"\ntext = { da = \"Jeg %s%d\", en = \"I %s%d\" }\n", c, i, c, i, c, i)
			fmt.Fprintf(&b, "other = { da = \"Lederen %s%d\", en = \"The leader %s%d\" }\n", c, i, c, i)
		}
		b.WriteString("[[competences.prompts]]\nphase = \"before\"\ntext = { da = \"Før\", en = \"Before\" }\n")
	}
	return []byte(b.String())
}

// mustInstrument stores a test instrument of the given version.
func mustInstrument(tb testing.TB, db *data.DB, version string) *survey.Instrument {
	tb.Helper()
	raw := instrumentFile(version, "Test")
	in, err := survey.ParseInstrument(raw)
	if err != nil {
		tb.Fatalf("ParseInstrument: %v", err)
	}
	if err := db.EnsureInstrument(context.Background(), in, raw); err != nil {
		tb.Fatalf("EnsureInstrument: %v", err)
	}
	return in
}

func mustPerson(tb testing.TB, db *data.DB, email, name string) *survey.Person {
	tb.Helper()
	p := &survey.Person{Email: email, Name: name}
	if err := db.CreatePerson(context.Background(), p); err != nil {
		tb.Fatalf("CreatePerson(%s): %v", email, err)
	}
	return p
}

func mustRound(tb testing.TB, db *data.DB, name string, status survey.RoundStatus) *survey.Round {
	tb.Helper()
	r := &survey.Round{Name: name, Status: status, InstrumentVersion: "test-1"}
	if err := db.CreateRound(context.Background(), r); err != nil {
		tb.Fatalf("CreateRound(%s): %v", name, err)
	}
	return r
}

// mustInvitation invites p to assess themself in r and returns the link's
// token.
func mustInvitation(tb testing.TB, db *data.DB, r *survey.Round, p *survey.Person) (*survey.Invitation, string) {
	tb.Helper()
	token, hash := auth.NewToken()
	inv := &survey.Invitation{RoundID: r.ID, PersonID: p.ID, Relation: survey.Self}
	if err := db.CreateInvitation(context.Background(), inv, p.ID, hash); err != nil {
		tb.Fatalf("CreateInvitation: %v", err)
	}
	return inv, token
}

// wantCode fails unless err carries the survey error code want.
func wantCode(tb testing.TB, err error, want string) {
	tb.Helper()
	if got := survey.ErrorCode(err); got != want {
		tb.Fatalf("error code = %q (%v), want %q", got, err, want)
	}
}

// countRows runs a count query and fails the test on an error.
func countRows(tb testing.TB, db *data.DB, query string, args ...any) int {
	tb.Helper()
	n, err := db.CountRows(context.Background(), query, args...)
	if err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
	return n
}
