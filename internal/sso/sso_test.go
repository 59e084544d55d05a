package sso_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"lederradar/internal/sso"
	"lederradar/internal/ssotest"
)

const redirect = "http://lederradar.test/login/sso/callback"

// memStore keeps pending sign-ins in memory, once each; tamper, when
// set, changes each as it is taken.
type memStore struct {
	mu     sync.Mutex
	m      map[string]sso.Pending
	tamper func(*sso.Pending)
}

func (s *memStore) SavePending(_ context.Context, p sso.Pending) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]sso.Pending{}
	}
	s.m[p.State] = p
	return nil
}

func (s *memStore) TakePending(_ context.Context, state string) (sso.Pending, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.m[state]
	if !ok {
		return p, sso.ErrState
	}
	delete(s.m, state)
	if s.tamper != nil {
		s.tamper(&p)
	}
	return p, nil
}

type fixture struct {
	op    *ssotest.Provider
	rp    *sso.Provider
	store *memStore
}

func newFixture(t *testing.T, now func() time.Time) *fixture {
	t.Helper()
	f := &fixture{op: ssotest.New(t, redirect), store: &memStore{}}
	f.op.AddUser(ssotest.User{Email: "Hanne.HR@Kommune.dk", Name: "Hanne Holm", Roles: []string{"lederradar-hr", "other"}})
	f.op.AddUser(ssotest.User{Email: "ada@kommune.dk", Name: "Ada Jensen"})
	no := false
	f.op.AddUser(ssotest.User{Email: "unverified@kommune.dk", Verified: &no})
	var err error
	f.rp, err = sso.New(context.Background(), sso.Config{Issuer: f.op.Issuer, ClientID: ssotest.ClientID,
		ClientSecret: ssotest.ClientSecret, RedirectURL: redirect, RolesClaim: "roles", Now: now}, f.store)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// signIn starts a sign-in, has email sign in at the provider and returns
// the state and the callback's query.
func (f *fixture) signIn(t *testing.T, email string) (string, url.Values) {
	t.Helper()
	authURL, state, err := f.rp.Start(context.Background(), "staff", "/hr")
	if err != nil {
		t.Fatal(err)
	}
	cb := f.op.SignIn(t, authURL, email)
	if got := cb.Scheme + "://" + cb.Host + cb.Path; got != redirect {
		t.Fatalf("the provider returned to %s, want %s", got, redirect)
	}
	return state, cb.Query()
}

func TestSignIn(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	ctx := context.Background()
	state, q := f.signIn(t, "Hanne.HR@Kommune.dk")
	id, err := f.rp.Finish(ctx, state, q)
	if err != nil {
		t.Fatal(err)
	}
	if id.Email != "hanne.hr@kommune.dk" || id.Name != "Hanne Holm" || !id.HasRoles ||
		!slices.Equal(id.Roles, []string{"lederradar-hr", "other"}) || id.Purpose != "staff" || id.Next != "/hr" {
		t.Errorf("identity = %+v", id)
	}
	t.Run("PKCE with S256 was sent and checked", func(t *testing.T) {
		ch := f.op.Challenges()
		if len(ch) != 1 || ch[0].Method != "S256" || len(ch[0].Challenge) != 43 {
			t.Errorf("challenges = %+v, want one S256", ch)
		}
	})
	t.Run("the state works once", func(t *testing.T) {
		if _, err := f.rp.Finish(ctx, state, q); !errors.Is(err, sso.ErrState) {
			t.Errorf("replay: err = %v, want ErrState", err)
		}
	})
	t.Run("without roles", func(t *testing.T) {
		state, q := f.signIn(t, "ada@kommune.dk")
		id, err := f.rp.Finish(ctx, state, q)
		if err != nil {
			t.Fatal(err)
		}
		if id.HasRoles || id.Roles != nil {
			t.Errorf("roles = %v, %v; want none", id.Roles, id.HasRoles)
		}
	})
}

func TestSignInRefused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tt := range []struct {
		name    string
		now     func() time.Time
		prepare func(f *fixture)
		email   string
		state   func(state string) string
		want    error
	}{
		{name: "another browser's state", state: func(string) string { return "someone-else" }, want: sso.ErrState},
		{name: "a token for another application", prepare: func(f *fixture) { f.op.IssueFor(ssotest.OtherClientID) }, want: sso.ErrAudience},
		{name: "a token for several, not authorised to us", prepare: func(f *fixture) { f.op.IssueFor(ssotest.OtherClientID, ssotest.ClientID) }, want: sso.ErrAudience},
		{name: "an expired token", prepare: func(f *fixture) { f.op.IssueExpired() }, want: sso.ErrExpired},
		{name: "a token checked two hours later", now: func() time.Time { return time.Now().Add(2 * time.Hour) }, want: sso.ErrExpired},
		{name: "another sign-in's nonce", prepare: func(f *fixture) { f.op.IssueNonce("not-this-one") }, want: sso.ErrNonce},
		{name: "a wrong PKCE verifier", prepare: func(f *fixture) {
			f.store.tamper = func(p *sso.Pending) { p.Verifier = strings.Repeat("x", 43) }
		}, want: sso.ErrExchange},
		{name: "an unverified e-mail address", email: "unverified@kommune.dk", want: sso.ErrNoEmail},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, tt.now)
			if tt.prepare != nil {
				tt.prepare(f)
			}
			email := tt.email
			if email == "" {
				email = "ada@kommune.dk"
			}
			state, q := f.signIn(t, email)
			if tt.state != nil {
				state = tt.state(state)
			}
			id, err := f.rp.Finish(ctx, state, q)
			if !errors.Is(err, tt.want) {
				t.Errorf("Finish = %+v, %v; want %v", id, err, tt.want)
			}
		})
	}
}

func TestProviderError(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	ctx := context.Background()
	_, state, err := f.rp.Start(ctx, "leader", "")
	if err != nil {
		t.Fatal(err)
	}
	q := url.Values{"state": {state}, "error": {"access_denied"}}
	if _, err := f.rp.Finish(ctx, state, q); !errors.Is(err, sso.ErrDenied) {
		t.Errorf("err = %v, want ErrDenied", err)
	}
}

func TestDiscoveryFails(t *testing.T) {
	t.Parallel()
	op := ssotest.New(t, redirect)
	_, err := sso.New(context.Background(), sso.Config{Issuer: op.Issuer + "/nowhere", ClientID: "x", RedirectURL: redirect}, &memStore{})
	if err == nil || !strings.Contains(err.Error(), "unable to discover") {
		t.Errorf("err = %v, want a discovery error", err)
	}
}

func TestEndSessionURL(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	got, err := url.Parse(f.rp.EndSessionURL("http://lederradar.test/login?ended=1"))
	if err != nil {
		t.Fatal(err)
	}
	if q := got.Query(); !strings.HasPrefix(got.String(), f.op.Issuer) || q.Get("client_id") != ssotest.ClientID ||
		q.Get("post_logout_redirect_uri") != "http://lederradar.test/login?ended=1" {
		t.Errorf("end session URL = %s", got)
	}
}

func TestRolesClaim(t *testing.T) {
	t.Parallel()
	// roles is unexported; its shapes are checked through the examples
	// a provider sends.
	for _, tt := range []struct{ claim, json string }{
		{"roles", `{"roles": ["a", "b"]}`},
		{"realm_access.roles", `{"realm_access": {"roles": ["a", "b"]}}`},
		{"https://example.com/roles", `{"https://example.com/roles": "a b"}`},
	} {
		t.Run(tt.claim, func(t *testing.T) {
			got, ok := sso.RolesFromJSON([]byte(tt.json), tt.claim)
			if !ok || fmt.Sprint(got) != "[a b]" {
				t.Errorf("roles = %v, %v", got, ok)
			}
		})
	}
}
