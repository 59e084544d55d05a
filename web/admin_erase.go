package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Copenhagen on hosts without a zone database

	"github.com/gin-gonic/gin"

	"lederradar/data"
	"lederradar/survey"
)

// Administrator pages for privacy (DESIGN.md C10): erasing a person, the
// audit log, and the notice of rounds the retention period will delete.

// ---- Erasure ----

type adminEraseView struct {
	Page
	ID          int64
	Name, Email string
	Action      string
	Back        string
	Error       string
	// Typed is what the administrator typed, shown again after a mistake.
	Typed string
}

type eraseForm struct {
	ConfirmEmail string `form:"confirm_email"`
	Confirm      string `form:"confirm"`
}

func eraseView(page Page, p *survey.Person) adminEraseView {
	return adminEraseView{Page: page, ID: p.ID, Name: p.Name, Email: p.Email,
		Action: fmt.Sprintf("/admin/people/%d/erase", p.ID), Back: fmt.Sprintf("/admin/people/%d", p.ID)}
}

// adminErasePage is the confirmation step of an erasure: it says what will
// go and asks for the person's e-mail address and a tick.
func (s *Server) adminErasePage(c *gin.Context) {
	p, ok := s.personParam(c)
	if !ok {
		return
	}
	s.render(c, http.StatusOK, "admin_erase", eraseView(s.staffPage(c, "erase.title"), p))
}

// erasePerson erases a person for good, once the form confirms it twice:
// the tick and the e-mail address typed. Without both nothing changes.
func (s *Server) erasePerson(c *gin.Context) {
	p, ok := s.personParam(c)
	if !ok {
		return
	}
	var f eraseForm
	if err := c.ShouldBind(&f); err != nil {
		s.renderError(c, http.StatusBadRequest, "error.invalid")
		return
	}
	typed := strings.TrimSpace(f.ConfirmEmail)
	if f.Confirm != "yes" || !strings.EqualFold(typed, p.Email) {
		v := eraseView(s.staffPage(c, "erase.title"), p)
		v.Typed = typed
		v.Error = v.T.T("erase.unconfirmed")
		s.render(c, http.StatusBadRequest, "admin_erase", v)
		return
	}
	actor := "user:" + itoa64(currentUser(c).ID)
	// Once begun, it finishes. Closed rounds' reports are final and stay
	// as they are (migration 0009).
	if err := s.db.ErasePerson(context.WithoutCancel(c.Request.Context()), p.ID, actor); errors.Is(err, data.ErrWALKept) {
		s.logger.Warn("erasure", "error", err) // erased; the log empties at a later checkpoint
	} else if err != nil {
		s.adminFail(c, err)
		return
	}
	s.leaders.clear()
	c.Redirect(http.StatusSeeOther, "/admin/people?erased=1")
}

// ---- Audit log ----

// auditPageSize is how many entries the audit page shows; the CSV export
// has them all.
const auditPageSize = 500

// ---- Retention ----

// retentionNotice is how far ahead the administrator's home page warns of
// a round the retention period will delete.
const retentionNotice = 30 * 24 * time.Hour

// retentionInterval is how often RunRetention looks for expired rounds.
const retentionInterval = time.Hour
