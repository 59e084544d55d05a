package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/survey"
	"lederradar/web"
)

const staffPassword = "et langt kodeord til test"

// staffEnv is env plus an organisation big enough for profiles: 12 people
// in two departments (7 and 5) and a team of 6, all invited and answered
// in the closed round, plus HR and admin accounts and an API token.
type staffEnv struct {
	*env
	hr, admin    *http.Cookie
	hrToken      string
	adminToken   string
	deptA, deptB survey.Group
	team         survey.Group
	people       []survey.Person
}

func newStaffEnv(t *testing.T, opts ...func(*web.Config)) *staffEnv {
	t.Helper()
	e := &staffEnv{env: newEnv(t, opts...)}
	ctx := context.Background()
	e.deptA = survey.Group{Kind: survey.Department, Name: "Børn og Unge"}
	e.deptB = survey.Group{Kind: survey.Department, Name: "Social og Sundhed"}
	e.team = survey.Group{Kind: survey.Team, Name: "Tidlig indsats"}
	for _, g := range []*survey.Group{&e.deptA, &e.deptB, &e.team} {
		must(t, e.db.CreateGroup(ctx, g))
	}
	round := survey.Round{Name: "Forår 2025", Status: survey.RoundOpen, InstrumentVersion: e.in.Version}
	must(t, e.db.CreateRound(ctx, &round))
	for i := range 12 {
		dept := e.deptA.ID
		if i >= 7 {
			dept = e.deptB.ID
		}
		p := survey.Person{Email: fmt.Sprintf("leder%d@example.dk", i), Name: fmt.Sprintf("Leder %d", i), DepartmentID: dept}
		must(t, e.db.CreatePerson(ctx, &p))
		if i < 6 {
			must(t, e.db.AddTeamMember(ctx, e.team.ID, p.ID))
		}
		e.people = append(e.people, p)
		_, hash := auth.NewToken()
		inv := survey.Invitation{RoundID: round.ID, PersonID: p.ID, SubjectID: p.ID, Relation: survey.Self}
		must(t, e.db.CreateInvitation(ctx, &inv, p.ID, hash))
		answers := survey.Answers{}
		for _, c := range e.in.Competences {
			for j, it := range c.Items {
				answers[it.ID] = survey.Answer(1 + (i+j)%5)
			}
		}
		_, err := e.db.SaveAnswers(ctx, data.AnswerSave{RoundID: round.ID, SubjectID: p.ID, RaterID: p.ID, Relation: survey.Self, FormKey: fmt.Sprintf("k%d", i), Answers: answers})
		must(t, err)
		_, err = e.db.SubmitResponse(ctx, round.ID, p.ID, p.ID, survey.Self, fmt.Sprintf("s%d", i))
		must(t, err)
	}
	must(t, e.db.SetRoundStatus(ctx, round.ID, survey.RoundClosed))
	e.closed = round

	for _, role := range []survey.Role{survey.RoleHR, survey.RoleAdmin} {
		hash := cheapHash(staffPassword)
		must(t, e.db.CreateUser(ctx, &survey.User{Email: string(role) + "@example.dk", Role: role}, hash))
		token, th := auth.NewToken()
		must(t, e.db.CreateAPIToken(ctx, &survey.APIToken{Role: role, Name: "test"}, th))
		if role == survey.RoleHR {
			e.hrToken = token
		} else {
			e.adminToken = token
		}
	}
	e.hr = e.staffLogin(t, "hr@example.dk")
	e.admin = e.staffLogin(t, "admin@example.dk")
	return e
}

func (e *staffEnv) staffLogin(t *testing.T, email string) *http.Cookie {
	t.Helper()
	w := e.do(request{method: "POST", path: "/login", form: url.Values{"email": {email}, "password": {staffPassword}}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("log-in as %s = %d:\n%s", email, w.Code, w.Body.String())
	}
	for _, c := range w.Result().Cookies() {
		if c.Name == "lr_user" {
			return c
		}
	}
	t.Fatal("no user session cookie")
	return nil
}

// TestAccessMatrix: every staff route against every kind of visitor.
// Anything not explicitly allowed is refused.
func TestAccessMatrix(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	leader := e.login(e.token)
	r := fmt.Sprint(e.closed.ID)
	who := map[string][]*http.Cookie{"anonymous": nil, "leader": {leader}, "hr": {e.hr}, "admin": {e.admin}}
	routes := []struct {
		method, path string
		form         url.Values
		allowed      string // the one role let through
	}{
		{"GET", "/hr", nil, "hr"},
		{"GET", "/hr/rounds/" + r, nil, "hr"},
		{"GET", "/hr/rounds/" + r + "/groups/organisation", nil, "hr"},
		{"GET", "/hr/rounds/" + r + "/heatmap", nil, "hr"},
		{"GET", "/hr/rounds/" + r + "/profiles.csv", nil, "hr"},
		{"GET", "/hr/rounds/" + r + "/profiles.xlsx", nil, "hr"},
		{"GET", "/hr/rounds/" + r + "/items.csv", nil, "hr"},
		{"GET", "/admin", nil, "admin"},
		{"GET", "/admin/people", nil, "admin"},
		{"GET", "/admin/people/new", nil, "admin"},
		{"GET", "/admin/import", nil, "admin"},
		{"GET", "/admin/rounds", nil, "admin"},
		{"GET", "/admin/rounds/" + r, nil, "admin"},
		{"POST", "/admin/groups", url.Values{"kind": {"team"}, "name": {"Nyt team"}}, "admin"},
		{"POST", "/admin/rounds", url.Values{"name": {"Ny runde"}}, "admin"},
	}
	for _, rt := range routes {
		for name, cookies := range who {
			t.Run(name+" "+rt.method+" "+rt.path, func(t *testing.T) {
				w := e.do(request{method: rt.method, path: rt.path, form: rt.form, cookies: cookies})
				ok := w.Code == http.StatusOK || (w.Code == http.StatusSeeOther && !strings.HasPrefix(w.Header().Get("Location"), "/login"))
				if name == rt.allowed && !ok {
					t.Errorf("%s was refused: %d %s", name, w.Code, w.Header().Get("Location"))
				}
				if name != rt.allowed && ok {
					t.Errorf("%s got through: %d", name, w.Code)
				}
				if name != rt.allowed && name != "anonymous" && name != "leader" && w.Code != http.StatusForbidden {
					t.Errorf("%s: status %d, want 403", name, w.Code)
				}
				assertSecurityHeaders(t, w.Header())
			})
		}
	}
	// HR never reaches a leader's own pages with an HR session alone.
	for _, path := range []string{"/survey/1", "/review", "/result"} {
		if w := e.do(request{path: path, cookies: []*http.Cookie{e.hr}}); w.Code != http.StatusUnauthorized {
			t.Errorf("HR on %s = %d, want 401", path, w.Code)
		}
	}
}

func TestLogin(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	t.Run("wrong password", func(t *testing.T) {
		w := e.do(request{method: "POST", path: "/login", form: url.Values{"email": {"hr@example.dk"}, "password": {"forkert kodeord!!"}}})
		if w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), "E-mail eller adgangskode er forkert") {
			t.Errorf("= %d", w.Code)
		}
	})
	t.Run("unknown account answers the same", func(t *testing.T) {
		w := e.do(request{method: "POST", path: "/login", form: url.Values{"email": {"nobody@example.dk"}, "password": {"forkert kodeord!!"}}})
		if w.Code != http.StatusUnauthorized || !strings.Contains(w.Body.String(), "E-mail eller adgangskode er forkert") {
			t.Errorf("= %d", w.Code)
		}
	})
	t.Run("failures slow the account, whatever X-Forwarded-For says, and never lock it", func(t *testing.T) {
		e.sleeps.take()
		for i := range 5 {
			e.do(request{method: "POST", path: "/login", form: url.Values{"email": {"admin@example.dk"}, "password": {"forkert kodeord!!"}},
				header: map[string]string{"X-Forwarded-For": fmt.Sprintf("10.0.0.%d", i)}})
		}
		w := e.do(request{method: "POST", path: "/login", form: url.Values{"email": {"admin@example.dk"}, "password": {staffPassword}},
			header: map[string]string{"X-Forwarded-For": "10.9.9.9"}})
		if w.Code != http.StatusSeeOther {
			t.Errorf("the right password after five failures = %d, want 303", w.Code)
		}
		delays := e.sleeps.take()
		if got, want := delays[len(delays)-1], auth.LoginDelay(5, 0); got < want || got > auth.LoginDelayCap {
			t.Errorf("the right password after five failures waited %v, want %v to %v", got, want, auth.LoginDelayCap)
		}
	})
	t.Run("log-out ends the session on the server", func(t *testing.T) {
		c := e.staffLogin(t, "hr@example.dk")
		if w := e.do(request{method: "POST", path: "/logout", cookies: []*http.Cookie{c}}); w.Code != http.StatusSeeOther {
			t.Fatalf("log-out = %d", w.Code)
		}
		if w := e.do(request{path: "/hr", cookies: []*http.Cookie{c}}); w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/login") {
			t.Errorf("old session after log-out = %d %s", w.Code, w.Header().Get("Location"))
		}
	})
	t.Run("idle sessions end after 30 minutes", func(t *testing.T) {
		c := e.staffLogin(t, "hr@example.dk")
		e.db.Now = func() time.Time { return time.Now().Add(31 * time.Minute) }
		defer func() { e.db.Now = time.Now }()
		if w := e.do(request{path: "/hr", cookies: []*http.Cookie{c}}); w.Code != http.StatusSeeOther {
			t.Errorf("idle session = %d, want a redirect to log in", w.Code)
		}
	})
	t.Run("next goes only to a local path", func(t *testing.T) {
		w := e.do(request{method: "POST", path: "/login", form: url.Values{"email": {"hr@example.dk"}, "password": {staffPassword}, "next": {"//evil.example/x"}}})
		if loc := w.Header().Get("Location"); loc != "/hr" {
			t.Errorf("Location = %q", loc)
		}
	})
}

// TestHRViews: what HR sees of a closed round, and that nothing suppressed
// carries a mean in any format.
func TestHRViews(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	r := fmt.Sprint(e.closed.ID)
	hr := []*http.Cookie{e.hr}
	get := func(path string) *httptest_Response {
		w := e.do(request{path: path, cookies: hr})
		return &httptest_Response{code: w.Code, body: w.Body.String(), header: w.Header()}
	}

	// Department A has 7 members, B 5, the team 6 (all in A): A\team = 1,
	// so the rule suppresses the team (the smaller) against A.
	round := get("/hr/rounds/" + r)
	for _, want := range []string{"Hele organisationen", "Børn og Unge", "Social og Sundhed", "Tidlig indsats", "kan sammen med andre viste grupper afsløre færre end 5 personers svar", "/groups/department-"} {
		if !strings.Contains(round.body, want) {
			t.Errorf("round page lacks %q", want)
		}
	}
	if strings.Contains(round.body, fmt.Sprintf("/groups/team-%d", e.team.ID)) {
		t.Error("the suppressed team is linked")
	}
	group := get(fmt.Sprintf("/hr/rounds/%s/groups/department-%d", r, e.deptA.ID))
	for _, want := range []string{"Børn og Unge", `data-chart="group-radar"`, `data-chart="distribution"`, "Fordeling af svar", "Spredning (gennemsnit ± 1 sd)", "Organisationen", "<table"} {
		if !strings.Contains(group.body, want) {
			t.Errorf("group page lacks %q", want)
		}
	}
	team := get(fmt.Sprintf("/hr/rounds/%s/groups/team-%d", r, e.team.ID))
	if strings.Contains(team.body, "data-chart") || !strings.Contains(team.body, "afsløre færre end 5 personers svar") {
		t.Error("the suppressed team's page shows a chart or lacks the reason")
	}
	heat := get("/hr/rounds/" + r + "/heatmap")
	if !strings.Contains(heat.body, `data-chart="heatmap"`) || !strings.Contains(heat.body, "<table") {
		t.Error("heatmap page lacks the chart or the table")
	}
	if open := get(fmt.Sprintf("/hr/rounds/%d/heatmap", e.open.ID)); open.code != http.StatusConflict {
		t.Errorf("heatmap of an open round = %d, want 409", open.code)
	}

	csv := get("/hr/rounds/" + r + "/profiles.csv")
	if csv.code != 200 || !strings.HasPrefix(csv.body, "\ufeff") || !strings.Contains(csv.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("profiles.csv = %d", csv.code)
	}
	for _, line := range strings.Split(csv.body, "\n") {
		if strings.Contains(line, fmt.Sprintf("team-%d", e.team.ID)) {
			f := strings.Split(line, ";")
			if f[10] != "" || f[11] != "" || !strings.Contains(line, "færre end") {
				t.Errorf("suppressed row carries a mean: %s", line)
			}
		}
	}

	x := e.do(request{path: "/hr/rounds/" + r + "/profiles.xlsx", cookies: hr})
	f, err := excelize.OpenReader(bytes.NewReader(x.Body.Bytes()))
	if err != nil {
		t.Fatalf("profiles.xlsx does not open: %v", err)
	}
	rows, err := f.GetRows("Profiler")
	if err != nil || len(rows) != 1+5*len(e.in.Competences) { // header + 5 groups × 11
		t.Fatalf("xlsx rows = %d, %v", len(rows), err)
	}
	for _, row := range rows[1:] {
		if row[1] == fmt.Sprintf("team-%d", e.team.ID) && len(row) > 10 && row[10] != "" {
			t.Errorf("suppressed xlsx row carries a mean: %v", row)
		}
	}

	items := get("/hr/rounds/" + r + "/items.csv")
	if items.code != 200 || strings.Contains(items.body, "@") || strings.Contains(items.body, "Leder ") {
		t.Errorf("item export = %d or holds names/e-mails", items.code)
	}
	if n := strings.Count(strings.TrimSpace(items.body), "\n"); n != 12 { // header + 12 respondents
		t.Errorf("item export has %d rows after the header, want 12", n)
	}
	audit, err := e.db.FindAudit(context.Background(), 50)
	must(t, err)
	found := false
	for _, a := range audit {
		if a.Action == "export.items" {
			found = true
		}
	}
	if !found {
		t.Error("the item export is not in the audit log")
	}
}

type httptest_Response struct {
	code   int
	body   string
	header http.Header
}

func TestAPI(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	r := fmt.Sprint(e.closed.ID)
	bearer := func(token string) map[string]string { return map[string]string{"Authorization": "Bearer " + token} }
	tests := []struct {
		name       string
		path       string
		header     map[string]string
		wantStatus int
	}{
		{"no token", "/api/v1/rounds", nil, 401},
		{"malformed token", "/api/v1/rounds", bearer("x"), 401},
		{"unknown token", "/api/v1/rounds", bearer(strings.Repeat("A", 43)), 401},
		{"admin token", "/api/v1/rounds", bearer(e.adminToken), 403},
		{"hr token", "/api/v1/rounds", bearer(e.hrToken), 200},
		{"profiles", "/api/v1/rounds/" + r + "/profiles", bearer(e.hrToken), 200},
		{"profiles of an open round", fmt.Sprintf("/api/v1/rounds/%d/profiles", e.open.ID), bearer(e.hrToken), 409},
		{"unknown round", "/api/v1/rounds/9999/profiles", bearer(e.hrToken), 404},
		{"session cookie is no token", "/api/v1/rounds", nil, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := e.do(request{path: tt.path, header: tt.header})
			if w.Code != tt.wantStatus {
				t.Fatalf("= %d, want %d: %s", w.Code, tt.wantStatus, w.Body.String())
			}
			if !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
				t.Errorf("Content-Type %q", w.Header().Get("Content-Type"))
			}
			if w.Code >= 400 && !strings.Contains(w.Body.String(), `"message"`) {
				t.Errorf("error without a message: %s", w.Body.String())
			}
		})
	}

	w := e.do(request{path: "/api/v1/rounds/" + r + "/profiles", header: bearer(e.hrToken)})
	var got struct {
		Groups []struct {
			ID, Kind, Name string
			N              int
			Suppressed     bool
			Competences    []map[string]any
		}
	}
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Groups) != 5 || got.Groups[0].Kind != "organisation" || got.Groups[0].N != 12 {
		t.Fatalf("groups = %+v", got.Groups)
	}
	for _, g := range got.Groups {
		for _, c := range g.Competences {
			_, hasMean := c["mean"]
			if (g.Suppressed || c["suppressed"] == true) && hasMean {
				t.Errorf("suppressed %s/%v carries a mean", g.ID, c["id"])
			}
			if !g.Suppressed && c["suppressed"] == false && !hasMean {
				t.Errorf("shown %s/%v lacks a mean", g.ID, c["id"])
			}
		}
	}
	w = e.do(request{path: "/api/v1/rounds", header: bearer(e.hrToken)})
	if !strings.Contains(w.Body.String(), `"rounds":[`) || !strings.Contains(w.Body.String(), `"status":"closed"`) {
		t.Errorf("rounds = %s", w.Body.String())
	}
}

func TestAdminImport(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	upload := func(content string) *httptest_Response {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		fw, _ := mw.CreateFormFile("file", "people.csv")
		fw.Write([]byte(content))
		mw.Close()
		w := e.do(request{method: "POST", path: "/admin/import", body: body.String(), cookies: []*http.Cookie{e.admin},
			header: map[string]string{"Content-Type": mw.FormDataContentType()}})
		return &httptest_Response{code: w.Code, body: w.Body.String()}
	}
	before, _ := e.db.FindPeople(context.Background())
	bad := upload("email;name;department;teams\nny@example.dk;Ny Person;Børn og Unge;\nikke-en-mail;Forkert;;\n")
	if bad.code != http.StatusBadRequest || !strings.Contains(bad.body, "Linje 3") || !strings.Contains(bad.body, "Ugyldig e-mailadresse") {
		t.Errorf("bad file = %d:\n%s", bad.code, bad.body)
	}
	after, _ := e.db.FindPeople(context.Background())
	if len(after) != len(before) {
		t.Error("a bad file stored people")
	}
	good := upload("email;name;department;teams\nny@example.dk;Ny Person;Børn og Unge;\"Tidlig indsats;Nyt team\"\n")
	if good.code != 200 || !strings.Contains(good.body, "Nye personer: 1.") {
		t.Errorf("good file = %d:\n%s", good.code, good.body)
	}
	p, err := e.db.FindPersonByEmail(context.Background(), "ny@example.dk")
	must(t, err)
	teams, _ := e.db.FindTeamsOfPerson(context.Background(), p.ID)
	if len(teams) != 2 {
		t.Errorf("teams = %v", teams)
	}
}

func TestAdminInvitations(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	ctx := context.Background()
	round := survey.Round{Name: "Efterår 2027", Status: survey.RoundDraft, InstrumentVersion: e.in.Version}
	must(t, e.db.CreateRound(ctx, &round))
	path := fmt.Sprintf("/admin/rounds/%d/invitations", round.ID)
	w := e.do(request{method: "POST", path: path, form: url.Values{"mode": {"missing"}}, cookies: []*http.Cookie{e.admin}})
	lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(w.Body.String(), "\ufeff")), "\r\n")
	if w.Code != 200 || lines[0] != "email;name;link" || len(lines) != 1+13 {
		t.Fatalf("links = %d, %d lines:\n%s", w.Code, len(lines), w.Body.String())
	}
	link := strings.Split(lines[1], ";")[2]
	token := link[strings.LastIndex(link, "/")+1:]
	if _, err := e.db.FindInvitationByTokenHash(ctx, auth.HashToken(token)); err != nil {
		t.Errorf("exported link unknown: %v", err)
	}
	// Only people without a link get one the second time.
	w = e.do(request{method: "POST", path: path, form: url.Values{"mode": {"missing"}}, cookies: []*http.Cookie{e.admin}})
	if w.Code != http.StatusSeeOther || !strings.HasSuffix(w.Header().Get("Location"), "?none=1") {
		t.Errorf("second export = %d %q, want a redirect saying everyone has a link", w.Code, w.Header().Get("Location"))
	}
	// Re-issuing everyone's makes the old links stop working.
	e.do(request{method: "POST", path: path, form: url.Values{"mode": {"all"}, "confirm": {"yes"}}, cookies: []*http.Cookie{e.admin}})
	if _, err := e.db.FindInvitationByTokenHash(ctx, auth.HashToken(token)); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("old link after re-issue: %v", err)
	}
	// Open, then close.
	for _, step := range []string{"open", "close"} {
		w := e.do(request{method: "POST", path: fmt.Sprintf("/admin/rounds/%d/%s", round.ID, step), form: url.Values{"confirm": {"yes"}}, cookies: []*http.Cookie{e.admin}})
		if w.Code != http.StatusSeeOther {
			t.Errorf("%s = %d", step, w.Code)
		}
	}
	got, _ := e.db.FindRoundByID(ctx, round.ID)
	if got.Status != survey.RoundClosed {
		t.Errorf("status = %s", got.Status)
	}
}
