package survey

import (
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
