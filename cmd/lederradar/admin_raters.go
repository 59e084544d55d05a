package main

import (
	"context"
	"fmt"
	"io"

	"lederradar/internal/csvfile"
	"lederradar/internal/links"
)

// runImportRaters is `lederradar import raters --db DB --round NAME
// FILE.csv`: a 360 round's raters (subject_email, rater_email, relation),
// stored whole or not at all, and their personal links written as CSV for
// mail merge (to --out, or standard output).
func runImportRaters(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs, dbPath := newFlagSet("import raters --db DB --round NAME [--base-url URL] [--out FILE] FILE.csv", stderr)
	roundName := fs.String("round", "", "the round the raters answer in; it becomes a 360 round")
	baseURL := fs.String("base-url", "http://127.0.0.1:8080", "public base URL of the server, which the links start with")
	out := fs.String("out", "", "write the raters' links to this file (default: standard output)")
	pos, err := parseFlags(fs, args, 1)
	if err != nil {
		return err
	}
	if err := requireFlags(fs, "round"); err != nil {
		return err
	}
	file := pos[0]
	rows, err := parseImportFile(file, stdin, csvfile.ParseRaters)
	if err != nil {
		return importFailed(file, err, stderr)
	}
	db, err := openDB(*dbPath, false)
	if err != nil {
		return err
	}
	defer db.Close()
	r, err := db.FindRoundByName(ctx, *roundName)
	if err != nil {
		return err
	}
	// Open the file before the links exist: they are shown only this once.
	w, f, where, err := openLinksFile(*out, stdout)
	if err != nil {
		return err
	}
	if f != nil {
		defer f.Close()
	}
	made, err := db.ImportRaters(ctx, r.ID, rows, nil)
	if err != nil {
		return importFailed(file, err, stderr)
	}
	merge := make([]links.RaterLink, len(made))
	for i, l := range made {
		merge[i] = links.RaterLink{Email: l.RaterEmail, Leader: l.SubjectName, Relation: l.Relation, Token: l.Token}
	}
	err = links.WriteRaterMailMerge(w, merge, *baseURL)
	if err == nil && f != nil {
		err = f.Close()
	}
	if err != nil {
		return fmt.Errorf("the raters were imported but their links could not be written: %w", err)
	}
	fmt.Fprintf(stderr, "Imported %d raters into round %q, a 360 round now; their links are written to %s. Whoever holds them can answer as these raters: send each link only to its rater.\n", len(made), r.Name, where)
	return audit(ctx, db, "import.raters", fmt.Sprintf("round:%d", r.ID), fmt.Sprintf("%d raters", len(made)))
}
