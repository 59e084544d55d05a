package orggen

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"lederradar/data"
	"lederradar/survey"
)

// Version names the generator's output: bump it when Generate changes
// what it writes, so that cached fixtures are made again.
const Version = 2

// FixtureHR is the HR account of every fixture. Fixtures are test data on
// the machine that made them; the password is no secret.
var FixtureHR = Account{Email: "hr@orggen.example", Password: "orggen-hr-password"} // #nosec G101 -- test data, see above

// FixtureNow is the fixed time fixtures are generated at, so that their
// rounds are the same however often they are made.
var FixtureNow = time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)

// FixtureDir is where benchmarks keep their fixtures:
// $LEDERRADAR_BENCH_DIR, or lederradar-bench in the temporary directory.
func FixtureDir() string {
	if d := os.Getenv("LEDERRADAR_BENCH_DIR"); d != "" {
		return d
	}
	return filepath.Join(os.TempDir(), "lederradar-bench")
}

// CopyFixture copies the fixture of n people in dir (making it first if
// need be) to the file to, for a benchmark that writes, and returns its
// links.
func CopyFixture(ctx context.Context, dir string, n int, to string) ([]Link, error) {
	path, links, err := Fixture(ctx, dir, n)
	if err != nil {
		return nil, err
	}
	src, err := os.Open(path) // #nosec G304 -- the fixture just made or found
	if err != nil {
		return nil, err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600) // #nosec G304 -- the caller's file
	if err != nil {
		return nil, err
	}
	if _, err := io.Copy(dst, src); err != nil {
		_ = dst.Close() // the copy error is the one to report
		return nil, err
	}
	return links, dst.Close()
}

// Fixture returns the path of a database of a generated organisation of n
// people, and its open round's links, making it in dir the first time
// (which takes about a second per thousand people) and reusing it after.
// Callers must not change it; CopyFixture gives a copy to change.
func Fixture(ctx context.Context, dir string, n int) (string, []Link, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", nil, err
	}
	// The schema version in the name makes a fixture again after a
	// migration, rather than every copy migrating its own.
	base := filepath.Join(dir, fmt.Sprintf("orggen-v%d-s%d-%d", Version, data.SchemaVersion(), n))
	path, linksPath := base+".db", base+".links"
	if links, err := ReadLinks(linksPath); err == nil {
		if _, err := os.Stat(path); err == nil {
			return path, links, nil
		}
	}
	// Made under a temporary name and renamed, so that an interrupted run
	// leaves no half fixture to be reused.
	tmp := base + fmt.Sprintf(".tmp%d", os.Getpid())
	for _, suffix := range []string{"", "-wal", "-shm"} {
		_ = os.Remove(tmp + suffix) // most are not there
	}
	db, err := data.Open(tmp)
	if err != nil {
		return "", nil, err
	}
	in, err := survey.DefaultInstrument()
	if err != nil {
		_ = db.Close() // the instrument error is the one to report
		return "", nil, err
	}
	hr := FixtureHR
	org, err := Generate(ctx, db, in, survey.DefaultInstrumentFile(), Config{People: n, Seed: uint64(n), Now: FixtureNow, HR: &hr, ThreeSixty: true}) // #nosec G115 -- n is a count of people, not negative
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", nil, err
	}
	if err := WriteLinks(linksPath, org.Links); err != nil {
		return "", nil, err
	}
	return path, org.Links, nil
}

// WriteLinks writes one "person token state" line per link, readable by
// its owner only: the tokens open questionnaires.
func WriteLinks(path string, links []Link) error {
	return writeLines(path, len(links), func(w io.Writer, i int) {
		l := links[i]
		fmt.Fprintf(w, "%d %s %s\n", l.PersonID, l.Token, l.State)
	})
}

// ReadLinks reads a file WriteLinks wrote.
func ReadLinks(path string) ([]Link, error) {
	var links []Link
	err := readLines(path, func(line string) error {
		var l Link
		var state string
		if _, err := fmt.Sscanf(line, "%d %s %s", &l.PersonID, &l.Token, &state); err != nil {
			return err
		}
		l.State = State(state)
		links = append(links, l)
		return nil
	})
	return links, err
}

// writeLines writes n lines, each by line, to a new file at path that
// only its owner may read.
func writeLines(path string, n int, line func(w io.Writer, i int)) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600) // #nosec G304 -- the caller's fixture file
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	for i := range n {
		line(w, i)
	}
	if err := w.Flush(); err != nil {
		_ = f.Close() // the write error is the one to report
		return err
	}
	return f.Close()
}

// readLines calls parse with every line of the file at path, which must
// have one at least.
func readLines(path string, parse func(line string) error) error {
	f, err := os.Open(path) // #nosec G304 -- the caller's fixture file
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		if err := parse(strings.TrimSpace(sc.Text())); err != nil {
			return fmt.Errorf("%s:%d: %w", path, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%s: no links", path)
	}
	return nil
}

// WriteRaterLinks writes one "leader relation token state" line per rater
// link, readable by its owner only: the tokens open raters' forms.
func WriteRaterLinks(path string, links []RaterLink) error {
	return writeLines(path, len(links), func(w io.Writer, i int) {
		l := links[i]
		fmt.Fprintf(w, "%d %s %s %s\n", l.SubjectID, l.Relation, l.Token, l.State)
	})
}

// ReadRaterLinks reads a file WriteRaterLinks wrote.
func ReadRaterLinks(path string) ([]RaterLink, error) {
	var links []RaterLink
	err := readLines(path, func(line string) error {
		var l RaterLink
		var rel, state string
		if _, err := fmt.Sscanf(line, "%d %s %s %s", &l.SubjectID, &rel, &l.Token, &state); err != nil {
			return err
		}
		l.Relation, l.State = survey.Relation(rel), State(state)
		links = append(links, l)
		return nil
	})
	return links, err
}
