package survey

import "time"

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
