package web_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"lederradar/internal/csvfile"
	"lederradar/survey"
)

// raterRound adds a 360 round to the staff organisation, imported as an
// administrator would: raters with links, then everyone's answers. Each
// of Leder 0–6 (department A; 0–5 the team) is rated by an employee of
// their own, and all seven by the manager chef-a; each of Leder 7–11
// (department B) by an employee of their own, and all five by chef-b.
// Leaders assess themselves too. So department A has 8 raters, B 6 and
// the team 7 — but A less the team is Leder 6's two raters, so the team
// is not shown. value gives each rater's answer on every item; submit
// says who has submitted (all, once closed). The round is closed with
// threshold 5 when close is true.
func (e *staffEnv) raterRound(t *testing.T, name string, close bool, value func(rater string) survey.Answer, submit func(rater string) bool) survey.Round {
	t.Helper()
	ctx := context.Background()
	round := survey.Round{Name: name, Status: survey.RoundOpen, InstrumentVersion: e.in.Version}
	must(t, e.db.CreateRound(ctx, &round))
	var raters []csvfile.RaterRow
	var answers []csvfile.ResponseRow
	all := func(v survey.Answer) survey.Answers {
		a := survey.Answers{}
		for _, c := range e.in.Competences {
			for _, it := range c.Items {
				a[it.ID] = v
			}
		}
		return a
	}
	rate := func(rater string, leader int, rel survey.Relation) {
		subject := e.people[leader].Email
		raters = append(raters, csvfile.RaterRow{Line: len(raters) + 2, SubjectEmail: subject, RaterEmail: rater, Relation: rel})
		if submit(rater) {
			answers = append(answers, csvfile.ResponseRow{Line: len(answers) + 2, Email: rater, SubjectEmail: subject, Relation: rel, Answers: all(value(rater))})
		}
	}
	for i := range 12 {
		rate(fmt.Sprintf("medarbejder%d@example.dk", i), i, survey.Employee)
		if i < 7 {
			rate("chef-a@example.dk", i, survey.Manager)
		} else {
			rate("chef-b@example.dk", i, survey.Manager)
		}
		answers = append(answers, csvfile.ResponseRow{Line: len(answers) + 2, Email: e.people[i].Email, Answers: all(survey.Answer(1 + i%5))})
	}
	if _, err := e.db.ImportRaters(ctx, round.ID, raters, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.ImportResponses(ctx, &round, answers); err != nil {
		t.Fatal(err)
	}
	if close {
		must(t, e.db.CloseRound(ctx, round.ID, 5))
	}
	r, err := e.db.FindRoundByID(ctx, round.ID)
	must(t, err)
	return *r
}

func everyRater(string) bool { return true }

// raterValue: employees answer 4, the managers 2.
func raterValue(rater string) survey.Answer {
	if strings.HasPrefix(rater, "chef") {
		return 2
	}
	return 4
}

// TestHROthersView walks HR's pages of 360 rounds: a closed one with a
// group shown and one suppressed, an open one with counts per relation,
// and a self-only round that has none of it.
func TestHROthersView(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	closed := e.raterRound(t, "360 lukket", true, raterValue, everyRater)
	open := e.raterRound(t, "360 åben", false, raterValue, func(r string) bool {
		return r == "chef-a@example.dk" || r == "medarbejder0@example.dk" || r == "medarbejder7@example.dk"
	})
	base := fmt.Sprintf("/hr/rounds/%d", closed.ID)
	dept := func(g survey.Group) string { return fmt.Sprintf("%s/groups/department-%d/others", base, g.ID) }
	teamPath := fmt.Sprintf("%s/groups/team-%d/others", base, e.team.ID)
	en := []*http.Cookie{e.hr, {Name: "lang", Value: "en"}}
	// Department A: Leder 0–6 answered 1+i%5 themselves (mean 18/7), and
	// its raters' 14 ratings are 7 × 4 and 7 × 2 (mean 3).
	for _, tt := range []scenario{
		{name: "closed 360 round lists the raters' views", req: request{method: "GET", path: base, cookies: []*http.Cookie{e.hr}}, wantStatus: 200,
			want: []string{"Andres syn (360)", `href="` + dept(e.deptA) + `"`, `href="` + dept(e.deptB) + `"`,
				"Vises ikke: for få af gruppens ledere har bedømmelser, eller gruppen kunne sammen med andre viste grupper afsløre færre end 5 bedømmeres svar"},
			notWant: []string{`href="` + teamPath + `"`}},
		{name: "a shown group: others beside self and the gap", req: request{method: "GET", path: dept(e.deptA), cookies: []*http.Cookie{e.hr}}, wantStatus: 200,
			want: []string{"Børn og Unge: andres syn (360)", "8 bedømmere om 7 ledere", `id="others-radar"`, "Ledernes eget syn",
				"<td class=\"num\">2,6</td>", "<td class=\"num\">3,0</td>", "<td class=\"num\">−0,4</td>", "<td class=\"num\">8</td>"}},
		{name: "the group's own profile links to the raters' view", req: request{method: "GET", path: strings.TrimSuffix(dept(e.deptA), "/others"), cookies: []*http.Cookie{e.hr}},
			wantStatus: 200, want: []string{`<a href="` + dept(e.deptA) + `">Se, hvordan bedømmerne ser gruppens ledere</a>`}},
		{name: "a self-only round's profile does not", req: request{method: "GET", path: fmt.Sprintf("/hr/rounds/%d/groups/organisation", e.closed.ID), cookies: []*http.Cookie{e.hr}},
			wantStatus: 200, notWant: []string{"Se, hvordan bedømmerne ser"}},
		{name: "in English", req: request{method: "GET", path: dept(e.deptA), cookies: en}, wantStatus: 200,
			want: []string{"Børn og Unge: others&#39; view (360)", "8 raters of 7 leaders", "Gap (own − others&#39;)"}},
		{name: "the organisation", req: request{method: "GET", path: base + "/groups/organisation/others", cookies: []*http.Cookie{e.hr}}, wantStatus: 200,
			want: []string{"14 bedømmere om 13 ledere"}},
		{name: "a suppressed group shows no number", req: request{method: "GET", path: teamPath, cookies: []*http.Cookie{e.hr}}, wantStatus: 200,
			want:    []string{"Vises ikke: for få af gruppens ledere har bedømmelser, eller gruppen kunne sammen med andre viste grupper afsløre færre end 5 bedømmeres svar", "6 medlemmer"},
			notWant: []string{`id="others-radar"`, "bedømmere om", "<td class=\"num\">"}},
		{name: "a leader is sent to log in", req: request{method: "GET", path: dept(e.deptA), cookies: []*http.Cookie{e.login(e.token)}}, wantStatus: 303},
		{name: "an open round has none yet", req: request{method: "GET", path: fmt.Sprintf("/hr/rounds/%d/groups/organisation/others", open.ID), cookies: []*http.Cookie{e.hr}}, wantStatus: 409},
		{name: "a self-only round has none", req: request{method: "GET", path: fmt.Sprintf("/hr/rounds/%d/groups/organisation/others", e.closed.ID), cookies: []*http.Cookie{e.hr}}, wantStatus: 404},
		{name: "a self-only round lists none", req: request{method: "GET", path: fmt.Sprintf("/hr/rounds/%d", e.closed.ID), cookies: []*http.Cookie{e.hr}}, wantStatus: 200,
			notWant: []string{"Andres syn", "Bedømmernes svar"}},
		{name: "an unknown group", req: request{method: "GET", path: base + "/groups/team-999/others", cookies: []*http.Cookie{e.hr}}, wantStatus: 404},
	} {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, e.do(tt.req)) })
	}

	t.Run("open 360 round: counts per relation under the rule", func(t *testing.T) {
		w := e.do(request{method: "GET", path: fmt.Sprintf("/hr/rounds/%d", open.ID), cookies: []*http.Cookie{e.hr}})
		if w.Code != 200 {
			t.Fatalf("status %d", w.Code)
		}
		body := w.Body.String()
		_, raters, ok := strings.Cut(body, `id="raters-title"`)
		if !ok {
			t.Fatalf("no raters' section:\n%s", body)
		}
		orgTable, groupTable, _ := strings.Cut(raters, "</table>")
		// Two managers are too few to count; twelve employees have 12
		// links, 2 submitted.
		for name, want := range map[string]string{
			"Nærmeste leder": "færre end 5 bedømmere",
			"Medarbejdere":   `<td class="num">12</td><td class="num">2</td><td class="num">17 %</td>`,
			"Kolleger":       "færre end 5 bedømmere",
		} {
			if row := rowOf(t, orgTable, name); !strings.Contains(row, want) {
				t.Errorf("organisation's %s: %s, want %s", name, row, want)
			}
		}
		for name, want := range map[string]string{
			e.deptA.Name: "1 af 7 (14 %)",
			e.deptB.Name: "1 af 5 (20 %)",
			e.team.Name:  "1 af 6 (17 %)",
		} {
			row := rowOf(t, groupTable, name)
			if !strings.Contains(row, want) || strings.Count(row, "færre end 5 bedømmere") != 2 {
				t.Errorf("%s: %s, want %s and two relations hidden", name, row, want)
			}
		}
	})
}

// sessionSeconds matches the seconds a page says the session has left.
var sessionSeconds = regexp.MustCompile(`data-session-(idle|max)="\d+"`)

// TestHROthersHideASmallSet: HR never sees a single rater's answers. Two
// closed rounds differ only in the answers of Leder 6's employee, one of
// the two raters that department A less the team would single out: the
// team's page and the round's overview are the same in both, number for
// number.
func TestHROthersHideASmallSet(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	page := func(r survey.Round, path string) string {
		t.Helper()
		base := fmt.Sprintf("/hr/rounds/%d", r.ID)
		w := e.do(request{method: "GET", path: base + path, cookies: []*http.Cookie{e.hr}})
		if w.Code != 200 {
			t.Fatalf("%s%s: %d", base, path, w.Code)
		}
		body := strings.ReplaceAll(strings.ReplaceAll(w.Body.String(), base, "/hr/rounds/N"), r.Name, "R")
		// The staff session's seconds left tick between the two requests.
		return sessionSeconds.ReplaceAllString(body, `data-session-$1="S"`)
	}
	one := e.raterRound(t, "360 én", true, raterValue, everyRater)
	other := e.raterRound(t, "360 to", true, func(r string) survey.Answer {
		if r == "medarbejder6@example.dk" {
			return 1
		}
		return raterValue(r)
	}, everyRater)
	for _, path := range []string{"", fmt.Sprintf("/groups/team-%d/others", e.team.ID)} {
		if a, b := page(one, path), page(other, path); a != b {
			t.Errorf("%q differs by one rater's answers:\n%s\n----\n%s", path, a, b)
		}
	}
	// The check has teeth: department A counts that rater, and shows it.
	if a, b := page(one, fmt.Sprintf("/groups/department-%d/others", e.deptA.ID)), page(other, fmt.Sprintf("/groups/department-%d/others", e.deptA.ID)); a == b {
		t.Error("department A's view does not count Leder 6's employee")
	}
}
