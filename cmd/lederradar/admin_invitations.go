package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"lederradar/internal/auth"
	"lederradar/internal/links"
	"lederradar/survey"
)

// runInvitations is `lederradar invitations --db DB --round NAME`: a
// personal link for everyone in the organisation who has none in the
// round yet (with --all --yes, a new one for everyone, and the old links
// stop working), written as CSV for mail merge.
//
// When mail is configured (--smtp-addr or LEDERRADAR_SMTP_ADDR), links go
// out by e-mail (`invitations send`) and nobody needs the file: it is
// written only with --export-links, and audited as an export.
func runInvitations(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "send" {
		return runInvitationsSend(ctx, args[1:], stdout, stderr)
	}
	fs, dbPath := newFlagSet("invitations --db DB --round NAME [--base-url URL] [--all --yes] [--out FILE] [--export-links]", stderr)
	roundName := fs.String("round", "", "the round to invite to")
	baseURL := fs.String("base-url", "http://127.0.0.1:8080", "public base URL of the server, which the links start with")
	all := fs.Bool("all", false, "issue new links to everyone; their earlier links stop working (with --yes)")
	yes := fs.Bool("yes", false, "confirm that --all makes the links people already have stop working")
	out := fs.String("out", "", "write the CSV to this file (default: standard output)")
	export := fs.Bool("export-links", false, "with mail configured: export the personal links all the same (audited)")
	smtpAddr := fs.String("smtp-addr", "", "the mail relay; when set, links go out by e-mail and the file needs --export-links")
	if _, err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	if *smtpAddr != "" && !*export {
		return fmt.Errorf("mail is configured (--smtp-addr): invitations go out by e-mail with \"lederradar invitations send\", and nobody needs to see the links. To write the link file all the same, add --export-links (the export is audited)")
	}
	if err := requireFlags(fs, "round", "base-url"); err != nil {
		return err
	}
	baseGiven := false
	fs.Visit(func(f *flag.Flag) { baseGiven = baseGiven || f.Name == "base-url" })
	if !baseGiven {
		fmt.Fprintf(stderr, "The links start with %s, which only works on this machine; --base-url sets the server's public address.\n", *baseURL)
	}
	return readable(issueInvitations(ctx, *dbPath, *roundName, *baseURL, linkIssue{all: *all, yes: *yes, export: *smtpAddr != ""}, *out, stdout, stderr))
}

// linkIssue is whom invitations issues links to: everyone (all), and
// whether the administrator confirmed (yes) that the links people already
// have stop working; export is set when mail is on and the file is an
// export asked for on purpose.
type linkIssue struct{ all, yes, export bool }

func issueInvitations(ctx context.Context, dbPath, roundName, baseURL string, mode linkIssue, out string, stdout, stderr io.Writer) error {
	db, err := openDB(dbPath, false)
	if err != nil {
		return err
	}
	defer db.Close()
	r, err := db.FindRoundByName(ctx, roundName)
	if err != nil {
		return err
	}
	if r.Status == survey.RoundClosed {
		return survey.Errorf(survey.ECLOSED, "round %q is closed", r.Name)
	}
	people, err := db.FindPeople(ctx)
	if err != nil {
		return err
	}
	if len(people) == 0 {
		return fmt.Errorf("there is nobody to invite; import people first")
	}
	invited := map[int64]bool{}
	invs, err := db.FindInvitations(ctx, r.ID)
	if err != nil {
		return err
	}
	for _, inv := range invs {
		if inv.Relation == survey.Self && inv.PersonID == inv.SubjectID {
			invited[inv.PersonID] = true
		}
	}
	var invite []survey.Person
	ids := []int64{}
	reissued := 0
	for _, p := range people {
		if mode.all || !invited[p.ID] {
			invite = append(invite, p)
			ids = append(ids, p.ID)
			if invited[p.ID] {
				reissued++
			}
		}
	}
	if len(invite) == 0 {
		fmt.Fprintf(stderr, "Everyone (%d people) already has a link to round %q; --all --yes issues new ones.\n", len(people), r.Name)
		return nil
	}
	if reissued > 0 && !mode.yes {
		return fmt.Errorf("--all would give %d people who already have a link to round %q a new one, and their current links would stop working; nothing was changed. Add --yes to do it", reissued, r.Name)
	}

	// Open the file before the links exist: they are shown only this once.
	w, f, where, err := openLinksFile(out, stdout)
	if err != nil {
		return err
	}
	if f != nil {
		defer f.Close()
	}
	tokens, err := db.IssueInvitations(ctx, r.ID, ids, auth.NewToken)
	if err != nil {
		return err
	}
	err = links.WriteMailMerge(w, invite, tokens, baseURL)
	if err == nil && f != nil {
		err = f.Close()
	}
	if err != nil {
		return fmt.Errorf("the links were issued but could not be written (run again with --all --yes): %w", err)
	}
	fmt.Fprintf(stderr, "Issued %d links to round %q (%s), written to %s. Whoever holds them can answer as these leaders: send each link only to its leader, and delete the file after the mail merge.\n", len(tokens), r.Name, r.Status, where)
	action, detail := "invitations.issue", fmt.Sprintf("%d links", len(tokens))
	if mode.all {
		action, detail = "invitations.reissue", fmt.Sprintf("%d links, %d re-issued (their old links stopped working)", len(tokens), reissued)
	}
	if mode.export && !mode.all {
		action = "invitations.export"
	}
	return audit(ctx, db, action, fmt.Sprintf("round:%d", r.ID), detail)
}

// openLinksFile opens the file links are written to: out, or stdout when
// out is empty (then f is nil). where names it for the administrator.
func openLinksFile(out string, stdout io.Writer) (w io.Writer, f *os.File, where string, err error) {
	if out == "" {
		return stdout, nil, "standard output", nil
	}
	// The links are keys to people's answers: the file is for the
	// administrator alone.
	f, err = os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600) // #nosec G304 -- --out, named by the administrator
	if err != nil {
		return nil, nil, "", err
	}
	return f, f, out, nil
}
