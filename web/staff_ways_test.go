package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/survey"
)

// TestStaffWays checks that HR and administrators find their way: error
// pages keep their navigation and lead back to their own pages, and the
// home page offers the log-in, or the way back to a signed-in user.
func TestStaffWays(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	for _, tt := range []struct {
		name    string
		method  string
		path    string
		cookies []*http.Cookie
		status  int
		want    []string
		not     []string
	}{
		{"home, nobody signed in", "GET", "/", nil, 200,
			[]string{`href="/login"`, "Log ind", "Kun du ser dit resultat"}, []string{"Til dine sider"}},
		{"home, HR signed in", "GET", "/", []*http.Cookie{e.hr}, 200,
			[]string{`href="/hr"`, "Til dine sider", `action="/logout"`}, []string{"Kun du ser dit resultat"}},
		{"home, admin signed in", "GET", "/", []*http.Cookie{e.admin}, 200,
			[]string{`href="/admin"`, "Til dine sider", `href="/admin/people"`}, nil},
		{"403 for HR on an admin page", "GET", "/admin", []*http.Cookie{e.hr}, 403,
			[]string{`<a href="/hr">Til din startside</a>`, `aria-label="Navigation for HR og administration"`}, []string{"Kun du ser dit resultat", "Til forsiden"}},
		{"409 for HR on an open round's heatmap", "GET", fmt.Sprintf("/hr/rounds/%d/heatmap", e.open.ID), []*http.Cookie{e.hr}, 409,
			[]string{`<a href="/hr">Til din startside</a>`, "Runder og profiler"}, []string{"Kun du ser dit resultat"}},
		{"404 for an admin", "GET", "/admin/nothing-here", []*http.Cookie{e.admin}, 404,
			[]string{`<a href="/admin">Til din startside</a>`}, []string{"Kun du ser dit resultat"}},
		{"404 for nobody signed in", "GET", "/nothing-here", nil, 404,
			[]string{`<a href="/">Til forsiden</a>`}, []string{"Til din startside"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := e.do(request{method: tt.method, path: tt.path, cookies: tt.cookies})
			body := w.Body.String()
			if w.Code != tt.status {
				t.Errorf("status = %d, want %d", w.Code, tt.status)
			}
			for _, s := range tt.want {
				if !strings.Contains(body, s) {
					t.Errorf("page lacks %q", s)
				}
			}
			for _, s := range tt.not {
				if strings.Contains(body, s) {
					t.Errorf("page has %q", s)
				}
			}
		})
	}
}

// TestResponseStatesAddUp checks that an open round's counts name three
// states that add up to the invited: not started, in progress (not
// submitted) and submitted.
func TestResponseStatesAddUp(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	ctx := context.Background()
	// Ada and six more invited: two submit, two save a page, two do nothing.
	for i, p := range e.people[:6] {
		_, hash := auth.NewToken()
		inv := survey.Invitation{RoundID: e.open.ID, PersonID: p.ID, SubjectID: p.ID, Relation: survey.Self}
		must(t, e.db.CreateInvitation(ctx, &inv, p.ID, hash))
		if i < 4 {
			_, err := e.db.SaveAnswers(ctx, data.AnswerSave{RoundID: e.open.ID, SubjectID: p.ID, RaterID: p.ID, Relation: survey.Self,
				FormKey: fmt.Sprintf("states-page-%d", i), Answers: survey.Answers{e.in.Competences[0].Items[0].ID: 3}})
			must(t, err)
		}
		if i < 2 {
			_, err := e.db.SubmitResponse(ctx, e.open.ID, p.ID, p.ID, survey.Self, fmt.Sprintf("states-submit-%d", i))
			must(t, err)
		}
	}
	w := e.do(request{path: fmt.Sprintf("/hr/rounds/%d", e.open.ID), cookies: []*http.Cookie{e.hr}})
	body := w.Body.String()
	for _, s := range []string{"Ikke begyndt", "I gang (ikke indsendt)", "Indsendt"} {
		if !strings.Contains(body, s) {
			t.Errorf("HR's round page lacks %q", s)
		}
	}
	w = e.do(request{path: fmt.Sprintf("/admin/rounds/%d", e.open.ID), cookies: []*http.Cookie{e.admin}})
	body = w.Body.String()
	for _, s := range []string{`Inviteret</th><td class="num">7<`, `Ikke begyndt</th><td class="num">3<`,
		`I gang (ikke indsendt)</th><td class="num">2<`, `Indsendt</th><td class="num">2<`} {
		if !strings.Contains(body, s) {
			t.Errorf("admin's round page lacks %q", s)
		}
	}
}
