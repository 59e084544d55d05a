package survey

import (
	"strings"
	"time"
	"unicode/utf8"
)

// A development plan (DESIGN C8) turns a leader's result into work: one
// to three focus competences, for each what the leader will do and whom
// they will involve, and a date to look at it again. It is the leader's
// alone: no HR or administrator page, export or aggregate reads it.

// MaxFocuses is the most focus competences a plan holds: a plan with more
// is no longer a choice.
const MaxFocuses = 3

// Lengths of a plan's texts, in characters: room for a few concrete
// sentences, not an essay.
const (
	MaxActionsLen = 1000
	MaxInvolveLen = 300
)

// Focus is one competence the leader chose to work on.
type Focus struct {
	CompetenceID string
	// Actions are what the leader will do, in their own words.
	Actions string
	// Involve is whom they will involve.
	Involve string
}

// Plan is a leader's development plan for one round.
type Plan struct {
	RoundID  int64
	PersonID int64
	Focuses  []Focus
	// RevisitOn is the day the leader will look at the plan again; the
	// zero time when they set none.
	RevisitOn time.Time
	UpdatedAt time.Time
}

// Normalize trims the plan's texts and drops focuses without a
// competence, so that an empty slot of the form is no focus.
func (p *Plan) Normalize() {
	kept := make([]Focus, 0, len(p.Focuses))
	for _, f := range p.Focuses {
		f.CompetenceID = strings.TrimSpace(f.CompetenceID)
		f.Actions = strings.TrimSpace(f.Actions)
		f.Involve = strings.TrimSpace(f.Involve)
		if f.CompetenceID != "" {
			kept = append(kept, f)
		}
	}
	p.Focuses = kept
}

// Validate checks a normalized plan against the instrument its round
// uses: one to three focuses on distinct competences of the instrument,
// texts within their lengths.
func (p *Plan) Validate(in *Instrument) error {
	switch n := len(p.Focuses); {
	case n == 0:
		return Errorf(EINVALID, "a plan needs a focus competence").WithKey("plan_no_focus")
	case n > MaxFocuses:
		return Errorf(EINVALID, "a plan has at most %d focus competences", MaxFocuses).WithKey("plan_too_many", MaxFocuses)
	}
	seen := make(map[string]bool, len(p.Focuses))
	for _, f := range p.Focuses {
		if _, err := in.Competence(f.CompetenceID); err != nil {
			return Errorf(EINVALID, "no competence %q", f.CompetenceID).WithKey("plan_competence")
		}
		if seen[f.CompetenceID] {
			return Errorf(EINVALID, "competence %q chosen twice", f.CompetenceID).WithKey("plan_twice")
		}
		seen[f.CompetenceID] = true
		if utf8.RuneCountInString(f.Actions) > MaxActionsLen {
			return Errorf(EINVALID, "actions longer than %d characters", MaxActionsLen).WithKey("plan_actions_long", MaxActionsLen)
		}
		if utf8.RuneCountInString(f.Involve) > MaxInvolveLen {
			return Errorf(EINVALID, "involve longer than %d characters", MaxInvolveLen).WithKey("plan_involve_long", MaxInvolveLen)
		}
	}
	return nil
}

// FocusOn reports whether the plan has the competence among its focuses.
func (p *Plan) FocusOn(competenceID string) bool {
	for _, f := range p.Focuses {
		if f.CompetenceID == competenceID {
			return true
		}
	}
	return false
}
