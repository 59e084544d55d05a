package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lederradar/internal/ssotest"
)

func TestOIDCFlags(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		env  map[string]string
		want string // in the error; empty: no error
	}{
		{name: "off by default"},
		{name: "no passwords and no provider", args: []string{"--local-login=false"}, want: "nobody could sign in"},
		{name: "no passwords, from the environment", env: map[string]string{"LEDERRADAR_LOCAL_LOGIN": "false"}, want: "nobody could sign in"},
		{name: "an issuer without a client", args: []string{"--oidc-issuer", "https://idp.example"}, want: "--oidc-client-id"},
		{name: "a client without an issuer", args: []string{"--oidc-client-id", "x"}, want: "need --oidc-issuer"},
		{name: "everything from the environment", env: map[string]string{"LEDERRADAR_OIDC_ISSUER": "https://idp.example",
			"LEDERRADAR_OIDC_CLIENT_ID": "lr", "LEDERRADAR_OIDC_CLIENT_SECRET_FILE": "/etc/secret",
			"LEDERRADAR_OIDC_ROLES_CLAIM": "roles", "LEDERRADAR_LOCAL_LOGIN": "false"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			cfg, err := parseConfig("serve", tt.args, io.Discard)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("err = %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("err = %v, want one saying %q", err, tt.want)
			}
			if tt.env["LEDERRADAR_OIDC_ISSUER"] != "" {
				want := oidcFlags{Issuer: "https://idp.example", ClientID: "lr", SecretFile: "/etc/secret", RolesClaim: "roles"}
				if cfg.OIDC != want {
					t.Errorf("flags = %+v, want %+v", cfg.OIDC, want)
				}
			}
		})
	}
}

// TestServeWithSingleSignOn starts the server with the organisation's
// provider (a real one, ssotest) and no passwords: the log-in page
// offers the provider alone, and its button leads there. A provider that
// cannot be discovered stops the start.
func TestServeWithSingleSignOn(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	op := ssotest.New(t, "http://"+addr+"/login/sso/callback")
	secret := filepath.Join(dir, "secret")
	if err := os.WriteFile(secret, []byte(ssotest.ClientSecret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"serve", "--addr", addr, "--db", filepath.Join(dir, "x.db"), "--oidc-client-id", ssotest.ClientID,
		"--oidc-client-secret-file", secret, "--oidc-roles-claim", "roles", "--local-login=false"}

	t.Run("an issuer that cannot be discovered", func(t *testing.T) {
		err := run(t.Context(), append(args, "--oidc-issuer", op.Issuer+"/elsewhere"), nil, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "single sign-on") || !strings.Contains(err.Error(), "unable to discover") {
			t.Errorf("err = %v, want a clear discovery error", err)
		}
	})

	ctx, cancel := context.WithCancel(t.Context())
	var errOut lockedBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, append(args, "--oidc-issuer", op.Issuer), nil, io.Discard, &errOut) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v\n%s", err, errOut.String())
		}
	}()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var page string
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		res, err := client.Get("http://" + addr + "/login")
		if err != nil {
			continue
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		page = string(b)
		break
	}
	if !strings.Contains(page, `href="/login/sso"`) || strings.Contains(page, `type="password"`) {
		t.Fatalf("the log-in page does not offer the provider alone:\n%s\n%s", page, errOut.String())
	}
	res, err := client.Get("http://" + addr + "/login/sso")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, op.Issuer) ||
		!strings.Contains(loc, "code_challenge_method=S256") || !strings.Contains(loc, "redirect_uri="+urlQuery("http://"+addr+"/login/sso/callback")) {
		t.Errorf("GET /login/sso = %d to %q", res.StatusCode, loc)
	}
}

func urlQuery(s string) string {
	return strings.NewReplacer(":", "%3A", "/", "%2F").Replace(s)
}
