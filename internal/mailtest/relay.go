// Package mailtest runs a real SMTP relay inside a test
// (github.com/emersion/go-smtp), with TLS under a test certificate
// authority, AUTH PLAIN, and replies the test chooses, and counts what it
// delivers. The mail package's tests, the command line's and the crash
// test send to it.
package mailtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// TLS modes of a relay, as mail.Config names them.
const (
	STARTTLS = "starttls"
	TLS      = "tls"
	None     = "none"
)

// Options shape a relay.
type Options struct {
	// TLS is STARTTLS (offered on a plain connection), TLS (from the first
	// byte) or None.
	TLS string
	// User and Password, when set, are required (AUTH PLAIN) before a
	// message is taken.
	User, Password string
	// Reply, when set, is asked at each RCPT TO (n counts the attempts to
	// that recipient, from 1); an error it returns is the relay's reply
	// (an *smtp.SMTPError such as Temporary or Permanent).
	Reply func(rcpt string, n int) error
	// BeforeData, when set, is called when a message's content begins,
	// before it is read: a test may hold the sender there.
	BeforeData func(rcpt []string)
}

// Temporary and Permanent are replies for Options.Reply.
var (
	Temporary = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
	Permanent = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user here"}
)

// Message is one message the relay took.
type Message struct {
	From string
	To   []string
	Data []byte
}

// Relay is a running test relay.
type Relay struct {
	// Addr is where it listens, 127.0.0.1:port.
	Addr string
	// CA is the authority its certificate is under: trust it to reach
	// the relay (mail.Config.RootCAs).
	CA *x509.CertPool

	opt    Options
	server *smtp.Server

	mu       sync.Mutex
	messages []Message
	attempts map[string]int
}

// Start starts a relay and stops it when the test ends.
func Start(tb testing.TB, opt Options) *Relay {
	tb.Helper()
	r := &Relay{opt: opt, attempts: map[string]int{}}
	cert, pool, err := testCertificate()
	if err != nil {
		tb.Fatal(err)
	}
	r.CA = pool
	r.server = smtp.NewServer(backend{r})
	r.server.Domain = "localhost"
	r.server.ErrorLog = log.New(io.Discard, "", 0) // a refused certificate is a test's point, not noise
	r.server.ReadTimeout = 10 * time.Second
	r.server.WriteTimeout = 10 * time.Second
	r.server.AllowInsecureAuth = opt.TLS == None
	tlsConfig := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	switch opt.TLS {
	case STARTTLS:
		r.server.TLSConfig = tlsConfig
	case TLS:
		ln = tls.NewListener(ln, tlsConfig)
	}
	r.Addr = ln.Addr().String()
	go func() { _ = r.server.Serve(ln) }()
	tb.Cleanup(func() { _ = r.server.Close() })
	return r
}

// Messages returns what the relay has taken so far.
func (r *Relay) Messages() []Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Message(nil), r.messages...)
}

// Delivered counts the messages taken for rcpt.
func (r *Relay) Delivered(rcpt string) int {
	n := 0
	for _, m := range r.Messages() {
		for _, to := range m.To {
			if strings.EqualFold(to, rcpt) {
				n++
			}
		}
	}
	return n
}

type backend struct{ r *Relay }

func (b backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{r: b.r}, nil }

type session struct {
	r      *Relay
	authed bool
	from   string
	to     []string
}

func (s *session) AuthMechanisms() []string {
	if s.r.opt.User == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, user, password string) error {
		if user != s.r.opt.User || password != s.r.opt.Password {
			return smtp.ErrAuthFailed
		}
		s.authed = true
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.r.opt.User != "" && !s.authed {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.r.mu.Lock()
	s.r.attempts[strings.ToLower(to)]++
	n := s.r.attempts[strings.ToLower(to)]
	s.r.mu.Unlock()
	if s.r.opt.Reply != nil {
		if err := s.r.opt.Reply(to, n); err != nil {
			return err
		}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(body io.Reader) error {
	if s.r.opt.BeforeData != nil {
		s.r.opt.BeforeData(s.to)
	}
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, body); err != nil {
		return err
	}
	s.r.mu.Lock()
	s.r.messages = append(s.r.messages, Message{From: s.from, To: append([]string(nil), s.to...), Data: buf.Bytes()})
	s.r.mu.Unlock()
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

// testCertificate makes a certificate authority and a certificate under
// it for 127.0.0.1 and localhost, valid for a day.
func testCertificate() (tls.Certificate, *x509.CertPool, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	now := time.Now()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Lederradar test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "localhost"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour), DNSNames: []string{"localhost"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	if len(der) == 0 {
		return tls.Certificate{}, nil, errors.New("mailtest: no certificate")
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool, nil
}
