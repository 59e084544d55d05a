package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"lederradar/data"
	"strings"
)

const personUsage = `Usage:
  lederradar person erase --db DB EMAIL   erase a person and all their personal data, for good
`

// runPerson is `lederradar person …`: a person's rights under GDPR.
func runPerson(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return subcommand("person", args, stderr, personUsage, map[string]func([]string) error{
		"erase": func(a []string) error { return runPersonErase(ctx, a, stdout, stderr) },
	})
}

// runPersonErase erases the person with the e-mail address as the
// administrator's page does, in the same data function with the same
// audit entry, naming the command line as the one who did it. An address
// nobody has is an error and changes nothing.
func runPersonErase(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dbPath := newFlagSet("person erase --db DB EMAIL", stderr)
	pos, err := parseFlags(fs, args, 1)
	if err != nil {
		return err
	}
	email := strings.TrimSpace(pos[0])
	db, err := openDB(*dbPath, false)
	if err != nil {
		return err
	}
	defer db.Close()
	p, err := db.FindPersonByEmail(ctx, email)
	if err != nil {
		return err
	}
	err = db.ErasePerson(ctx, p.ID, cliActor)
	if err != nil && !errors.Is(err, data.ErrWALKept) {
		return err
	}
	fmt.Fprintf(stdout, "Erased person %d (%s) and all their answers, invitations and sessions.\n", p.ID, email)
	if err != nil {
		// Erased all the same; a later checkpoint empties the log.
		fmt.Fprintf(stdout, "Warning: %v\n", err)
	}
	return nil
}
