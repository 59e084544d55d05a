package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"lederradar/internal/auth"
	"lederradar/survey"
	"lederradar/web"
)

// TestRoutes is the scenario table: one row a request, with what it must
// answer. Rows that need a session get Ada's.
func TestRoutes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	session := e.login(e.token)
	closedSession := e.closedSession()
	en := &http.Cookie{Name: "lang", Value: "en"}
	unknownToken, _ := auth.NewToken()
	formKey := func() string { k, _ := auth.NewToken(); return k }

	tests := []scenario{
		{name: "health", req: request{path: "/healthz"}, wantStatus: 200, want: []string{`"ok"`}},
		{name: "home in Danish", req: request{path: "/"}, wantStatus: 200, want: []string{`<html lang="da">`, "Velkommen til Lederradar", "At have tålmodighed"}},
		{name: "home in English", req: request{path: "/", cookies: []*http.Cookie{en}}, wantStatus: 200, want: []string{`<html lang="en">`, "Welcome to Lederradar", "Having patience"}},
		{name: "unknown page", req: request{path: "/nope"}, wantStatus: 404, want: []string{"Siden findes ikke"}},
		{name: "wrong method", req: request{method: "DELETE", path: "/"}, wantStatus: 405},
		{name: "unknown API path answers in JSON", req: request{path: "/api/v1/nope"}, wantStatus: 404, want: []string{`{"error":{"code":"not_found","message":"no such endpoint"}}`}, notWant: []string{"<html"},
			wantHeader: map[string]string{"Content-Type": "application/json; charset=utf-8"}},
		{name: "wrong method on the API answers in JSON", req: request{method: "DELETE", path: "/api/v1/instrument"}, wantStatus: 405, want: []string{`"code":"invalid"`}, notWant: []string{"<html"}},
		{name: "language switch", req: request{method: "POST", path: "/language", form: url.Values{"lang": {"en"}, "return": {"/review"}}}, wantStatus: 303, wantHeader: map[string]string{"Location": "/review"}},
		{name: "language switch refuses other sites", req: request{method: "POST", path: "/language", form: url.Values{"lang": {"en"}, "return": {"//evil.example"}}}, wantStatus: 303, wantHeader: map[string]string{"Location": "/"}},
		{name: "language switch refuses unknown language", req: request{method: "POST", path: "/language", form: url.Values{"lang": {"xx"}}}, wantStatus: 400, want: []string{"Intet blev ændret"}},
		{name: "malformed link", req: request{path: "/i/abc"}, wantStatus: 404, want: []string{"Linket virker ikke"}},
		{name: "unknown link", req: request{path: "/i/" + unknownToken}, wantStatus: 404, want: []string{"Linket virker ikke"}},
		{name: "link", req: request{path: "/i/" + e.token}, wantStatus: 303, wantHeader: map[string]string{"Location": "/survey"}},
		{name: "survey without session", req: request{path: "/survey/1"}, wantStatus: 401, want: []string{"Åbn dit personlige link igen"}},
		{name: "survey with a forged session", req: request{path: "/survey/1", cookies: []*http.Cookie{{Name: "lr_session", Value: unknownToken}}}, wantStatus: 401},
		{name: "save without session", req: request{method: "POST", path: "/survey/1", form: e.pageForm(1, "4")}, wantStatus: 401, want: []string{"blev ikke gemt"}},
		{name: "resume before the first answer goes to the start page", req: request{path: "/survey", cookies: []*http.Cookie{session}}, wantStatus: 303, wantHeader: map[string]string{"Location": "/start"}},
		{name: "start page", req: request{path: "/start", cookies: []*http.Cookie{session}}, wantStatus: 200, want: []string{"Før du begynder", "minutter", "mindst 5 besvarelser", "I meget høj grad", `href="/survey/1">Begynd`}},
		{name: "questionnaire page", req: request{path: "/survey/1", cookies: []*http.Cookie{session}}, wantStatus: 200,
			want:       []string{"Kompetence 1 af 11", "<progress", "<fieldset", "<legend>", `type="radio"`, "I meget høj grad", "Ved ikke / ikke relevant", "At være tillids- og relationsskabende", `name="formkey"`},
			wantHeader: map[string]string{"Cache-Control": "no-store"}},
		{name: "questionnaire page in English", req: request{path: "/survey/2", cookies: []*http.Cookie{session, en}}, wantStatus: 200, want: []string{"Competence 2 of 11", "Courage", "To a very great extent"}},
		{name: "page zero", req: request{path: "/survey/0", cookies: []*http.Cookie{session}}, wantStatus: 404},
		{name: "page past the end", req: request{path: "/survey/12", cookies: []*http.Cookie{session}}, wantStatus: 404},
		{name: "page not a number", req: request{path: "/survey/abc", cookies: []*http.Cookie{session}}, wantStatus: 404},
		{name: "page with leading zero", req: request{path: "/survey/01", cookies: []*http.Cookie{session}}, wantStatus: 404},
		{name: "answer off the scale", req: request{method: "POST", path: "/survey/1", cookies: []*http.Cookie{session}, form: e.pageForm(1, "7")}, wantStatus: 400, want: []string{"ikke en mulighed på skalaen", "Intet blev gemt", `role="alert"`}},
		{name: "answer not a number", req: request{method: "POST", path: "/survey/1", cookies: []*http.Cookie{session}, form: e.pageForm(1, "x")}, wantStatus: 400, want: []string{"ikke en mulighed på skalaen"}},
		{name: "item of another page", req: request{method: "POST", path: "/survey/2", cookies: []*http.Cookie{session}, form: e.pageForm(1, "4")}, wantStatus: 400, want: []string{"ukendt spørgsmål"}},
		{name: "missing form key", req: request{method: "POST", path: "/survey/1", cookies: []*http.Cookie{session}, form: url.Values{"trust.1": {"4"}}}, wantStatus: 400, want: []string{"Formularen var ufuldstændig"}},
		{name: "oversized body", req: request{method: "POST", path: "/survey/1", cookies: []*http.Cookie{session}, body: "formkey=" + strings.Repeat("a", 70<<10)}, wantStatus: 413, want: []string{"for mange data"}},
		{name: "review", req: request{path: "/review", cookies: []*http.Cookie{session}}, wantStatus: 200, want: []string{"Gennemse og indsend", "0 af 44", "Mangler svar", `href="/survey/1#q-trust.1"`, "Indsend besvarelse"}},
		{name: "result before submitting", req: request{path: "/result", cookies: []*http.Cookie{session}}, wantStatus: 200, want: []string{"ikke indsendt"}, notWant: []string{"<table"}},
		{name: "closed round: resume shows the result", req: request{path: "/survey", cookies: []*http.Cookie{closedSession}}, wantStatus: 303, wantHeader: map[string]string{"Location": "/result"}},
		{name: "closed round: saving is refused", req: request{method: "POST", path: "/survey/1", cookies: []*http.Cookie{closedSession}, form: e.pageForm(1, "5")}, wantStatus: 409, want: []string{"Runden er lukket"}},
		{name: "closed round: submitting is refused", req: request{method: "POST", path: "/review", cookies: []*http.Cookie{closedSession}, form: url.Values{"formkey": {formKey()}}}, wantStatus: 409},
		{name: "closed round: result", req: request{path: "/result", cookies: []*http.Cookie{closedSession}}, wantStatus: 200, want: []string{"Dit resultat", "Forår 2026", "3,0", `<script type="application/json" data-chart="radar">`}},
		{name: "instrument API", req: request{path: "/api/v1/instrument"}, wantStatus: 200, want: []string{`"id":"trust"`, `"label":"Tillid, relationer"`, `"id":"practice.4"`, `"id":"practice.5"`, `"version":"2026.2"`}},
		{name: "instrument API in English", req: request{path: "/api/v1/instrument?lang=en"}, wantStatus: 200, want: []string{`"label":"Trust, relationships"`, `"label":"Diversity, communication"`}},
		{name: "instrument API bad language", req: request{path: "/api/v1/instrument?lang=xx"}, wantStatus: 400, want: []string{`"message"`}},
		{name: "unknown static file", req: request{path: "/static/js/nope.js"}, wantStatus: 404},
		{name: "static file without hash", req: request{path: "/static/js/chart.js"}, wantStatus: 404},
		{name: "cross-origin post refused", req: request{method: "POST", path: "/language", form: url.Values{"lang": {"en"}}, header: map[string]string{"Sec-Fetch-Site": "cross-site"}}, wantStatus: 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := e.do(tt.req)
			tt.check(t, w)
			assertSecurityHeaders(t, w.Header())
		})
	}
	if got := e.answers(e.open.ID); len(got) != 0 {
		t.Errorf("bad requests stored answers: %v", got)
	}
}

func assertSecurityHeaders(t *testing.T, h http.Header) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("Content-Security-Policy allows unsafe script: %q", csp)
	}
	for k, v := range map[string]string{"Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"} {
		if got := h.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
}

func TestStaticAssets(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	w := e.do(request{path: "/"})
	m := regexp.MustCompile(`href="(/static/css/app\.[0-9a-f]{10}\.css)"`).FindStringSubmatch(w.Body.String())
	if m == nil {
		t.Fatalf("no content-hashed stylesheet link in:\n%s", w.Body.String())
	}
	w = e.do(request{path: m[1]})
	if w.Code != 200 || !strings.Contains(w.Header().Get("Cache-Control"), "immutable") || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/css") {
		t.Errorf("GET %s = %d, Cache-Control %q, Content-Type %q", m[1], w.Code, w.Header().Get("Cache-Control"), w.Header().Get("Content-Type"))
	}
	assertSecurityHeaders(t, w.Header())
}

func TestInvitationLink(t *testing.T) {
	t.Parallel()
	t.Run("plain http", func(t *testing.T) {
		e := newEnv(t)
		w := e.do(request{path: "/i/" + e.token})
		c := w.Result().Cookies()
		if len(c) != 1 || c[0].Name != "lr_session" || !c[0].HttpOnly || c[0].SameSite != http.SameSiteLaxMode || c[0].Secure || c[0].Path != "/" {
			t.Errorf("cookie = %+v; want lr_session, HttpOnly, SameSite=Lax, not Secure, Path=/", c)
		}
		if strings.Contains(w.Header().Get("Location"), e.token) {
			t.Error("the redirect keeps the token in the address bar")
		}
		if len(c) == 1 && strings.Contains(c[0].Value, e.token) {
			t.Error("the session cookie is the link token")
		}
	})
	t.Run("behind https", func(t *testing.T) {
		e := newEnv(t, func(c *web.Config) { c.BaseURL = "https://lederradar.example.dk" })
		w := e.do(request{path: "/i/" + e.token})
		c := w.Result().Cookies()
		if len(c) != 1 || c[0].Name != "__Host-lr_session" || !c[0].Secure || !c[0].HttpOnly {
			t.Errorf("cookie = %+v; want __Host-lr_session, Secure, HttpOnly", c)
		}
		if got := w.Header().Get("Strict-Transport-Security"); got == "" {
			t.Error("no Strict-Transport-Security behind https")
		}
		if got := e.server.Link("tok"); got != "https://lederradar.example.dk/i/tok" {
			t.Errorf("Link = %q", got)
		}
	})
	t.Run("re-issued link stops working", func(t *testing.T) {
		e := newEnv(t)
		session := e.login(e.token)
		_, hash := auth.NewToken()
		inv := survey.Invitation{RoundID: e.open.ID, PersonID: e.person.ID, SubjectID: e.person.ID, Relation: survey.Self}
		must(t, e.db.CreateInvitation(t.Context(), &inv, e.person.ID, hash))
		if w := e.do(request{path: "/i/" + e.token}); w.Code != http.StatusNotFound {
			t.Errorf("old link = %d, want 404", w.Code)
		}
		if w := e.do(request{path: "/survey/1", cookies: []*http.Cookie{session}}); w.Code != http.StatusUnauthorized {
			t.Errorf("old session = %d, want 401", w.Code)
		}
	})
	t.Run("draft round", func(t *testing.T) {
		e := newEnv(t)
		draft := survey.Round{Name: "Kladde", Status: survey.RoundDraft, InstrumentVersion: e.in.Version}
		must(t, e.db.CreateRound(t.Context(), &draft))
		token := e.invite(draft.ID)
		if w := e.do(request{path: "/i/" + token}); w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "ikke åbnet endnu") {
			t.Errorf("draft link = %d:\n%s", w.Code, w.Body.String())
		}
	})
}

// TestAnsweringFlow walks the whole questionnaire by HTTP: save, back,
// resume, review, submit twice, result.
func TestAnsweringFlow(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	session := e.login(e.token)
	post := func(n int, f url.Values) string {
		t.Helper()
		w := e.do(request{method: "POST", path: "/survey/" + itoa(n), cookies: []*http.Cookie{session}, form: f})
		if w.Code != http.StatusSeeOther {
			t.Fatalf("POST page %d = %d:\n%s", n, w.Code, w.Body.String())
		}
		return w.Header().Get("Location")
	}

	f := e.pageForm(1, "4")
	if got := post(1, f); got != "/survey/2?saved=1" {
		t.Errorf("next from page 1 → %q", got)
	}
	if got := e.answers(e.open.ID)["trust.1"]; got != 4 {
		t.Errorf("trust.1 = %d after save, want 4", got)
	}
	// The same form posted again (a double click, a resent request) changes
	// nothing, even if it carried other values.
	f.Set("trust.1", "1")
	post(1, f)
	if got := e.answers(e.open.ID)["trust.1"]; got != 4 {
		t.Errorf("trust.1 = %d after a replayed form, want 4", got)
	}
	w := e.do(request{path: "/survey/1?saved=1", cookies: []*http.Cookie{session}})
	if !strings.Contains(w.Body.String(), `value="4" checked`) || !strings.Contains(w.Body.String(), "Dine svar er gemt") {
		t.Errorf("page 1 after saving lacks the checked answer or the saved notice")
	}

	back := e.pageForm(2, "0") // "ved ikke" everywhere
	back.Set("nav", "back")
	if got := post(2, back); got != "/survey/1?saved=1" {
		t.Errorf("back from page 2 → %q", got)
	}
	if got := e.answers(e.open.ID)["courage.1"]; got != survey.DontKnow {
		t.Errorf("courage.1 = %d, want don't know (0)", got)
	}

	// Another device: a new session from the same link resumes on page 3.
	other := e.login(e.token)
	if w := e.do(request{path: "/survey", cookies: []*http.Cookie{other}}); w.Header().Get("Location") != "/survey/3" {
		t.Errorf("resume → %q, want /survey/3", w.Header().Get("Location"))
	}

	for n := 3; n <= 11; n++ {
		f := e.pageForm(n, itoa(1+n%5))
		if n == 11 {
			f.Set("nav", "review")
			if got := post(n, f); got != "/review?saved=1" {
				t.Errorf("last page → %q", got)
			}
			continue
		}
		post(n, f)
	}
	if got, want := len(e.answers(e.open.ID)), 44; got != want {
		t.Fatalf("%d answers stored, want %d", got, want)
	}
	w = e.do(request{path: "/review", cookies: []*http.Cookie{session}})
	if !strings.Contains(w.Body.String(), "44 af 44") || strings.Contains(w.Body.String(), "Mangler svar") {
		t.Errorf("review does not show everything answered:\n%s", w.Body.String())
	}

	submit := url.Values{"formkey": {"submit-key-1"}}
	for range 2 {
		w := e.do(request{method: "POST", path: "/review", cookies: []*http.Cookie{session}, form: submit})
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/result?submitted=1" {
			t.Fatalf("submit = %d → %q", w.Code, w.Header().Get("Location"))
		}
	}
	resp, err := e.db.FindResponse(t.Context(), e.open.ID, e.person.ID, e.person.ID)
	must(t, err)
	if !resp.Submitted() {
		t.Fatal("response not submitted")
	}

	w = e.do(request{path: "/result?submitted=1", cookies: []*http.Cookie{session}})
	body := w.Body.String()
	for _, want := range []string{
		"Tak! Din besvarelse er indsendt",
		"Du har besvaret 40 af 44 udsagn på skalaen", // page 2 was all "ved ikke"
		"4 svar var »Ved ikke / ikke relevant«",
		`<table class="scores">`, "Tillid, relationer", "4,0", // trust: all 4
		"Ingen score", // courage: all don't know
		"Dine stærkeste kompetencer", "Dine udviklingsområder", "Spørgsmål til refleksion",
		`<script type="application/json" data-chart="radar">`,
		`/static/vendor/echarts.min.`, `/static/js/chart.`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("result lacks %q", want)
		}
	}
	if m := regexp.MustCompile(`<script>|<script\s+>| on[a-z]+="`).FindString(body); m != "" {
		t.Errorf("result page has inline script or event handlers: %q", m)
	}

	// The chart option is valid JSON with eleven axes and the SVG-ready data.
	m := regexp.MustCompile(`(?s)<script type="application/json" data-chart="radar">(.*?)</script>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no chart data block")
	}
	var option struct {
		Radar struct {
			Indicator []struct {
				Name string
				Max  float64
			}
		}
		Aria struct{ Enabled bool }
	}
	if err := json.Unmarshal([]byte(m[1]), &option); err != nil {
		t.Fatalf("chart option is not JSON: %v\n%s", err, m[1])
	}
	if len(option.Radar.Indicator) != 11 || option.Radar.Indicator[0].Name != "Tillid,\nrelationer" || !option.Aria.Enabled {
		t.Errorf("chart option = %+v", option)
	}

	for _, secret := range []string{e.token, session.Value, other.Value} {
		if strings.Contains(e.logs.String(), secret) {
			t.Error("a token or session appears in the log")
		}
	}
}

// TestHostileNames: text from an organisation's own instrument file reaches
// the page and the chart as text, never as markup or script.
func TestHostileNames(t *testing.T) {
	t.Parallel()
	in, err := survey.DefaultInstrument()
	must(t, err)
	hostile := `</script><img src=x onerror=alert(1)>"'`
	in.Version = "hostile"
	in.Competences[0].Label.Da = hostile
	in.Competences[0].Name.Da = hostile
	e := newEnv(t)
	raw := survey.DefaultInstrumentFile()
	raw = []byte(strings.Replace(string(raw), `version = "2026.2"`, `version = "hostile"`, 1))
	raw = []byte(strings.Replace(string(raw), `da = "Tillid, relationer"`, `da = "</script><img src=x onerror=alert(1)>\"'"`, 1))
	parsed, err := survey.ParseInstrument(raw)
	must(t, err)
	must(t, e.db.EnsureInstrument(t.Context(), parsed, raw))
	round := survey.Round{Name: `<b>Runde</b>`, Status: survey.RoundOpen, InstrumentVersion: "hostile"}
	must(t, e.db.CreateRound(t.Context(), &round))
	token := e.invite(round.ID)
	session := e.login(token)
	all := url.Values{}
	for n := 1; n <= 11; n++ {
		f := e.pageForm(n, "4")
		e.do(request{method: "POST", path: "/survey/" + itoa(n), cookies: []*http.Cookie{session}, form: f})
		_ = all
	}
	e.do(request{method: "POST", path: "/review", cookies: []*http.Cookie{session}, form: url.Values{"formkey": {"k"}}})
	body := e.do(request{path: "/result", cookies: []*http.Cookie{session}}).Body.String()
	if strings.Contains(body, "<img src=x") || strings.Contains(body, "<b>Runde</b>") {
		t.Errorf("hostile text rendered as markup:\n%s", body)
	}
	if strings.Count(body, "</script>") != strings.Count(body, "<script") {
		t.Errorf("a </script> in data closed a script block early")
	}
	if !strings.Contains(body, `\u003c/script\u003e\u003cimg`) {
		t.Errorf("the chart data does not carry the hostile label escaped as JSON")
	}
}

func itoa(n int) string {
	return strconvItoa(n)
}
