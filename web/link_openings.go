package web

import (
	"context"
	"time"

	"github.com/gin-gonic/gin"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/survey"
)

// openingsShown is how many of the newest link openings a leader's review
// and result pages list; the download (/my-data) has them all.
const openingsShown = 5

// openingsView is what a leader's page shows of the openings of their
// link (data.LinkOpening): the newest as a list, or, on the questionnaire
// pages, only a notice when the newest opening is another browser's —
// someone opened the link after this browser did.
type openingsView struct {
	Compact bool
	// Rows are the newest openings, for the list.
	Rows []openingRow
	// Other is the notice of the compact form; empty when there is none.
	Other string
}

type openingRow struct {
	Text    string // "3. december 2026 kl. 10.12: Chrome på Windows"
	Current bool
}

// linkOpenings reads the openings of the leader's link for their page;
// compact for the questionnaire pages. nil when there is nothing to show.
func (s *Server) linkOpenings(ctx context.Context, p *Printer, l *leader, sessionToken string, compact bool) (*openingsView, error) {
	limit := openingsShown
	if compact {
		limit = 1
	}
	os, err := s.db.FindLinkOpenings(ctx, l.Invitation.ID, auth.HashToken(sessionToken), limit)
	if err != nil || len(os) == 0 {
		return nil, err
	}
	v := &openingsView{Compact: compact}
	if compact {
		if os[0].Current {
			return nil, nil
		}
		v.Other = p.T("openings.other", deviceName(p, os[0].Browser, os[0].OS), openingTime(p, os[0].OpenedAt))
		return v, nil
	}
	for _, o := range os {
		v.Rows = append(v.Rows, openingRow{Text: openingText(p, o), Current: o.Current})
	}
	return v, nil
}

// openingText is one opening as a list shows it.
func openingText(p *Printer, o data.LinkOpening) string {
	return p.T("openings.row", openingTime(p, o.OpenedAt), deviceName(p, o.Browser, o.OS))
}

// openingTime writes when, in Danish time, to the minute: "3. december
// 2026 kl. 10.12" in Danish, "3 December 2026, 10:12" in English.
func openingTime(p *Printer, t time.Time) string {
	t = t.In(copenhagen())
	clock := t.Format("15:04")
	if p.Lang == survey.Danish {
		clock = t.Format("15.04")
	}
	return p.T("openings.time", p.Date(t), clock)
}

// withOpenings puts the openings of the leader's link on their page, and
// whether their navigation offers nominations (nominationsOffered). It
// has answered the request when it returns false.
func (s *Server) withOpenings(c *gin.Context, p *Page, l *leader, compact bool) bool {
	var err error
	p.Openings, err = s.linkOpenings(c.Request.Context(), p.T, l, s.cookie(c.Request, sessionCookie), compact)
	if err == nil {
		// The navigation these pages share offers nominations too.
		p.Nominate, err = s.nominationsOffered(c.Request.Context(), l)
	}
	if err != nil {
		s.fail(c, err)
		return false
	}
	return true
}
