package web

import (
	"context"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/internal/orggen"
	"lederradar/internal/testdb"
	"lederradar/survey"
)

// testServer is a server on an empty temp-file database with the default
// instrument.
func testServer(tb testing.TB) (*Server, *data.DB, *survey.Instrument) {
	tb.Helper()
	db, err := data.Open(EmptyDBPath(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	in, err := survey.DefaultInstrument()
	if err != nil {
		tb.Fatal(err)
	}
	if err := db.EnsureInstrument(context.Background(), in, survey.DefaultInstrumentFile()); err != nil {
		tb.Fatal(err)
	}
	return quietServer(tb, db, in), db, in
}

// generatedServer is a server on a generated organisation of n people.
func generatedServer(tb testing.TB, n int) (*Server, *data.DB, *orggen.Org) {
	tb.Helper()
	db, org := generatedDB(tb, n)
	in, err := survey.DefaultInstrument()
	if err != nil {
		tb.Fatal(err)
	}
	return quietServer(tb, db, in), db, org
}

// emptyDB is a new database, migrated: a copy opens faster than a new
// file migrates.
var emptyDB testdb.Template[struct{}]

// EmptyDBPath writes a copy of a new, migrated database for the test and
// returns its path. It is exported for the package's external tests.
func EmptyDBPath(tb testing.TB) string {
	tb.Helper()
	path, _ := emptyDB.Copy(tb, "web.db", func(path string) (struct{}, error) {
		db, err := data.Open(path)
		if err != nil {
			return struct{}{}, err
		}
		return struct{}{}, db.Close()
	})
	return path
}

// sharedAssets are the static files of the servers quietServer starts:
// loaded, and compressed, once.
var sharedAssets = sync.OnceValues(LoadAssets)

// generatedOrgs are the organisations generatedDB makes, by size: one
// takes seconds to generate under the race detector, and the tests ask for
// the same few sizes again and again.
var generatedOrgs sync.Map // number of people → *testdb.Template[orggen.Org]

// generatedDB opens a copy of a generated organisation of n people (seed 7,
// generated at orggen.FixtureNow) and returns it with what the generator
// returned, which the caller may change.
func generatedDB(tb testing.TB, n int) (*data.DB, *orggen.Org) {
	tb.Helper()
	tmpl, _ := generatedOrgs.LoadOrStore(n, &testdb.Template[orggen.Org]{})
	path, org := tmpl.(*testdb.Template[orggen.Org]).Copy(tb, "gen.db", func(path string) (orggen.Org, error) {
		db, err := data.Open(path)
		if err != nil {
			return orggen.Org{}, err
		}
		org, err := generate(db, n)
		if cerr := db.Close(); err == nil {
			err = cerr
		}
		return org, err
	})
	db, err := data.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	org.ClosedRounds = slices.Clone(org.ClosedRounds)
	org.Submitted = maps.Clone(org.Submitted)
	org.Links = slices.Clone(org.Links)
	return db, &org
}

func generate(db *data.DB, n int) (orggen.Org, error) {
	in, err := survey.DefaultInstrument()
	if err != nil {
		return orggen.Org{}, err
	}
	org, err := orggen.Generate(context.Background(), db, in, survey.DefaultInstrumentFile(), orggen.Config{People: n, Seed: 7, Now: orggen.FixtureNow})
	if err != nil {
		return orggen.Org{}, err
	}
	return *org, nil
}

// quietServer is a server on db with the instrument in, whose log goes
// nowhere.
func quietServer(tb testing.TB, db *data.DB, in *survey.Instrument) *Server {
	tb.Helper()
	assets, err := sharedAssets()
	if err != nil {
		tb.Fatal(err)
	}
	s, err := New(Config{DB: db, Instrument: in, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: "http://127.0.0.1:8080", Assets: assets})
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// staffCookie signs in a new user of role, as role@<suffix>, directly in
// the database, and returns the session cookie.
func staffCookie(tb testing.TB, s *Server, db *data.DB, role survey.Role, suffix string) *http.Cookie {
	tb.Helper()
	ctx := context.Background()
	u := &survey.User{Email: string(role) + "@" + suffix, Role: role}
	// The session is made here, so the password is never checked: a
	// well-formed hash of nothing spares a second of argon2 under -race.
	const hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g"
	if err := db.CreateUser(ctx, u, hash); err != nil {
		tb.Fatal(err)
	}
	token, tokenHash := auth.NewToken()
	if err := db.CreateUserSession(ctx, tokenHash, u.ID, time.Hour, 2*time.Hour); err != nil {
		tb.Fatal(err)
	}
	return &http.Cookie{Name: s.cookieName(userCookie), Value: token}
}
