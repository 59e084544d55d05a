package survey

import (
	"net/mail"
	"strings"
)

// Person is someone in the organisation who can be invited to a round.
type Person struct {
	ID    int64
	Email string
	Name  string
	// DepartmentID is 0 when the person belongs to no department.
	DepartmentID int64
}

// Validate checks a person's own fields.
func (p *Person) Validate() error {
	if strings.TrimSpace(p.Name) == "" {
		return Errorf(EINVALID, "name is required").WithKey("name_required")
	}
	if err := ValidateEmail(p.Email); err != nil {
		return err
	}
	return nil
}

// ValidateEmail checks that s is a bare e-mail address (no display name).
func ValidateEmail(s string) error {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return Errorf(EINVALID, "%q is not a valid e-mail address", s).WithKey("email_invalid", s)
	}
	return nil
}
