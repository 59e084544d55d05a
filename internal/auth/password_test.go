package auth_test

import (
	"strings"
	"testing"

	"lederradar/internal/auth"
	"lederradar/survey"
)

func TestPasswords(t *testing.T) {
	h, err := auth.HashPassword("korrekt hest batteri")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not argon2id with m=19 MiB, t=2, p=1", h)
	}
	h2, _ := auth.HashPassword("korrekt hest batteri")
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	tests := []struct {
		name, hash, password string
		want                 bool
	}{
		{"right", h, "korrekt hest batteri", true},
		{"wrong", h, "korrekt hest batteri!", false},
		{"empty", h, "", false},
		{"malformed hash", "$argon2id$garbage", "korrekt hest batteri", false},
		{"other algorithm", strings.Replace(h, "argon2id", "argon2i", 1), "korrekt hest batteri", false},
		{"absurd memory", strings.Replace(h, "m=19456", "m=99999999", 1), "korrekt hest batteri", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := auth.CheckPassword(tt.hash, tt.password); got != tt.want {
				t.Errorf("CheckPassword = %v, want %v", got, tt.want)
			}
		})
	}
	if _, err := auth.HashPassword("kort"); survey.ErrorCode(err) != survey.EINVALID {
		t.Errorf("a short password: %v, want EINVALID", err)
	}
}

func TestNewPassword(t *testing.T) {
	const alphabet = "23456789abcdefghjkmnpqrstuvwxyz"
	seen := map[string]bool{}
	for range 200 {
		p := auth.NewPassword()
		if len(p) != 29 {
			t.Fatalf("%q has length %d, want 5 groups of 5 and 4 dashes", p, len(p))
		}
		for i, c := range p {
			if (i+1)%6 == 0 {
				if c != '-' {
					t.Fatalf("%q: no dash at %d", p, i)
				}
			} else if !strings.ContainsRune(alphabet, c) {
				t.Fatalf("%q: %q is not in the alphabet", p, c)
			}
		}
		if err := auth.ValidatePassword(p); err != nil {
			t.Fatalf("%q: %v", p, err)
		}
		if seen[p] {
			t.Fatalf("%q twice", p)
		}
		seen[p] = true
	}
}
