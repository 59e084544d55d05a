package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/survey"
)

// planForm is a plan with the given focus competences, each with an
// action naming it.
func planForm(revisit string, ids ...string) url.Values {
	f := url.Values{"revisit": {revisit}}
	for i, id := range ids {
		n := string(rune('1' + i))
		f.Set("focus"+n, id)
		f.Set("focus"+n+"_actions", "Handling for "+id+" <b>fed</b>")
		f.Set("focus"+n+"_involve", "Min leder")
	}
	return f
}

// TestPlan walks a leader's plan: offered from the result once
// submitted, suggested from the development areas, saved, refused with a
// reason and nothing stored, shown on the result, and carried to the next
// round with the change on each focus.
func TestPlan(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	old := e.closedSession()
	comps := e.in.Competences
	name := func(i int) string { return comps[i].Name.Da }

	scenarios := []scenario{
		{name: "not submitted yet in the open round", req: request{path: "/plan", cookies: []*http.Cookie{e.login(e.token)}},
			wantStatus: 200, want: []string{"når du har indsendt"}, notWant: []string{`name="focus1"`}},
		{name: "a new plan starts from the development areas", req: request{path: "/plan", cookies: []*http.Cookie{old}},
			wantStatus: 200, want: []string{"udgangspunkt i dine udviklingsområder", `name="focus1"`, `name="focus3_involve"`, "Før:"}},
		{name: "the result invites a plan", req: request{path: "/result", cookies: []*http.Cookie{old}},
			wantStatus: 200, want: []string{"Din udviklingsplan", `href="/plan"`, "Lav din plan"}},
		{name: "the same competence twice is refused", req: request{method: "POST", path: "/plan", cookies: []*http.Cookie{old},
			form: planForm("", comps[0].ID, comps[0].ID)}, wantStatus: 400,
			want: []string{"Planen blev ikke gemt: du har valgt den samme kompetence mere end én gang.", "Handling for " + comps[0].ID + " &lt;b&gt;fed&lt;/b&gt;"}},
		{name: "no focus is refused", req: request{method: "POST", path: "/plan", cookies: []*http.Cookie{old}, form: planForm("")},
			wantStatus: 400, want: []string{"vælg mindst én fokuskompetence"}},
		{name: "a day that does not exist is refused", req: request{method: "POST", path: "/plan", cookies: []*http.Cookie{old},
			form: planForm("31-02-2027", comps[0].ID)}, wantStatus: 400, want: []string{"skriv datoen som dd-mm-åååå", `value="31-02-2027"`}},
		{name: "a plan is saved", req: request{method: "POST", path: "/plan", cookies: []*http.Cookie{old},
			form: planForm("15-03-2027", comps[2].ID, comps[0].ID)}, wantStatus: 303, wantHeader: map[string]string{"Location": "/plan?saved=1"}},
		{name: "the saved plan comes back", req: request{path: "/plan?saved=1", cookies: []*http.Cookie{old}},
			wantStatus: 200, want: []string{"Din plan er gemt.", `value="15-03-2027"`, "Handling for " + comps[2].ID, `href="/plan/packet"`}},
		{name: "the result names the focuses", req: request{path: "/result", cookies: []*http.Cookie{old}},
			wantStatus: 200, want: []string{"Du har valgt at arbejde med:", name(2), name(0), "Du følger op 15. marts 2027."}},
	}
	for _, tt := range scenarios {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, e.do(tt.req)) })
	}
	if p, err := e.db.FindPlan(ctx, e.closed.ID, e.person.ID); err != nil || len(p.Focuses) != 2 {
		t.Fatalf("stored plan %+v, %v; want the one saved with 2 focuses (refused plans store nothing)", p, err)
	}

	// The next round: a new plan starts from this one, and the result
	// shows how its focuses moved (3 then, 5 now).
	all := survey.Answers{}
	for _, c := range comps {
		for _, it := range c.Items {
			all[it.ID] = 5
		}
	}
	_, err := e.db.SaveAnswers(ctx, data.AnswerSave{RoundID: e.open.ID, SubjectID: e.person.ID, RaterID: e.person.ID, Relation: survey.Self, FormKey: "plan-next", Answers: all})
	must(t, err)
	_, err = e.db.SubmitResponse(ctx, e.open.ID, e.person.ID, e.person.ID, survey.Self, "plan-next-submit")
	must(t, err)
	now := e.login(e.token)
	next := []scenario{
		{name: "the next plan starts from the previous", req: request{path: "/plan", cookies: []*http.Cookie{now}},
			wantStatus: 200, want: []string{"udgangspunkt i din plan fra sidste runde", "Handling for " + comps[2].ID}},
		{name: "the next result shows the change on each focus", req: request{path: "/result", cookies: []*http.Cookie{now}},
			wantStatus: 200, want: []string{"Din plan fra Forår 2026: sådan har dine fokuskompetencer flyttet sig", name(2), "3,0", "5,0", "&#43;2,0"}},
	}
	for _, tt := range next {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, e.do(tt.req)) })
	}
}

// shareLink is the share link a shares page shows once.
var shareLink = regexp.MustCompile(`http://127\.0\.0\.1:8080/s/([A-Za-z0-9_-]{43})`)

// TestShares makes a share, opens it as its recipient (audit-logged, no
// session, nothing else reachable), lists it with when it was opened,
// revokes it, and lets another expire.
func TestShares(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	clock := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	e.db.Now = func() time.Time { return clock }
	old := e.closedSession()
	must(t, e.db.SavePlan(ctx, survey.Plan{RoundID: e.closed.ID, PersonID: e.person.ID,
		Focuses: []survey.Focus{{CompetenceID: e.in.Competences[1].ID, Actions: "Invitere til frokost hver fredag"}}}, e.in))

	refused := e.do(request{method: "POST", path: "/shares", cookies: []*http.Cookie{old}, form: url.Values{"recipient": {" "}, "days": {"30"}}})
	scenario{wantStatus: 400, want: []string{"Linket blev ikke lavet: skriv navnet på den, du deler med."}}.check(t, refused)
	w := e.do(request{method: "POST", path: "/shares", cookies: []*http.Cookie{old}, form: url.Values{"recipient": {"Karen <Chef>"}, "days": {"30"}}})
	scenario{wantStatus: 200, want: []string{"Dit link til Karen &lt;Chef&gt;", "Linket vises kun nu"}}.check(t, w)
	m := shareLink.FindStringSubmatch(w.Body.String())
	if m == nil {
		t.Fatalf("no share link on the page:\n%s", w.Body.String())
	}
	token := m[1]

	clock = clock.Add(time.Hour)
	opened := e.do(request{path: "/s/" + token})
	scenario{wantStatus: 200, want: []string{"Ada Jensen har delt sit resultat og sin udviklingsplan med dig (Karen &lt;Chef&gt;)",
		"Invitere til frokost hver fredag", "Linket virker til 3. januar 2027."},
		notWant:    []string{`href="/plan"`, `href="/result"`, `href="/survey`, "/my-data"},
		wantHeader: map[string]string{"Cache-Control": "no-store"}}.check(t, opened)
	if c := opened.Result().Cookies(); len(c) != 0 {
		t.Fatalf("opening a share set cookies %v: it must give no session", c)
	}
	entries, err := e.db.FindAudit(ctx, 10)
	must(t, err)
	if len(entries) == 0 || entries[0].Action != "share.open" || !strings.HasPrefix(entries[0].Actor, "share:") {
		t.Fatalf("the opening is not audit-logged: %+v", entries)
	}
	scenario{wantStatus: 200, want: []string{"Karen &lt;Chef&gt;", "sidst åbnet: 4. december 2026 12:00", "aktivt"}}.check(t,
		e.do(request{path: "/shares", cookies: []*http.Cookie{old}}))

	// Revoked: at once, and the link says so.
	list, err := e.db.FindShares(ctx, e.closed.ID, e.person.ID)
	must(t, err)
	scenario{wantStatus: 404}.check(t, e.do(request{method: "POST", path: "/shares/999999/revoke", cookies: []*http.Cookie{old}}))
	rv := e.do(request{method: "POST", path: "/shares/" + strconv.FormatInt(list[0].ID, 10) + "/revoke", cookies: []*http.Cookie{old}})
	scenario{wantStatus: 303, wantHeader: map[string]string{"Location": "/shares?revoked=1"}}.check(t, rv)
	scenario{wantStatus: 410, want: []string{"Lederen har trukket dette link tilbage."}, notWant: []string{"Invitere til frokost"}}.check(t,
		e.do(request{path: "/s/" + token}))

	// The leader's download holds the plan and the share, never the token.
	scenario{wantStatus: 200, want: []string{"development_plans", "Invitere til frokost hver fredag", "Karen", "revoked_at"},
		notWant: []string{token}}.check(t, e.do(request{path: "/my-data", cookies: []*http.Cookie{old}}))

	// Expired: the day it runs out.
	_, short, err := e.db.AddShare(ctx, e.closed.ID, e.person.ID, "Bo", 1)
	must(t, err)
	scenario{wantStatus: 200, want: []string{"Invitere til frokost"}}.check(t, e.do(request{path: "/s/" + short}))
	clock = clock.Add(24 * time.Hour)
	scenario{wantStatus: 410, want: []string{"Linket udløb 5. december 2026."}, notWant: []string{"Invitere til frokost"}}.check(t,
		e.do(request{path: "/s/" + short}))
	scenario{wantStatus: 404, want: []string{"Linket findes ikke."}}.check(t, e.do(request{path: "/s/" + strings.Repeat("x", 43)}))
}
