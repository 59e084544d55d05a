package survey

import (
	"strings"
	"time"
)

// Role is what an HR or administrator account may do. Leaders have no
// account: their personal link is their key.
type Role string

// Roles. HR sees aggregates only, never one person's answers; an
// administrator sets up people, groups, rounds and accounts, and sees no
// answers at all.
const (
	RoleHR    Role = "hr"
	RoleAdmin Role = "admin"
)

// ParseRole returns the role named by s.
func ParseRole(s string) (Role, error) {
	switch Role(s) {
	case RoleHR, RoleAdmin:
		return Role(s), nil
	}
	return "", Errorf(EINVALID, "role %q must be hr or admin", s)
}

// User is an HR or administrator account.
type User struct {
	ID        int64
	Email     string
	Role      Role
	CreatedAt time.Time
	// Disabled accounts cannot log in; their sessions end.
	Disabled bool
}

// Validate checks a user's own fields.
func (u *User) Validate() error {
	if err := ValidateEmail(u.Email); err != nil {
		return err
	}
	if _, err := ParseRole(string(u.Role)); err != nil {
		return err
	}
	return nil
}

// MinPasswordLength is the shortest password an account may have. Length
// beats composition rules (NIST SP 800-63B).
const MinPasswordLength = 12

// ValidatePassword checks a new password: long enough, not blank, and not
// one of the most common passwords (NIST SP 800-63B, 5.1.1.2).
func ValidatePassword(p string) error {
	if len([]rune(p)) < MinPasswordLength {
		return Errorf(EINVALID, "the password must have at least %d characters", MinPasswordLength)
	}
	if len(p) > 256 {
		return Errorf(EINVALID, "the password is longer than 256 bytes")
	}
	if strings.TrimSpace(p) == "" {
		return Errorf(EINVALID, "the password is blank")
	}
	if IsCommonPassword(p) {
		return Errorf(EINVALID, "the password is one of the most common passwords, which attackers try first; choose another (a few unrelated words make a good one)")
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
		return Errorf(EINVALID, "the password must not be the account's e-mail address or the part before its @; choose another")
	}
	return nil
}
