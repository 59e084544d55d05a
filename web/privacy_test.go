package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"lederradar/internal/auth"
	"lederradar/survey"
	"lederradar/web"
)

// myDataFile is the part of the /my-data download the tests read.
type myDataFile struct {
	Format string
	Person struct {
		ID         int64
		Name       string
		Email      string
		Department *string
	}
	Memberships struct {
		Department *struct{ Name string }
		Teams      []struct{ Name string }
	}
	MembershipsAtClose []struct {
		RoundName  string `json:"round_name"`
		Department *struct{ Name string }
		Teams      []struct{ Name string }
	} `json:"memberships_at_close"`
	Rounds []struct {
		Name      string
		Status    string
		InvitedAt *string `json:"invited_at"`
		Responses []struct {
			Relation    string
			SubmittedAt *string `json:"submitted_at"`
			Answers     []struct {
				ItemID string `json:"item_id"`
				Text   string `json:"text_da"`
				Value  int
				Label  string `json:"label_da"`
			}
			Scores []struct {
				CompetenceID string   `json:"competence_id"`
				Score        *float64 `json:"score"`
			}
		}
	}
	DevelopmentPlans     []any  `json:"development_plans"`
	DevelopmentPlansNote string `json:"development_plans_note"`
}

func TestMyData(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	ada := e.closedSession() // Ada's session in the round she answered

	t.Run("the leader gets everything about herself", func(t *testing.T) {
		w := e.do(request{path: "/my-data", cookies: []*http.Cookie{ada}})
		if w.Code != http.StatusOK {
			t.Fatalf("status %d: %s", w.Code, w.Body.String())
		}
		h := w.Header()
		if cd := h.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".json") {
			t.Errorf("Content-Disposition = %q", cd)
		}
		if got := h.Get("Cache-Control"); got != "no-store" {
			t.Errorf("Cache-Control = %q", got)
		}
		if ct := h.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("Content-Type = %q", ct)
		}
		assertSecurityHeaders(t, h)
		var f myDataFile
		if err := json.Unmarshal(w.Body.Bytes(), &f); err != nil {
			t.Fatalf("not JSON: %v", err)
		}
		if f.Person.Name != "Ada Jensen" || f.Person.Email != "ada@example.dk" || f.Person.Department == nil || *f.Person.Department != "Teknik og Miljø" {
			t.Errorf("person = %+v", f.Person)
		}
		if f.Memberships.Department == nil || f.Memberships.Teams == nil {
			t.Errorf("memberships = %+v", f.Memberships)
		}
		kept := false
		for _, k := range f.MembershipsAtClose {
			if k.RoundName == "Forår 2026" && k.Department != nil && k.Department.Name == "Teknik og Miljø" && k.Teams != nil {
				kept = true
			}
		}
		if !kept {
			t.Errorf("memberships at close = %+v, want the closed round Forår 2026 with her department", f.MembershipsAtClose)
		}
		if len(f.Rounds) != 2 || f.Rounds[0].Name != "Forår 2026" || f.Rounds[1].Name != "Efterår 2026" {
			t.Fatalf("rounds = %+v", f.Rounds)
		}
		answered := f.Rounds[0]
		if answered.InvitedAt == nil || len(answered.Responses) != 1 {
			t.Fatalf("the answered round = %+v", answered)
		}
		resp := answered.Responses[0]
		if resp.Relation != "self" || resp.SubmittedAt == nil || len(resp.Answers) != 44 || len(resp.Scores) != 11 {
			t.Errorf("response: relation %q, submitted %v, %d answers, %d scores", resp.Relation, resp.SubmittedAt, len(resp.Answers), len(resp.Scores))
		}
		if a := resp.Answers[0]; a.ItemID != "trust.1" || a.Value != 3 || !strings.HasPrefix(a.Text, "Jeg ") || a.Label != "I nogen grad" {
			t.Errorf("first answer = %+v", a)
		}
		if s := resp.Scores[0]; s.CompetenceID != "trust" || s.Score == nil || *s.Score != 3 {
			t.Errorf("first score = %+v", s)
		}
		if len(f.Rounds[1].Responses) != 0 {
			t.Errorf("the open round has responses %+v", f.Rounds[1].Responses)
		}
		if f.DevelopmentPlans == nil || len(f.DevelopmentPlans) != 0 || f.DevelopmentPlansNote == "" {
			t.Errorf("development plans = %v, %q", f.DevelopmentPlans, f.DevelopmentPlansNote)
		}
		es, err := e.db.FindAudit(t.Context(), 1)
		must(t, err)
		if len(es) != 1 || es[0].Actor != fmt.Sprintf("leader:%d", e.person.ID) || es[0].Action != "mydata.download" {
			t.Errorf("audit = %+v", es)
		}
	})

	t.Run("another leader gets only their own", func(t *testing.T) {
		other := e.people[3]
		token, hash := auth.NewToken()
		inv := survey.Invitation{RoundID: e.open.ID, PersonID: other.ID, Relation: survey.Self}
		must(t, e.db.CreateInvitation(t.Context(), &inv, other.ID, hash))
		w := e.do(request{path: "/my-data", cookies: []*http.Cookie{e.login(token)}})
		if w.Code != http.StatusOK {
			t.Fatalf("status %d", w.Code)
		}
		body := w.Body.String()
		if strings.Contains(body, "Ada") || strings.Contains(body, "ada@example.dk") {
			t.Error("another leader's download holds Ada's data")
		}
		var f myDataFile
		must(t, json.Unmarshal(w.Body.Bytes(), &f))
		if f.Person.ID != other.ID || f.Person.Email != other.Email || len(f.Rounds) != 2 {
			t.Errorf("person %+v, %d rounds", f.Person, len(f.Rounds))
		}
		if len(f.Memberships.Teams) != 1 || f.Memberships.Teams[0].Name != e.team.Name {
			t.Errorf("teams = %+v", f.Memberships.Teams)
		}
	})

	t.Run("nobody else gets it", func(t *testing.T) {
		for name, cookies := range map[string][]*http.Cookie{"anonymous": nil, "hr": {e.hr}, "admin": {e.admin}} {
			w := e.do(request{path: "/my-data", cookies: cookies})
			if w.Code != http.StatusUnauthorized || strings.Contains(w.Body.String(), "ada@example.dk") {
				t.Errorf("%s: status %d, want 401", name, w.Code)
			}
		}
	})

	t.Run("linked from the result and review pages", func(t *testing.T) {
		for _, path := range []string{"/result", "/review"} {
			body := e.do(request{path: path, cookies: []*http.Cookie{ada}}).Body.String()
			if !strings.Contains(body, `href="/my-data"`) || !strings.Contains(body, "Hent alle dine data (JSON)") {
				t.Errorf("%s has no link to /my-data", path)
			}
		}
	})
}

// profileN returns the respondents of a group in a closed round's profiles,
// through the API, and its first competence mean.
func (e *staffEnv) profileN(t *testing.T, key string) (int, float64) {
	t.Helper()
	w := e.do(request{path: fmt.Sprintf("/api/v1/rounds/%d/profiles", e.closed.ID), header: map[string]string{"Authorization": "Bearer " + e.hrToken}})
	if w.Code != http.StatusOK {
		t.Fatalf("profiles: %d %s", w.Code, w.Body.String())
	}
	var out struct {
		Groups []struct {
			ID          string
			N           int
			Competences []struct{ Mean *float64 }
		}
	}
	must(t, json.Unmarshal(w.Body.Bytes(), &out))
	for _, g := range out.Groups {
		if g.ID == key {
			mean := -1.0
			if m := g.Competences[0].Mean; m != nil {
				mean = *m
			}
			return g.N, mean
		}
	}
	t.Fatalf("no group %s", key)
	return 0, 0
}

func TestErasePerson(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	victim := e.people[0]
	path := fmt.Sprintf("/admin/people/%d/erase", victim.ID)

	// The victim has a link to the open round and a browser signed in.
	token, hash := auth.NewToken()
	inv := survey.Invitation{RoundID: e.open.ID, PersonID: victim.ID, Relation: survey.Self}
	must(t, e.db.CreateInvitation(t.Context(), &inv, victim.ID, hash))
	session := e.login(token)
	if w := e.do(request{path: "/survey/1", cookies: []*http.Cookie{session}}); w.Code != http.StatusOK {
		t.Fatalf("the victim's session before: %d", w.Code)
	}
	nBefore, meanBefore := e.profileN(t, "organisation") // and the report is cached now
	if nBefore != 12 {
		t.Fatalf("organisation n before = %d, want 12", nBefore)
	}
	stillThere := func(t *testing.T) {
		t.Helper()
		if _, err := e.db.FindPersonByID(t.Context(), victim.ID); err != nil {
			t.Fatalf("the person is gone: %v", err)
		}
	}

	t.Run("the person page offers erasure", func(t *testing.T) {
		body := e.do(request{path: fmt.Sprintf("/admin/people/%d", victim.ID), cookies: []*http.Cookie{e.admin}}).Body.String()
		if !strings.Contains(body, "Slet person (GDPR)") || !strings.Contains(body, `action="`+path+`"`) {
			t.Error("no erasure form on the person page")
		}
	})
	t.Run("the confirmation page", func(t *testing.T) {
		w := e.do(request{path: path, cookies: []*http.Cookie{e.admin}})
		body := w.Body.String()
		if w.Code != http.StatusOK || !strings.Contains(body, `name="confirm_email"`) || !strings.Contains(body, `name="confirm"`) || !strings.Contains(body, victim.Email) {
			t.Errorf("confirmation page: %d", w.Code)
		}
		stillThere(t)
	})
	t.Run("only administrators", func(t *testing.T) {
		form := url.Values{"confirm_email": {victim.Email}, "confirm": {"yes"}}
		for name, cookies := range map[string][]*http.Cookie{"anonymous": nil, "leader": {session}, "hr": {e.hr}} {
			for _, method := range []string{"GET", "POST"} {
				w := e.do(request{method: method, path: path, form: form, cookies: cookies})
				if w.Code == http.StatusOK || (w.Code == http.StatusSeeOther && !strings.HasPrefix(w.Header().Get("Location"), "/login")) {
					t.Errorf("%s %s got through: %d", name, method, w.Code)
				}
				if name == "hr" && w.Code != http.StatusForbidden {
					t.Errorf("hr %s: %d, want 403", method, w.Code)
				}
			}
		}
		stillThere(t)
	})
	t.Run("without confirmation nothing changes", func(t *testing.T) {
		for name, form := range map[string]url.Values{
			"nothing":      {},
			"tick only":    {"confirm": {"yes"}},
			"e-mail only":  {"confirm_email": {victim.Email}},
			"wrong e-mail": {"confirm_email": {e.people[1].Email}, "confirm": {"yes"}},
		} {
			w := e.do(request{method: "POST", path: path, form: form, cookies: []*http.Cookie{e.admin}})
			if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "Personen blev ikke slettet") {
				t.Errorf("%s: %d, want 400 with the reason", name, w.Code)
			}
			stillThere(t)
		}
		if n, _ := e.profileN(t, "organisation"); n != 12 {
			t.Errorf("organisation n = %d after refused erasures", n)
		}
	})
	t.Run("unknown person", func(t *testing.T) {
		w := e.do(request{method: "POST", path: "/admin/people/99999/erase", form: url.Values{"confirm_email": {"x@example.dk"}, "confirm": {"yes"}}, cookies: []*http.Cookie{e.admin}})
		if w.Code != http.StatusNotFound {
			t.Errorf("= %d, want 404", w.Code)
		}
	})

	t.Run("confirmed, the person goes", func(t *testing.T) {
		form := url.Values{"confirm_email": {" " + strings.ToUpper(victim.Email) + " "}, "confirm": {"yes"}}
		w := e.do(request{method: "POST", path: path, form: form, cookies: []*http.Cookie{e.admin}})
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/admin/people?erased=1" {
			t.Fatalf("= %d %s: %s", w.Code, w.Header().Get("Location"), w.Body.String())
		}
		if body := e.do(request{path: "/admin/people?erased=1", cookies: []*http.Cookie{e.admin}}).Body.String(); strings.Contains(body, victim.Email) || !strings.Contains(body, "Personen er slettet") {
			t.Error("the people list still shows the person, or says nothing")
		}
		_, err := e.db.FindPersonByID(t.Context(), victim.ID)
		if survey.ErrorCode(err) != survey.ENOTFOUND {
			t.Errorf("FindPersonByID after erasure: %v", err)
		}
		if w := e.do(request{path: "/i/" + token}); w.Code != http.StatusNotFound {
			t.Errorf("the person's link: %d, want 404", w.Code)
		}
		if w := e.do(request{path: "/survey/1", cookies: []*http.Cookie{session}}); w.Code != http.StatusUnauthorized {
			t.Errorf("the person's session: %d, want 401", w.Code)
		}
		if w := e.do(request{path: "/my-data", cookies: []*http.Cookie{session}}); w.Code != http.StatusUnauthorized {
			t.Errorf("the person's data download: %d, want 401", w.Code)
		}
		// The closed round's report is final: its anonymous aggregates
		// stay as published (GDPR recital 26), so no before and after
		// exists to subtract one person's scores from.
		nAfter, meanAfter := e.profileN(t, "organisation")
		if nAfter != nBefore || meanAfter != meanBefore {
			t.Errorf("organisation n, mean after = %d, %v, want %d, %v as before the erasure", nAfter, meanAfter, nBefore, meanBefore)
		}
		var left int
		if pd, err := e.db.FindReportInputs(t.Context(), e.closed.ID, false); err != nil {
			t.Fatal(err)
		} else {
			for _, ms := range pd.Members {
				for _, id := range ms {
					if id == victim.ID {
						left++
					}
				}
			}
		}
		if left > 0 {
			t.Errorf("the closed round still keeps %d memberships of the person", left)
		}
		es, err := e.db.FindAudit(t.Context(), 0)
		must(t, err)
		var found bool
		for _, a := range es {
			if a.Action == "person.erase" {
				found = true
				if a.Target != fmt.Sprintf("person:%d", victim.ID) || !strings.HasPrefix(a.Actor, "user:") {
					t.Errorf("erasure entry = %+v", a)
				}
			}
			if all := a.Actor + a.Target + a.Detail; strings.Contains(all, victim.Email) || strings.Contains(all, victim.Name) {
				t.Errorf("audit entry holds erased data: %+v", a)
			}
		}
		if !found {
			t.Error("no person.erase entry in the audit log")
		}
	})
}

func TestAuditLogPages(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	must(t, e.db.AddAudit(t.Context(), survey.AuditEntry{Actor: "cli", Action: "test.hostile", Target: "round:1", Detail: `=HYPERLINK("http://evil");<script>x</script>`}))
	leader := e.login(e.token)

	for _, path := range []string{"/admin/audit", "/admin/audit.csv"} {
		for name, cookies := range map[string][]*http.Cookie{"anonymous": nil, "leader": {leader}, "hr": {e.hr}} {
			w := e.do(request{path: path, cookies: cookies})
			if w.Code == http.StatusOK || (w.Code == http.StatusSeeOther && !strings.HasPrefix(w.Header().Get("Location"), "/login")) {
				t.Errorf("%s on %s got through: %d", name, path, w.Code)
			}
			if name == "hr" && w.Code != http.StatusForbidden {
				t.Errorf("hr on %s: %d, want 403", path, w.Code)
			}
		}
	}

	t.Run("page", func(t *testing.T) {
		w := e.do(request{path: "/admin/audit", cookies: []*http.Cookie{e.admin}})
		body := w.Body.String()
		if w.Code != http.StatusOK {
			t.Fatalf("= %d", w.Code)
		}
		// In words (issue 14): no codes but the one the catalogues do not know.
		for _, want := range []string{"Handlingslog", "Tid (UTC)", "Dansk tid", " kl. ", " UTC<", ">Loggede ind<", "admin@example.dk", ">Så handlingsloggen<",
			">Kommandolinjen<", ">Runden »Forår 2026«<", "test.hostile", "&lt;script&gt;", `href="/admin/audit.csv"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the audit page lacks %q", want)
			}
		}
		for _, not := range []string{">login<", "audit.view", ">user:", ">cli<", "round:1"} {
			if strings.Contains(body, not) {
				t.Errorf("the audit page shows the code %q", not)
			}
		}
		if strings.Contains(body, "<script>x") {
			t.Error("a detail rendered as markup")
		}
		en := e.do(request{path: "/admin/audit", cookies: []*http.Cookie{e.admin, {Name: "lang", Value: "en"}}}).Body.String()
		if !strings.Contains(en, "Audit log") || !strings.Contains(en, "Danish time") {
			t.Error("no English audit page")
		}
	})
	t.Run("linked from the admin navigation and home", func(t *testing.T) {
		body := e.do(request{path: "/admin", cookies: []*http.Cookie{e.admin}}).Body.String()
		if strings.Count(body, `href="/admin/audit"`) < 2 {
			t.Error("the admin home does not link the audit log in the navigation and on the page")
		}
	})
	t.Run("CSV", func(t *testing.T) {
		w := e.do(request{path: "/admin/audit.csv", cookies: []*http.Cookie{e.admin}})
		body := w.Body.String()
		// Headers in the reader's language; codes and words side by side.
		if w.Code != http.StatusOK || !strings.HasPrefix(body, "\ufeffNr.;Tid (UTC);Dansk tid;Hvem (kode);Hvem;Handling (kode);Handling;Hvad (kode);Hvad;Detaljer (som logget);Detaljer\n") {
			t.Fatalf("= %d:\n%.200s", w.Code, body)
		}
		en := e.do(request{path: "/admin/audit.csv", cookies: []*http.Cookie{e.admin, {Name: "lang", Value: "en"}}}).Body.String()
		if !strings.HasPrefix(en, "\ufeffNo.;Time (UTC);Danish time;Who (code);Who;Action (code);Action;What (code);What;Details (as logged);Details\n") || !strings.Contains(en, ";login;Logged in;") {
			t.Errorf("English CSV:\n%.300s", en)
		}
		if !strings.HasPrefix(w.Header().Get("Content-Disposition"), "attachment;") {
			t.Errorf("Content-Disposition = %q", w.Header().Get("Content-Disposition"))
		}
		if !strings.Contains(body, `"'=HYPERLINK(""http://evil"");<script>x</script>"`) {
			t.Errorf("the formula was not neutralised:\n%s", body)
		}
		for _, want := range []string{";audit.export;Hentede handlingsloggen (CSV);", ";audit.view;Så handlingsloggen;", ";login;Loggede ind;", ";test.hostile;test.hostile;", ";cli;Kommandolinjen;"} {
			if !strings.Contains(body, want) {
				t.Errorf("the CSV lacks %q", want)
			}
		}
	})
	t.Run("every administrative change is logged", func(t *testing.T) {
		admin := []*http.Cookie{e.admin}
		e.do(request{method: "POST", path: "/admin/groups", form: url.Values{"kind": {"team"}, "name": {"Nyt team"}}, cookies: admin})
		e.do(request{method: "POST", path: "/admin/rounds", form: url.Values{"name": {"Ny runde"}}, cookies: admin})
		e.do(request{method: "POST", path: fmt.Sprintf("/admin/people/%d", e.people[2].ID), form: url.Values{"name": {"Nyt Navn"}, "email": {e.people[2].Email}}, cookies: admin})
		e.do(request{method: "POST", path: fmt.Sprintf("/admin/rounds/%d/open", e.open.ID), cookies: admin})
		es, err := e.db.FindAudit(t.Context(), 0)
		must(t, err)
		have := map[string]bool{}
		for _, a := range es {
			have[a.Action] = true
		}
		for _, want := range []string{"group.create", "round.create", "person.save", "login"} {
			if !have[want] {
				t.Errorf("no %s entry in %v", want, have)
			}
		}
	})
}

func TestPrivacyPage(t *testing.T) {
	t.Parallel()
	configured := func(c *web.Config) {
		c.Privacy = web.PrivacyConfig{OrgName: "Demo Kommune", Contact: "privacy@demo.kommune.dk", Retention: survey.Retention{Months: 36}}
	}
	e := newEnv(t, configured)
	en := &http.Cookie{Name: "lang", Value: "en"}
	tests := []struct {
		name    string
		env     *env
		cookies []*http.Cookie
		want    []string
	}{
		{"Danish", e, nil, []string{`<html lang="da">`, "Privatlivspolitik", "Demo Kommune er dataansvarlig", "36 måneder efter", "ingen IP-adresser",
			"legitime interesse", "typisk", "mindst 5 besvarelser", "Hent alle dine data (JSON)", `href="mailto:privacy@demo.kommune.dk"`, "Datatilsynet",
			"også fra selve databasefilen", "lukket, bliver stående", "betragtning 26"}},
		{"English", e, []*http.Cookie{en}, []string{`<html lang="en">`, "Privacy notice", "Demo Kommune is the data controller", "36 months after", "No IP addresses",
			"legitimate interest", "typically", "at least 5 responses", "Download all your data (JSON)", "privacy@demo.kommune.dk",
			"from the database file itself", "already closed stay", "recital 26"}},
		{"not configured", newEnv(t), nil, []string{"Din arbejdsgiver er dataansvarlig", "Der er ikke sat automatisk sletning op", "ikke oplyst en kontakt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := tt.env.do(request{path: "/privacy", cookies: tt.cookies})
			if w.Code != http.StatusOK {
				t.Fatalf("= %d", w.Code)
			}
			body := w.Body.String()
			for _, want := range tt.want {
				if !strings.Contains(body, want) {
					t.Errorf("the page lacks %q", want)
				}
			}
			assertSecurityHeaders(t, w.Header())
		})
	}
	t.Run("a contact that is not an e-mail address is text", func(t *testing.T) {
		e := newEnv(t, func(c *web.Config) { c.Privacy.Contact = `Ring 70 10 20 30 <b>` })
		body := e.do(request{path: "/privacy"}).Body.String()
		if !strings.Contains(body, "Ring 70 10 20 30 &lt;b&gt;") || strings.Contains(body, "mailto:") {
			t.Error("the contact line is not shown as text")
		}
	})
	t.Run("every page links it in the footer", func(t *testing.T) {
		for _, path := range []string{"/", "/login", "/nope"} {
			if body := e.do(request{path: path}).Body.String(); !strings.Contains(body, `<a href="/privacy">`) {
				t.Errorf("%s has no link to /privacy", path)
			}
		}
	})
}

// retentionServer is a second server on e's database with a retention of
// 36 months and a clock at now.
func retentionServer(t *testing.T, e *staffEnv, now time.Time) (*web.Server, *env) {
	t.Helper()
	srv, err := web.New(web.Config{DB: e.db, Instrument: e.in, Logger: slog.New(slog.NewTextHandler(e.logs, nil)), BaseURL: "http://127.0.0.1:8080",
		Now: func() time.Time { return now }, Privacy: web.PrivacyConfig{Retention: survey.Retention{Months: 36}}, Assets: testAssets(t)})
	must(t, err)
	e2 := *e.env
	e2.t = t
	e2.server, e2.handler = srv, srv.Handler()
	return srv, &e2
}

func TestRetention(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	closed, err := e.db.FindRoundByID(t.Context(), e.closed.ID)
	must(t, err)
	if closed.ClosedAt.IsZero() {
		t.Fatal("the closed round has no closing time")
	}

	t.Run("the admin home warns 30 days ahead", func(t *testing.T) {
		_, e2 := retentionServer(t, e, closed.ClosedAt.AddDate(3, 0, -10))
		body := e2.do(request{path: "/admin", cookies: []*http.Cookie{e.admin}}).Body.String()
		want := fmt.Sprintf("Runden %s slettes automatisk den ", closed.Name)
		if !strings.Contains(body, want) || !strings.Contains(body, "(opbevaringsperiode 36 måneder)") {
			t.Errorf("the admin home lacks the notice %q", want)
		}
		_, e3 := retentionServer(t, e, closed.ClosedAt.AddDate(3, 0, -40))
		if body := e3.do(request{path: "/admin", cookies: []*http.Cookie{e.admin}}).Body.String(); strings.Contains(body, "slettes automatisk") {
			t.Error("a notice 40 days ahead")
		}
		if body := e.do(request{path: "/admin", cookies: []*http.Cookie{e.admin}}).Body.String(); strings.Contains(body, "slettes automatisk") {
			t.Error("a notice with retention off")
		}
	})

	t.Run("the runner deletes expired rounds and stops with its context", func(t *testing.T) {
		srv, e2 := retentionServer(t, e, closed.ClosedAt.AddDate(3, 0, 1))
		ada := e.login(e.token)
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() { srv.RunRetention(ctx); close(done) }()
		deadline := time.Now().Add(10 * time.Second)
		for {
			_, err := e.db.FindRoundByID(t.Context(), closed.ID)
			if survey.ErrorCode(err) == survey.ENOTFOUND {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the expired round was not deleted")
			}
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("RunRetention did not stop when its context ended")
		}
		if w := e2.do(request{path: fmt.Sprintf("/hr/rounds/%d", closed.ID), cookies: []*http.Cookie{e.hr}}); w.Code != http.StatusNotFound {
			t.Errorf("the deleted round's HR page: %d, want 404", w.Code)
		}
		if w := e2.do(request{path: "/i/" + e.oldLink}); w.Code != http.StatusNotFound {
			t.Errorf("a link to a deleted round: %d, want 404", w.Code)
		}
		// The open round is untouched.
		if w := e2.do(request{path: "/survey/1", cookies: []*http.Cookie{ada}}); w.Code != http.StatusOK {
			t.Errorf("the open round after retention: %d", w.Code)
		}
		es, err := e.db.FindAudit(t.Context(), 0)
		must(t, err)
		deleted := 0
		for _, a := range es {
			if a.Action == "retention.delete" {
				deleted++
				if a.Actor != "system" || !strings.HasPrefix(a.Target, "round:") {
					t.Errorf("entry = %+v", a)
				}
			}
		}
		if deleted != 2 { // both closed rounds of the environment
			t.Errorf("%d retention.delete entries, want 2", deleted)
		}
		if n, err := srv.ApplyRetention(t.Context()); err != nil || n != 0 {
			t.Errorf("a second pass = %d, %v", n, err)
		}
	})

	t.Run("off, the runner returns at once", func(t *testing.T) {
		done := make(chan struct{})
		go func() { e.server.RunRetention(t.Context()); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("RunRetention with retention off did not return")
		}
	})
}

// TestRequestLogHasNoPathOrQuery: the request log names the route
// pattern, never the path (a personal link is a path) or the query.
func TestRequestLogHasNoPathOrQuery(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.do(request{path: "/i/" + e.token + "?utm_source=secret-query-value"})
	e.do(request{path: "/privacy?email=leak%40example.dk"})
	e.do(request{path: "/no/such/place-xyz"})
	logs := e.logs.String()
	for _, leak := range []string{e.token, "secret-query-value", "leak@example.dk", "leak%40example.dk", "place-xyz"} {
		if strings.Contains(logs, leak) {
			t.Errorf("the log holds %q:\n%s", leak, logs)
		}
	}
	for _, want := range []string{"route=/i/:token", "route=/privacy", "route=(unmatched)"} {
		if !strings.Contains(logs, want) {
			t.Errorf("the log lacks %q:\n%s", want, logs)
		}
	}
}
