package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"lederradar/internal/auth"
	"lederradar/survey"
)

// #nosec G101 -- usage text, no credential
const tokenUsage = `Usage:
  lederradar token create --db DB --role hr [--name NAME]   print a new API bearer token, once
  lederradar token revoke --db DB ID                       stop a token from working
  lederradar token list   --db DB
`

// runToken is `lederradar token …`: bearer tokens for the JSON API.
func runToken(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return subcommand("token", args, stderr, tokenUsage, map[string]func([]string) error{
		"create": func(a []string) error { return runTokenCreate(ctx, a, stdout, stderr) },
		"revoke": func(a []string) error { return runTokenRevoke(ctx, a, stdout, stderr) },
		"list":   func(a []string) error { return runTokenList(ctx, a, stdout, stderr) },
	})
}

// runTokenCreate prints a new token on stdout, alone, so a script can
// capture it; only its hash is stored.
func runTokenCreate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dbPath := newFlagSet("token create --db DB --role hr [--name NAME]", stderr)
	role := fs.String("role", "hr", "what the token may read: hr (the API's aggregates)")
	name := fs.String("name", "", "what the token is for, e.g. the integration using it (default: the date)")
	if _, err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	r, err := survey.ParseRole(*role)
	if err != nil {
		return err
	}
	t := survey.APIToken{Role: r, Name: *name}
	if t.Name == "" {
		t.Name = "created " + time.Now().Format(time.DateOnly)
	}
	db, err := openDB(*dbPath, true)
	if err != nil {
		return err
	}
	defer db.Close()
	token, hash := auth.NewToken()
	if err := db.CreateAPIToken(ctx, &t, hash); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "Created API token %d (%s, %q). It is shown this once; send it as \"Authorization: Bearer TOKEN\":\n", t.ID, t.Role, t.Name)
	fmt.Fprintln(stdout, token)
	return audit(ctx, db, "token.create", fmt.Sprintf("token:%d", t.ID), "role "+string(t.Role))
}

// runTokenRevoke stops the token with the given id (see token list).
func runTokenRevoke(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dbPath := newFlagSet("token revoke --db DB ID", stderr)
	pos, err := parseFlags(fs, args, 1)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil || id <= 0 {
		fmt.Fprintf(stderr, "token id %q is not a number; \"lederradar token list\" shows them\n", pos[0])
		return errUsage
	}
	db, err := openDB(*dbPath, false)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.RevokeAPIToken(ctx, id); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "revoked API token %d\n", id)
	return audit(ctx, db, "token.revoke", fmt.Sprintf("token:%d", id), "")
}

// runTokenList prints every token, revoked ones included, the newest
// first. The tokens themselves are not stored, so cannot be shown.
func runTokenList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	db, err := openForList("token list --db DB", args, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	tokens, err := db.FindAPITokens(ctx)
	if err != nil {
		return err
	}
	if len(tokens) == 0 {
		fmt.Fprintln(stderr, "No API tokens yet; create one with: lederradar token create --role hr")
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tROLE\tNAME\tCREATED\tREVOKED")
	for _, t := range tokens {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", t.ID, t.Role, t.Name, formatStamp(t.CreatedAt), formatStamp(t.RevokedAt))
	}
	return tw.Flush()
}

// formatStamp shows a moment in local time to the minute, or "-" for none.
func formatStamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Local().Format("2006-01-02 15:04")
}
