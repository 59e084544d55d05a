package mail

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// TLSMode is how the connection to the relay is protected.
type TLSMode string

// STARTTLS upgrades a plain connection (port 587 or 25) and refuses a
// relay that does not offer it; TLS speaks TLS from the first byte (port
// 465); None sends in the clear, only to a relay on this machine.
const (
	STARTTLS TLSMode = "starttls"
	TLS      TLSMode = "tls"
	None     TLSMode = "none"
)

// Defaults of Config.
const (
	DefaultRate    = 60 // messages per minute
	DefaultTimeout = 30 * time.Second
)

// Config is how to reach the relay and what the mail says about the
// server it comes from.
type Config struct {
	// Addr is the relay, host:port.
	Addr string
	// From is the sender, an address with or without a name
	// ("Lederradar <lederradar@kommune.dk>").
	From string
	// User and Password authenticate to the relay; no User, no
	// authentication. The password is read from a file (LoadPassword),
	// never from a flag's value.
	User, Password string
	TLS            TLSMode
	// RootCAs are the certificates the relay's is checked against; nil
	// means the system's. Certificates are always checked: tests pass the
	// authority of their own test certificate here.
	RootCAs *x509.CertPool
	// Rate is how many messages a minute the relay takes; 0 is
	// DefaultRate.
	Rate int
	// Timeout bounds one message's conversation with the relay; 0 is
	// DefaultTimeout.
	Timeout time.Duration
	// BaseURL is the server's public address, which links start with.
	BaseURL string
	// MinGroup is the anonymity threshold the mail tells people about.
	MinGroup int
	// SignIn is set when leaders may sign in with the organisation's
	// provider: a thank-you then links to that sign-in, which opens a
	// closed round's result in any browser.
	SignIn bool
	// Folder, when set, is where messages go instead of a relay: each is
	// written as a file NNNNNN-kind.eml that a mail program opens. It is
	// the demo's mail catcher; Addr and TLS are not used.
	Folder string
}

// check validates c and fills in its defaults.
func (c *Config) check() error {
	if c.Folder != "" {
		return c.checkFolder()
	}
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil || host == "" {
		return fmt.Errorf("mail: --smtp-addr %q must be host:port", c.Addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n <= 0 || n > 65535 {
		return fmt.Errorf("mail: --smtp-addr %q has no valid port", c.Addr)
	}
	if _, err := netmail.ParseAddress(c.From); err != nil {
		return fmt.Errorf("mail: --smtp-from %q is not an e-mail address: %w", c.From, err)
	}
	switch c.TLS {
	case STARTTLS, TLS:
	case None:
		if !loopback(host) {
			return fmt.Errorf("mail: --smtp-tls none sends mail and password in the clear; it is only for a relay on this machine, not %s", host)
		}
	default:
		return fmt.Errorf("mail: --smtp-tls %q must be starttls, tls or none", c.TLS)
	}
	if c.Password != "" && c.User == "" {
		return errors.New("mail: a password without --smtp-user")
	}
	return c.checkCommon()
}

// checkFolder validates a configuration that writes mail to a folder.
func (c *Config) checkFolder() error {
	if _, err := netmail.ParseAddress(c.From); err != nil {
		return fmt.Errorf("mail: sender %q is not an e-mail address: %w", c.From, err)
	}
	if err := os.MkdirAll(c.Folder, 0o700); err != nil {
		return fmt.Errorf("mail: folder for the mail: %w", err)
	}
	return c.checkCommon()
}

// checkCommon validates what a relay and a folder share, and fills in
// the defaults.
func (c *Config) checkCommon() error {
	if c.Rate < 0 {
		return fmt.Errorf("mail: --smtp-rate %d must not be negative", c.Rate)
	}
	if c.Rate == 0 {
		c.Rate = DefaultRate
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	base, err := url.Parse(c.BaseURL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return fmt.Errorf("mail: base URL %q must be an absolute http or https URL", c.BaseURL)
	}
	return nil
}

// loopback reports whether host is this machine.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// tlsConfig is the TLS configuration of a connection to host: the
// certificate is always checked, against RootCAs.
func (c *Config) tlsConfig(host string) *tls.Config {
	return &tls.Config{ServerName: host, RootCAs: c.RootCAs, MinVersion: tls.VersionTLS12}
}

// LoadPassword reads the relay's password from a file: its first line,
// without the line end. An empty path is no password.
func LoadPassword(path string) (string, error) {
	if path == "" {
		return "", nil
	}
	b, err := os.ReadFile(path) // #nosec G304 -- --smtp-password-file, named by the operator
	if err != nil {
		return "", fmt.Errorf("mail: --smtp-password-file: %w", err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return strings.TrimRight(line, "\r"), nil
}
