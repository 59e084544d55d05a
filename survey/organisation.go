package survey

import (
	"net/mail"
	"strings"
	"time"
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
		return Errorf(EINVALID, "name is required")
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
		return Errorf(EINVALID, "%q is not a valid e-mail address", s)
	}
	return nil
}

// GroupKind says what a group is: the whole organisation, a department (a
// line unit; each person in at most one) or a team (cross-cutting; a person
// may be in many).
type GroupKind string

// The kinds of groups.
const (
	Organisation GroupKind = "organisation"
	Department   GroupKind = "department"
	Team         GroupKind = "team"
)

// Group is a department or a cross-cutting team.
type Group struct {
	ID   int64
	Kind GroupKind
	Name string
}

// Validate checks a group's own fields.
func (g *Group) Validate() error {
	if g.Kind != Department && g.Kind != Team {
		return Errorf(EINVALID, "group kind must be department or team")
	}
	if strings.TrimSpace(g.Name) == "" {
		return Errorf(EINVALID, "group name is required")
	}
	return nil
}

// RoundStatus says whether a round takes answers.
type RoundStatus string

// Round statuses. A draft round is set up but not yet sent out.
const (
	RoundDraft  RoundStatus = "draft"
	RoundOpen   RoundStatus = "open"
	RoundClosed RoundStatus = "closed"
)

// Round is one run of the self-assessment, frozen to one instrument version.
type Round struct {
	ID                int64
	Name              string
	Status            RoundStatus
	InstrumentVersion string
	// Opens and Closes are the announced dates; zero when not set. Status,
	// not the dates, decides whether answers are taken.
	Opens  time.Time
	Closes time.Time
	// CreatedAt orders rounds: the "previous round" of a round is the one
	// created before it.
	CreatedAt time.Time
	// ClosedAt is when the round was closed; zero while it is not. The
	// retention period counts from it.
	ClosedAt time.Time
}

// Validate checks a round's own fields.
func (r *Round) Validate() error {
	if strings.TrimSpace(r.Name) == "" {
		return Errorf(EINVALID, "round name is required")
	}
	if len(r.Name) > 100 {
		return Errorf(EINVALID, "round name is longer than 100 characters")
	}
	switch r.Status {
	case RoundDraft, RoundOpen, RoundClosed:
	default:
		return Errorf(EINVALID, "round status %q is not draft, open or closed", r.Status)
	}
	if r.InstrumentVersion == "" {
		return Errorf(EINVALID, "round needs an instrument version")
	}
	if !r.Opens.IsZero() && !r.Closes.IsZero() && r.Closes.Before(r.Opens) {
		return Errorf(EINVALID, "round closes before it opens")
	}
	return nil
}

// Relation is who answers about whom. Self-assessment is the case where the
// rater and the subject are the same person; the other relations are for 360.
type Relation string

// Relations of rater to subject.
const (
	Self     Relation = "self"
	Manager  Relation = "manager"
	Peer     Relation = "peer"
	Employee Relation = "employee"
)

// Invitation is one person's personal link to one round. Only the SHA-256 of
// its token is stored; the token itself exists in the link alone.
type Invitation struct {
	ID       int64
	RoundID  int64
	PersonID int64 // the rater: the person the link belongs to
	// SubjectID is the person assessed; it equals PersonID for a
	// self-assessment and differs only for 360 raters.
	SubjectID int64
	Relation  Relation
	CreatedAt time.Time
}

// Response is one rater's answers about one subject in one round.
type Response struct {
	ID        int64
	RoundID   int64
	SubjectID int64
	RaterID   int64
	Relation  Relation
	Answers   Answers
	// SubmittedAt is zero until the respondent has submitted; only
	// submitted responses count in any aggregate.
	SubmittedAt time.Time
}

// Submitted reports whether the response has been submitted.
func (r *Response) Submitted() bool { return !r.SubmittedAt.IsZero() }
