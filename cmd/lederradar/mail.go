package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"

	"lederradar/data"
	"lederradar/internal/mail"
	"lederradar/scoring"
	"lederradar/web"
)

// smtpFlags are the relay's flags, shared by serve, demo and
// `invitations send` (DESIGN, Contract: Mail).
type smtpFlags struct {
	Addr, From, User, PasswordFile, TLS string
	Rate                                int
}

// addSMTPFlags adds the relay's flags to fs, writing into f.
func addSMTPFlags(fs *flag.FlagSet, f *smtpFlags) {
	fs.StringVar(&f.Addr, "smtp-addr", "", "the organisation's mail relay, HOST:PORT; mail is off without it")
	fs.StringVar(&f.From, "smtp-from", "", "the sender of Lederradar's mail, e.g. \"Lederradar <lederradar@kommune.dk>\"")
	fs.StringVar(&f.User, "smtp-user", "", "user name at the relay (none: no authentication)")
	fs.StringVar(&f.PasswordFile, "smtp-password-file", "", "file whose first line is the relay's password")
	fs.StringVar(&f.TLS, "smtp-tls", string(mail.STARTTLS), "starttls, tls (implicit, port 465) or none (only for a relay on this machine)")
	fs.IntVar(&f.Rate, "smtp-rate", mail.DefaultRate, "most messages a minute the relay takes")
}

// on reports whether mail is configured.
func (f *smtpFlags) on() bool { return f.Addr != "" }

// config is the mail configuration the flags give, for links under
// baseURL and an anonymity threshold of minGroup.
func (f *smtpFlags) config(baseURL string, minGroup int) (mail.Config, error) {
	if f.From == "" {
		return mail.Config{}, fmt.Errorf("--smtp-addr needs --smtp-from, the sender's address")
	}
	password, err := mail.LoadPassword(f.PasswordFile)
	if err != nil {
		return mail.Config{}, err
	}
	return mail.Config{Addr: f.Addr, From: f.From, User: f.User, Password: password, TLS: mail.TLSMode(f.TLS),
		Rate: f.Rate, BaseURL: baseURL, MinGroup: minGroup}, nil
}

// newMailer is the server's mail worker, or nil when mail is off. A demo
// without a relay writes its mail to the folder demoMailFolder names.
func newMailer(cfg Config, isDemo bool, db *data.DB, logger *slog.Logger) (*mail.Worker, error) {
	var mc mail.Config
	switch {
	case cfg.SMTP.on():
		var err error
		if mc, err = cfg.SMTP.config(cfg.BaseURL, cfg.MinGroup); err != nil {
			return nil, err
		}
	case isDemo:
		// A folder takes mail as fast as it comes: the demo's 576
		// invitations are written in seconds, not in ten minutes.
		mc = mail.Config{Folder: demoMailFolder(cfg.DB), From: "Lederradar <lederradar@demo.kommune.dk>",
			BaseURL: cfg.BaseURL, MinGroup: cfg.MinGroup, Rate: 60000}
	default:
		return nil, nil
	}
	mc.SignIn = cfg.OIDC.Issuer != ""
	return mail.New(db, mc, logger)
}

// demoMailFolder is where a demo without a relay writes its mail: beside
// its database, lederradar-demo-mail for lederradar-demo.db.
func demoMailFolder(dbPath string) string {
	return strings.TrimSuffix(dbPath, filepath.Ext(dbPath)) + "-mail"
}

// startMail runs the mail worker and the daily reminders for the
// server's lifetime, when mail is on. The function it returns stops both
// and waits for them, so that they are done before the database closes.
func startMail(ctx context.Context, w *mail.Worker, srv *web.Server) (stop func()) {
	if w == nil {
		return func() {}
	}
	mailCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{}, 2)
	go func() { w.Run(mailCtx); done <- struct{}{} }()
	go func() { srv.RunReminders(mailCtx); done <- struct{}{} }()
	return func() {
		cancel()
		<-done
		<-done
	}
}

// runInvitationsSend is `lederradar invitations send`: it queues an
// invitation by e-mail to everyone in the round who has had none (with
// --resend, to everyone again, with new links) and sends what is due
// through the relay, printing the counts.
func runInvitationsSend(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, dbPath := newFlagSet("invitations send --db DB --round NAME --base-url URL [--resend] --smtp-addr HOST:PORT --smtp-from ADDRESS [--smtp-…]", stderr)
	roundName := fs.String("round", "", "the round to invite to")
	baseURL := fs.String("base-url", "", "public base URL of the server, which the links start with")
	resend := fs.Bool("resend", false, "send everyone a new invitation with a new link; the links mailed before stop working")
	minGroup := fs.Int("min-group", scoring.DefaultMinGroup, "the anonymity threshold the invitations tell people about (as the server's)")
	var smtp smtpFlags
	addSMTPFlags(fs, &smtp)
	if _, err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	if err := requireFlags(fs, "round", "base-url", "smtp-addr"); err != nil {
		return err
	}
	mc, err := smtp.config(*baseURL, *minGroup)
	if err != nil {
		return err
	}
	db, err := openDB(*dbPath, false)
	if err != nil {
		return err
	}
	defer db.Close()
	r, err := db.FindRoundByName(ctx, *roundName)
	if err != nil {
		return readable(err)
	}
	w, err := mail.New(db, mc, slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		return err
	}
	q, err := db.QueueInvitationMail(ctx, r.ID, *resend)
	if err != nil {
		return readable(err)
	}
	if err := audit(ctx, db, "invitations.mail", fmt.Sprintf("round:%d", r.ID), fmt.Sprintf("%d messages queued, %d new invitations, %d links replaced", q.Queued, q.Created, q.Replaced)); err != nil {
		return err
	}
	t, err := w.SendDue(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Round %q: %d invitations queued; %d messages sent, %d failed, %d to be tried again.\n", r.Name, q.Queued, t.Sent, t.Failed, t.Retrying)
	if q.Replaced > 0 {
		fmt.Fprintf(stdout, "%d links mailed before stopped working (--resend).\n", q.Replaced)
	}
	return printOutbox(ctx, db, r.ID, stdout)
}

// printOutbox prints the round's mail that needs attention: failed,
// unknown, and waiting for another try.
func printOutbox(ctx context.Context, db *data.DB, roundID int64, stdout io.Writer) error {
	counts, err := db.FindOutboxCounts(ctx, roundID)
	if err != nil {
		return err
	}
	for _, c := range counts {
		switch c.Status {
		case data.MailFailed:
			fmt.Fprintf(stdout, "  %d %s messages failed for good (see the round's page for the invitations' addresses).\n", c.N, c.Kind)
		case data.MailUnknown:
			fmt.Fprintf(stdout, "  %d %s messages may or may not have gone (cut off mid-send); they are not sent again by themselves: --resend sends every invitation again.\n", c.N, c.Kind)
		case data.MailQueued:
			fmt.Fprintf(stdout, "  %d %s messages wait to be tried again; lederradar serve with --smtp-addr does that.\n", c.N, c.Kind)
		}
	}
	return nil
}
