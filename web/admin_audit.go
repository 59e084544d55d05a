package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"time"
	_ "time/tzdata" // Europe/Copenhagen on hosts without a zone database

	"github.com/gin-gonic/gin"

	"lederradar/internal/csvfile"
)

// auditRow is an entry as the page shows it: in words.
type auditRow struct {
	UTC, Local string
	auditWords
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
	names, err := s.auditNamesFor(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	loc := copenhagen()
	for _, e := range es {
		v.Rows = append(v.Rows, auditRow{UTC: e.At.UTC().Format("2006-01-02 15:04:05") + " UTC", Local: localTime(v.T, e.At.In(loc)),
			auditWords: names.words(v.T, e)})
	}
	s.render(c, http.StatusOK, "admin_audit", v)
}

// exportAudit sends the whole audit log as CSV the way Danish Excel reads
// it: UTF-8 with BOM, semicolons, every text cell neutralised against
// formulas. Headers are in the reader's language; each of actor, action,
// target and detail comes twice, as the stable code the log keeps (for
// machines) and in words. Exporting is itself logged, before the export
// is read.
func (s *Server) exportAudit(c *gin.Context) {
	s.audit(c, "audit.export", "", "")
	ctx := c.Request.Context()
	es, err := s.db.FindAudit(ctx, 0)
	if err != nil {
		s.fail(c, err)
		return
	}
	names, err := s.auditNamesFor(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := s.catalogues.Printer(s.lang(c.Request))
	loc := copenhagen()
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	_ = w.Write([]string{p.T("audit.csv_id"), p.T("audit.csv_utc"), p.T("audit.csv_local"), p.T("audit.csv_actor_code"), p.T("audit.csv_actor"),
		p.T("audit.csv_action_code"), p.T("audit.csv_action"), p.T("audit.csv_target_code"), p.T("audit.csv_target"),
		p.T("audit.csv_detail_code"), p.T("audit.csv_detail")})
	for _, e := range es {
		words := names.words(p, e)
		_ = w.Write([]string{strconv.FormatInt(e.ID, 10), e.At.UTC().Format(time.RFC3339), e.At.In(loc).Format("2006-01-02 15:04:05"),
			csvfile.SafeCell(e.Actor), csvfile.SafeCell(words.Actor), csvfile.SafeCell(e.Action), csvfile.SafeCell(words.Action),
			csvfile.SafeCell(e.Target), csvfile.SafeCell(words.Target), csvfile.SafeCell(e.Detail), csvfile.SafeCell(words.Detail)})
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
