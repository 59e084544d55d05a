package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
	_ "time/tzdata" // Europe/Copenhagen on hosts without a zone database

	"lederradar/data"
	"lederradar/scoring"
	"lederradar/survey"
)

const roundUsage = `Usage:
  lederradar round create --db DB NAME [--opens YYYY-MM-DD] [--closes YYYY-MM-DD] [--draft | --early] [--instrument FILE]
  lederradar round open   --db DB [--early] NAME
                                          draft → open: the links start working
  lederradar round close  --db DB [--min-group N] NAME
                                          no more answers; HR sees the profiles
  lederradar round list   --db DB
`

// runRound is `lederradar round …`: rounds and their status.
func runRound(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return subcommand("round", args, stderr, roundUsage, map[string]func([]string) error{
		"create": func(a []string) error { return runRoundCreate(ctx, a, stdout, stderr) },
		"open":   func(a []string) error { return runRoundStatus(ctx, "open", survey.RoundOpen, a, stdout, stderr) },
		"close":  func(a []string) error { return runRoundStatus(ctx, "close", survey.RoundClosed, a, stdout, stderr) },
		"list":   func(a []string) error { return runRoundList(ctx, a, stdout, stderr) },
	})
}

// runRoundCreate creates a round frozen to the current instrument: open,
// or a draft to open later.
func runRoundCreate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dbPath := newFlagSet("round create --db DB NAME [--opens YYYY-MM-DD] [--closes YYYY-MM-DD] [--draft | --early]", stderr)
	var opens, closes dateFlag
	fs.Var(&opens, "opens", "the announced first day, YYYY-MM-DD")
	fs.Var(&closes, "closes", "the announced last day, YYYY-MM-DD")
	draft := fs.Bool("draft", false, "create the round as a draft, to open later with \"round open\"")
	early := fs.Bool("early", false, "open the round now although --opens lies after today")
	instrument := fs.String("instrument", "", "the organisation's own instrument file (TOML); default: the built-in one")
	pos, err := parseFlags(fs, args, 1)
	if err != nil {
		return err
	}
	r := survey.Round{Name: pos[0], Status: survey.RoundOpen, Opens: opens.t, Closes: closes.t}
	if *draft {
		r.Status = survey.RoundDraft
	} else if err := checkOpensNow(&r, *early, "create it with --draft and open it then"); err != nil {
		return err
	}
	db, in, err := openDBWithInstrument(ctx, *dbPath, *instrument)
	if err != nil {
		return err
	}
	defer db.Close()
	r.InstrumentVersion = in.Version
	if err := db.CreateRound(ctx, &r); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created round %q: %s, instrument %s\n", r.Name, r.Status, r.InstrumentVersion)
	if r.Status == survey.RoundOpen {
		if err := warnOtherOpen(ctx, db, r.ID, stderr); err != nil {
			return err
		}
	}
	return audit(ctx, db, "round.create", fmt.Sprintf("round:%d", r.ID), "status "+string(r.Status))
}

// runRoundStatus moves the named round on to status ("open" or "close").
func runRoundStatus(ctx context.Context, verb string, status survey.RoundStatus, args []string, stdout, stderr io.Writer) error {
	synopsis := "round " + verb + " --db DB NAME"
	switch status {
	case survey.RoundClosed:
		synopsis = "round close --db DB [--min-group N] NAME"
	case survey.RoundOpen:
		synopsis = "round open --db DB [--early] NAME"
	}
	fs, dbPath := newFlagSet(synopsis, stderr)
	var minGroup *int
	var early *bool
	if status == survey.RoundOpen {
		early = fs.Bool("early", false, "open the round now although its first day lies after today")
	}
	if status == survey.RoundClosed {
		minGroup = fs.Int("min-group", scoring.DefaultMinGroup, fmt.Sprintf("the anonymity threshold the round keeps: its report is built with it, once, and final (at least %d; use the server's)", scoring.MinGroupFloor))
	}
	pos, err := parseFlags(fs, args, 1)
	if err != nil {
		return err
	}
	if minGroup != nil && *minGroup < scoring.MinGroupFloor {
		return fmt.Errorf("--min-group %d is below %d: groups that small would expose individuals", *minGroup, scoring.MinGroupFloor)
	}
	db, err := openDB(*dbPath, false)
	if err != nil {
		return err
	}
	defer db.Close()
	r, err := db.FindRoundByName(ctx, pos[0])
	if err != nil {
		return err
	}
	if r.Status == status {
		fmt.Fprintf(stdout, "round %q is already %s\n", r.Name, status)
		return nil
	}
	if early != nil && r.Status == survey.RoundDraft {
		if err := checkOpensNow(r, *early, "open it then"); err != nil {
			return err
		}
	}
	if status == survey.RoundClosed {
		// The close keeps the round's report, final, as a server's close
		// does, built with the threshold the round keeps.
		if err := db.CloseRound(ctx, r.ID, *minGroup); err != nil {
			return err
		}
	} else if err := db.SetRoundStatus(ctx, r.ID, status); err != nil {
		return err
	}
	switch status {
	case survey.RoundClosed:
		fmt.Fprintf(stdout, "closed round %q with anonymity threshold %d: it takes no more answers, and HR can see its profiles, final from now on\n", r.Name, *minGroup)
	default:
		fmt.Fprintf(stdout, "opened round %q: its links take answers\n", r.Name)
		if err := warnOtherOpen(ctx, db, r.ID, stderr); err != nil {
			return err
		}
	}
	return audit(ctx, db, "round."+verb, fmt.Sprintf("round:%d", r.ID), fmt.Sprintf("%s → %s", r.Status, status))
}

// checkOpensNow refuses to open a round before its announced first day
// unless early says the administrator means it, as the round's page asks
// for a tick; instead says what to do otherwise.
func checkOpensNow(r *survey.Round, early bool, instead string) error {
	zone, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		return err
	}
	if early || !r.OpensLater(time.Now(), zone) {
		return nil
	}
	return survey.Errorf(survey.EINVALID, "round %q opens on %s, after today: %s, or add --early to open it now",
		r.Name, r.Opens.Format(time.DateOnly), instead)
}

// warnOtherOpen says on stderr which other rounds are open besides the
// one with id: leaders may then answer in two rounds at once, which the
// round's page warns of too.
func warnOtherOpen(ctx context.Context, db *data.DB, id int64, stderr io.Writer) error {
	rounds, err := db.FindRounds(ctx)
	if err != nil {
		return err
	}
	names := survey.OpenBesides(rounds, id)
	for i, n := range names {
		names[i] = fmt.Sprintf("%q", n)
	}
	if len(names) > 0 {
		fmt.Fprintf(stderr, "note: also open: %s; leaders invited to more than one round answer each\n", strings.Join(names, ", "))
	}
	return nil
}

// runRoundList prints every round, the newest first.
func runRoundList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	db, err := openForList("round list --db DB", args, stderr)
	if err != nil {
		return err
	}
	defer db.Close()
	rounds, err := db.FindRounds(ctx)
	if err != nil {
		return err
	}
	if len(rounds) == 0 {
		fmt.Fprintln(stderr, "No rounds yet; create one with: lederradar round create")
		return nil
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tSTATUS\tINSTRUMENT\tOPENS\tCLOSES")
	for _, r := range rounds {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Name, r.Status, r.InstrumentVersion, formatDate(r.Opens), formatDate(r.Closes))
	}
	return tw.Flush()
}
