package auth_test

import (
	"strings"
	"testing"

	"lederradar/internal/auth"
)

func TestTokens(t *testing.T) {
	a, ha := auth.NewToken()
	b, _ := auth.NewToken()
	if a == b {
		t.Fatal("two tokens are equal")
	}
	if len(a) < 22 { // 128 bits in base64 is 22 characters
		t.Errorf("token %q is shorter than 128 bits", a)
	}
	if ha != auth.HashToken(a) || len(ha) != 64 || strings.Contains(ha, a) {
		t.Errorf("hash %q is not the SHA-256 hex of the token", ha)
	}
	for _, s := range []string{a, b} {
		if !auth.WellFormedToken(s) {
			t.Errorf("WellFormedToken(%q) = false", s)
		}
	}
	for _, s := range []string{"", "abc", a + "x", strings.Repeat("!", len(a))} {
		if auth.WellFormedToken(s) {
			t.Errorf("WellFormedToken(%q) = true", s)
		}
	}
}
