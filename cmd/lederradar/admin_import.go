package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"lederradar/data"
	"lederradar/internal/csvfile"
	"lederradar/survey"
)

const importUsage = `Usage:
  lederradar import people --db DB FILE.csv
  lederradar import responses --db DB --round NAME [--instrument FILE] FILE.csv
  lederradar import raters --db DB --round NAME [--base-url URL] [--out LINKS.csv] FILE.csv
FILE "-" reads standard input.
`

// runImport is `lederradar import …`: files from elsewhere, stored whole
// or not at all.
func runImport(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	return subcommand("import", args, stderr, importUsage, map[string]func([]string) error{
		"people":    func(a []string) error { return runImportPeople(ctx, a, stdin, stdout, stderr) },
		"responses": func(a []string) error { return runImportResponses(ctx, a, stdin, stdout, stderr) },
		"raters":    func(a []string) error { return runImportRaters(ctx, a, stdin, stdout, stderr) },
	})
}

// runImportPeople imports a people file: email, name, department, teams.
func runImportPeople(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs, dbPath := newFlagSet("import people --db DB FILE.csv", stderr)
	pos, err := parseFlags(fs, args, 1)
	if err != nil {
		return err
	}
	file := pos[0]
	rows, err := parseImportFile(file, stdin, csvfile.ParsePeople)
	if err != nil {
		return importFailed(file, err, stderr)
	}
	db, err := openDB(*dbPath, true)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := db.ImportPeople(ctx, rows)
	if err != nil {
		return importFailed(file, err, stderr)
	}
	summary := fmt.Sprintf("created %d, updated %d people; %d new groups", res.Created, res.Updated, res.GroupsCreated)
	fmt.Fprintln(stdout, summary)
	return audit(ctx, db, "import.people", "", summary)
}

// runImportResponses imports answers collected elsewhere into a round,
// creating the round, open, when it does not exist.
func runImportResponses(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs, dbPath := newFlagSet("import responses --db DB --round NAME [--instrument FILE] FILE.csv", stderr)
	roundName := fs.String("round", "", "the round the answers belong to; created, open, when missing")
	instrument := fs.String("instrument", "", "the organisation's own instrument file (TOML), for a new round; default: the built-in one")
	pos, err := parseFlags(fs, args, 1)
	if err != nil {
		return err
	}
	if err := requireFlags(fs, "round"); err != nil {
		return err
	}
	file := pos[0]
	db, in, err := openDBWithInstrument(ctx, *dbPath, *instrument)
	if err != nil {
		return err
	}
	defer db.Close()
	// An existing round reads against the items it was frozen to, which
	// need not be the current ones.
	if r, err := db.FindRoundByName(ctx, *roundName); err == nil {
		if in, err = db.FindInstrument(ctx, r.InstrumentVersion); err != nil {
			return err
		}
	} else if survey.ErrorCode(err) != survey.ENOTFOUND {
		return err
	}
	rows, err := parseImportFile(file, stdin, func(r io.Reader) ([]csvfile.ResponseRow, error) {
		return csvfile.ParseResponses(r, in)
	})
	if err != nil {
		return importFailed(file, err, stderr)
	}
	round := survey.Round{Name: *roundName, InstrumentVersion: in.Version}
	n, err := db.ImportResponses(ctx, &round, rows)
	if err != nil {
		return importFailed(file, err, stderr)
	}
	fmt.Fprintf(stdout, "imported %d responses into round %q (%s)\n", n, round.Name, round.Status)
	return audit(ctx, db, "import.responses", fmt.Sprintf("round:%d", round.ID), fmt.Sprintf("%d responses", n))
}

// parseImportFile opens file ("-" for stdin) and parses it.
func parseImportFile[T any](file string, stdin io.Reader, parse func(io.Reader) ([]T, error)) ([]T, error) {
	if file == "-" {
		return parse(stdin)
	}
	f, err := os.Open(file) // #nosec G304 -- the file the administrator names on the command line
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parse(f)
}

// importFailed prints the problems of an import file one a line, as
// "FILE:LINE: message" like a compiler, so an editor can jump to them, and
// returns the error that says nothing was stored.
func importFailed(file string, err error, stderr io.Writer) error {
	var ie *csvfile.Error
	if !errors.As(err, &ie) {
		return err
	}
	name := file
	if file == "-" {
		name = "stdin"
	}
	for _, p := range ie.Problems {
		if p.Line > 0 {
			fmt.Fprintf(stderr, "%s:%d: %s\n", name, p.Line, problemMessage(p))
		} else {
			fmt.Fprintf(stderr, "%s: %s\n", name, problemMessage(p))
		}
	}
	if ie.More {
		fmt.Fprintf(stderr, "%s: … and more problems\n", name)
	}
	n := "1 problem"
	if len(ie.Problems) != 1 {
		n = fmt.Sprintf("%d problems", len(ie.Problems))
	}
	if ie.More {
		n = "more than " + n
	}
	return &importFailure{summary: fmt.Sprintf("%s: %s; nothing was stored", name, n), err: ie}
}

// importFailure sums up a refused import file; its problems have been
// printed already. It unwraps to the *csvfile.Error.
type importFailure struct {
	summary string
	err     *csvfile.Error
}

func (e *importFailure) Error() string { return e.summary }
func (e *importFailure) Unwrap() error { return e.err }

// problemMessage is Problem.Message, plus the problem that only data
// knows (survey cannot name it without importing data).
func problemMessage(p csvfile.Problem) string {
	if p.Key == data.ProblemPersonUnknown {
		return fmt.Sprintf("no person has the e-mail address %q; import people first", p.Value)
	}
	return p.Message()
}
