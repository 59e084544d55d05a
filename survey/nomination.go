package survey

// MaxNominations is the most raters of one relation a round may let a
// leader nominate: enough for every peer and employee a leader works
// closely with, few enough that a nomination stays a choice.
const MaxNominations = 20

// NominationLimits are how many raters of each relation a leader may
// nominate themself in a 360 round (DESIGN C9: "nominated by the leader,
// within limits the round sets"). 0 leaves that relation to the
// administrator.
type NominationLimits struct {
	Manager  int
	Peer     int
	Employee int
}

// Raters are the relations a leader may nominate, in the order pages
// list them.
var Raters = []Relation{Manager, Peer, Employee}

// For is the limit for a relation; 0 for self and anything unknown.
func (l NominationLimits) For(rel Relation) int {
	switch rel {
	case Manager:
		return l.Manager
	case Peer:
		return l.Peer
	case Employee:
		return l.Employee
	}
	return 0
}

// Set makes n the limit for a relation a leader may nominate; it does
// nothing for self.
func (l *NominationLimits) Set(rel Relation, n int) {
	switch rel {
	case Manager:
		l.Manager = n
	case Peer:
		l.Peer = n
	case Employee:
		l.Employee = n
	}
}

// Any reports whether leaders may nominate anyone at all.
func (l NominationLimits) Any() bool {
	return l.Manager > 0 || l.Peer > 0 || l.Employee > 0
}

// Validate checks that every limit lies between 0 and MaxNominations.
func (l NominationLimits) Validate() error {
	for _, rel := range Raters {
		if n := l.For(rel); n < 0 || n > MaxNominations {
			return Errorf(EINVALID, "the limit for %s must lie between 0 and %d", rel, MaxNominations).WithKey("nomination_limit_range", MaxNominations)
		}
	}
	return nil
}
