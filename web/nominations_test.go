package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/internal/csvfile"
	"lederradar/survey"
)

// TestNominations is the scenario table of a leader asking others for
// feedback, in order: each row sees what the rows before it did. Ada
// leads the open round; the administrator gave her a manager of their
// own choosing, whom she never sees.
func TestNominations(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	ctx := context.Background()
	ada := e.login(e.token)
	en := &http.Cookie{Name: "lang", Value: "en"}
	add := func(email, rel string) request {
		return request{method: "POST", path: "/nominations", form: url.Values{"email": {email}, "relation": {rel}}, cookies: []*http.Cookie{ada}}
	}
	get := request{path: "/nominations", cookies: []*http.Cookie{ada}}
	// A rater's session, as the rater's link will make it.
	made, err := e.db.ImportRaters(ctx, e.open.ID, []csvfile.RaterRow{{Line: 2, SubjectEmail: e.person.Email, RaterEmail: "hr.valgte@example.dk", Relation: survey.Manager}}, nil)
	must(t, err)
	raterInv, err := e.db.FindInvitationByTokenHash(ctx, auth.HashToken(made[0].Token))
	must(t, err)
	raterToken, raterHash := auth.NewToken()
	must(t, e.db.CreateSession(ctx, raterHash, raterInv.ID, 8*time.Hour, 24*time.Hour))
	rater := &http.Cookie{Name: "lr_session", Value: raterToken}
	setLimits := func(l survey.NominationLimits) {
		must(t, e.db.SetRoundSettings(ctx, e.open.ID, data.RoundSettings{Kind: survey.ThreeSixty, Limits: l}))
	}
	var kim int64 // the nomination of kim@example.dk, once made
	steps := []struct {
		scenario
		before func()
	}{
		{scenario: scenario{name: "no limits: the navigation offers nothing", req: request{path: "/start", cookies: []*http.Cookie{ada}}, wantStatus: 200,
			notWant: []string{`href="/nominations"`}}},
		{scenario: scenario{name: "no limits: the page says the round does not ask", req: get, wantStatus: 200,
			want: []string{"beder ikke lederne selv"}, notWant: []string{`action="/nominations"`}}},
		{scenario: scenario{name: "no limits: nominating is refused", req: add("kim@example.dk", "peer"), wantStatus: 409,
			want: []string{"Personen blev ikke tilføjet", "runden lader ikke lederne bede om feedback"}}},
		{before: func() { setLimits(survey.NominationLimits{Manager: 1, Peer: 2}) },
			scenario: scenario{name: "the navigation offers it", req: request{path: "/review", cookies: []*http.Cookie{ada}}, wantStatus: 200,
				want: []string{`<a href="/nominations">Bed om feedback</a>`}}},
		{scenario: scenario{name: "the page", req: get, wantStatus: 200,
			want:    []string{"Bed andre om feedback", "op til 1 leder, 2 kolleger og 0 medarbejdere", `type="email"`, `value="peer"`, "Kollega (du kan tilføje 2 mere)", "Du har ikke bedt nogen om feedback endnu"},
			notWant: []string{`value="employee"`, "hr.valgte@example.dk"}}},
		{scenario: scenario{name: "a colleague", req: add(" Kim@Example.dk ", "peer"), wantStatus: 303, wantHeader: map[string]string{"Location": "/nominations?added=1"}}},
		{scenario: scenario{name: "oneself", req: add("ADA@example.dk", "peer"), wantStatus: 400,
			want: []string{"du kan ikke bedømme dig selv", `value="ADA@example.dk"`, `role="alert"`}}},
		{scenario: scenario{name: "the same person twice", req: add("kim@example.dk", "manager"), wantStatus: 409, want: []string{"kim@example.dk bedømmer dig allerede"}}},
		{scenario: scenario{name: "a bad address", req: add("kim(at)example.dk", "peer"), wantStatus: 400, want: []string{"ikke en gyldig e-mailadresse"}}},
		{scenario: scenario{name: "no relation", req: add("ny@example.dk", ""), wantStatus: 400, want: []string{"vælg, om personen er din leder"}}},
		{scenario: scenario{name: "self is no relation to nominate", req: add("ny@example.dk", "self"), wantStatus: 400}},
		{scenario: scenario{name: "a relation the round leaves to the administrator", req: add("ny@example.dk", "employee"), wantStatus: 409, want: []string{"runden lader ikke lederne"}}},
		{scenario: scenario{name: "a second manager where the round allows one", req: add("chef@example.dk", "manager"), wantStatus: 409, want: []string{"du har allerede en leder som bedømmer"}}},
		{scenario: scenario{name: "another colleague", req: add("leder3@example.dk", "peer"), wantStatus: 303}},
		{scenario: scenario{name: "the limit reached", req: add("tredje@example.dk", "peer"), wantStatus: 409, want: []string{"så mange med denne relation, som runden tillader (2)"}}},
		{scenario: scenario{name: "the list: whom, never whether they answered", req: get, wantStatus: 200,
			want:    []string{"kim@example.dk", "leder3@example.dk", "Linket er ikke sendt endnu", "Fjern"},
			notWant: []string{"hr.valgte@example.dk", "Kollega (du kan"},
			after: func(t *testing.T, w *httptest.ResponseRecorder) {
				list, err := e.db.FindNominations(ctx, e.open.ID, e.person.ID)
				must(t, err)
				kim = list[0].InvitationID
				if !strings.Contains(w.Body.String(), fmt.Sprintf(`action="/nominations/%d/remove"`, kim)) {
					t.Error("no remove button for kim")
				}
			}}},
		{scenario: scenario{name: "in English", req: request{path: "/nominations", cookies: []*http.Cookie{ada, en}}, wantStatus: 200,
			want: []string{"Ask others for feedback", "Those you asked for feedback", "Colleague", "The link has not been sent yet"}}},
		{scenario: scenario{name: "a rater's session nominates nobody", req: request{method: "POST", path: "/nominations", form: url.Values{"email": {"x@example.dk"}, "relation": {"peer"}}, cookies: []*http.Cookie{rater}}, wantStatus: 403}},
		{scenario: scenario{name: "a rater's session sees no nominations", req: request{path: "/nominations", cookies: []*http.Cookie{rater}}, wantStatus: 403}},
		{scenario: scenario{name: "another's nomination is not found", req: request{method: "POST", path: "/nominations/999999/remove", cookies: []*http.Cookie{ada}}, wantStatus: 404}},
		{scenario: scenario{name: "removing before the link went out", wantStatus: 303, wantHeader: map[string]string{"Location": "/nominations?removed=1"}}},
		{before: func() {
			_, err := e.db.IssueRaterLinks(ctx, e.open.ID, nil)
			must(t, err)
		}, scenario: scenario{name: "once the link went out, it stays", req: get, wantStatus: 200,
			want: []string{"leder3@example.dk", "Linket er sendt"}, notWant: []string{"kim@example.dk", "/remove"}}},
		{scenario: scenario{name: "the leader's data lists whom they asked", req: request{path: "/my-data", cookies: []*http.Cookie{ada}}, wantStatus: 200,
			want: []string{`"nominations": [`, `"email": "leder3@example.dk",`, `"relation": "peer",`, `"link_sent": true`}, notWant: []string{"kim@example.dk"}}},
		{before: func() { must(t, e.db.CloseRound(ctx, e.open.ID, 5)) },
			scenario: scenario{name: "a closed round takes no nominations", req: add("sen@example.dk", "peer"), wantStatus: 409, want: []string{"runden"}}},
		{scenario: scenario{name: "a closed round still lists them", req: get, wantStatus: 200,
			want: []string{"Runden er lukket", "leder3@example.dk"}, notWant: []string{`action="/nominations"`}}},
	}
	for _, st := range steps {
		if st.before != nil {
			st.before()
		}
		if st.name == "removing before the link went out" {
			st.req = request{method: "POST", path: fmt.Sprintf("/nominations/%d/remove", kim), cookies: []*http.Cookie{ada}}
		}
		t.Run(st.name, func(t *testing.T) {
			w := e.do(st.req)
			st.check(t, w)
			assertSecurityHeaders(t, w.Header())
		})
	}
	t.Run("the audit log says who nominated, never whom", func(t *testing.T) {
		entries, err := e.db.FindAudit(ctx, 100)
		must(t, err)
		var adds, removes int
		for _, a := range entries {
			switch a.Action {
			case "nomination.add":
				adds++
				if a.Actor != fmt.Sprintf("leader:%d", e.person.ID) || strings.Contains(a.Detail, "@") {
					t.Errorf("entry = %+v", a)
				}
			case "nomination.remove":
				removes++
			}
		}
		if adds != 2 || removes != 1 {
			t.Errorf("adds %d, removes %d; want 2 and 1", adds, removes)
		}
	})
}
