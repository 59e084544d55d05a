package web_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"lederradar/internal/csvfile"
	"lederradar/survey"
)

// raterVisits adds two 360 rounds to the walk's demo organisation, as an
// administrator imports them, and returns HR's pages of them: a closed
// one's overview, a group's raters' view shown and one suppressed, and an
// open one's counts per relation.
func (app *a11yApp) raterVisits(t *testing.T) []a11yVisit {
	t.Helper()
	closed := app.raterRound(t, "360-runde (lukket)", true)
	open := app.raterRound(t, "360-runde (åben)", false)
	others, err := app.db.RoundOthersReport(context.Background(), closed, 5)
	if err != nil {
		t.Fatal(err)
	}
	groups, err := others.Groups(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var shown, suppressed string
	for _, g := range groups {
		path := fmt.Sprintf("/hr/rounds/%d/groups/%s/others", closed.ID, g.Key)
		switch {
		case g.Kind == survey.Department && !g.Suppressed && shown == "":
			shown = path
		case g.Suppressed && suppressed == "":
			suppressed = path
		}
	}
	if shown == "" || suppressed == "" {
		t.Fatalf("the closed 360 round shows no department (%q) or suppresses no group (%q)", shown, suppressed)
	}
	const route = "/hr/rounds/:round/groups/:group/others"
	return []a11yVisit{
		{Role: "hr", Name: "hr-round-closed-360", Path: fmt.Sprintf("/hr/rounds/%d", closed.ID), Route: "/hr/rounds/:round"},
		{Role: "hr", Name: "hr-round-open-360", Path: fmt.Sprintf("/hr/rounds/%d", open.ID), Route: "/hr/rounds/:round", Screenshot: "hr-raters-open"},
		{Role: "hr", Name: "hr-others", Path: shown, Route: route, Screenshot: "hr-others"},
		{Role: "hr", Name: "hr-others-suppressed", Path: suppressed, Route: route},
		{Role: "hr", Name: "hr-others-open", Path: fmt.Sprintf("/hr/rounds/%d/groups/organisation/others", open.ID), Route: route, Status: http.StatusConflict},
	}
}

// raterRound makes a 360 round in which every demo leader assesses
// themself (when closed) and is rated by their department's manager and
// by employees of their own: five, or two for every third leader, so
// that some combinations of groups are too small to show. In the open
// round, half the raters have answered.
func (app *a11yApp) raterRound(t *testing.T, name string, close bool) *survey.Round {
	t.Helper()
	ctx := context.Background()
	people, err := app.db.FindPeople(ctx)
	if err != nil {
		t.Fatal(err)
	}
	round := &survey.Round{Name: name, Status: survey.RoundOpen, InstrumentVersion: app.closed.InstrumentVersion}
	if err := app.db.CreateRound(ctx, round); err != nil {
		t.Fatal(err)
	}
	in, err := app.db.CachedInstrument(ctx, round.InstrumentVersion)
	if err != nil {
		t.Fatal(err)
	}
	// Answers from 2 to 5 whose mean varies by competence; phase sets
	// the pattern, so that raters and leaders see things differently.
	answers := func(seed, phase int) survey.Answers {
		a := survey.Answers{}
		for c, comp := range in.Competences {
			for j, it := range comp.Items {
				a[it.ID] = survey.Answer(2 + (c*phase+seed%2)%3 + j%2)
			}
		}
		return a
	}
	var raters []csvfile.RaterRow
	var responses []csvfile.ResponseRow
	rate := func(rater string, p survey.Person, rel survey.Relation, seed int) {
		raters = append(raters, csvfile.RaterRow{Line: len(raters) + 2, SubjectEmail: p.Email, RaterEmail: rater, Relation: rel})
		if close || seed%2 == 0 {
			responses = append(responses, csvfile.ResponseRow{Line: len(responses) + 2, Email: rater, SubjectEmail: p.Email, Relation: rel, Answers: answers(seed, 7)})
		}
	}
	for i, p := range people {
		rate(fmt.Sprintf("chef.%d@demo.kommune.dk", p.DepartmentID), p, survey.Manager, i)
		n := 5
		if i%3 == 0 {
			n = 2
		}
		for j := range n {
			rate(fmt.Sprintf("medarbejder.%d.%d@demo.kommune.dk", p.ID, j), p, survey.Employee, i+j+1)
		}
		if close {
			responses = append(responses, csvfile.ResponseRow{Line: len(responses) + 2, Email: p.Email, Answers: answers(i, 5)})
		}
	}
	if _, err := app.db.ImportRaters(ctx, round.ID, raters, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := app.db.ImportResponses(ctx, round, responses); err != nil {
		t.Fatal(err)
	}
	if close {
		if err := app.db.CloseRound(ctx, round.ID, 5); err != nil {
			t.Fatal(err)
		}
	}
	if round, err = app.db.FindRoundByID(ctx, round.ID); err != nil {
		t.Fatal(err)
	}
	return round
}

// raterRound adds a closed 360 round to the security fixture: the first
// six leaders, with hostile names, each rated by five employees who
// answer everything with 3.
func (e *secEnv) raterRound(ctx context.Context) survey.Round {
	e.tb.Helper()
	round := survey.Round{Name: "=" + xssSvg + " 360", Status: survey.RoundOpen, InstrumentVersion: e.in.Version}
	must(e.tb, e.db.CreateRound(ctx, &round))
	var raters []csvfile.RaterRow
	var responses []csvfile.ResponseRow
	for _, p := range e.people[:6] {
		for j := range 5 {
			rater := fmt.Sprintf("bedoemmer.%d.%d@example.dk", p.ID, j)
			raters = append(raters, csvfile.RaterRow{Line: len(raters) + 2, SubjectEmail: p.Email, RaterEmail: rater, Relation: survey.Employee})
			a := survey.Answers{}
			for _, c := range e.in.Competences {
				for _, it := range c.Items {
					a[it.ID] = 3
				}
			}
			responses = append(responses, csvfile.ResponseRow{Line: len(responses) + 2, Email: rater, SubjectEmail: p.Email, Relation: survey.Employee, Answers: a})
		}
	}
	_, err := e.db.ImportRaters(ctx, round.ID, raters, nil)
	must(e.tb, err)
	_, err = e.db.ImportResponses(ctx, &round, responses)
	must(e.tb, err)
	must(e.tb, e.db.CloseRound(ctx, round.ID, 5))
	return round
}
