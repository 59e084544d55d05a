package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"lederradar/internal/orggen"
	"lederradar/survey"
)

// TestAdminKeepsReports closes a round and erases a person as an
// administrator does: the close keeps the round's report, built with the
// server's threshold in the close's transaction, so HR's first view reads
// it; the erasure leaves every kept report as it was. (data's
// TestCloseRoundBuildsReport compares the kept report with one built
// afresh.)
func TestAdminKeepsReports(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db, org := generatedServer(t, 300)
	admin := staffCookie(t, s, db, survey.RoleAdmin, "example.dk")
	post := func(path string, form url.Values) {
		t.Helper()
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(admin)
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, req)
		if w.Code != http.StatusSeeOther {
			t.Fatalf("%s: %d %s", path, w.Code, w.Body.String())
		}
	}
	// The generated rounds closed without a server: their reports are
	// kept by their first read.
	for _, r := range org.ClosedRounds {
		if _, err := db.RoundReport(ctx, &r, s.minGroup); err != nil {
			t.Fatal(err)
		}
	}
	post(fmt.Sprintf("/admin/rounds/%d/close", org.OpenRound.ID), url.Values{"confirm": {"yes"}})
	kept := map[int64][]byte{}
	rounds, err := db.FindRounds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rounds {
		k, err := db.FindRoundReport(ctx, r.ID)
		if err != nil {
			t.Fatalf("round %s: no report kept: %v", r.Name, err)
		}
		kept[r.ID] = k.Body
		if r.ID != org.OpenRound.ID {
			continue
		}
		got, err := db.RoundReport(ctx, &r, s.minGroup+2)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != survey.RoundClosed || got.Answered == 0 || got.MinGroup != s.minGroup || k.MinGroup != s.minGroup {
			t.Errorf("round %s: the close kept a report with threshold %d (%d answered), want the server's %d", r.Name, k.MinGroup, got.Answered, s.minGroup)
		}
	}
	if len(kept) != len(org.ClosedRounds)+1 {
		t.Fatalf("%d reports kept, want %d", len(kept), len(org.ClosedRounds)+1)
	}

	var erased survey.Person
	for _, l := range org.Links {
		if l.State == orggen.Submitted {
			p, err := db.FindPersonByID(ctx, l.PersonID)
			if err != nil {
				t.Fatal(err)
			}
			erased = *p
			break
		}
	}
	post(fmt.Sprintf("/admin/people/%d/erase", erased.ID), url.Values{"confirm": {"yes"}, "confirm_email": {erased.Email}})
	if _, err := db.FindPersonByID(ctx, erased.ID); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("the person was not erased: %v", err)
	}
	for id, body := range kept {
		if k, err := db.FindRoundReport(ctx, id); err != nil || !bytes.Equal(k.Body, body) {
			t.Errorf("round %d: the erasure changed the kept report (%v)", id, err)
		}
	}
}
