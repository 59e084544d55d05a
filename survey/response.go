package survey

import "time"

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
