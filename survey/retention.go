package survey

import (
	"strconv"
	"strings"
	"time"
)

// Retention is how long a closed round and its answers are kept after the
// round closed: a number of months or of days, never both. The zero value
// keeps rounds for ever (automatic deletion is off).
type Retention struct {
	Months int
	Days   int
}

// DefaultRetention is three years, a common period for personnel-related
// development records in Danish municipalities.
var DefaultRetention = Retention{Months: 36}

// ParseRetention reads a retention period written as a whole number and a
// unit:
//
//	36m, 36mo, 36months   months ("m" is months here, never minutes)
//	3y, 3years            years (12 months each)
//	8w, 8weeks            weeks (7 days each)
//	90d, 90days           days
//	36                    months, when no unit is given
//	0                     off: rounds are never deleted automatically
//
// Hours, minutes and Go durations are refused: a retention period is
// counted in calendar months or days.
func ParseRetention(s string) (Retention, error) {
	in := strings.ToLower(strings.TrimSpace(s))
	i := 0
	for i < len(in) && in[i] >= '0' && in[i] <= '9' {
		i++
	}
	if i == 0 || i > 6 {
		return Retention{}, Errorf(EINVALID, "retention %q must be a whole number with a unit, e.g. 36m (months), 3y, 90d, or 0 for off", s)
	}
	n, err := strconv.Atoi(in[:i])
	if err != nil {
		return Retention{}, Errorf(EINVALID, "retention %q is not a number", s)
	}
	unit := strings.TrimSpace(in[i:])
	switch unit {
	case "", "m", "mo", "month", "months", "md", "mdr", "måned", "måneder":
		return Retention{Months: n}, nil
	case "y", "year", "years", "år":
		return Retention{Months: 12 * n}, nil
	case "w", "week", "weeks", "uge", "uger":
		return Retention{Days: 7 * n}, nil
	case "d", "day", "days", "dag", "dage":
		return Retention{Days: n}, nil
	}
	return Retention{}, Errorf(EINVALID, "retention %q has the unknown unit %q: use m (months), y (years), w (weeks) or d (days)", s, unit)
}

// Off reports whether rounds are kept for ever.
func (r Retention) Off() bool { return r.Months <= 0 && r.Days <= 0 }

// String writes the period so ParseRetention reads it back: "36m", "90d",
// or "0" when off.
func (r Retention) String() string {
	switch {
	case r.Off():
		return "0"
	case r.Months > 0:
		return strconv.Itoa(r.Months) + "m"
	default:
		return strconv.Itoa(r.Days) + "d"
	}
}

// Cutoff returns the close date before which a round has outlived the
// period at now: rounds closed earlier are due for deletion. It is the zero
// time when retention is off, which no close date precedes.
func (r Retention) Cutoff(now time.Time) time.Time {
	if r.Off() {
		return time.Time{}
	}
	return now.AddDate(0, -r.Months, -r.Days)
}

// Expires returns when a round closed at closed is deleted: the close date
// plus the period. It is the zero time when retention is off.
func (r Retention) Expires(closed time.Time) time.Time {
	if r.Off() {
		return time.Time{}
	}
	return closed.AddDate(0, r.Months, r.Days)
}
