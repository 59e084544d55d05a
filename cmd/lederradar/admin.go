package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"lederradar/data"
	"lederradar/internal/csvfile"
	"lederradar/survey"
)

// The administrative subcommands share what is in this file: a flag set
// per command with --db and the LEDERRADAR_* fallback, flags before and
// after the arguments, opening the database, the audit entry, and errors
// that read as sentences. The commands themselves live in admin_*.go.

// defaultDB is the database file the administrative commands use, as
// serve does.
const defaultDB = "lederradar.db"

// cliActor is the audit log's name for whoever runs these commands: the
// shell has no account.
const cliActor = "cli"

// newFlagSet returns the flag set of one administrative command, with its
// --db flag. synopsis is the command line shown in the usage message,
// after "lederradar ".
func newFlagSet(synopsis string, stderr io.Writer) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(synopsis, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: lederradar %s\n\nFlags (each also read from LEDERRADAR_<FLAG>):\n", synopsis)
		fs.PrintDefaults()
	}
	db := fs.String("db", defaultDB, "SQLite database file")
	return fs, db
}

// parseFlags parses args into fs, allowing flags after the arguments too
// ("round create NAME --opens 2027-03-01"; the flag package alone stops at
// the first argument), fills the flags not given from LEDERRADAR_<FLAG>,
// and returns the arguments, of which there must be want. "--" ends the
// flags.
func parseFlags(fs *flag.FlagSet, args []string, want int) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, errUsage
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
	if err := applyEnv(fs, os.LookupEnv); err != nil {
		return nil, err
	}
	if len(pos) != want {
		switch {
		case want == 0:
			fmt.Fprintf(fs.Output(), "unexpected argument %q\n", pos[0])
		case len(pos) < want:
			fmt.Fprintf(fs.Output(), "missing argument\n")
		default:
			fmt.Fprintf(fs.Output(), "unexpected argument %q (quote a name with spaces)\n", pos[want])
		}
		fs.Usage()
		return nil, errUsage
	}
	return pos, nil
}

// requireFlags returns errUsage, with a message, when a named flag is
// empty after the command line and the environment.
func requireFlags(fs *flag.FlagSet, names ...string) error {
	for _, name := range names {
		if fs.Lookup(name).Value.String() == "" {
			fmt.Fprintf(fs.Output(), "--%s is required\n", name)
			fs.Usage()
			return errUsage
		}
	}
	return nil
}

// openDB opens the database at path. A command that only reads or changes
// what is there wants an existing file (create false): a mistyped path
// should not quietly become a new, empty database.
func openDB(path string, create bool) (*data.DB, error) {
	if !create {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("database %s does not exist", path)
		}
	}
	return data.Open(path)
}

// openDBWithInstrument opens the database and stores the current
// instrument in it (--instrument, or the built-in one), as serve does at
// start, so a new round can be frozen to it.
func openDBWithInstrument(ctx context.Context, path, instrumentPath string) (*data.DB, *survey.Instrument, error) {
	in, raw, err := loadInstrument(instrumentPath)
	if err != nil {
		return nil, nil, err
	}
	db, err := openDB(path, true)
	if err != nil {
		return nil, nil, err
	}
	if err := db.EnsureInstrument(ctx, in, raw); err != nil {
		_ = db.Close() // the instrument error is the one to report
		return nil, nil, fmt.Errorf("instrument: %w", err)
	}
	return db, in, nil
}

// audit writes the audit entry of a change the command has made. The
// change is done by then, so a failure says so.
func audit(ctx context.Context, db *data.DB, action, target, detail string) error {
	err := db.AddAudit(ctx, survey.AuditEntry{Actor: cliActor, Action: action, Target: target, Detail: detail})
	if err != nil {
		return fmt.Errorf("the change is made, but the audit log could not record it: %w", err)
	}
	return nil
}

// messageError shows a domain error by its user-safe message ("a round
// named "x" already exists") rather than as "survey error: code=…",
// keeping the error in the chain for errors.Is and survey.ErrorCode.
type messageError struct{ err error }

func (e *messageError) Error() string { return survey.ErrorMessage(e.err) }
func (e *messageError) Unwrap() error { return e.err }

// readable returns err so that main prints it as a sentence. Errors that
// are not the domain's (I/O, SQLite) stay as they are: their text is all
// there is to go on.
func readable(err error) error {
	var e *survey.Error
	if err == nil || !errors.As(err, &e) {
		return err
	}
	var ie *csvfile.Error
	if errors.As(err, &ie) {
		return err // reported problem by problem where it happens
	}
	return &messageError{err: err}
}

// subcommand runs the subcommand named by args[0] among cmds, or prints
// the group's usage.
func subcommand(group string, args []string, stderr io.Writer, usage string, cmds map[string]func([]string) error) error {
	if len(args) == 0 {
		fmt.Fprintf(stderr, "lederradar %s: which one?\n\n%s", group, usage)
		return errUsage
	}
	f, ok := cmds[args[0]]
	if !ok {
		if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
			fmt.Fprint(stderr, usage)
			return errUsage
		}
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", group+" "+args[0], usage)
		return errUsage
	}
	return readable(f(args[1:]))
}

// dateFlag is a calendar date given as YYYY-MM-DD, held as midnight UTC:
// rounds store their announced dates in UTC, and the pages and the API
// show them as dates.
type dateFlag struct{ t time.Time }

func (d *dateFlag) String() string {
	if d == nil || d.t.IsZero() {
		return ""
	}
	return d.t.Format(time.DateOnly)
}

func (d *dateFlag) Set(s string) error {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return fmt.Errorf("%q is not a date as YYYY-MM-DD", s)
	}
	d.t = t
	return nil
}

// formatDate shows a stored date, or "-" for none.
func formatDate(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.DateOnly)
}

// runBackup is `lederradar backup --db DB FILE`: an online copy of the
// database (VACUUM INTO), safe while the server runs.
func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dbPath := newFlagSet("backup --db DB FILE", stderr)
	pos, err := parseFlags(fs, args, 1)
	if err != nil {
		return err
	}
	db, err := openDB(*dbPath, false)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, pos[0]); err != nil {
		return readable(err)
	}
	abs, err := filepath.Abs(pos[0])
	if err != nil {
		abs = pos[0]
	}
	fmt.Fprintln(stdout, abs)
	return audit(ctx, db, "backup", "", "")
}

// openForList parses the flags of a list command, which has only --db, and
// opens the database, which must exist.
func openForList(usage string, args []string, stderr io.Writer) (*data.DB, error) {
	fs, dbPath := newFlagSet(usage, stderr)
	if _, err := parseFlags(fs, args, 0); err != nil {
		return nil, err
	}
	return openDB(*dbPath, false)
}
