package auth_test

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"lederradar/internal/auth"
	"lederradar/survey"
)

// TestValidatePasswordRefusesCommonOnes: every password on the vendored
// list (the million most common that the length rule lets through) is
// refused, in any case, with a message that says why; a long uncommon one
// is accepted.
func TestValidatePasswordRefusesCommonOnes(t *testing.T) {
	f, err := os.Open("passwords/common.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		p := sc.Text()
		if len([]rune(p)) < auth.MinPasswordLength || len(p) > 256 || strings.TrimSpace(p) == "" {
			continue // refused by another rule; not this test's point
		}
		n++
		for _, variant := range []string{p, strings.ToUpper(p), strings.ToUpper(p[:1]) + p[1:]} {
			err := auth.ValidatePassword(variant)
			if survey.ErrorCode(err) != survey.EINVALID || !strings.Contains(err.Error(), "most common passwords") {
				t.Fatalf("ValidatePassword(%q) = %v, want the common-password error", variant, err)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 40000 {
		t.Errorf("the list holds %d passwords of %d characters or more, want the 44,000-odd of the top million", n, auth.MinPasswordLength)
	}
	for _, p := range []string{"qwertyuiop123", "1qaz2wsx3edc", "passwordpassword", "123456789012", "PASSWORD1234"} {
		if err := auth.ValidatePassword(p); survey.ErrorCode(err) != survey.EINVALID {
			t.Errorf("ValidatePassword(%q) = %v, want EINVALID", p, err)
		}
	}
	if err := auth.ValidatePassword("korrekt hest batteri"); err != nil {
		t.Errorf("an uncommon password: %v", err)
	}
}

// TestValidateAccountPassword: the account's own e-mail address, or the
// part before its "@", is no password, in any case.
func TestValidateAccountPassword(t *testing.T) {
	const email = "mette.lundgaard@kommune.dk"
	for _, tt := range []struct {
		password string
		ok       bool
	}{
		{"mette.lundgaard@kommune.dk", false},
		{"Mette.Lundgaard@Kommune.DK", false},
		{" mette.lundgaard@kommune.dk ", false},
		{"mette.lundgaard", false},
		{"METTE.LUNDGAARD", false},
		{"mette.lundgaard2", true},
		{"korrekt hest batteri", true},
		{"qwertyuiop123", false}, // common
		{"kort", false},          // short
	} {
		err := auth.ValidateAccountPassword(email, tt.password)
		if tt.ok != (err == nil) {
			t.Errorf("ValidateAccountPassword(%q) = %v, want ok %v", tt.password, err, tt.ok)
		}
		if !tt.ok && survey.ErrorCode(err) != survey.EINVALID {
			t.Errorf("ValidateAccountPassword(%q): code %q, want EINVALID", tt.password, survey.ErrorCode(err))
		}
	}
	err := auth.ValidateAccountPassword(email, "Mette.Lundgaard")
	if err == nil || !strings.Contains(err.Error(), "e-mail address") {
		t.Errorf("the local part: %v, want a message naming the e-mail address", err)
	}
}
