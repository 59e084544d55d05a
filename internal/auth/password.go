package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"

	"lederradar/survey"
)

// Argon2id parameters: OWASP's minimum recommendation (m=19 MiB, t=2,
// p=1), which DESIGN.md names. They are written into every hash, so they
// can be raised later without breaking old hashes.
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// MinPasswordLength is the shortest password an account may have. Length
// beats composition rules (NIST SP 800-63B).
const MinPasswordLength = 12

// ValidatePassword checks a new password: long enough, not blank, and not
// one of the most common passwords (NIST SP 800-63B, 5.1.1.2).
func ValidatePassword(p string) error {
	if len([]rune(p)) < MinPasswordLength {
		return survey.Errorf(survey.EINVALID, "the password must have at least %d characters", MinPasswordLength)
	}
	if len(p) > 256 {
		return survey.Errorf(survey.EINVALID, "the password is longer than 256 bytes")
	}
	if strings.TrimSpace(p) == "" {
		return survey.Errorf(survey.EINVALID, "the password is blank")
	}
	if IsCommonPassword(p) {
		return survey.Errorf(survey.EINVALID, "the password is one of the most common passwords, which attackers try first; choose another (a few unrelated words make a good one)")
	}
	return nil
}

// ValidateAccountPassword checks a new password for the account with the
// given e-mail address: ValidatePassword, and not the address itself or
// the part before its "@", in any case, which is the first guess of anyone
// who knows the address.
func ValidateAccountPassword(email, p string) error {
	if err := ValidatePassword(p); err != nil {
		return err
	}
	pw := strings.ToLower(strings.TrimSpace(p))
	addr := strings.ToLower(strings.TrimSpace(email))
	local, _, _ := strings.Cut(addr, "@")
	if pw == addr || (local != "" && pw == local) {
		return survey.Errorf(survey.EINVALID, "the password must not be the account's e-mail address or the part before its @; choose another")
	}
	return nil
}

// HashPassword returns the argon2id hash of password in the PHC string
// format: $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>.
func HashPassword(password string) (string, error) {
	if err := ValidatePassword(password); err != nil {
		return "", err
	}
	salt := make([]byte, argonSaltLen)
	_, _ = rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches hash, in constant time.
// A malformed hash never matches.
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || m > 1<<20 || t == 0 || t > 16 || p == 0 {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 64 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want))) // #nosec G115 -- len(want) is 1..64, checked above
	return subtle.ConstantTimeCompare(got, want) == 1
}

// DummyPasswordCheck spends the time of one CheckPassword, so that a log-in
// with an unknown e-mail takes as long as one with a wrong password.
func DummyPasswordCheck(password string) {
	salt := make([]byte, argonSaltLen)
	_ = argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
}

// passwordAlphabet is lower case without look-alikes (0/o, 1/l/i), so a
// printed password can be typed without the shift key.
const passwordAlphabet = "23456789abcdefghjkmnpqrstuvwxyz"

// Generated passwords have five groups of five characters: 25 characters
// from 31, about 124 bits.
const (
	passwordGroups   = 5
	passwordGroupLen = 5
)

// NewPassword returns a random password like "k7mzq-2hwfa-…", each
// character drawn uniformly from passwordAlphabet with crypto/rand.
func NewPassword() string {
	n := len(passwordAlphabet)
	limit := 256 - 256%n // bytes at or above limit would favour some characters
	var b strings.Builder
	buf := make([]byte, 1)
	for i := 0; i < passwordGroups*passwordGroupLen; {
		_, _ = rand.Read(buf) // crypto/rand.Read never returns an error.
		if int(buf[0]) >= limit {
			continue
		}
		if i > 0 && i%passwordGroupLen == 0 {
			b.WriteByte('-')
		}
		b.WriteByte(passwordAlphabet[int(buf[0])%n])
		i++
	}
	return b.String()
}
