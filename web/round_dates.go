package web

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"lederradar/survey"
)

// danishDate and isoDate are the date forms a round's date fields take:
// the Danish dd-mm-åååå (with -, . or / between, one or two digits for day
// and month) that the field asks for, and åååå-mm-dd, which browsers and
// copied spreadsheets send.
var (
	danishDate = regexp.MustCompile(`^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$`)
	isoDate    = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})$`)
)

// parseDate reads a round's date field: dd-mm-åååå or åååå-mm-dd; empty
// is no date. ok is false for anything else, and for dates that do not
// exist (31-02-2027).
func parseDate(s string) (t time.Time, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, true
	}
	var y, m, d string
	if p := danishDate.FindStringSubmatch(s); p != nil {
		d, m, y = p[1], p[2], p[3]
	} else if p := isoDate.FindStringSubmatch(s); p != nil {
		y, m, d = p[1], p[2], p[3]
	} else {
		return time.Time{}, false
	}
	year, _ := strconv.Atoi(y)
	month, _ := strconv.Atoi(m)
	day, _ := strconv.Atoi(d)
	t = time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day || int(t.Month()) != month {
		return time.Time{}, false
	}
	return t, true
}

// opensLater reports whether a round's planned opening date lies after
// today in the organisation's time zone: opening it now is then a choice
// the administrator confirms.
func opensLater(r *survey.Round, now time.Time) bool {
	return r.OpensLater(now, copenhagen())
}

// ratersLastDay is the date field's value for when raters stop answering:
// the last day they answer, in the organisation's time zone.
func ratersLastDay(close time.Time) string {
	if close.IsZero() {
		return ""
	}
	return ratersLastDate(close).Format("02-01-2006")
}

// ratersLastDate is the last day raters answer when they stop at close,
// in the organisation's time zone: the day before, when close is the
// start of a day there, as the round's page sets it.
func ratersLastDate(close time.Time) time.Time {
	return close.In(copenhagen()).Add(-time.Second)
}
