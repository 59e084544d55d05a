package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"lederradar/data"
	"lederradar/internal/orggen"
	"lederradar/survey"
)

// runGen generates an organisation into a new database file and writes
// the open round's link tokens to a file.
func runGen(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", "", "database file to create (must not hold an organisation)")
	people := fs.Int("people", 1000, "number of respondents")
	seed := fs.Uint64("seed", 0, "seed of the organisation and its answers (default: the number of people, as the benchmarks' fixtures)")
	links := fs.String("links", "", "file to write the open round's link tokens to (default DB.links)")
	hrEmail := fs.String("hr-email", "hr@orggen.example", "HR account to create")
	hrPassword := fs.String("hr-password", orggen.FixtureHR.Password, "its password (test data: the fixtures' by default)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if *dbPath == "" {
		fmt.Fprintln(stderr, "gen: --db is required")
		return errUsage
	}
	if *links == "" {
		*links = *dbPath + ".links"
	}
	if *seed == 0 {
		*seed = uint64(*people) // #nosec G115 -- a count of people, not negative
	}
	in, err := survey.DefaultInstrument()
	if err != nil {
		return err
	}
	db, err := data.Open(*dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	if empty, err := db.IsEmpty(ctx); err != nil {
		return err
	} else if !empty {
		return fmt.Errorf("gen: %s already holds an organisation", *dbPath)
	}
	start := time.Now()
	org, err := orggen.Generate(ctx, db, in, survey.DefaultInstrumentFile(), orggen.Config{
		People: *people, Seed: *seed, Now: orggen.FixtureNow, HR: &orggen.Account{Email: *hrEmail, Password: *hrPassword},
	})
	if err != nil {
		return err
	}
	if err := orggen.WriteLinks(*links, org.Links); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "generated %d people, %d departments, %d teams (%d memberships) in %s\n",
		org.People, org.Departments, org.Teams, org.Memberships, time.Since(start).Round(time.Millisecond))
	for _, r := range org.ClosedRounds {
		fmt.Fprintf(stdout, "  closed round %d %q: %d submitted\n", r.ID, r.Name, org.Submitted[r.ID])
	}
	fmt.Fprintf(stdout, "  open round %d %q: %d submitted; %d links in %s\n",
		org.OpenRound.ID, org.OpenRound.Name, org.Submitted[org.OpenRound.ID], len(org.Links), *links)
	fmt.Fprintf(stdout, "  HR log-in: %s / %s\n", *hrEmail, *hrPassword)
	return nil
}
