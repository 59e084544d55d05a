package mail

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	gomail "github.com/wneessen/go-mail"

	"lederradar/data"
)

// send hands one message to the relay, over a connection of its own:
// the worker sends a few a minute, and a fresh connection carries no
// state of a failed one.
func (w *Worker) send(ctx context.Context, msg *gomail.Msg, m *data.OutboxMessage) error {
	if w.cfg.Folder != "" {
		return msg.WriteToFile(filepath.Join(w.cfg.Folder, fmt.Sprintf("%06d-%s.eml", m.ID, m.Kind)))
	}
	host, portText, _ := net.SplitHostPort(w.cfg.Addr) // checked in New
	port, _ := strconv.Atoi(portText)
	opts := []gomail.Option{gomail.WithPort(port), gomail.WithTimeout(w.cfg.Timeout),
		gomail.WithTLSConfig(w.cfg.tlsConfig(host)), gomail.WithHELO(w.helo)}
	switch w.cfg.TLS {
	case TLS:
		opts = append(opts, gomail.WithSSL())
	case STARTTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if w.cfg.User != "" {
		// PLAIN or LOGIN, whichever the relay offers (Exchange Online
		// offers LOGIN only); in the clear only to this machine (None).
		mechs := []gomail.SMTPAuthType{gomail.SMTPAuthPlain, gomail.SMTPAuthLogin}
		if w.cfg.TLS == None {
			mechs = []gomail.SMTPAuthType{gomail.SMTPAuthPlainNoEnc, gomail.SMTPAuthLoginNoEnc}
		}
		opts = append(opts, gomail.WithOpportunisticSMTPAuth(mechs...),
			gomail.WithUsername(w.cfg.User), gomail.WithPassword(w.cfg.Password))
	}
	c, err := gomail.NewClient(host, opts...)
	if err != nil {
		return err
	}
	return c.DialAndSendWithContext(ctx, msg)
}

// permanent reports whether the relay refused a message for good: a 5xx
// reply to the message itself (its sender, recipient or content).
// Everything else is worth another try: a 4xx reply, a connection that
// failed or timed out, and refused credentials or TLS, which are the
// configuration's to fix, not the message's.
func permanent(err error) bool {
	var se *gomail.SendError
	if !errors.As(err, &se) || se.IsTemp() {
		return false
	}
	switch se.Reason {
	case gomail.ErrSMTPMailFrom, gomail.ErrSMTPRcptTo, gomail.ErrSMTPData, gomail.ErrSMTPDataClose:
		return se.ErrorCode() >= 500 && se.ErrorCode() < 600
	}
	return false
}

// reason is what the outbox keeps of a failure: the relay's reply,
// without the recipient's address (which some relays repeat), and short.
func reason(err error, address string) string {
	s := err.Error()
	if address != "" {
		s = regexp.MustCompile("(?i)"+regexp.QuoteMeta(address)).ReplaceAllString(s, "<recipient>")
	}
	if len(s) > 300 {
		s = strings.ToValidUTF8(s[:300], "")
	}
	return s
}
