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
	raterLinks := fs.String("rater-links", "", "file to write the open round's raters' link tokens to (default DB.rater-links)")
	threeSixty := fs.Bool("360", true, "make the newest closed round and the open one 360 rounds, five raters per leader")
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
	if *raterLinks == "" {
		*raterLinks = *dbPath + ".rater-links"
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
		ThreeSixty: *threeSixty,
	})
	if err != nil {
		return err
	}
	if err := orggen.WriteLinks(*links, org.Links); err != nil {
		return err
	}
	if *threeSixty {
		if err := orggen.WriteRaterLinks(*raterLinks, org.RaterLinks); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "generated %d people, %d departments, %d teams (%d memberships) in %s\n",
		org.People, org.Departments, org.Teams, org.Memberships, time.Since(start).Round(time.Millisecond))
	for _, r := range org.ClosedRounds {
		fmt.Fprintf(stdout, "  closed %s round %d %q: %d submitted%s\n", r.Kind, r.ID, r.Name, org.Submitted[r.ID], ratersSubmitted(org, r))
	}
	r := org.OpenRound
	fmt.Fprintf(stdout, "  open %s round %d %q: %d submitted%s; %d links in %s\n",
		r.Kind, r.ID, r.Name, org.Submitted[r.ID], ratersSubmitted(org, r), len(org.Links), *links)
	if *threeSixty {
		fmt.Fprintf(stdout, "  %d raters' links in %s\n", len(org.RaterLinks), *raterLinks)
	}
	fmt.Fprintf(stdout, "  HR log-in: %s / %s\n", *hrEmail, *hrPassword)
	return nil
}

// ratersSubmitted says how many raters submitted in a 360 round.
func ratersSubmitted(org *orggen.Org, r survey.Round) string {
	if r.Kind != survey.ThreeSixty {
		return ""
	}
	return fmt.Sprintf(", %d raters' answers submitted", org.RatersSubmitted[r.ID])
}
