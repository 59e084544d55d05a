package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"lederradar/internal/auth"
)

// TestLeaderFirstSteps is the scenario table of a leader's first steps
// (issue 14): the start page a link lands on, resuming once an answer is
// saved, the language switch that saves the page, the order of the
// questionnaire's buttons, and a review that names the competences that
// will get no score, and why.
func TestLeaderFirstSteps(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	session := e.login(e.token)
	en := &http.Cookie{Name: "lang", Value: "en"}
	in := e.in

	// Page 1 with one answer on the scale and three »Ved ikke«: answered,
	// but no score; the language switch saves it.
	page1 := url.Values{}
	key, _ := auth.NewToken()
	page1.Set("formkey", key)
	page1.Set("nav", "lang-en")
	for i, it := range in.Competences[0].Items {
		v := "0"
		if i == 0 {
			v = "4"
		}
		page1.Set(it.ID, v)
	}

	enter := e.pageForm(2, "3")
	enter.Set("nav", "enter")

	tests := []scenario{
		{name: "start page in Danish", req: request{path: "/start", cookies: []*http.Cookie{session}}, wantStatus: 200,
			want: []string{"<h1>Før du begynder</h1>", "Runde: Efterår 2026", "de 11 kompetencer", "omkring 15 minutter: 44 udsagn fordelt på 11 sider",
				"indtil runden lukker", "Dit resultat er dit eget", "mindst 5 besvarelser, og først når runden er lukket",
				"5 – I meget høj grad", "1 – I meget ringe grad", "»Ved ikke / ikke relevant«", `<a class="button primary" href="/survey/1">Begynd</a>`}},
		{name: "start page in English", req: request{path: "/start", cookies: []*http.Cookie{session, en}}, wantStatus: 200,
			want: []string{"<h1>Before you begin</h1>", "about 15 minutes: 44 statements on 11 pages", "groups of at least 5 respondents", "5 – To a very great extent", ">Begin</a>"}},
		{name: "questionnaire: back before the primary action, Enter still saves and continues", req: request{path: "/survey/2", cookies: []*http.Cookie{session}}, wantStatus: 200,
			want: []string{`<form method="post" action="/survey/2" class="questionnaire" id="answers" novalidate>`,
				`<button type="submit" form="answers" name="nav" value="enter" hidden tabindex="-1"></button>`,
				`<button type="submit" form="answers" name="nav" value="lang-en">`},
			notWant: []string{`action="/language"`},
			after: func(t *testing.T, w *httptest.ResponseRecorder) {
				body := w.Body.String()
				back, next, review := strings.Index(body, `value="back"`), strings.Index(body, `value="next" class="primary"`), strings.Index(body, `value="review" class="secondary`)
				if back < 0 || next < 0 || review < 0 || back > next || next > review {
					t.Errorf("buttons at %d (back), %d (next), %d (review): want back, then the primary, then the overview", back, next, review)
				}
			}},
		{name: "language switch on a page saves it", req: request{method: "POST", path: "/survey/1", cookies: []*http.Cookie{session}, form: page1}, wantStatus: 303,
			wantHeader: map[string]string{"Location": "/survey/1?saved=1"},
			after: func(t *testing.T, w *httptest.ResponseRecorder) {
				if got := e.answers(e.open.ID); len(got) != 4 || got[in.Competences[0].Items[0].ID] != 4 {
					t.Errorf("stored answers %v, want page 1's four", got)
				}
				lang := ""
				for _, c := range w.Result().Cookies() {
					if c.Name == "lang" {
						lang = c.Value
					}
				}
				if lang != "en" {
					t.Errorf("language cookie %q, want en", lang)
				}
			}},
		{name: "Enter (the hidden default button) saves and continues", req: request{method: "POST", path: "/survey/2", cookies: []*http.Cookie{session}, form: enter}, wantStatus: 303,
			wantHeader: map[string]string{"Location": "/survey/3?saved=1"}},
		{name: "the page comes back in English with the answers", req: request{path: "/survey/1?saved=1", cookies: []*http.Cookie{session, en}}, wantStatus: 200,
			want: []string{`<html lang="en">`, "Your answers have been saved.", `value="4" checked`, `value="0" checked`, `value="lang-da"`}},
		{name: "returning: resume where they were, not the start page", req: request{path: "/survey", cookies: []*http.Cookie{session}}, wantStatus: 303,
			wantHeader: map[string]string{"Location": "/survey/3"}},
		{name: "returning: the start page resumes", req: request{path: "/start", cookies: []*http.Cookie{session}}, wantStatus: 200,
			want: []string{`<a class="button primary" href="/survey">Fortsæt, hvor du slap</a>`}},
		{name: "review names the competences without a score, and why", req: request{path: "/review", cookies: []*http.Cookie{session}}, wantStatus: 200,
			want: []string{"10 kompetencer får ingen score", "mindst halvdelen af dens udsagn er besvaret på skalaen 1–5",
				`<li><a href="/survey/1">At være tillids- og relationsskabende</a> 1 af 4 udsagn er besvaret på skalaen 1–5; der skal mindst 2 til.</li>`,
				"4 af 4 besvaret, heraf 3 »Ved ikke«", `<strong>Får ingen score:</strong> 1 af 4 udsagn`,
				`<li><a href="/survey/3">`},
			notWant: []string{`<li><a href="/survey/2">`}},
		{name: "review in English", req: request{path: "/review", cookies: []*http.Cookie{session, en}}, wantStatus: 200,
			want: []string{"10 competences get no score", "4 of 4 answered, 3 of them »Don&#39;t know«", "1 of 4 statements are answered on the scale 1–5; at least 2 are needed."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, e.do(tt.req))
		})
	}
}
