package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/internal/csvfile"
	"lederradar/survey"
)

// teamMapEnv is staffEnv with its team in the open round: Ada and Leder
// 0–3 are on it and invited (Leder 0 and 1 have submitted: 5 and 2 on
// everything), Leder 4 is on it without an invitation, Leder 7 is
// invited and on no team, and a peer rates Ada.
type teamMapEnv struct {
	*staffEnv
	cookies map[string]*http.Cookie // by principal
	teamURL string
}

func newTeamMapEnv(t *testing.T) *teamMapEnv {
	t.Helper()
	ctx := context.Background()
	e := &teamMapEnv{staffEnv: newStaffEnv(t), cookies: map[string]*http.Cookie{}}
	must(t, e.db.AddTeamMember(ctx, e.team.ID, e.person.ID))
	e.teamURL = fmt.Sprintf("/teams/%d", e.team.ID)
	e.cookies["ada"] = e.login(e.token)
	for i, p := range e.people {
		if i > 3 && i != 7 {
			continue
		}
		token, hash := auth.NewToken()
		inv := survey.Invitation{RoundID: e.open.ID, PersonID: p.ID, SubjectID: p.ID, Relation: survey.Self}
		must(t, e.db.CreateInvitation(ctx, &inv, p.ID, hash))
		e.cookies[p.Name] = e.login(token)
		if i > 1 {
			continue
		}
		answers := survey.Answers{}
		for _, c := range e.in.Competences {
			for _, it := range c.Items {
				answers[it.ID] = survey.Answer(5 - 3*i)
			}
		}
		_, err := e.db.SaveAnswers(ctx, data.AnswerSave{RoundID: e.open.ID, SubjectID: p.ID, RaterID: p.ID, Relation: survey.Self, FormKey: fmt.Sprintf("open-%d", i), Answers: answers})
		must(t, err)
		_, err = e.db.SubmitResponse(ctx, e.open.ID, p.ID, p.ID, survey.Self, fmt.Sprintf("open-submit-%d", i))
		must(t, err)
	}
	raters, err := e.db.ImportRaters(ctx, e.open.ID, []csvfile.RaterRow{{Line: 2, SubjectEmail: e.person.Email, RaterEmail: "kollega@example.dk", Relation: survey.Peer}}, nil)
	must(t, err)
	e.cookies["rater"] = e.login(raters[0].Token)
	e.cookies["hr"], e.cookies["admin"] = e.hr, e.admin
	return e
}

// as sends a request as a principal ("" for nobody), in Danish unless
// lang says otherwise.
func (e *teamMapEnv) as(who, method, path string, form url.Values) *httptest.ResponseRecorder {
	e.t.Helper()
	var cookies []*http.Cookie
	if c, ok := e.cookies[who]; ok {
		cookies = append(cookies, c)
	}
	return e.do(request{method: method, path: path, form: form, cookies: cookies})
}

func (e *teamMapEnv) consents(t *testing.T) int {
	t.Helper()
	n := 0
	for _, p := range append([]survey.Person{e.person}, e.people...) {
		pd, err := e.db.FindPersonData(context.Background(), p.ID)
		must(t, err)
		n += len(pd.TeamMapConsents)
	}
	return n
}

// teamMapScenario is a scenario as one principal (teamMapEnv.as).
type teamMapScenario struct {
	scenario
	who string
}

// scenarios are TestTeamMap's requests, in order: each may depend on
// the ones before.
func (e *teamMapEnv) scenarios() []teamMapScenario {
	yes := url.Values{"confirm": {"yes"}}
	return []teamMapScenario{
		{who: "Leder 0", scenario: scenario{name: "a member shares", req: request{method: "POST", path: e.teamURL + "/consent", form: yes},
			wantStatus: http.StatusSeeOther, wantHeader: map[string]string{"Location": e.teamURL + "?shared=1"}}},
		{who: "Leder 0", scenario: scenario{name: "and is told so", req: request{path: e.teamURL + "?shared=1"}, wantStatus: http.StatusOK,
			want: []string{"Din radar er nu delt med teamet.", "Stop med at dele min radar", "Leder 0 (dig)", "1 af 5 medlemmer deler sin radar her."}}},
		{who: "ada", scenario: scenario{name: "another member sees who shares, and how many do not", req: request{path: e.teamURL}, wantStatus: http.StatusOK,
			want: []string{"Teamkort: Tidlig indsats", ">Leder 0</th>", "<strong>5,0</strong>", "1 af 5 medlemmer deler sin radar her.",
				"4 af 5 medlemmer har ikke delt deres radar.", "Jeg deler mine egne scorer for hver kompetence, med mit navn, med de øvrige medlemmer af »Tidlig indsats«",
				`<table class="scores teammap">`, `<th scope="col">Kompetence</th>`, "Mindst én, der deler, scorer 4 eller mere på alle 11 kompetencer.", `data-chart="team-radar"`},
			notWant: []string{"Leder 1", "Leder 2", "Leder 3", "Leder 4", "Leder 7", "Ada Jensen"}}},
		{who: "ada", scenario: scenario{name: "her teams say she does not share", req: request{path: "/teams"}, wantStatus: http.StatusOK,
			want: []string{"Tidlig indsats", `href="` + e.teamURL + `"`, "Du deler ikke din radar med teamet."}}},
		{who: "ada", scenario: scenario{name: "the result page leads to her teams", req: request{path: "/result"}, wantStatus: http.StatusOK,
			want: []string{`<a href="/teams">Se dine teams</a>`}}},
		{who: "ada", scenario: scenario{name: "an unticked box shares nothing", req: request{method: "POST", path: e.teamURL + "/consent", form: url.Values{}},
			wantStatus: http.StatusBadRequest, want: []string{`role="alert"`, "Intet blev delt.", "<title>Fejl: Teamkort: Tidlig indsats",
				`name="return" value="` + e.teamURL + `"`},
			after: func(t *testing.T, _ *httptest.ResponseRecorder) {
				if n := e.consents(t); n != 1 {
					t.Errorf("%d consents after a refused one, want Leder 0's only", n)
				}
			}}},
		{who: "Leder 7", scenario: scenario{name: "a leader on no team finds no team", req: request{path: e.teamURL}, wantStatus: http.StatusNotFound, notWant: []string{"Leder 0"}}},
		{who: "Leder 7", scenario: scenario{name: "nor can share with it", req: request{method: "POST", path: e.teamURL + "/consent", form: yes}, wantStatus: http.StatusNotFound}},
		{who: "Leder 7", scenario: scenario{name: "nor withdraw", req: request{method: "POST", path: e.teamURL + "/withdraw"}, wantStatus: http.StatusNotFound}},
		{who: "Leder 7", scenario: scenario{name: "and has no teams", req: request{path: "/teams"}, wantStatus: http.StatusOK, want: []string{"Du er ikke med i et tværgående team i denne runde."}}},
		{who: "rater", scenario: scenario{name: "a rater's session finds no teams", req: request{path: "/teams"}, wantStatus: http.StatusNotFound}},
		{who: "rater", scenario: scenario{name: "nor the map", req: request{path: e.teamURL}, wantStatus: http.StatusNotFound, notWant: []string{"Leder 0"}}},
		{who: "rater", scenario: scenario{name: "nor shares", req: request{method: "POST", path: e.teamURL + "/consent", form: yes}, wantStatus: http.StatusNotFound}},
		{who: "hr", scenario: scenario{name: "HR has no way to the map", req: request{path: e.teamURL}, wantStatus: http.StatusUnauthorized, notWant: []string{"Leder 0"}}},
		{who: "admin", scenario: scenario{name: "nor an administrator", req: request{path: e.teamURL}, wantStatus: http.StatusUnauthorized, notWant: []string{"Leder 0"}}},
		{who: "admin", scenario: scenario{name: "who cannot withdraw for anyone", req: request{method: "POST", path: e.teamURL + "/withdraw"}, wantStatus: http.StatusUnauthorized}},
		{who: "", scenario: scenario{name: "nor anyone without a session", req: request{path: e.teamURL}, wantStatus: http.StatusUnauthorized}},
		{who: "ada", scenario: scenario{name: "a team id that is no number", req: request{path: "/teams/abc"}, wantStatus: http.StatusNotFound}},
		{who: "ada", scenario: scenario{name: "a department is no team", req: request{path: fmt.Sprintf("/teams/%d", e.deptA.ID)}, wantStatus: http.StatusNotFound}},
		{who: "ada", scenario: scenario{name: "she shares before she has submitted", req: request{method: "POST", path: e.teamURL + "/consent", form: yes},
			wantStatus: http.StatusSeeOther}},
		{who: "ada", scenario: scenario{name: "and learns her radar appears once she submits", req: request{path: e.teamURL}, wantStatus: http.StatusOK,
			want: []string{"Du deler din radar med de øvrige medlemmer af »Tidlig indsats« i runden »Efterår 2026« siden den", "Den vises på kortet, når du har indsendt dine svar."}}},
		{who: "Leder 1", scenario: scenario{name: "so the others still see one radar", req: request{path: e.teamURL}, wantStatus: http.StatusOK,
			want: []string{"1 af 5 medlemmer deler sin radar her."}, notWant: []string{"Ada Jensen"}}},
		{who: "Leder 0", scenario: scenario{name: "withdrawing is one press", req: request{method: "POST", path: e.teamURL + "/withdraw"},
			wantStatus: http.StatusSeeOther, wantHeader: map[string]string{"Location": e.teamURL + "?withdrawn=1"}}},
		{who: "Leder 1", scenario: scenario{name: "and the radar is gone at once", req: request{path: e.teamURL}, wantStatus: http.StatusOK,
			want: []string{"Ingen på teamet deler sin radar endnu."}, notWant: []string{"Leder 0", "<table"}}},
		{who: "Leder 0", scenario: scenario{name: "who is told so", req: request{path: e.teamURL + "?withdrawn=1"}, wantStatus: http.StatusOK,
			want: []string{"Du deler ikke længere din radar. Den er fjernet fra teamkortet.", "Del min radar med teamet"}}},
	}
}

func TestTeamMap(t *testing.T) {
	t.Parallel()
	e := newTeamMapEnv(t)
	audits := func() int {
		es, err := e.db.FindAudit(context.Background(), 1000)
		must(t, err)
		return len(es)
	}
	auditsBefore := audits()
	for _, tt := range e.scenarios() {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, e.as(tt.who, tt.req.method, tt.req.path, tt.req.form))
		})
	}

	t.Run("no audit entry tells who shares", func(t *testing.T) {
		if got := audits(); got != auditsBefore {
			t.Errorf("%d audit entries after sharing and withdrawing, want %d as before", got, auditsBefore)
		}
	})
	t.Run("her data holds the consent", func(t *testing.T) {
		w := e.as("ada", "GET", "/my-data", nil)
		body := w.Body.String()
		if w.Code != http.StatusOK || !strings.Contains(body, `"team_maps": [`) || !strings.Contains(body, `"team_name": "Tidlig indsats"`) {
			t.Errorf("/my-data = %d, lacks the team map consent:\n%.2000s", w.Code, body)
		}
	})
	t.Run("in English", func(t *testing.T) {
		must(t, e.db.GiveTeamMapConsent(context.Background(), e.open.ID, e.team.ID, e.people[1].ID))
		w := e.do(request{path: e.teamURL, cookies: []*http.Cookie{e.cookies["ada"], {Name: "lang", Value: "en"}}})
		scenario{wantStatus: http.StatusOK, want: []string{"Team map: Tidlig indsats", "1 of 5 members shares their radar here.",
			"4 of 5 members have not shared their radar.", ">Leder 1</th>", "Stop sharing my radar"}}.check(t, w)
		newEnglishCheck(t).page(t, "the team map in Danish", e.as("ada", "GET", e.teamURL, nil).Body.String())
		newEnglishCheck(t).page(t, "the teams in Danish", e.as("ada", "GET", "/teams", nil).Body.String())
	})
}

// teamMapPath is the address of the demo's team with a map of its own,
// which the demo's half-way and submitted leaders are on
// (orggen.seedDemoTeamMap); /teams/0, which is no team, when there is none.
func (app *a11yApp) teamMapPath() string {
	g, err := app.db.FindGroupByName(context.Background(), survey.Team, app.links["submitted"].Team)
	if err != nil {
		return "/teams/0"
	}
	return fmt.Sprintf("/teams/%d", g.ID)
}
