package survey

import (
	"slices"
	"strconv"
	"strings"
)

// MaxReminderDay is the furthest before its close a round may remind.
const MaxReminderDay = 60

// DefaultReminderDays are the days before its close on which a new round
// reminds those who have not submitted.
var DefaultReminderDays = []int{7, 2}

// ParseReminderDays reads a round's reminder days: whole days before its
// close, separated by commas or spaces ("7, 2"); empty for none. They
// come back from the furthest to the nearest, each once.
func ParseReminderDays(s string) ([]int, error) {
	days := []int{}
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
		n, err := strconv.Atoi(f)
		if err != nil || n < 0 || n > MaxReminderDay {
			return nil, Errorf(EINVALID, "reminder day %q is not a whole number of days from 0 to %d", f, MaxReminderDay).WithKey("reminder_days_invalid", f, MaxReminderDay)
		}
		days = append(days, n)
	}
	slices.Sort(days)
	days = slices.Compact(days)
	slices.Reverse(days)
	return days, nil
}

// FormatReminderDays writes reminder days as ParseReminderDays reads
// them: "7,2".
func FormatReminderDays(days []int) string {
	s := make([]string, len(days))
	for i, d := range days {
		s[i] = strconv.Itoa(d)
	}
	return strings.Join(s, ",")
}
