package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Copenhagen on hosts without a zone database

	"github.com/gin-gonic/gin"

	"lederradar/data"
	"lederradar/internal/csvfile"
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

func (s *Server) eraseView(c *gin.Context, p *survey.Person) adminEraseView {
	page := s.staffPage(c, "erase.title")
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
	s.render(c, http.StatusOK, "admin_erase", s.eraseView(c, p))
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
		v := s.eraseView(c, p)
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

type auditRow struct {
	UTC, Local             string
	Actor, ActorName       string
	Action, Target, Detail string
}

type adminAuditView struct {
	Page
	Rows []auditRow
	More bool
}

// adminAudit shows the newest entries of the audit log. Looking at it is
// itself logged.
func (s *Server) adminAudit(c *gin.Context) {
	s.audit(c, "audit.view", "", "")
	ctx := c.Request.Context()
	es, err := s.db.FindAudit(ctx, auditPageSize+1)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := adminAuditView{Page: s.staffPage(c, "audit.title")}
	if len(es) > auditPageSize {
		es, v.More = es[:auditPageSize], true
	}
	names, err := s.userNames(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	loc := copenhagen()
	for _, e := range es {
		v.Rows = append(v.Rows, auditRow{UTC: e.At.UTC().Format("2006-01-02 15:04:05") + " UTC", Local: localTime(v.T, e.At.In(loc)),
			Actor: e.Actor, ActorName: names[e.Actor], Action: e.Action, Target: e.Target, Detail: e.Detail})
	}
	s.render(c, http.StatusOK, "admin_audit", v)
}

// exportAudit sends the whole audit log as CSV the way Danish Excel reads
// it: UTF-8 with BOM, semicolons, every text cell neutralised against
// formulas. Exporting is itself logged, before the export is read.
func (s *Server) exportAudit(c *gin.Context) {
	s.audit(c, "audit.export", "", "")
	ctx := c.Request.Context()
	es, err := s.db.FindAudit(ctx, 0)
	if err != nil {
		s.fail(c, err)
		return
	}
	names, err := s.userNames(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	loc := copenhagen()
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	_ = w.Write([]string{"id", "time_utc", "time_copenhagen", "actor", "actor_email", "action", "target", "detail"})
	for _, e := range es {
		_ = w.Write([]string{strconv.FormatInt(e.ID, 10), e.At.UTC().Format(time.RFC3339), e.At.In(loc).Format("2006-01-02 15:04:05"),
			csvfile.SafeCell(e.Actor), csvfile.SafeCell(names[e.Actor]), csvfile.SafeCell(e.Action), csvfile.SafeCell(e.Target), csvfile.SafeCell(e.Detail)})
	}
	w.Flush()
	s.download(c, fmt.Sprintf("lederradar-audit-%s.csv", s.now().UTC().Format("2006-01-02")), "text/csv; charset=utf-8", buf.Bytes())
}

// userNames maps the audit log's "user:N" actors to the accounts' e-mail
// addresses, which administrators see on the accounts anyway.
func (s *Server) userNames(ctx context.Context) (map[string]string, error) {
	users, err := s.db.FindUsers(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(users))
	for _, u := range users {
		out["user:"+itoa64(u.ID)] = u.Email
	}
	return out, nil
}

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

// ---- Retention ----

// retentionNotice is how far ahead the administrator's home page warns of
// a round the retention period will delete.
const retentionNotice = 30 * 24 * time.Hour

// retentionInterval is how often RunRetention looks for expired rounds.
const retentionInterval = time.Hour

// expiringNotices returns the notices of rounds that the retention period
// deletes within retentionNotice, for the administrator's home page.
func (s *Server) expiringNotices(ctx context.Context, p *Printer) ([]string, error) {
	r := s.privacy.Retention
	if r.Off() {
		return nil, nil
	}
	rounds, err := s.db.FindRoundsExpiringBefore(ctx, r.Cutoff(s.now().Add(retentionNotice)))
	if err != nil {
		return nil, err
	}
	period := retentionText(p, r)
	var out []string
	for _, round := range rounds {
		out = append(out, p.T("retention.notice", round.Name, p.Date(r.Expires(round.ClosedAt)), period))
	}
	return out, nil
}

// ApplyRetention deletes the closed rounds whose retention period has
// passed, with everything in them, and returns how many went. With
// retention off it does nothing.
func (s *Server) ApplyRetention(ctx context.Context) (int, error) {
	r := s.privacy.Retention
	if r.Off() {
		return 0, nil
	}
	n, err := s.db.DeleteExpiredRounds(ctx, r.Cutoff(s.now()))
	if err != nil {
		return 0, err
	}
	if n > 0 {
		s.logger.Info("retention: deleted expired rounds", slog.Int("rounds", n), slog.String("retention", r.String()))
	}
	return n, nil
}

// RunRetention applies the retention period at once and then every hour,
// until ctx ends; it returns when it has stopped. The caller runs it in a
// goroutine for the server's lifetime. With retention off it returns at
// once.
func (s *Server) RunRetention(ctx context.Context) {
	if s.privacy.Retention.Off() {
		s.logger.Info("retention: off; closed rounds are kept until deleted by hand")
		return
	}
	t := time.NewTicker(retentionInterval)
	defer t.Stop()
	for {
		if _, err := s.ApplyRetention(ctx); err != nil && ctx.Err() == nil {
			s.logger.Error("retention", slog.Any("error", err))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
