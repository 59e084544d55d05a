package web

import (
	"time"
	_ "time/tzdata" // Europe/Copenhagen on hosts without a zone database

	"lederradar/survey"
)

// copenhagen is the organisation's local time zone; UTC if the zone
// database (embedded through time/tzdata) is somehow missing.
func copenhagen() *time.Location {
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		return time.UTC
	}
	return loc
}

// localTime writes a time as the language does: "2. marts 2026 kl.
// 10.04.05" in Danish, "2 March 2026, 10:04:05" in English.
func localTime(p *Printer, t time.Time) string {
	clock := t.Format("15:04:05")
	if p.Lang == survey.Danish {
		clock = t.Format("15.04.05")
	}
	return p.T("audit.local_time", p.Date(t), clock)
}
