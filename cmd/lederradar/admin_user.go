package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"lederradar/internal/auth"
	"lederradar/survey"
)

const userUsage = `Usage:
  lederradar user add --db DB --email E --role hr|admin [--generate]
  lederradar user list --db DB
`

// runUser is `lederradar user …`: HR and administrator accounts.
func runUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	return subcommand("user", args, stderr, userUsage, map[string]func([]string) error{
		"add":  func(a []string) error { return runUserAdd(ctx, a, stdin, stdout, stderr) },
		"list": func(a []string) error { return runUserList(ctx, a, stdout, stderr) },
	})
}

// runUserAdd creates an account. The password never appears on the
// command line, where other users and the shell history would see it: it
// is typed twice at the terminal, piped in as one line, or generated.
func runUserAdd(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs, dbPath := newFlagSet("user add --db DB --email E --role hr|admin [--generate]", stderr)
	email := fs.String("email", "", "the account's e-mail address, which it logs in with")
	role := fs.String("role", "", "hr (sees aggregates) or admin (sets up people, rounds and accounts)")
	generate := fs.Bool("generate", false, "generate a strong password and print it once, instead of reading one")
	if _, err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	if err := requireFlags(fs, "email", "role"); err != nil {
		return err
	}
	r, err := survey.ParseRole(*role)
	if err != nil {
		return err
	}
	u := survey.User{Email: strings.TrimSpace(*email), Role: r}
	if err := u.Validate(); err != nil {
		return err
	}

	db, err := openDB(*dbPath, true)
	if err != nil {
		return err
	}
	defer db.Close()
	// Say so before anyone types a password twice for nothing.
	if _, _, err := db.FindUserByEmail(ctx, u.Email); err == nil {
		return survey.Errorf(survey.ECONFLICT, "a user with e-mail %s already exists", u.Email)
	} else if survey.ErrorCode(err) != survey.ENOTFOUND {
		return err
	}

	var password string
	if *generate {
		password = auth.NewPassword()
	} else if password, err = readPassword(stdin, stderr, u.Email); err != nil {
		return err
	}
	if err := auth.ValidateAccountPassword(u.Email, password); err != nil {
		return err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	if err := db.CreateUser(ctx, &u, hash); err != nil {
		return err
	}
	if *generate {
		fmt.Fprintf(stdout, "Created %s user %s. Its password, shown this once:\n%s\n", u.Role, u.Email, password)
	} else {
		fmt.Fprintf(stdout, "Created %s user %s.\n", u.Role, u.Email)
	}
	return audit(ctx, db, "user.add", fmt.Sprintf("user:%d", u.ID), "role "+string(u.Role))
}

// readPassword asks for the password twice, without echo, when stdin is a
// terminal; otherwise it reads one line, so a password manager or a
// script can pipe it in.
func readPassword(stdin io.Reader, stderr io.Writer, email string) (string, error) {
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fd := int(f.Fd())
		fmt.Fprintf(stderr, "Password for %s (at least %d characters): ", email, auth.MinPasswordLength)
		first, err := term.ReadPassword(fd)
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("reading the password: %w", err)
		}
		if err := auth.ValidateAccountPassword(email, string(first)); err != nil {
			return "", err
		}
		fmt.Fprint(stderr, "The same password again: ")
		second, err := term.ReadPassword(fd)
		fmt.Fprintln(stderr)
		if err != nil {
			return "", fmt.Errorf("reading the password: %w", err)
		}
		if string(first) != string(second) {
			return "", errors.New("the two passwords differ; nothing was stored")
		}
		return string(first), nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if errors.Is(err, io.EOF) && line == "" {
		return "", errors.New("no password on standard input: pipe one line, or use --generate")
	} else if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("reading the password: %w", err)
	}
	return strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r"), nil
}

// runUserList prints every account: e-mail address, role, disabled.
func runUserList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	db, err := openForList("user list --db DB", args, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	users, err := db.FindUsers(ctx)
	if err != nil {
		return err
	}
	if len(users) == 0 {
		fmt.Fprintln(stderr, "No users yet; add one with: lederradar user add")
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "EMAIL\tROLE\tDISABLED")
	for _, u := range users {
		disabled := "no"
		if u.Disabled {
			disabled = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", u.Email, u.Role, disabled)
	}
	return tw.Flush()
}
