package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"strings"
	"time"

	"lederradar/internal/sso"
)

// oidcFlags are serve's single sign-on flags: the organisation's OpenID
// provider, and whether passwords are still taken.
type oidcFlags struct {
	Issuer, ClientID, SecretFile, RolesClaim string
	LocalLogin                               bool
}

// addOIDCFlags defines them on fs.
func addOIDCFlags(fs *flag.FlagSet, f *oidcFlags) {
	fs.StringVar(&f.Issuer, "oidc-issuer", "", "the organisation's OpenID Connect issuer URL, e.g. https://login.microsoftonline.com/TENANT/v2.0 (single sign-on is off without it)")
	fs.StringVar(&f.ClientID, "oidc-client-id", "", "Lederradar's client (application) id at the provider")
	fs.StringVar(&f.SecretFile, "oidc-client-secret-file", "", "a file holding the client secret")
	fs.StringVar(&f.RolesClaim, "oidc-roles-claim", "", `the ID token claim with the user's roles, e.g. "roles": lederradar-hr and lederradar-admin give HR and administrator; without it, or when a token lacks it, only accounts made with "user add" sign in`)
	fs.BoolVar(&f.LocalLogin, "local-login", true, "take passwords at /login; false leaves single sign-on only")
}

// check refuses flags that cannot work together.
func (f oidcFlags) check() error {
	switch {
	case f.Issuer == "" && !f.LocalLogin:
		return errors.New("--local-login=false needs single sign-on (--oidc-issuer): otherwise nobody could sign in")
	case f.Issuer == "" && (f.ClientID != "" || f.SecretFile != "" || f.RolesClaim != ""):
		return errors.New("--oidc-client-id, --oidc-client-secret-file and --oidc-roles-claim need --oidc-issuer")
	case f.Issuer != "" && (f.ClientID == "" || f.SecretFile == ""):
		return errors.New("--oidc-issuer needs --oidc-client-id and --oidc-client-secret-file")
	}
	return nil
}

// newSSO discovers the provider the flags name, with its callback under
// baseURL; nil when single sign-on is off. It fails, and the server does
// not start, when the provider cannot be discovered.
func newSSO(ctx context.Context, f oidcFlags, baseURL string, store sso.Store) (*sso.Provider, error) {
	if f.Issuer == "" {
		return nil, nil
	}
	secret, err := sso.ReadSecret(f.SecretFile)
	if err != nil {
		return nil, err
	}
	dctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	p, err := sso.New(dctx, sso.Config{Issuer: f.Issuer, ClientID: f.ClientID, ClientSecret: secret,
		RedirectURL: strings.TrimSuffix(baseURL, "/") + "/login/sso/callback", RolesClaim: f.RolesClaim,
		HTTPClient: &http.Client{Timeout: 10 * time.Second}}, store)
	if err != nil {
		return nil, fmt.Errorf("single sign-on: %w (is --oidc-issuer right, and can this machine reach it?)", err)
	}
	return p, nil
}
