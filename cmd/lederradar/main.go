// Command lederradar runs Lederradar: `serve` serves it, `demo` seeds a demo
// organisation and serves that, `instrument` prints the default instrument
// file. Every flag also reads LEDERRADAR_<FLAG> from the environment.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"lederradar/data"
	"lederradar/internal/gcsettings"
	"lederradar/scoring"
	"lederradar/survey"
	"lederradar/web"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "lederradar:", err)
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

const usage = `Usage:
  lederradar serve [--addr ADDR] [--db FILE] [flags]   serve Lederradar
  lederradar demo  [--addr ADDR] [--db FILE] [flags]   seed a demo organisation and serve it
  lederradar instrument                                print the default instrument file (TOML)

Privacy flags of serve and demo:
  --retention 36m        delete closed rounds and their answers this long after
                         closing: 36m (months; m is never minutes), 3y, 90d, or 0
                         to keep them; default 36m
  --org-name NAME        the data controller named in the privacy notice
  --privacy-contact C    where people use their rights: an e-mail address or text

Administration (each takes --db FILE, default lederradar.db):
  lederradar user add --email E --role hr|admin [--generate]
                                                       add an HR or administrator account
  lederradar user list                                 list the accounts
  lederradar import people FILE.csv                    import people (email,name,department,teams)
  lederradar import responses --round NAME FILE.csv    import answers collected elsewhere
  lederradar round create NAME [--opens YYYY-MM-DD] [--closes YYYY-MM-DD] [--draft]
                                                       create a round on the current instrument
  lederradar round open|close NAME                     open a draft round; close a round
  lederradar round list                                list the rounds
  lederradar invitations send --round NAME --base-url URL [--resend] --smtp-addr H:P --smtp-from A
                                                       send the round's invitations by e-mail
  lederradar invitations --round NAME [--base-url URL] [--all --yes] [--out FILE]
                                                       issue personal links, as CSV for mail merge
                                                       (with mail on: --export-links)
  lederradar token create --role hr [--name NAME]      print a new API token, once
  lederradar token revoke ID | token list              revoke or list API tokens
  lederradar person erase EMAIL                        erase a person and all their personal data
  lederradar backup FILE                               copy the live database to FILE

Mail flags of serve, demo and invitations send (mail is off without --smtp-addr):
  --smtp-addr HOST:PORT  the organisation's relay
  --smtp-from ADDRESS    the sender, e.g. "Lederradar <lederradar@kommune.dk>"
  --smtp-user USER       --smtp-password-file FILE (its first line)
  --smtp-tls MODE        starttls (default), tls, or none (a relay on this machine only)
  --smtp-rate N          most messages a minute (default 60)

Single sign-on flags of serve and demo (off without --oidc-issuer):
  --oidc-issuer URL      the organisation's OpenID Connect provider
  --oidc-client-id ID    --oidc-client-secret-file FILE
  --oidc-roles-claim C   the claim with roles lederradar-hr / lederradar-admin
  --local-login=false    no passwords: single sign-on only

Every flag can also be set as LEDERRADAR_<FLAG> (upper case, dashes as
underscores), e.g. LEDERRADAR_DB=/var/lib/lederradar/lederradar.db.
Run "lederradar serve -h" or "lederradar round create -h" (and so on) for the flags.
`

// Config is everything the server commands take from flags and environment.
type Config struct {
	Addr           string
	DB             string
	Instrument     string
	BaseURL        string
	TrustedProxies string
	LogLevel       string
	LogFormat      string
	ShutdownWait   time.Duration
	MinGroup       int
	// Retention is how long closed rounds are kept; OrgName and
	// PrivacyContact are what the privacy notice names.
	Retention      survey.Retention
	OrgName        string
	PrivacyContact string
	// SMTP is the organisation's mail relay; mail is off without one.
	SMTP smtpFlags
	// OIDC is the organisation's OpenID provider; single sign-on is off
	// without one.
	OIDC oidcFlags
}

// run is the whole program; tests call it with their own arguments.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	switch args[0] {
	case "serve", "demo":
		cfg, err := parseConfig(args[0], args[1:], stderr)
		if err != nil {
			return err
		}
		return serve(ctx, args[0] == "demo", cfg, stdout, stderr)
	case "instrument":
		_, err := stdout.Write(survey.DefaultInstrumentFile())
		return err
	case "user":
		return runUser(ctx, args[1:], stdin, stdout, stderr)
	case "import":
		return runImport(ctx, args[1:], stdin, stdout, stderr)
	case "round":
		return runRound(ctx, args[1:], stdout, stderr)
	case "invitations":
		return runInvitations(ctx, args[1:], stdout, stderr)
	case "token":
		return runToken(ctx, args[1:], stdout, stderr)
	case "person":
		return runPerson(ctx, args[1:], stdout, stderr)
	case "backup":
		return runBackup(ctx, args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprintf(stderr, "unknown command %q\n\n%s", args[0], usage)
		return errUsage
	}
}

// parseConfig reads flags, then fills every flag not given on the command
// line from LEDERRADAR_<FLAG>.
func parseConfig(cmd string, args []string, stderr io.Writer) (Config, error) {
	cfg := Config{}
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	defaultDB := "lederradar.db"
	if cmd == "demo" {
		defaultDB = "lederradar-demo.db"
	}
	fs.StringVar(&cfg.Addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&cfg.DB, "db", defaultDB, "SQLite database file")
	fs.StringVar(&cfg.Instrument, "instrument", "", "the organisation's own instrument file (TOML); default: the built-in one")
	fs.StringVar(&cfg.BaseURL, "base-url", "", "public base URL for links, e.g. https://lederradar.example.dk (default http://ADDR)")
	fs.StringVar(&cfg.TrustedProxies, "trusted-proxies", "", "comma-separated proxy addresses or CIDRs whose X-Forwarded-For is trusted (default none)")
	fs.StringVar(&cfg.LogLevel, "log-level", "info", "debug, info, warn or error")
	fs.StringVar(&cfg.LogFormat, "log-format", "text", "text or json")
	fs.DurationVar(&cfg.ShutdownWait, "shutdown-wait", 10*time.Second, "how long to let requests finish on shutdown")
	fs.IntVar(&cfg.MinGroup, "min-group", scoring.DefaultMinGroup, fmt.Sprintf("anonymity threshold: fewest respondents a shown group or competence may have (at least %d)", scoring.MinGroupFloor))
	cfg.Retention = survey.DefaultRetention
	fs.Var((*retentionValue)(&cfg.Retention), "retention", "how long closed rounds and their answers are kept after closing: 36m (months; m is never minutes), 3y, 90d, or 0 to keep them")
	orgName, contact := "", ""
	if cmd == "demo" {
		orgName, contact = "Demo Kommune", "privacy@demo.kommune.dk"
	}
	fs.StringVar(&cfg.OrgName, "org-name", orgName, "the organisation running Lederradar (the data controller), for the privacy notice")
	fs.StringVar(&cfg.PrivacyContact, "privacy-contact", contact, "where people use their data protection rights: an e-mail address or a line of text, for the privacy notice")
	addSMTPFlags(fs, &cfg.SMTP)
	addOIDCFlags(fs, &cfg.OIDC)
	if err := fs.Parse(args); err != nil {
		return cfg, errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "unexpected argument %q\n", fs.Arg(0))
		return cfg, errUsage
	}
	if err := applyEnv(fs, os.LookupEnv); err != nil {
		return cfg, err
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://" + cfg.Addr
	}
	if err := cfg.OIDC.check(); err != nil {
		return cfg, err
	}
	if cfg.MinGroup < scoring.MinGroupFloor {
		return cfg, fmt.Errorf("--min-group %d is below %d: groups that small would expose individuals", cfg.MinGroup, scoring.MinGroupFloor)
	}
	return cfg, nil
}

// applyEnv sets every flag not given on the command line from its
// LEDERRADAR_ variable, if that is set.
func applyEnv(fs *flag.FlagSet, lookup func(string) (string, bool)) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if given[f.Name] || err != nil {
			return
		}
		name := "LEDERRADAR_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := lookup(name); ok {
			if e := fs.Set(f.Name, v); e != nil {
				err = fmt.Errorf("%s: %w", name, e)
			}
		}
	})
	return err
}

func newLogger(cfg Config, w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		return nil, fmt.Errorf("log level %q: %w", cfg.LogLevel, err)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch cfg.LogFormat {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	default:
		return nil, fmt.Errorf("log format %q: want text or json", cfg.LogFormat)
	}
}

// loadInstrument returns the instrument and its file: the organisation's
// own when --instrument names one, else the built-in one.
func loadInstrument(path string) (*survey.Instrument, []byte, error) {
	if path == "" {
		in, err := survey.DefaultInstrument()
		return in, survey.DefaultInstrumentFile(), err
	}
	raw, err := os.ReadFile(path) // #nosec G304 -- --instrument, named by the operator
	if err != nil {
		return nil, nil, fmt.Errorf("instrument: %w", err)
	}
	in, err := survey.ParseInstrument(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("instrument %s: %s", path, survey.ErrorMessage(err))
	}
	return in, raw, nil
}

// serve runs the server (with the demo organisation seeded first when
// isDemo) until ctx ends, then lets requests finish for up to
// cfg.ShutdownWait.
func serve(ctx context.Context, isDemo bool, cfg Config, stdout, stderr io.Writer) error {
	logger, err := newLogger(cfg, stderr)
	if err != nil {
		return err
	}
	gcsettings.Apply(os.LookupEnv) // the collector's settings, unless GOGC or GOMEMLIMIT say otherwise
	in, raw, err := loadInstrument(cfg.Instrument)
	if err != nil {
		return err
	}
	// Listen before the database is touched: a second demo started while
	// one runs must fail here, before it gives the running demo's leaders
	// new links and its accounts new passwords.
	ln, err := listen(cfg.Addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	if isDemo {
		unlock, err := lockDemo(cfg.DB)
		if err != nil {
			return err
		}
		defer unlock()
	}
	db, err := data.Open(cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.EnsureInstrument(ctx, in, raw); err != nil {
		return fmt.Errorf("instrument: %s", survey.ErrorMessage(err))
	}

	var d *demo
	if isDemo {
		if d, err = startDemo(ctx, db, in); err != nil {
			return err
		}
	}

	proxies := trustedProxies(cfg.TrustedProxies)
	mailer, err := newMailer(cfg, isDemo, db, logger)
	if err != nil {
		return err
	}
	signOn, err := newSSO(ctx, cfg.OIDC, cfg.BaseURL, db)
	if err != nil {
		return err
	}
	srv, err := web.New(web.Config{DB: db, Instrument: in, Logger: logger, BaseURL: cfg.BaseURL, TrustedProxies: proxies, MinGroup: cfg.MinGroup, Mail: mailer,
		SSO: signOn, LocalLoginOff: !cfg.OIDC.LocalLogin,
		Privacy: web.PrivacyConfig{OrgName: cfg.OrgName, Contact: cfg.PrivacyContact, Retention: cfg.Retention}})
	if err != nil {
		return err
	}
	stopRetention := startRetention(ctx, srv)
	defer stopRetention()
	stopMail := startMail(ctx, mailer, srv)
	defer stopMail()
	hs := newHTTPServer(srv.Handler(), logger)
	logger.Info("serving", slog.String("addr", ln.Addr().String()), slog.String("db", cfg.DB), slog.String("instrument", in.Version))
	fmt.Fprintf(stdout, "Lederradar is running at %s\n", cfg.BaseURL)
	if d != nil {
		mailFolder := ""
		if !cfg.SMTP.on() {
			mailFolder = demoMailFolder(cfg.DB)
		}
		d.print(stdout, cfg.BaseURL, mailFolder)
	}
	return serveUntilDone(ctx, hs, ln, cfg.ShutdownWait, logger)
}

// listen opens the server's address, saying what to do when it is taken.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("cannot listen on %s: %w\n"+
			"Is Lederradar already running there? Its links and log-ins stay valid; "+
			"stop it first, or choose another address with --addr", addr, err)
	}
	return ln, nil
}

// trustedProxies splits --trusted-proxies, a comma-separated list, into
// its addresses, ignoring blanks.
func trustedProxies(list string) []string {
	var proxies []string
	for _, p := range strings.Split(list, ",") {
		if p = strings.TrimSpace(p); p != "" {
			proxies = append(proxies, p)
		}
	}
	return proxies
}

// startRetention runs retention for the server's lifetime. The function
// it returns stops it and waits for it, so that it is done before the
// database closes.
func startRetention(ctx context.Context, srv *web.Server) (stop func()) {
	retentionCtx, stopRetention := context.WithCancel(ctx)
	retentionDone := make(chan struct{})
	go func() {
		defer close(retentionDone)
		srv.RunRetention(retentionCtx)
	}()
	return func() {
		stopRetention()
		<-retentionDone
	}
}

// newHTTPServer returns the HTTP server for handler, with timeouts and a
// header limit so that slow or oversized requests cannot hold connections,
// logging its own errors as warnings.
func newHTTPServer(handler http.Handler, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}

// serveUntilDone serves on ln until the server fails or ctx ends; then
// it shuts down, letting requests under way finish within wait.
func serveUntilDone(ctx context.Context, hs *http.Server, ln net.Listener, wait time.Duration, logger *slog.Logger) error {
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
