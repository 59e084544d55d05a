package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"lederradar/internal/auth"
	"lederradar/internal/csvfile"
	"lederradar/survey"
)

// raterEnv is env with a 360 round's raters: in the open round, Ada is
// rated by a peer and her manager, and Ada herself rates Bo, another
// leader, who has a peer too.
type raterEnv struct {
	*env
	bo                          survey.Person
	peer, manager, adaRatesBo   string // links
	boPeer                      string
	peerID, managerID, boPeerID int64
}

func newRaterEnv(t *testing.T) *raterEnv {
	t.Helper()
	ctx := context.Background()
	e := &raterEnv{env: newEnv(t)}
	e.bo = survey.Person{Email: "bo@example.dk", Name: "Bo Holm", DepartmentID: e.person.DepartmentID}
	must(t, e.db.CreatePerson(ctx, &e.bo))
	links, err := e.db.ImportRaters(ctx, e.open.ID, []csvfile.RaterRow{
		{Line: 2, SubjectEmail: e.person.Email, RaterEmail: "kollega@example.dk", Relation: survey.Peer},
		{Line: 3, SubjectEmail: e.person.Email, RaterEmail: "chef@example.dk", Relation: survey.Manager},
		{Line: 4, SubjectEmail: e.bo.Email, RaterEmail: e.person.Email, Relation: survey.Peer},
		{Line: 5, SubjectEmail: e.bo.Email, RaterEmail: "nabo@example.dk", Relation: survey.Peer},
	}, nil)
	must(t, err)
	e.peer, e.manager, e.adaRatesBo, e.boPeer = links[0].Token, links[1].Token, links[2].Token, links[3].Token
	e.peerID = e.personID("kollega@example.dk")
	e.managerID = e.personID("chef@example.dk")
	e.boPeerID = e.personID("nabo@example.dk")
	return e
}

func (e *raterEnv) personID(email string) int64 {
	e.t.Helper()
	p, err := e.db.FindPersonByEmail(context.Background(), email)
	must(e.t, err)
	return p.ID
}

// ratersOf returns the response of rater about subject in the open round,
// or nil.
func (e *raterEnv) response(subject, rater int64) *survey.Response {
	e.t.Helper()
	r, err := e.db.FindResponse(context.Background(), e.open.ID, subject, rater)
	if survey.ErrorCode(err) == survey.ENOTFOUND {
		return nil
	}
	must(e.t, err)
	return r
}

// escaped is s as html/template writes it in text.
func escaped(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;", "+", "&#43;").Replace(s)
}

// TestRaterLinkOpensTheRatersForm: a rater's link gives a session for
// their one invitation, which reaches their own form about the leader it
// names, in the third person, and nothing else: not the leader's result,
// not the leader's data, not another leader's form.
func TestRaterLinkOpensTheRatersForm(t *testing.T) {
	t.Parallel()
	e := newRaterEnv(t)
	peer := e.login(e.peer)
	ada := e.login(e.token)
	first := e.in.Competences[0].Items[0]
	other := func(n int) []string { // the third-person items of page n
		var out []string
		for _, it := range e.in.Competences[n-1].Items {
			out = append(out, escaped(it.Other.Da))
		}
		return out
	}
	page1 := e.pageForm(1, "4")
	stolenKey := page1.Get("formkey")
	for _, tt := range []scenario{
		{name: "link", req: request{path: "/i/" + e.peer}, wantStatus: http.StatusSeeOther,
			wantHeader: map[string]string{"Location": "/survey"},
			after: func(t *testing.T, w *httptest.ResponseRecorder) {
				if sessionCookieOf(w) == nil {
					t.Error("no session cookie")
				}
			}},
		{name: "resume before any answer", req: request{path: "/survey", cookies: []*http.Cookie{peer}}, wantStatus: http.StatusSeeOther,
			wantHeader: map[string]string{"Location": "/start"}},
		{name: "start names the leader", req: request{path: "/start", cookies: []*http.Cookie{peer}}, wantStatus: http.StatusOK,
			want: []string{"Før du begynder: din vurdering af Ada Jensen", "mindst 5 bedømmeres svar", "mindst 4 andre", "hvor godt det passer på Ada Jensen",
				`href="/survey/1"`, "Du ser ikke resultatet"},
			notWant: []string{`href="/result"`, "Dit resultat er dit eget", "nærmeste leder for"}},
		{name: "page 1 in the third person", req: request{path: "/survey/1", cookies: []*http.Cookie{peer}}, wantStatus: http.StatusOK,
			want:    append(other(1), "– om Ada Jensen</h1>", "Hvor godt passer hvert udsagn på Ada Jensen"),
			notWant: []string{escaped(first.Text.Da), `href="/result"`}},
		{name: "page 1 in English", req: request{path: "/survey/1", cookies: []*http.Cookie{peer, {Name: "lang", Value: "en"}}}, wantStatus: http.StatusOK,
			want: []string{escaped(first.Other.En), "– about Ada Jensen</h1>"}, notWant: []string{escaped(first.Text.En)}},
		{name: "the leader's result", req: request{path: "/result", cookies: []*http.Cookie{peer}}, wantStatus: http.StatusNotFound,
			notWant: []string{"Ada Jensen"}},
		{name: "thanks before submitting", req: request{path: "/thanks", cookies: []*http.Cookie{peer}}, wantStatus: http.StatusSeeOther,
			wantHeader: map[string]string{"Location": "/start"}},
		{name: "save page 1", req: request{method: http.MethodPost, path: "/survey/1", form: page1, cookies: []*http.Cookie{peer}},
			wantStatus: http.StatusSeeOther, wantHeader: map[string]string{"Location": "/survey/2?saved=1"},
			after: func(t *testing.T, _ *httptest.ResponseRecorder) {
				r := e.response(e.person.ID, e.peerID)
				if r == nil || r.Relation != survey.Peer || len(r.Answers) != len(e.in.Competences[0].Items) || r.Answers[first.ID] != 4 {
					t.Errorf("stored %+v, want page 1 as the peer's about Ada", r)
				}
				if got := e.answers(e.open.ID); len(got) != 0 {
					t.Errorf("Ada's own answers %v, want none", got)
				}
			}},
		{name: "the same form for Ada's own questionnaire", req: request{method: http.MethodPost, path: "/survey/1",
			form: url.Values{"formkey": {stolenKey}, first.ID: {"1"}}, cookies: []*http.Cookie{ada}}, wantStatus: http.StatusConflict,
			after: func(t *testing.T, _ *httptest.ResponseRecorder) {
				if got := e.answers(e.open.ID); len(got) != 0 {
					t.Errorf("Ada's own answers %v, want none", got)
				}
			}},
		{name: "resume after an answer", req: request{path: "/survey", cookies: []*http.Cookie{peer}}, wantStatus: http.StatusSeeOther,
			wantHeader: map[string]string{"Location": "/survey/2"}},
		{name: "start resumes", req: request{path: "/start", cookies: []*http.Cookie{peer}}, wantStatus: http.StatusOK,
			want: []string{"Fortsæt, hvor du slap"}},
		{name: "review", req: request{path: "/review", cookies: []*http.Cookie{peer}}, wantStatus: http.StatusOK,
			want:    append(other(2), "mangler at svare på om Ada Jensen", "ikke med i det, Ada Jensen ser"),
			notWant: []string{escaped(e.in.Competences[1].Items[0].Text.Da), `href="/result"`}},
		{name: "submit", req: request{method: http.MethodPost, path: "/review", form: url.Values{"formkey": {"peer-submit"}}, cookies: []*http.Cookie{peer}},
			wantStatus: http.StatusSeeOther, wantHeader: map[string]string{"Location": "/thanks?submitted=1"},
			after: func(t *testing.T, _ *httptest.ResponseRecorder) {
				if r := e.response(e.person.ID, e.peerID); r == nil || !r.Submitted() {
					t.Errorf("response %+v, want submitted", r)
				}
			}},
		{name: "thanks", req: request{path: "/thanks?submitted=1", cookies: []*http.Cookie{peer}}, wantStatus: http.StatusOK,
			want:    []string{"Tak for dine svar om Ada Jensen", "Dine svar er indsendt.", `href="/review"`, "mindst 4 andre"},
			notWant: []string{`href="/result"`, "application/json", "Score", "score"}},
		{name: "resume after submitting", req: request{path: "/survey", cookies: []*http.Cookie{peer}}, wantStatus: http.StatusSeeOther,
			wantHeader: map[string]string{"Location": "/thanks"}},
		{name: "review after submitting", req: request{path: "/review", cookies: []*http.Cookie{peer}}, wantStatus: http.StatusOK,
			want: []string{"Indsend ændringer"}, notWant: []string{"Se dit resultat"}},
		{name: "result after submitting", req: request{path: "/result", cookies: []*http.Cookie{peer}}, wantStatus: http.StatusNotFound},
		{name: "Ada's own pages are hers", req: request{path: "/survey/1", cookies: []*http.Cookie{ada}}, wantStatus: http.StatusOK,
			want: []string{escaped(first.Text.Da), `href="/result"`}, notWant: []string{escaped(first.Other.Da), "om Ada Jensen"}},
		{name: "a leader has no thank-you page", req: request{path: "/thanks", cookies: []*http.Cookie{ada}}, wantStatus: http.StatusSeeOther,
			wantHeader: map[string]string{"Location": "/start"}},
	} {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, e.do(tt.req)) })
	}
	if r := e.response(e.bo.ID, e.peerID); r != nil {
		t.Errorf("a response about Bo %+v, want none", r)
	}
}

// TestRaterFormRefusesHostileInput: what a rater's session posts is
// checked as a leader's is, and changes nothing when refused.
func TestRaterFormRefusesHostileInput(t *testing.T) {
	t.Parallel()
	e := newRaterEnv(t)
	peer := e.login(e.peer)
	first := e.in.Competences[0].Items[0].ID
	onPage2 := e.in.Competences[1].Items[0].ID
	key := func() string { k, _ := auth.NewToken(); return k }
	for _, tt := range []scenario{
		{name: "no session", req: request{path: "/start"}, wantStatus: http.StatusUnauthorized},
		{name: "forged session", req: request{path: "/survey/1", cookies: []*http.Cookie{{Name: "lr_session", Value: strings.Repeat("A", 22)}}},
			wantStatus: http.StatusUnauthorized},
		{name: "malformed link", req: request{path: "/i/" + e.peer + "x"}, wantStatus: http.StatusNotFound},
		{name: "page 0", req: request{path: "/survey/0", cookies: []*http.Cookie{peer}}, wantStatus: http.StatusNotFound},
		{name: "page 99", req: request{path: "/survey/99", cookies: []*http.Cookie{peer}}, wantStatus: http.StatusNotFound},
		{name: "another page's item", req: request{method: http.MethodPost, path: "/survey/1", cookies: []*http.Cookie{peer},
			form: url.Values{"formkey": {key()}, onPage2: {"3"}}}, wantStatus: http.StatusBadRequest, want: []string{"ukendt spørgsmål"}},
		{name: "a subject field", req: request{method: http.MethodPost, path: "/survey/1", cookies: []*http.Cookie{peer},
			form: url.Values{"formkey": {key()}, "subject_id": {itoa(int(e.bo.ID))}, first: {"3"}}}, wantStatus: http.StatusBadRequest},
		{name: "off the scale", req: request{method: http.MethodPost, path: "/survey/1", cookies: []*http.Cookie{peer},
			form: url.Values{"formkey": {key()}, first: {"9"}}}, wantStatus: http.StatusBadRequest, want: []string{"ikke en mulighed på skalaen"}},
		{name: "script as a value", req: request{method: http.MethodPost, path: "/survey/1", cookies: []*http.Cookie{peer},
			form: url.Values{"formkey": {key()}, first: {"<script>"}}}, wantStatus: http.StatusBadRequest, notWant: []string{"<script>"}},
		{name: "submit without a key", req: request{method: http.MethodPost, path: "/review", cookies: []*http.Cookie{peer}},
			wantStatus: http.StatusBadRequest},
	} {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, e.do(tt.req)) })
	}
	if r := e.response(e.person.ID, e.peerID); r != nil {
		t.Errorf("stored %+v, want nothing", r)
	}
}

// TestRaterLinkAfterClose: once the round has closed, a rater's link and
// a rater's session say so and show nothing else, in a new browser or in
// one that still holds the session.
func TestRaterLinkAfterClose(t *testing.T) {
	t.Parallel()
	e := newRaterEnv(t)
	peer := e.login(e.peer)
	must(t, e.db.SetRoundStatus(context.Background(), e.open.ID, survey.RoundClosed))
	closedDa := "Runden »Efterår 2026« er lukket, så du kan ikke længere svare"
	for _, tt := range []scenario{
		{name: "new browser", req: request{path: "/i/" + e.peer}, wantStatus: http.StatusForbidden, want: []string{closedDa, "Dine svar om lederen bruges kun"},
			notWant: []string{"Dit resultat", "Ada Jensen", "Kun du ser dit resultat"},
			after: func(t *testing.T, w *httptest.ResponseRecorder) {
				if c := sessionCookieOf(w); c != nil {
					t.Errorf("cookie %v, want no session", c)
				}
			}},
		{name: "new browser, English", req: request{path: "/i/" + e.peer, cookies: []*http.Cookie{{Name: "lang", Value: "en"}}},
			wantStatus: http.StatusForbidden, want: []string{"The round »Efterår 2026« is closed"}},
		{name: "held session's link", req: request{path: "/i/" + e.peer, cookies: []*http.Cookie{peer}}, wantStatus: http.StatusSeeOther,
			wantHeader: map[string]string{"Location": "/survey"}},
	} {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, e.do(tt.req)) })
	}
	for _, path := range []string{"/survey", "/start", "/survey/1", "/review", "/thanks"} {
		t.Run("held session "+path, func(t *testing.T) {
			scenario{req: request{path: path, cookies: []*http.Cookie{peer}}, wantStatus: http.StatusForbidden,
				want: []string{closedDa}, notWant: []string{"Ada Jensen", `href="/result"`}}.check(t, e.do(request{path: path, cookies: []*http.Cookie{peer}}))
		})
	}
	w := e.do(request{method: http.MethodPost, path: "/survey/1", form: e.pageForm(1, "2"), cookies: []*http.Cookie{peer}})
	if w.Code != http.StatusConflict {
		t.Errorf("save after close = %d, want 409", w.Code)
	}
}

// TestRaterLinkInDraftRound: a rater's link opens nothing before the
// round opens.
func TestRaterLinkInDraftRound(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	draft := survey.Round{Name: "Kladde", Status: survey.RoundDraft, InstrumentVersion: e.in.Version}
	must(t, e.db.CreateRound(ctx, &draft))
	links, err := e.db.ImportRaters(ctx, draft.ID, []csvfile.RaterRow{
		{Line: 2, SubjectEmail: e.person.Email, RaterEmail: "kollega@example.dk", Relation: survey.Peer},
	}, nil)
	must(t, err)
	scenario{wantStatus: http.StatusForbidden, want: []string{"Runden er ikke åbnet endnu"},
		after: func(t *testing.T, w *httptest.ResponseRecorder) {
			if c := sessionCookieOf(w); c != nil {
				t.Errorf("cookie %v, want no session", c)
			}
		}}.check(t, e.do(request{path: "/i/" + links[0].Token}))
}

// TestRaterWhoIsAlsoALeader: Ada rates Bo in the round she answers
// herself; each of her two links opens only its own form, in whichever
// order she opens them.
func TestRaterWhoIsAlsoALeader(t *testing.T) {
	t.Parallel()
	e := newRaterEnv(t)
	self := e.in.Competences[0].Items[0]
	for i, link := range []string{e.token, e.adaRatesBo, e.token} {
		c := e.login(link)
		w := e.do(request{path: "/survey/1", cookies: []*http.Cookie{c}})
		body := w.Body.String()
		aboutBo := link == e.adaRatesBo
		if w.Code != http.StatusOK || strings.Contains(body, "om Bo Holm") != aboutBo ||
			strings.Contains(body, escaped(self.Other.Da)) != aboutBo || strings.Contains(body, escaped(self.Text.Da)) == aboutBo {
			t.Errorf("link %d (about Bo: %v): page 1 = %d, the wrong form:\n%s", i, aboutBo, w.Code, body)
		}
		f := e.pageForm(1, map[bool]string{true: "2", false: "5"}[aboutBo])
		if w := e.do(request{method: http.MethodPost, path: "/survey/1", form: f, cookies: []*http.Cookie{c}}); w.Code != http.StatusSeeOther {
			t.Fatalf("save = %d", w.Code)
		}
	}
	if got := e.answers(e.open.ID)[self.ID]; got != 5 {
		t.Errorf("Ada's own answer %d, want 5", got)
	}
	if r := e.response(e.bo.ID, e.person.ID); r == nil || r.Relation != survey.Peer || r.Answers[self.ID] != 2 {
		t.Errorf("Ada's answers about Bo %+v, want 2 as a peer", r)
	}
	if r := e.response(e.bo.ID, e.boPeerID); r != nil {
		t.Errorf("Bo's other peer's response %+v, want none", r)
	}
}

// TestRaterMyData: a rater's download holds their own answers about the
// one leader of their link, in the third person, and nothing of the
// leader's result, of the rater's other invitations or memberships.
func TestRaterMyData(t *testing.T) {
	t.Parallel()
	e := newRaterEnv(t)
	// Ada answers about herself and about Bo, and Bo's other peer about Bo.
	ada := e.login(e.token)
	e.do(request{method: http.MethodPost, path: "/survey/1", form: e.pageForm(1, "5"), cookies: []*http.Cookie{ada}})
	neighbour := e.login(e.boPeer)
	e.do(request{method: http.MethodPost, path: "/survey/1", form: e.pageForm(1, "1"), cookies: []*http.Cookie{neighbour}})
	c := e.login(e.adaRatesBo)
	e.do(request{method: http.MethodPost, path: "/survey/1", form: e.pageForm(1, "2"), cookies: []*http.Cookie{c}})
	w := e.do(request{path: "/my-data", cookies: []*http.Cookie{c}})
	if w.Code != http.StatusOK {
		t.Fatalf("GET /my-data = %d", w.Code)
	}
	var got struct {
		Format string         `json:"format"`
		Person map[string]any `json:"person"`
		Leader struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"leader"`
		Rounds []struct {
			ID        int64 `json:"id"`
			Responses []struct {
				Relation  string `json:"relation"`
				SubjectID int64  `json:"subject_id"`
				Answers   []struct {
					ItemID string `json:"item_id"`
					Text   string `json:"text_da"`
					Value  int    `json:"value"`
				} `json:"answers"`
				Scores []any `json:"scores"`
			} `json:"responses"`
			LinkOpenings []any `json:"link_openings"`
		} `json:"rounds"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatalf("%v:\n%s", err, w.Body.String())
	}
	first := e.in.Competences[0].Items[0]
	if got.Format != "lederradar/rater-data/1" || got.Leader.ID != e.bo.ID || got.Leader.Name != "Bo Holm" || got.Person["email"] != e.person.Email {
		t.Errorf("header %q, leader %+v, person %v", got.Format, got.Leader, got.Person)
	}
	if len(got.Rounds) != 1 || got.Rounds[0].ID != e.open.ID || len(got.Rounds[0].Responses) != 1 || len(got.Rounds[0].LinkOpenings) != 1 {
		t.Fatalf("rounds %+v, want the open round with one response and one opening", got.Rounds)
	}
	r := got.Rounds[0].Responses[0]
	if r.Relation != "peer" || r.SubjectID != e.bo.ID || len(r.Scores) != 0 || len(r.Answers) != len(e.in.Competences[0].Items) ||
		r.Answers[0].ItemID != first.ID || r.Answers[0].Value != 2 || r.Answers[0].Text != first.Other.Da {
		t.Errorf("response %+v, want Ada's page 1 about Bo, in the third person", r)
	}
	body := w.Body.String()
	for _, leak := range []string{"memberships", "Teknik og Miljø", "feedback", "scores", "development_plans", "Forår 2026", `"value": 5`, `"value": 1`} {
		if strings.Contains(body, leak) {
			t.Errorf("download holds %q:\n%s", leak, body)
		}
	}
	// Her own download is still the leader's.
	w = e.do(request{path: "/my-data", cookies: []*http.Cookie{e.login(e.token)}})
	if !strings.Contains(w.Body.String(), `"format": "lederradar/my-data/1"`) || !strings.Contains(w.Body.String(), "Teknik og Miljø") {
		t.Errorf("Ada's own download:\n%s", w.Body.String())
	}
}

// TestRaterStartPageManagerShown: in a round that shows the manager's
// answers on their own, the manager is told so before the first
// question, on the start page and on each page of the form; a peer is
// not.
func TestRaterStartPageManagerShown(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	r := survey.Round{Name: "360 med leder", Status: survey.RoundOpen, InstrumentVersion: e.in.Version, ManagerShown: true}
	must(t, e.db.CreateRound(ctx, &r))
	links, err := e.db.ImportRaters(ctx, r.ID, []csvfile.RaterRow{
		{Line: 2, SubjectEmail: e.person.Email, RaterEmail: "chef@example.dk", Relation: survey.Manager},
		{Line: 3, SubjectEmail: e.person.Email, RaterEmail: "kollega@example.dk", Relation: survey.Peer},
	}, nil)
	must(t, err)
	manager, peer := e.login(links[0].Token), e.login(links[1].Token)
	note := "Du svarer som nærmeste leder for Ada Jensen"
	for _, tt := range []scenario{
		{name: "manager's start", req: request{path: "/start", cookies: []*http.Cookie{manager}}, wantStatus: http.StatusOK,
			want: []string{note, "Ada Jensen kan altså se, hvordan du har svaret"}, notWant: []string{"mindst 4 andre"}},
		{name: "manager's page 1", req: request{path: "/survey/1", cookies: []*http.Cookie{manager}}, wantStatus: http.StatusOK, want: []string{note}},
		{name: "manager's start in English", req: request{path: "/start", cookies: []*http.Cookie{manager, {Name: "lang", Value: "en"}}},
			wantStatus: http.StatusOK, want: []string{"you answer as the line manager of Ada Jensen"}},
		{name: "peer's start", req: request{path: "/start", cookies: []*http.Cookie{peer}}, wantStatus: http.StatusOK,
			want: []string{"mindst 4 andre"}, notWant: []string{note}},
	} {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, e.do(tt.req)) })
	}
}

// TestRaterDeadline: where the round sets the raters' last day, the
// rater's start page and review say that day, not the round's close.
func TestRaterDeadline(t *testing.T) {
	t.Parallel()
	e := newRaterEnv(t)
	ctx := context.Background()
	cph, err := time.LoadLocation("Europe/Copenhagen")
	must(t, err)
	must(t, e.db.SetRatersClose(ctx, e.open.ID, time.Date(2027, 1, 16, 0, 0, 0, 0, cph)))
	peer, ada := e.login(e.peer), e.login(e.token)
	en := &http.Cookie{Name: "lang", Value: "en"}
	for _, tt := range []scenario{
		{name: "start", req: request{path: "/start", cookies: []*http.Cookie{peer}}, wantStatus: http.StatusOK,
			want: []string{"Du kan ændre dine svar til og med den 15. januar 2027. Derefter ser lederen gennemsnittene."}},
		{name: "start in English", req: request{path: "/start", cookies: []*http.Cookie{peer, en}}, wantStatus: http.StatusOK,
			want: []string{"You can change your answers until and including 15 January 2027."}},
		{name: "the leader's start keeps the round's", req: request{path: "/start", cookies: []*http.Cookie{ada}}, wantStatus: http.StatusOK,
			want: []string{"Du kan ændre dine svar, indtil runden lukker."}, notWant: []string{"15. januar 2027"}},
	} {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, e.do(tt.req)) })
	}
	_, err = e.db.SubmitResponse(ctx, e.open.ID, e.person.ID, e.peerID, survey.Peer, "deadline-submit")
	must(t, err)
	t.Run("review after submitting", func(t *testing.T) {
		tt := scenario{req: request{path: "/review", cookies: []*http.Cookie{peer}}, wantStatus: http.StatusOK,
			want: []string{"Du kan stadig rette dem til og med den 15. januar 2027."}, notWant: []string{"indtil runden lukker"}}
		tt.check(t, e.do(tt.req))
	})
}
