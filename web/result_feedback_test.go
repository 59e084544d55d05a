package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"lederradar/internal/csvfile"
	"lederradar/survey"
)

// raters360 says who rates Ada in a 360 round of the test app.
type raters360 struct {
	managers, peers, reports int
	managerShown             bool
	// noSelf leaves Ada without a self-assessment.
	noSelf bool
	// open keeps the round open.
	open bool
}

// selfAnswers360 are Ada's own answers in a 360 round: 5, 5, 4, 4 on the
// first competence (4,5: a blind spot beside others' 3), 1, 2, 2, 2 on the
// second (1,75: a hidden strength), 3 elsewhere.
func selfAnswers360(in *survey.Instrument) survey.Answers {
	a := survey.Answers{}
	for c, comp := range in.Competences {
		for i, it := range comp.Items {
			a[it.ID] = 3
			switch c {
			case 0:
				a[it.ID] = survey.Answer(5 - i/2)
			case 1:
				a[it.ID] = survey.Answer(min(2, 1+i))
			}
		}
	}
	return a
}

// threeSixty makes a 360 round in which Ada is rated as o says, with raters
// imported (data.ImportRaters) and their answers and hers imported
// (data.ImportResponses, with subject_email and relation), every rater
// answering 3 on every item; closes it with a threshold of 5 unless o.open;
// and returns the session Ada's browser got while it was open.
func (e *env) threeSixty(t *testing.T, name string, o raters360) (*http.Cookie, survey.Round) {
	t.Helper()
	ctx := context.Background()
	round := survey.Round{Name: name, Status: survey.RoundOpen, InstrumentVersion: e.in.Version, ManagerShown: o.managerShown, SeveralManagers: o.managers > 1}
	must(t, e.db.CreateRound(ctx, &round))
	session := e.login(e.invite(round.ID))
	var raters []csvfile.RaterRow
	var rows []csvfile.ResponseRow
	add := func(n int, rel survey.Relation, prefix string) {
		for i := range n {
			email := fmt.Sprintf("%s%d@example.dk", prefix, i)
			raters = append(raters, csvfile.RaterRow{Line: len(raters) + 2, SubjectEmail: e.person.Email, RaterEmail: email, Relation: rel})
			rows = append(rows, csvfile.ResponseRow{Line: len(rows) + 2, Email: email, SubjectEmail: e.person.Email, Relation: rel, Answers: allAnswered(e.in, 3)})
		}
	}
	add(o.managers, survey.Manager, "chef")
	add(o.peers, survey.Peer, "kollega")
	add(o.reports, survey.Employee, "medarbejder")
	if len(raters) > 0 {
		_, err := e.db.ImportRaters(ctx, round.ID, raters, nil)
		must(t, err)
	}
	if !o.noSelf {
		rows = append(rows, csvfile.ResponseRow{Line: len(rows) + 2, Email: e.person.Email, Answers: selfAnswers360(e.in)})
	}
	if len(rows) > 0 {
		_, err := e.db.ImportResponses(ctx, &round, rows)
		must(t, err)
	}
	if !o.open {
		must(t, e.db.CloseRound(ctx, round.ID, 5))
		round.Status = survey.RoundClosed
	}
	return session, round
}

// allAnswered answers every item of in with v.
func allAnswered(in *survey.Instrument, v survey.Answer) survey.Answers {
	a := survey.Answers{}
	for _, comp := range in.Competences {
		for _, it := range comp.Items {
			a[it.ID] = v
		}
	}
	return a
}

// TestResultOthers is the leader's result in 360 rounds: self beside
// others, per relation where the rule lets it through, blind spots,
// hidden strengths, the items with the largest gaps and how many answered;
// a self-only round's result is as before, and an open 360 round says
// when others' answers come.
func TestResultOthers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	in := e.in
	da := func(lang string) []*http.Cookie { return []*http.Cookie{{Name: "lang", Value: lang}} }
	with := func(s *http.Cookie, lang string) []*http.Cookie { return append([]*http.Cookie{s}, da(lang)...) }
	blind := in.Competences[0].Label.In(survey.Danish)
	hidden := in.Competences[1].Label.In(survey.Danish)
	firstItem := in.Competences[0].Items[0].Text.In(survey.Danish)

	peersReports, _ := e.threeSixty(t, "360 alle", raters360{peers: 5, reports: 5})
	managerHidden, _ := e.threeSixty(t, "360 leder skjult", raters360{managers: 1, peers: 5, reports: 5})
	managerShown, _ := e.threeSixty(t, "360 leder vist", raters360{managers: 1, peers: 5, reports: 5, managerShown: true})
	noSelf, _ := e.threeSixty(t, "360 uden selv", raters360{peers: 5, reports: 5, noSelf: true})
	tooFew, _ := e.threeSixty(t, "360 få", raters360{managers: 1, peers: 3})
	open, _ := e.threeSixty(t, "360 åben", raters360{peers: 5, reports: 5, open: true})

	section := "Sådan ser andre dig"
	tests := []scenario{
		{name: "a self-only round, open, looks as before", req: request{path: "/result", cookies: []*http.Cookie{e.login(e.token)}},
			wantStatus: http.StatusOK, notWant: []string{section, "radar-others"}},
		{name: "a self-only round, closed, looks as before", req: request{path: "/result", cookies: []*http.Cookie{e.closedSession()}},
			wantStatus: http.StatusOK, want: []string{`id="radar"`}, notWant: []string{section, "radar-others"}},
		{name: "an open 360 round says when, and no counts", req: request{path: "/result", cookies: []*http.Cookie{open}},
			wantStatus: http.StatusOK, want: []string{section, "Deres svar vises her, når de er færdige med at svare – senest når runden lukker."},
			notWant: []string{"Svar fra:", "radar-others", "5 kolleger", "10 i alt"}},
		{name: "every relation that rated shown", req: request{path: "/result", cookies: []*http.Cookie{peersReports}},
			wantStatus: http.StatusOK, want: []string{section, `id="radar-others"`,
				"Svar fra: 5 kolleger, 5 medarbejdere, 10 i alt.",
				`<th scope="col" class="num">Kolleger</th>`, `<th scope="col" class="num">Medarbejdere</th>`,
				"Din leders svar vises ikke for sig.",
				"Blinde pletter: 1. Skjulte styrker: 1.",
				blind + ": dig 4,5, andre 3,0 (forskel &#43;1,5)", hidden + ": dig 1,8, andre 3,0 (forskel −1,3)",
				"Blind plet", "Skjult styrke",
				"»" + firstItem + "« Dig: 5, andre: 3,0 (forskel &#43;2,0)",
				"mindst 0,5 højere", "mindst 5 personer"},
			notWant: []string{"Din leder</th>", "Dine kollegers svar vises ikke"}},
		{name: "a manager among peers and employees: the manager and the employees hidden", req: request{path: "/result", cookies: []*http.Cookie{managerHidden}},
			wantStatus: http.StatusOK, want: []string{"Svar fra: 5 kolleger, 11 i alt.", "Din leders svar vises ikke for sig.",
				"Dine medarbejderes svar vises ikke for sig.", `<th scope="col" class="num">Kolleger</th>`},
			notWant: []string{"1 leder", "5 medarbejdere", "Medarbejdere</th>", "Din leder</th>"}},
		{name: "the manager shown by the round", req: request{path: "/result", cookies: []*http.Cookie{managerShown}},
			wantStatus: http.StatusOK, want: []string{"Svar fra: 1 leder, 5 kolleger, 5 medarbejdere, 11 i alt.",
				"Din leders svar vises for sig, sådan som runden er sat op.", `<th scope="col" class="num">Din leder</th>`},
			notWant: []string{"vises ikke for sig"}},
		{name: "a leader without a self-assessment sees others' view only", req: request{path: "/result", cookies: []*http.Cookie{noSelf}},
			wantStatus: http.StatusOK, want: []string{"Du har ikke indsendt din besvarelse endnu.", section, `id="radar-others"`,
				"Blinde pletter: 0. Skjulte styrker: 0.", "Ingen: der er ingen kompetence", "Der er ingen udsagn at vise."},
			notWant: []string{"Blind plet<", "Dig:"}},
		{name: "too few raters: nothing of others, not even how many", req: request{path: "/result", cookies: []*http.Cookie{tooFew}},
			wantStatus: http.StatusOK, want: []string{section, "Andres samlede vurdering kan ikke vises", "Din leders svar vises ikke for sig.",
				"Dine kollegers svar vises ikke for sig."},
			notWant: []string{"Svar fra:", "radar-others", "3 kolleger", "4 i alt"}},
		{name: "in English", req: request{path: "/result", cookies: with(peersReports, "en")},
			wantStatus: http.StatusOK, want: []string{"How others see you", "Answers from: 5 peers, 5 direct reports, 10 in all.",
				"Blind spots: 1. Hidden strengths: 1.", in.Competences[0].Label.In(survey.English) + ": you 4.5, others 3.0 (gap &#43;1.5)",
				"“" + in.Competences[0].Items[0].Text.In(survey.English) + "” You: 5, others: 3.0 (gap &#43;2.0)", "at least 0.5 higher"},
			notWant: []string{"Sådan ser andre dig"}},
		{name: "an open 360 round in English", req: request{path: "/result", cookies: with(open, "en")},
			wantStatus: http.StatusOK, want: []string{"Their answers are shown here once they have finished answering – at the latest when the round closes."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, e.do(tt.req))
		})
	}
	t.Run("the three largest item gaps, largest first", func(t *testing.T) {
		body := e.do(request{path: "/result", cookies: []*http.Cookie{peersReports}}).Body.String()
		_, items, _ := strings.Cut(body, `class="item-gaps"`)
		items, _, _ = strings.Cut(items, "</section>")
		got := strings.Count(items, "<li>")
		if got != 3 {
			t.Fatalf("%d items listed, want 3:\n%s", got, items)
		}
		// +2, +2 on the first competence, then −2 on the second.
		second := in.Competences[1].Items[0].Text.In(survey.Danish)
		if i, j := strings.Index(items, in.Competences[0].Items[1].Text.In(survey.Danish)), strings.Index(items, second); i < 0 || j < i {
			t.Errorf("items in the wrong order or missing:\n%s", items)
		}
	})
}

// myData360 is the part of /my-data the 360 feedback is in.
type myData360 struct {
	Rounds []struct {
		Name     string            `json:"name"`
		Feedback []json.RawMessage `json:"feedback"`
	} `json:"rounds"`
}

// TestMyDataFeedback: the leader's data download holds, for a closed 360
// round only, others' view in the contract's shape; hidden sets carry no
// numbers, and no count tells how many of a hidden relation answered.
func TestMyDataFeedback(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	session, _ := e.threeSixty(t, "360 leder skjult", raters360{managers: 1, peers: 5, reports: 5})
	e.threeSixty(t, "360 åben", raters360{peers: 5, reports: 5, open: true})
	w := e.do(request{path: "/my-data", cookies: []*http.Cookie{session}})
	var f myData360
	if err := json.Unmarshal(w.Body.Bytes(), &f); err != nil {
		t.Fatalf("GET /my-data = %d: %v", w.Code, err)
	}
	byName := map[string][]json.RawMessage{}
	for _, r := range f.Rounds {
		byName[r.Name] = r.Feedback
	}
	if len(byName) != 4 {
		t.Fatalf("rounds %v, want Ada's four", byName)
	}
	for _, name := range []string{e.closed.Name, e.open.Name, "360 åben"} {
		if byName[name] != nil {
			t.Errorf("round %s has feedback %s, want none", name, byName[name])
		}
	}
	if !strings.Contains(w.Body.String(), `"name": "360 åben"`) || strings.Count(w.Body.String(), `"feedback"`) != 1 {
		t.Errorf("want one feedback key, in the closed 360 round")
	}
	fb := byName["360 leder skjult"]
	compact := func(r json.RawMessage) string {
		var v map[string]any
		must(t, json.Unmarshal(r, &v))
		comps := v["competences"].([]any)
		first, _ := json.Marshal(comps[0])
		delete(v, "competences")
		head, _ := json.Marshal(v)
		return fmt.Sprintf("%s %d %s", head, len(comps), first)
	}
	id := e.in.Competences[0].ID
	want := []string{
		fmt.Sprintf(`{"n":11,"relation":"others","suppressed":false} 11 {"id":%q,"mean":3,"n":11,"suppressed":false}`, id),
		fmt.Sprintf(`{"relation":"manager","suppressed":true} 11 {"id":%q,"suppressed":true}`, id),
		fmt.Sprintf(`{"n":5,"relation":"peer","suppressed":false} 11 {"id":%q,"mean":3,"n":5,"suppressed":false}`, id),
		fmt.Sprintf(`{"relation":"report","suppressed":true} 11 {"id":%q,"suppressed":true}`, id),
	}
	if len(fb) != len(want) {
		t.Fatalf("feedback has %d entries, want %d: %s", len(fb), len(want), fb)
	}
	for i := range want {
		if got := compact(fb[i]); got != want[i] {
			t.Errorf("feedback[%d] = %s\nwant %s", i, got, want[i])
		}
	}
}
