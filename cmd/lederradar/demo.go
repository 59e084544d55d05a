package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"lederradar/data"
	"lederradar/internal/links"
	"lederradar/internal/orggen"
	"lederradar/survey"
)

// demo is what `lederradar demo` prints: links to three leaders of the
// open round, and the HR and administrator log-ins.
type demo struct {
	links  []orggen.DemoLink
	logins []orggen.Account
}

// startDemo seeds an empty database with the demo organisation, or gives
// the three leaders of an existing one new links, and the accounts fresh
// passwords.
func startDemo(ctx context.Context, db *data.DB, in *survey.Instrument) (*demo, error) {
	empty, err := db.IsEmpty(ctx)
	if err != nil {
		return nil, err
	}
	d := &demo{}
	if empty {
		d.links, err = orggen.SeedDemo(ctx, db, in, rand.New(rand.NewPCG(2026, 11)), time.Now()) // #nosec G404 -- made-up demo answers, the same every time; tokens come from crypto/rand
	} else {
		d.links, err = orggen.ReissueDemoLinks(ctx, db)
	}
	if err != nil {
		return nil, err
	}
	if d.logins, err = orggen.DemoAccounts(ctx, db); err != nil {
		return nil, err
	}
	return d, nil
}

// print writes the links and log-ins for a server at baseURL, and the
// folder its mail goes to when it has no relay.
func (d *demo) print(w io.Writer, baseURL, mailFolder string) {
	fmt.Fprintf(w, "\nDemo organisation: %d leaders. Personal links to the open round:\n", orggen.DemoLeaders)
	for _, l := range d.links {
		if !l.Rater {
			fmt.Fprintf(w, "  %-22s (%s)\n    %s\n", l.Name, l.State, links.For(baseURL, l.Token))
			if l.Team != "" {
				fmt.Fprintf(w, "    on the team %q, whose members may share their radars (once the link is open: %s/teams)\n", l.Team, baseURL)
			}
			if l.Share != "" {
				fmt.Fprintf(w, "    has a development plan (%s/plan) and shares it, read-only, with their manager:\n    %s\n", baseURL, links.ShareFor(baseURL, l.Share))
			}
		}
	}
	for _, l := range d.links {
		if l.Rater {
			fmt.Fprintf(w, "\nA rater's link to their form about a leader (360):\n  %s (%s)\n    %s\n", l.Name, l.State, links.For(baseURL, l.Token))
		}
	}
	fmt.Fprintf(w, "\nHR and administrator log-ins (at %s/login):\n", baseURL)
	for _, l := range d.logins {
		fmt.Fprintf(w, "  %-6s %s  password: %s\n", l.Role, l.Email, l.Password)
	}
	if mailFolder != "" {
		fmt.Fprintf(w, "\nMail goes to the folder %s, one .eml file a message (open it in a mail program).\n"+
			"As the administrator, send the open round's invitations from its page (Send invitationer med e-mail):\n"+
			"each leader gets a new link by mail, and the links above stop working.\n", mailFolder)
	}
	fmt.Fprintln(w, "\nOpen a link in your browser. Stop with Ctrl-C.")
}
