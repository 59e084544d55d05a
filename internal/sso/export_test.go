package sso

import "encoding/json"

// RolesFromJSON reads the roles claim name from a token's claims.
func RolesFromJSON(b []byte, name string) ([]string, bool) {
	var claims map[string]any
	if err := json.Unmarshal(b, &claims); err != nil {
		return nil, false
	}
	return roles(claims, name)
}
