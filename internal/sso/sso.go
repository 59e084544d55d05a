// Package sso signs people in with the organisation's OpenID Connect
// provider (Microsoft Entra ID and the like): the authorisation code flow
// with PKCE, a state that is used once and a nonce, and the ID token
// verified with go-oidc. It knows nothing of sessions, accounts or pages:
// it says who signed in (Identity), and the web layer decides what that
// person may do.
//
// A sign-in has two halves. Start makes a state, a nonce and a PKCE
// verifier, keeps them in a Store and returns the provider's address for
// the browser. Finish takes the state back from the Store (so a state
// works once), exchanges the code with the verifier, and verifies the ID
// token: issuer, audience, expiry, signature and nonce.
package sso

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// The errors Finish returns, each wrapping what went wrong in detail.
// errors.Is tells them apart.
var (
	// ErrState: the state is unknown, already used, expired, or not the
	// one this browser started with. Start again.
	ErrState = errors.New("sso: unknown, used or expired sign-in")
	// ErrDenied: the provider answered with an error instead of a code
	// (the person cancelled, or may not use the application).
	ErrDenied = errors.New("sso: the provider refused the sign-in")
	// ErrExchange: the code could not be exchanged for tokens (a wrong
	// verifier or secret, or the provider did not answer).
	ErrExchange = errors.New("sso: unable to exchange the code")
	// ErrToken: the ID token is missing, badly signed or from another
	// issuer.
	ErrToken = errors.New("sso: the ID token is not valid")
	// ErrAudience: the ID token was issued to another client.
	ErrAudience = errors.New("sso: the ID token is for another application")
	// ErrExpired: the ID token has expired.
	ErrExpired = errors.New("sso: the ID token has expired")
	// ErrNonce: the ID token does not carry this sign-in's nonce (it was
	// replayed from another sign-in).
	ErrNonce = errors.New("sso: the ID token's nonce does not match")
	// ErrNoEmail: the ID token has no e-mail address, or one the provider
	// says is not verified.
	ErrNoEmail = errors.New("sso: the ID token has no verified e-mail address")
)

// pendingLifetime is how long a started sign-in may take: long enough to
// type a password and answer a second factor.
const pendingLifetime = 10 * time.Minute

// Pending is a sign-in started and not yet finished: what Finish needs
// and the browser must not see, kept in a Store under the state.
type Pending struct {
	State    string
	Nonce    string
	Verifier string // the PKCE code verifier
	// Purpose and Next are the caller's: what the sign-in is for and
	// where it returns afterwards. sso keeps them and does not read them.
	Purpose string
	Next    string
	Expires time.Time
}

// Store keeps pending sign-ins. Take must return a pending sign-in once
// at most, and forget it in the same step: a replayed state finds
// nothing. It returns an error wrapping ErrState when there is none (or
// it has expired).
type Store interface {
	SavePending(ctx context.Context, p Pending) error
	TakePending(ctx context.Context, state string) (Pending, error)
}

// Config is what the provider is built from.
type Config struct {
	// Issuer is the provider's issuer URL, e.g.
	// https://login.microsoftonline.com/<tenant>/v2.0; its discovery
	// document is read from Issuer + /.well-known/openid-configuration.
	Issuer       string
	ClientID     string
	ClientSecret string
	// RedirectURL is the callback registered with the provider, e.g.
	// https://lederradar.kommune.dk/login/sso/callback.
	RedirectURL string
	// RolesClaim names the ID token claim that holds the person's roles
	// (e.g. "roles"); empty reads none.
	RolesClaim string
	// HTTPClient talks to the provider; nil means one with a 10-second
	// timeout.
	HTTPClient *http.Client
	// Now is the clock ID tokens are checked against; nil means
	// time.Now.
	Now func() time.Time
}

// Identity is who signed in, as the verified ID token says.
type Identity struct {
	Subject string
	// Email is the verified e-mail address, in lower case.
	Email string
	Name  string
	// Roles are the values of the roles claim; HasRoles says whether
	// the token has the claim at all (a provider leaves it out when a
	// person has no role).
	Roles    []string
	HasRoles bool
	// Purpose and Next are what Start was given.
	Purpose, Next string
}

// Provider is the organisation's OpenID provider, discovered.
type Provider struct {
	oauth      oauth2.Config
	verifier   *oidc.IDTokenVerifier
	client     *http.Client
	store      Store
	rolesClaim string
	endSession string
	now        func() time.Time
}

// New discovers the provider at cfg.Issuer and returns it, keeping
// pending sign-ins in store. It fails when the provider cannot be
// discovered.
func New(ctx context.Context, cfg Config, store Store) (*Provider, error) {
	if cfg.Issuer == "" || cfg.ClientID == "" || cfg.RedirectURL == "" || store == nil {
		return nil, errors.New("sso: issuer, client id, redirect URL and store are required")
	}
	if u, err := url.Parse(cfg.RedirectURL); err != nil || !u.IsAbs() {
		return nil, fmt.Errorf("sso: redirect URL %q must be absolute", cfg.RedirectURL)
	}
	p := &Provider{client: cfg.HTTPClient, store: store, rolesClaim: cfg.RolesClaim, now: cfg.Now}
	if p.client == nil {
		p.client = &http.Client{Timeout: 10 * time.Second}
	}
	if p.now == nil {
		p.now = time.Now
	}
	op, err := oidc.NewProvider(oidc.ClientContext(ctx, p.client), cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("sso: unable to discover the provider at %s: %w", cfg.Issuer, err)
	}
	var meta struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := op.Claims(&meta); err != nil {
		return nil, fmt.Errorf("sso: unable to read the provider's metadata: %w", err)
	}
	p.endSession = meta.EndSession
	p.oauth = oauth2.Config{
		ClientID:     cfg.ClientID,
		ClientSecret: cfg.ClientSecret,
		Endpoint:     op.Endpoint(),
		RedirectURL:  cfg.RedirectURL,
		Scopes:       []string{oidc.ScopeOpenID, "profile", "email"},
	}
	// The audience is checked in Finish, so that a token for another
	// application gets its own error.
	p.verifier = op.VerifierContext(oidc.ClientContext(context.WithoutCancel(ctx), p.client),
		&oidc.Config{ClientID: cfg.ClientID, SkipClientIDCheck: true, Now: p.now})
	return p, nil
}

// ReadSecret reads a client secret from a file: the whole file, without
// surrounding white space. An empty file is an error.
func ReadSecret(path string) (string, error) {
	b, err := os.ReadFile(path) // #nosec G304 -- named by the operator (--oidc-client-secret-file)
	if err != nil {
		return "", fmt.Errorf("sso: client secret: %w", err)
	}
	s := strings.TrimSpace(string(b))
	if s == "" {
		return "", fmt.Errorf("sso: client secret file %s is empty", path)
	}
	return s, nil
}

// Start begins a sign-in for purpose, returning where next afterwards:
// it keeps a new state, nonce and PKCE verifier, and returns the
// provider's authorisation address and the state, which the caller binds
// to the browser (a cookie) and gives back to Finish.
func (p *Provider) Start(ctx context.Context, purpose, next string) (authURL, state string, err error) {
	pending := Pending{State: random(), Nonce: random(), Verifier: oauth2.GenerateVerifier(),
		Purpose: purpose, Next: next, Expires: p.now().Add(pendingLifetime)}
	if err := p.store.SavePending(ctx, pending); err != nil {
		return "", "", err
	}
	authURL = p.oauth.AuthCodeURL(pending.State, oauth2.S256ChallengeOption(pending.Verifier), oidc.Nonce(pending.Nonce))
	return authURL, pending.State, nil
}

// Finish completes the sign-in the provider's callback names: the state
// it returned (which must be browserState, the one the browser kept), and
// the code or the error of its query. The state is used up whatever
// happens next.
func (p *Provider) Finish(ctx context.Context, browserState string, query url.Values) (*Identity, error) {
	state := query.Get("state")
	if state == "" || subtle.ConstantTimeCompare([]byte(state), []byte(browserState)) != 1 {
		return nil, fmt.Errorf("%w: the state is not this browser's", ErrState)
	}
	pending, err := p.store.TakePending(ctx, state)
	if err != nil {
		return nil, err
	}
	if !p.now().Before(pending.Expires) {
		return nil, fmt.Errorf("%w: started too long ago", ErrState)
	}
	if e := query.Get("error"); e != "" {
		return nil, fmt.Errorf("%w: %s", ErrDenied, e)
	}
	ctx = context.WithValue(ctx, oauth2.HTTPClient, p.client)
	token, err := p.oauth.Exchange(ctx, query.Get("code"), oauth2.VerifierOption(pending.Verifier))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrExchange, err)
	}
	raw, _ := token.Extra("id_token").(string)
	if raw == "" {
		return nil, fmt.Errorf("%w: the provider sent none", ErrToken)
	}
	idToken, err := p.verify(ctx, raw, pending.Nonce)
	if err != nil {
		return nil, err
	}
	id, err := p.identity(idToken)
	if err != nil {
		return nil, err
	}
	id.Purpose, id.Next = pending.Purpose, pending.Next
	return id, nil
}

// verify checks the ID token: signature, issuer and expiry (go-oidc),
// then that it is for this application and this sign-in.
func (p *Provider) verify(ctx context.Context, raw, nonce string) (*oidc.IDToken, error) {
	idToken, err := p.verifier.Verify(ctx, raw)
	var expired *oidc.TokenExpiredError
	switch {
	case errors.As(err, &expired):
		return nil, fmt.Errorf("%w: %w", ErrExpired, err)
	case err != nil:
		return nil, fmt.Errorf("%w: %w", ErrToken, err)
	}
	if !forClient(idToken, p.oauth.ClientID) {
		return nil, fmt.Errorf("%w: audience %q", ErrAudience, idToken.Audience)
	}
	if subtle.ConstantTimeCompare([]byte(idToken.Nonce), []byte(nonce)) != 1 {
		return nil, ErrNonce
	}
	return idToken, nil
}

// forClient reports whether the token was issued to client: the client
// is in its audience, and when the audience has others too, the token
// names the client as its authorised party (OpenID Connect Core 3.1.3.7).
func forClient(t *oidc.IDToken, client string) bool {
	if !slices.Contains(t.Audience, client) {
		return false
	}
	if len(t.Audience) == 1 {
		return true
	}
	var c struct {
		AZP string `json:"azp"`
	}
	return t.Claims(&c) == nil && c.AZP == client
}

// SignOutOrigin is the scheme and host of the provider's sign-out
// address, which a page's form may redirect to; empty when it has none.
func (p *Provider) SignOutOrigin() string {
	u, err := url.Parse(p.endSession)
	if p.endSession == "" || err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// EndSessionURL returns the provider's sign-out address, which sends the
// browser back to postLogout afterwards; empty when the provider has
// none.
func (p *Provider) EndSessionURL(postLogout string) string {
	if p.endSession == "" {
		return ""
	}
	u, err := url.Parse(p.endSession)
	if err != nil {
		return ""
	}
	q := u.Query()
	q.Set("client_id", p.oauth.ClientID)
	q.Set("post_logout_redirect_uri", postLogout)
	u.RawQuery = q.Encode()
	return u.String()
}

// random returns 32 random bytes, base64url-encoded.
func random() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
