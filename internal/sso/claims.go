package sso

import (
	"fmt"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"
)

// identity reads who signed in from a verified ID token: the e-mail
// address (refused when the provider says it is not verified), the name
// and the roles claim.
func (p *Provider) identity(t *oidc.IDToken) (*Identity, error) {
	var c struct {
		Email         string        `json:"email"`
		EmailVerified *flexibleBool `json:"email_verified"`
		Name          string        `json:"name"`
		GivenName     string        `json:"given_name"`
		FamilyName    string        `json:"family_name"`
	}
	if err := t.Claims(&c); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrToken, err)
	}
	email := strings.ToLower(strings.TrimSpace(c.Email))
	if email == "" || !strings.Contains(email, "@") || len(email) > 254 {
		return nil, ErrNoEmail
	}
	if c.EmailVerified != nil && !bool(*c.EmailVerified) {
		return nil, fmt.Errorf("%w: the provider says it is not verified", ErrNoEmail)
	}
	id := &Identity{Subject: t.Subject, Email: email, Name: strings.TrimSpace(c.Name)}
	if id.Name == "" {
		id.Name = strings.TrimSpace(c.GivenName + " " + c.FamilyName)
	}
	if p.rolesClaim != "" {
		var all map[string]any
		if err := t.Claims(&all); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrToken, err)
		}
		id.Roles, id.HasRoles = roles(all, p.rolesClaim)
	}
	return id, nil
}

// roles reads the claim name from claims: a string or a list of strings.
// A name with dots that is not itself a claim walks nested objects, as
// Keycloak's "realm_access.roles"; a name such as an Auth0 namespace URL
// is found as it is.
func roles(claims map[string]any, name string) ([]string, bool) {
	v, ok := claims[name]
	if !ok && strings.Contains(name, ".") {
		head, rest, _ := strings.Cut(name, ".")
		if inner, isMap := claims[head].(map[string]any); isMap {
			return roles(inner, rest)
		}
	}
	if !ok {
		return nil, false
	}
	switch v := v.(type) {
	case string:
		return strings.Fields(v), true
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			if s, isString := e.(string); isString {
				out = append(out, s)
			}
		}
		return out, true
	}
	return nil, true
}

// flexibleBool reads a JSON boolean, or the strings "true" and "false"
// that some providers send instead.
type flexibleBool bool

func (b *flexibleBool) UnmarshalJSON(data []byte) error {
	switch strings.Trim(string(data), `"`) {
	case "true":
		*b = true
	case "false":
		*b = false
	default:
		return fmt.Errorf("sso: %s is not a boolean", data)
	}
	return nil
}
