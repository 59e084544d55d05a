package survey

import (
	"strings"
	"time"
)

// RoundStatus says whether a round takes answers.
type RoundStatus string

// Round statuses. A draft round is set up but not yet sent out.
const (
	RoundDraft  RoundStatus = "draft"
	RoundOpen   RoundStatus = "open"
	RoundClosed RoundStatus = "closed"
)

// RoundKind says who answers in a round.
type RoundKind string

// Round kinds: leaders alone, or leaders and their raters (DESIGN C9).
const (
	SelfOnly   RoundKind = "self"
	ThreeSixty RoundKind = "360"
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
	// Kind is SelfOnly unless raters were added (ThreeSixty); a new round
	// of no kind is SelfOnly.
	Kind RoundKind
	// ManagerShown lets a leader see their manager's answers alone, as
	// the manager's form says; otherwise the manager is pooled with the
	// others under the anonymity rule.
	ManagerShown bool
	// SeveralManagers lets a leader have more than one rater with the
	// relation manager.
	SeveralManagers bool
	// RatersClose is when raters of a 360 round stop answering; zero: when
	// the round closes. From then on a leader may see how others see them
	// (FeedbackReady) while the round is still open for their own work.
	RatersClose time.Time
}

// RatersAnswer reports whether a rater's answers are taken at now: the
// round is open and its raters' time has not run out.
func (r *Round) RatersAnswer(now time.Time) bool {
	return r.Status == RoundOpen && (r.RatersClose.IsZero() || now.Before(r.RatersClose))
}

// FeedbackReady reports whether a leader may see what their raters said
// at now: once no rater's answer can change it any more — the round has
// closed, or its raters' time has run out. Before that, two views a day
// apart would tell the leader what the rater in between said.
func (r *Round) FeedbackReady(now time.Time) bool {
	return r.Status == RoundClosed || (r.Status == RoundOpen && !r.RatersClose.IsZero() && !now.Before(r.RatersClose))
}

// OpensLater reports whether the round's announced first day lies after
// the day now falls on in loc, the organisation's time zone: opening it
// now is then a choice the administrator confirms.
func (r *Round) OpensLater(now time.Time, loc *time.Location) bool {
	if r.Opens.IsZero() {
		return false
	}
	y, m, d := now.In(loc).Date()
	return r.Opens.After(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// OpenBesides names the open rounds among rounds other than the one with
// id: leaders invited to more than one of them answer in each.
func OpenBesides(rounds []Round, id int64) []string {
	var names []string
	for _, r := range rounds {
		if r.ID != id && r.Status == RoundOpen {
			names = append(names, r.Name)
		}
	}
	return names
}

// Validate checks a round's own fields.
func (r *Round) Validate() error {
	if strings.TrimSpace(r.Name) == "" {
		return Errorf(EINVALID, "round name is required").WithKey("round_name_required")
	}
	if len(r.Name) > 100 {
		return Errorf(EINVALID, "round name is longer than 100 characters").WithKey("round_name_too_long", 100)
	}
	switch r.Status {
	case RoundDraft, RoundOpen, RoundClosed:
	default:
		return Errorf(EINVALID, "round status %q is not draft, open or closed", r.Status)
	}
	switch r.Kind {
	case "", SelfOnly, ThreeSixty:
	default:
		return Errorf(EINVALID, "round kind %q is not self or 360", r.Kind)
	}
	if r.InstrumentVersion == "" {
		return Errorf(EINVALID, "round needs an instrument version")
	}
	if !r.Opens.IsZero() && !r.Closes.IsZero() && r.Closes.Before(r.Opens) {
		return Errorf(EINVALID, "round closes before it opens").WithKey("round_closes_before_opens")
	}
	return nil
}
