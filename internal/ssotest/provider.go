// Package ssotest runs a real OpenID provider for tests: zitadel/oidc's
// certified op package on an httptest server, with an in-memory storage
// of its own. Tests sign people in through it (SignIn), choose what its
// ID tokens say (User, Provider's knobs), and read what the client sent
// (Challenges).
package ssotest

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// ClientID and ClientSecret are the client the provider knows, and
// OtherClientID another application's.
const (
	ClientID      = "lederradar"
	ClientSecret  = "lederradar-secret-for-tests" // #nosec G101 -- the test provider's made-up client secret
	OtherClientID = "another-application"
)

// User is a person who can sign in. Roles nil leaves the roles claim out.
type User struct {
	Email    string
	Name     string
	Roles    []string
	Verified *bool // email_verified; nil leaves it out
}

// Provider is a running OpenID provider.
type Provider struct {
	// Issuer is its issuer URL; its discovery document is below it.
	Issuer string
	server *httptest.Server

	mu    sync.Mutex
	users map[string]User
	// lifetime of ID tokens; negative issues them already expired.
	lifetime time.Duration
	// audience, when set, replaces the ID token's audience and
	// authorised party (readdress).
	audience []string
	// nonce, when set, replaces the ID token's nonce.
	nonce      string
	requests   map[string]*authRequest
	codes      map[string]string // code → request id
	challenges []oidc.CodeChallenge
	ended      []string // end_session calls: the client ids
	key        *rsa.PrivateKey
	redirects  []string
	// fallback signs in at the log-in page when the query names nobody,
	// as a browser's visit does (SetDefaultUser).
	fallback string
}

// New starts a provider that lets ClientID return to redirectURIs, and
// stops it when the test ends.
func New(tb testing.TB, redirectURIs ...string) *Provider {
	tb.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		tb.Fatal(err)
	}
	p := &Provider{users: map[string]User{}, lifetime: time.Hour, requests: map[string]*authRequest{},
		codes: map[string]string{}, key: key, redirects: redirectURIs}
	var handler http.Handler
	p.server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handler.ServeHTTP(w, r)
	}))
	tb.Cleanup(p.server.Close)
	p.Issuer = p.server.URL
	cfg := &op.Config{CryptoKey: sha256.Sum256([]byte("ssotest")), CodeMethodS256: true, AuthMethodPost: true,
		DefaultLogoutRedirectURI: "/signed-out"}
	provider, err := op.NewProvider(cfg, &storage{p}, op.StaticIssuer(p.Issuer), op.WithAllowInsecure())
	if err != nil {
		tb.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/login", p.login(op.AuthCallbackURL(provider)))
	mux.HandleFunc("/signed-out", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "signed out") })
	mux.Handle("/oauth/token", p.readdress(provider))
	mux.Handle("/", provider)
	handler = mux
	return p
}

// AddUser makes u known to the provider.
func (p *Provider) AddUser(u User) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.users[u.Email] = u
}

// IssueExpired makes the provider issue ID tokens that have already
// expired; IssueFor, ID tokens for the given audience; IssueNonce, ID
// tokens with the given nonce. Each applies to sign-ins after it.
func (p *Provider) IssueExpired() { p.set(func() { p.lifetime = -time.Minute }) }

// SetDefaultUser makes the provider's log-in page sign email in when the
// query names nobody: a browser walking the sign-in (which SignIn is not)
// then signs in as email without a form.
func (p *Provider) SetDefaultUser(email string) { p.set(func() { p.fallback = email }) }

// IssueNormally undoes IssueExpired, IssueFor and IssueNonce.
func (p *Provider) IssueNormally() {
	p.set(func() { p.lifetime, p.audience, p.nonce = time.Hour, nil, "" })
}

// IssueFor: see IssueExpired.
func (p *Provider) IssueFor(audience ...string) { p.set(func() { p.audience = audience }) }

// IssueNonce: see IssueExpired.
func (p *Provider) IssueNonce(nonce string) { p.set(func() { p.nonce = nonce }) }

func (p *Provider) set(f func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f()
}

// Challenges returns the PKCE code challenges the provider was sent.
func (p *Provider) Challenges() []oidc.CodeChallenge {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]oidc.CodeChallenge(nil), p.challenges...)
}

// Ended returns the client ids of the sign-outs the provider was asked
// for (its end_session endpoint).
func (p *Provider) Ended() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.ended...)
}

// SignIn follows authURL (the address a client sent the browser to) at
// the provider as email signing in, and returns the address the provider
// sends the browser back to: the client's callback with a code and the
// state, or with an error.
func (p *Provider) SignIn(tb testing.TB, authURL, email string) *url.URL {
	tb.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	next, err := url.Parse(authURL)
	if err != nil {
		tb.Fatal(err)
	}
	for range 10 {
		if !strings.HasPrefix(next.String(), p.Issuer+"/") {
			return next
		}
		if next.Path == "/login" {
			q := next.Query()
			q.Set("user", email)
			next.RawQuery = q.Encode()
		}
		res, err := client.Get(next.String())
		if err != nil {
			tb.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		_ = res.Body.Close()
		loc, err := res.Location()
		if err != nil {
			tb.Fatalf("GET %s = %d without a redirect: %s", next, res.StatusCode, body)
		}
		next = loc
	}
	tb.Fatalf("the provider redirected more than ten times")
	return nil
}

// login stands for the provider's log-in page: it signs in the user the
// query names (SignIn adds it) and returns to the authorisation.
func (p *Provider) login(callback func(context.Context, string) string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, email := r.URL.Query().Get("authRequestID"), r.URL.Query().Get("user")
		p.mu.Lock()
		if email == "" {
			email = p.fallback
		}
		req, ok := p.requests[id]
		_, known := p.users[email]
		if ok && known {
			req.subject, req.done, req.authTime = email, true, time.Now()
		}
		p.mu.Unlock()
		if !ok || !known {
			http.Error(w, fmt.Sprintf("unknown request %q or user %q", id, email), http.StatusBadRequest)
			return
		}
		http.Redirect(w, r, callback(r.Context(), id), http.StatusFound)
	}
}
