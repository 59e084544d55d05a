package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"lederradar/internal/auth"
	"lederradar/internal/ssotest"
	"lederradar/survey"
)

// TestLeaderSignsOn: Ada signs in with the organisation's provider
// instead of opening a link, sees every round she is invited to — her
// own, open and closed, and the colleague she gives feedback on in a 360
// round — and opens each as its link would. Another person's invitation
// opens nothing.
func TestLeaderSignsOn(t *testing.T) {
	t.Parallel()
	e := newSSOEnv(t)
	ctx := context.Background()
	invOf := func(token string) int64 {
		inv, err := e.db.FindInvitationByTokenHash(ctx, auth.HashToken(token))
		must(t, err)
		return inv.ID
	}
	open, closed := invOf(e.token), invOf(e.oldLink)
	bo := survey.Person{Email: "bo@example.dk", Name: "Bo Berg", DepartmentID: e.person.DepartmentID}
	must(t, e.db.CreatePerson(ctx, &bo))
	round := survey.Round{Name: "360 2026", Status: survey.RoundOpen, Kind: survey.ThreeSixty, InstrumentVersion: e.in.Version}
	must(t, e.db.CreateRound(ctx, &round))
	_, h := auth.NewToken()
	boSelf := survey.Invitation{RoundID: round.ID, PersonID: bo.ID, Relation: survey.Self}
	must(t, e.db.CreateInvitation(ctx, &boSelf, bo.ID, h))
	_, h = auth.NewToken()
	rates := survey.Invitation{RoundID: round.ID, PersonID: e.person.ID, Relation: survey.Peer}
	must(t, e.db.CreateInvitation(ctx, &rates, bo.ID, h))

	// A closed 360 round where she gave feedback on two: nothing to open,
	// so one line for both, naming neither.
	cy := survey.Person{Email: "cy@example.dk", Name: "Cy Holm", DepartmentID: e.person.DepartmentID}
	must(t, e.db.CreatePerson(ctx, &cy))
	old := survey.Round{Name: "360 2025", Status: survey.RoundOpen, Kind: survey.ThreeSixty, InstrumentVersion: e.in.Version}
	must(t, e.db.CreateRound(ctx, &old))
	for _, subject := range []int64{bo.ID, cy.ID} {
		_, h = auth.NewToken()
		must(t, e.db.CreateInvitation(ctx, &survey.Invitation{RoundID: old.ID, PersonID: e.person.ID, Relation: survey.Peer}, subject, h))
	}
	must(t, e.db.CloseRound(ctx, old.ID, 5))

	_, w := e.signOn("/login/sso?as=leader", e.person.Email)
	person := cookieOf(w, "lr_person")
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/my-rounds" || person == nil {
		t.Fatalf("sign-on = %d to %q with cookies %v", w.Code, w.Header().Get("Location"), w.Result().Cookies())
	}
	scenario{wantStatus: http.StatusOK, want: []string{"Ada Jensen", "Efterår 2026", "Forår 2026", "360 2026",
		"Feedback til Bo Berg (som kollega)", "Se resultat", fmt.Sprintf(`action="/my-rounds/%d"`, open),
		fmt.Sprintf(`action="/my-rounds/%d"`, rates.ID), `aria-labelledby="rounds"`, "360 2025", "Feedback til 2 ledere"},
		notWant: []string{fmt.Sprintf(`action="/my-rounds/%d"`, boSelf.ID), "Cy Holm"}}.
		check(t, e.do(request{path: "/my-rounds", cookies: []*http.Cookie{person}}))

	// openRound opens an invitation from the list and follows /survey
	// with the session it gives.
	openRound := func(t *testing.T, id int64, wantNext string) {
		t.Helper()
		w := e.do(request{method: http.MethodPost, path: fmt.Sprintf("/my-rounds/%d", id), cookies: []*http.Cookie{person}})
		session := cookieOf(w, "lr_session")
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/survey" || session == nil {
			t.Fatalf("open = %d to %q, session %v", w.Code, w.Header().Get("Location"), session)
		}
		next := e.do(request{path: "/survey", cookies: []*http.Cookie{session}})
		if next.Code != http.StatusSeeOther || next.Header().Get("Location") != wantNext {
			t.Errorf("GET /survey = %d to %q, want %s", next.Code, next.Header().Get("Location"), wantNext)
		}
		page := e.do(request{path: wantNext, cookies: []*http.Cookie{session, person}})
		if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), `href="/my-rounds"`) {
			t.Errorf("GET %s = %d, or without the way back to her rounds", wantNext, page.Code)
		}
	}
	t.Run("her open round's questionnaire", func(t *testing.T) { openRound(t, open, "/start") })
	t.Run("her closed round's result", func(t *testing.T) { openRound(t, closed, "/result") })
	t.Run("the colleague she gives feedback on", func(t *testing.T) { openRound(t, rates.ID, "/start") })
	t.Run("the opening is recorded as a link's", func(t *testing.T) {
		os, err := e.db.FindLinkOpenings(ctx, open, "", 0)
		must(t, err)
		if len(os) != 1 {
			t.Errorf("%d openings of her open round, want 1", len(os))
		}
	})
	t.Run("never another person's invitation", func(t *testing.T) {
		for _, id := range []int64{boSelf.ID, 999999} {
			w := e.do(request{method: http.MethodPost, path: fmt.Sprintf("/my-rounds/%d", id), cookies: []*http.Cookie{person}})
			if w.Code != http.StatusNotFound || cookieOf(w, "lr_session") != nil {
				t.Errorf("POST /my-rounds/%d = %d, session %v; want 404 and none", id, w.Code, cookieOf(w, "lr_session"))
			}
		}
	})
	t.Run("her link keeps working", func(t *testing.T) { e.login(e.token) })
	t.Run("without signing in, nothing", func(t *testing.T) {
		scenario{wantStatus: http.StatusUnauthorized}.check(t, e.do(request{path: "/my-rounds"}))
		w := e.do(request{method: http.MethodPost, path: fmt.Sprintf("/my-rounds/%d", open)})
		if w.Code != http.StatusUnauthorized || cookieOf(w, "lr_session") != nil {
			t.Errorf("POST without a sign-in = %d", w.Code)
		}
	})
	t.Run("signing out ends it", func(t *testing.T) {
		out := e.do(request{method: http.MethodPost, path: "/logout", cookies: []*http.Cookie{person}})
		if out.Code != http.StatusSeeOther || !strings.HasPrefix(out.Header().Get("Location"), e.op.Issuer) {
			t.Errorf("POST /logout = %d to %q, want the provider's sign-out", out.Code, out.Header().Get("Location"))
		}
		scenario{wantStatus: http.StatusUnauthorized}.check(t, e.do(request{path: "/my-rounds", cookies: []*http.Cookie{person}}))
	})
}

// TestLeaderSignsOnWithoutInvitations: someone the provider knows whom
// no round invites gets a friendly page and no session.
func TestLeaderSignsOnWithoutInvitations(t *testing.T) {
	t.Parallel()
	e := newSSOEnv(t)
	e.op.AddUser(ssotest.User{Email: "ny@example.dk"})
	must(t, e.db.CreatePerson(context.Background(), &survey.Person{Email: "ny@example.dk", Name: "Ny Leder"}))
	for _, email := range []string{"stranger@kommune.dk", "ny@example.dk"} {
		_, w := e.signOn("/login/sso?as=leader", email)
		if w.Code == http.StatusSeeOther {
			w = e.do(request{path: w.Header().Get("Location"), cookies: []*http.Cookie{cookieOf(w, "lr_person")}})
		}
		scenario{wantStatus: http.StatusOK, want: []string{"Vi fandt ingen runder"}, notWant: []string{`class="cards my-rounds"`}}.check(t, w)
	}
}

// TestSingleSignOnPagesAreDanish reads every page single sign-on adds, and
// every refusal it answers, in Danish (as TestNoEnglishOnDanishPages does
// for the rest).
func TestSingleSignOnPagesAreDanish(t *testing.T) {
	t.Parallel()
	e := newSSOEnv(t)
	check := newEnglishCheck(t)
	_, w := e.signOn("/login/sso?as=leader", e.person.Email)
	person := cookieOf(w, "lr_person")
	pages := map[string]string{
		"the log-in page":   e.do(request{path: "/login"}).Body.String(),
		"the home page":     e.do(request{path: "/"}).Body.String(),
		"a leader's rounds": e.do(request{path: "/my-rounds", cookies: []*http.Cookie{person}}).Body.String(),
		"no rounds":         e.do(request{path: "/my-rounds"}).Body.String(),
		"a replayed state":  e.do(request{path: "/login/sso/callback?state=x&code=y"}).Body.String(),
	}
	for _, email := range []string{"stranger@kommune.dk", "gone@kommune.dk"} {
		_, w := e.signOn("/login/sso", email)
		pages["refused "+email] = w.Body.String()
	}
	_, w = e.signOn("/login/sso?as=leader", "stranger@kommune.dk")
	pages["a leader without rounds"] = w.Body.String()
	e.op.IssueExpired()
	_, w = e.signOn("/login/sso", "hanne@kommune.dk")
	pages["an expired token"] = w.Body.String()
	for name, body := range pages {
		check.page(t, name, body)
	}
}
