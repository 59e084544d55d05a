package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"lederradar/internal/auth"
	"lederradar/survey"
)

// TestReissueLinksIsConfirmed: new links for everyone only with the tick
// that says the old ones stop working, and then audited with counts only.
func TestReissueLinksIsConfirmed(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	ctx := t.Context()
	path := fmt.Sprintf("/admin/rounds/%d/invitations", e.open.ID)
	lastAudit := func() survey.AuditEntry {
		t.Helper()
		es, err := e.db.FindAudit(ctx, 1)
		must(t, err)
		if len(es) == 0 {
			return survey.AuditEntry{}
		}
		return es[0]
	}
	page := e.do(request{path: fmt.Sprintf("/admin/rounds/%d", e.open.ID), cookies: []*http.Cookie{e.admin}}).Body.String()
	for _, s := range []string{"Den, der har linkfilen, kan åbne spørgeskemaet og svare som lederen", "Slet filen, når brevfletningen er sendt",
		`<input type="checkbox" name="confirm" value="yes" required> Jeg forstår, at de gamle links holder op med at virke`} {
		if !strings.Contains(page, s) {
			t.Errorf("the round page lacks %q", s)
		}
	}

	for _, tt := range []struct {
		name string
		form url.Values
	}{
		{"no tick", url.Values{"mode": {"all"}}},
		{"another value", url.Values{"mode": {"all"}, "confirm": {"on"}}},
	} {
		t.Run("refused: "+tt.name, func(t *testing.T) {
			before := lastAudit()
			w := e.do(request{method: "POST", path: path, form: tt.form, cookies: []*http.Cookie{e.admin}})
			if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "Der blev ikke lavet nye links. Sæt flueben") {
				t.Errorf("POST = %d, want 400 with the reason", w.Code)
			}
			if strings.Contains(w.Body.String(), "/i/") || strings.Contains(w.Header().Get("Content-Disposition"), "attachment") {
				t.Errorf("links were sent")
			}
			if _, err := e.db.FindInvitationByTokenHash(ctx, auth.HashToken(e.token)); err != nil {
				t.Errorf("the old link stopped working: %v", err)
			}
			if got := lastAudit(); got.ID != before.ID {
				t.Errorf("audited %+v", got)
			}
		})
	}

	t.Run("confirmed: new links, old ones gone, audited", func(t *testing.T) {
		w := e.do(request{method: "POST", path: path, form: url.Values{"mode": {"all"}, "confirm": {"yes"}}, cookies: []*http.Cookie{e.admin}})
		if w.Code != 200 || !strings.HasPrefix(w.Body.String(), "\ufeffemail;name;link") {
			t.Fatalf("POST = %d:\n%.300s", w.Code, w.Body.String())
		}
		if _, err := e.db.FindInvitationByTokenHash(ctx, auth.HashToken(e.token)); survey.ErrorCode(err) != survey.ENOTFOUND {
			t.Errorf("the old link still works (%v)", err)
		}
		a := lastAudit()
		if a.Action != "invitations.reissue" || a.Target != fmt.Sprintf("round:%d", e.open.ID) || !strings.Contains(a.Detail, "1 re-issued") {
			t.Errorf("audit = %+v, want invitations.reissue with the counts", a)
		}
		for _, line := range strings.Split(w.Body.String(), "\n")[1:] {
			if f := strings.Split(strings.TrimSpace(line), ";"); len(f) == 3 {
				if token := f[2][strings.LastIndex(f[2], "/")+1:]; strings.Contains(a.Detail, token) {
					t.Errorf("the audit entry holds a token")
				}
			}
		}
	})
}
