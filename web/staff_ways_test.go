package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
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

// TestIrreversibleActionsAsk checks that closing a round and deleting a
// group happen only with a tick, that the page says what will happen, and
// that without the tick nothing changes.
func TestIrreversibleActionsAsk(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	ctx := context.Background()
	admin := []*http.Cookie{e.admin}
	closePath := fmt.Sprintf("/admin/rounds/%d/close", e.open.ID)
	deletePath := fmt.Sprintf("/admin/groups/%d/delete", e.team.ID)
	for _, tt := range []struct {
		name   string
		method string
		path   string
		form   url.Values
		status int
		want   []string
	}{
		{"the round page says what closing does", "GET", fmt.Sprintf("/admin/rounds/%d", e.open.ID), nil, 200,
			[]string{"1 person er inviteret. Når runden lukkes, kan vedkommende ikke", `name="confirm" value="yes" required`, "Jeg forstår, at runden ikke kan åbnes igen"}},
		{"closing without the tick", "POST", closePath, url.Values{}, 400,
			[]string{"Runden blev ikke lukket. Sæt flueben"}},
		{"the people list links to the confirmation", "GET", "/admin/people", nil, 200,
			[]string{`href="` + deletePath + `"`}},
		{"the confirmation counts the members", "GET", deletePath, nil, 200,
			[]string{"Teamet »Tidlig indsats« slettes. Dets 6 medlemmer mister teamet", `name="confirm" value="yes" required`}},
		{"deleting without the tick goes to the confirmation", "POST", deletePath, url.Values{}, 303, nil},
		{"a department's confirmation", "GET", fmt.Sprintf("/admin/groups/%d/delete", e.deptB.ID), nil, 200,
			[]string{"Afdelingen »Social og Sundhed« slettes. Dens 5 medlemmer står derefter uden afdeling"}},
		{"no such group", "GET", "/admin/groups/99999/delete", nil, 404, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := e.do(request{method: tt.method, path: tt.path, form: tt.form, cookies: admin})
			if w.Code != tt.status {
				t.Fatalf("status = %d, want %d:\n%s", w.Code, tt.status, w.Body.String())
			}
			for _, s := range tt.want {
				if !strings.Contains(w.Body.String(), s) {
					t.Errorf("page lacks %q", s)
				}
			}
		})
	}
	if r, _ := e.db.FindRoundByID(ctx, e.open.ID); r.Status != survey.RoundOpen {
		t.Errorf("the round is %s after a close without the tick", r.Status)
	}
	if _, err := e.db.FindGroupByID(ctx, e.team.ID); err != nil {
		t.Errorf("the team is gone after a delete without the tick: %v", err)
	}
	t.Run("with the ticks", func(t *testing.T) {
		if w := e.do(request{method: "POST", path: closePath, form: url.Values{"confirm": {"yes"}}, cookies: admin}); w.Code != 303 {
			t.Errorf("close = %d", w.Code)
		}
		if w := e.do(request{method: "POST", path: deletePath, form: url.Values{"confirm": {"yes"}}, cookies: admin}); w.Code != 303 {
			t.Errorf("delete = %d", w.Code)
		}
		if _, err := e.db.FindGroupByID(ctx, e.team.ID); survey.ErrorCode(err) != survey.ENOTFOUND {
			t.Errorf("the team after a confirmed delete: %v", err)
		}
	})
}

// TestRoundDates checks that a round's dates are read the Danish way,
// that a round cannot close before it opens, that opening before the
// planned date takes a tick, and that another open round is named.
func TestRoundDates(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	ctx := context.Background()
	admin := []*http.Cookie{e.admin}
	for _, tt := range []struct {
		name   string
		form   url.Values
		status int
		want   string
	}{
		{"Danish dates", url.Values{"name": {"Forår 2099"}, "opens": {"01-03-2099"}, "closes": {"31-03-2099"}}, 303, ""},
		{"ISO dates", url.Values{"name": {"Efterår 2099"}, "opens": {"2099-09-01"}, "closes": {"2099-09-30"}}, 303, ""},
		{"closes before it opens", url.Values{"name": {"Forkert"}, "opens": {"30-06-2099"}, "closes": {"01-06-2099"}}, 400,
			"Runden kan ikke lukke, før den åbner: lukkedatoen 1. juni 2099 ligger før åbningsdatoen 30. juni 2099."},
		{"not a date", url.Values{"name": {"Forkert"}, "opens": {"06/30/2099"}}, 400,
			"»06/30/2099« er ikke en dato. Skriv den som dd-mm-åååå"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := e.do(request{method: "POST", path: "/admin/rounds", form: tt.form, cookies: admin})
			if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.want) {
				t.Errorf("status = %d, want %d and %q", w.Code, tt.status, tt.want)
			}
		})
	}
	draft, err := e.db.FindRoundByName(ctx, "Forår 2099")
	must(t, err)
	page := fmt.Sprintf("/admin/rounds/%d", draft.ID)
	w := e.do(request{path: page, cookies: admin})
	for _, s := range []string{"Runden er planlagt til at åbne 1. marts 2099", `name="early" value="yes" required`,
		"Der er allerede en åben runde: »Efterår 2026«"} {
		if !strings.Contains(w.Body.String(), s) {
			t.Errorf("the draft's page lacks %q", s)
		}
	}
	w = e.do(request{method: "POST", path: page + "/open", form: url.Values{}, cookies: admin})
	if w.Code != 400 || !strings.Contains(w.Body.String(), "Runden blev ikke åbnet, fordi den først skal åbne 1. marts 2099.") {
		t.Errorf("opening early without the tick = %d", w.Code)
	}
	if r, _ := e.db.FindRoundByID(ctx, draft.ID); r.Status != survey.RoundDraft {
		t.Errorf("status after a refused open = %s", r.Status)
	}
	if w = e.do(request{method: "POST", path: page + "/open", form: url.Values{"early": {"yes"}}, cookies: admin}); w.Code != 303 {
		t.Errorf("opening early with the tick = %d", w.Code)
	}
}

// TestPeopleSearch checks the people list's search by name or e-mail and
// department, with paging that keeps the search, without JavaScript.
func TestPeopleSearch(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	admin := []*http.Cookie{e.admin}
	for _, tt := range []struct {
		name      string
		path      string
		status    int
		want, not []string
	}{
		{"everyone", "/admin/people", 200, []string{"Ada Jensen", "Leder 11", `role="search"`, `<option value="0">Alle afdelinger</option>`}, []string{"personer passer"}},
		{"by name", "/admin/people?q=leder+1", 200, []string{"Leder 1<", "Leder 10", "Leder 11", "3 personer passer på søgningen."}, []string{"Ada Jensen", "Leder 2<"}},
		{"by e-mail, any case", "/admin/people?q=ADA@EXAMPLE", 200, []string{"Ada Jensen", `value="ADA@EXAMPLE"`}, []string{"Leder 1"}},
		{"by department", fmt.Sprintf("/admin/people?department=%d", e.deptB.ID), 200,
			[]string{"Leder 7", "Leder 11", "5 personer passer", fmt.Sprintf(`<option value="%d" selected>Social og Sundhed</option>`, e.deptB.ID)}, []string{"Leder 0", "Ada Jensen"}},
		{"nobody", "/admin/people?q=zzz", 200, []string{"Ingen personer passer på søgningen.", `href="/admin/people">Vis alle`}, []string{"Leder 1"}},
		{"a department that is not a number", "/admin/people?department=x", 400, nil, nil},
		{"a page that does not exist", "/admin/people?q=leder&page=2", 404, nil, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := e.do(request{path: tt.path, cookies: admin})
			if w.Code != tt.status {
				t.Fatalf("status = %d, want %d", w.Code, tt.status)
			}
			for _, s := range tt.want {
				if !strings.Contains(w.Body.String(), s) {
					t.Errorf("page lacks %q", s)
				}
			}
			for _, s := range tt.not {
				if strings.Contains(w.Body.String(), s) {
					t.Errorf("page has %q", s)
				}
			}
		})
	}
}
