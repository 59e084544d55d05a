package data_test

import (
	"context"
	"fmt"
	"testing"

	"lederradar/data"
	"lederradar/internal/csvfile"
	"lederradar/survey"
)

// mustRaterRound makes an organisation of departments A (leaders
// a1–a5), B (b1–b5) and C (c1, c2), an open round, and raters:
// employees e1–e5 of a1–a5 (4), a manager m of all five (2), employees
// f1–f5 of b1–b5 (3) and g1, g2 of c1, c2 (1), each answering every
// item with the value in brackets — the raters listed in submit only;
// all have a link.
func mustRaterRound(t *testing.T, db *data.DB, submit func(rater string) bool) (*survey.Round, *survey.Instrument) {
	t.Helper()
	ctx := context.Background()
	in := mustInstrument(t, db, "test-1")
	var people []csvfile.PersonRow
	for _, d := range []struct {
		dept, prefix string
		n            int
	}{{"A", "a", 5}, {"B", "b", 5}, {"C", "c", 2}} {
		for i := 1; i <= d.n; i++ {
			email := fmt.Sprintf("%s%d@example.dk", d.prefix, i)
			people = append(people, csvfile.PersonRow{Line: len(people) + 2, Email: email, Name: "Leder " + email, Department: d.dept})
		}
	}
	if _, err := db.ImportPeople(ctx, people); err != nil {
		t.Fatal(err)
	}
	round := mustRound(t, db, "360 2027", survey.RoundOpen)
	type rating struct {
		rater, subject string
		rel            survey.Relation
		value          survey.Answer
	}
	var ratings []rating
	add := func(prefix, subjects string, n int, value survey.Answer) {
		for i := 1; i <= n; i++ {
			ratings = append(ratings, rating{fmt.Sprintf("%s%d", prefix, i), fmt.Sprintf("%s%d", subjects, i), survey.Employee, value})
		}
	}
	add("e", "a", 5, 4)
	for i := 1; i <= 5; i++ {
		ratings = append(ratings, rating{"m", fmt.Sprintf("a%d", i), survey.Manager, 2})
	}
	add("f", "b", 5, 3)
	add("g", "c", 2, 1)
	var rows []csvfile.RaterRow
	var answers []csvfile.ResponseRow
	for i, r := range ratings {
		rows = append(rows, csvfile.RaterRow{Line: i + 2, SubjectEmail: r.subject + "@example.dk", RaterEmail: r.rater + "@example.dk", Relation: r.rel})
		if !submit(r.rater) {
			continue
		}
		a := survey.Answers{}
		for _, comp := range in.Competences {
			for _, it := range comp.Items {
				a[it.ID] = r.value
			}
		}
		answers = append(answers, csvfile.ResponseRow{Line: len(answers) + 2, Email: r.rater + "@example.dk",
			SubjectEmail: r.subject + "@example.dk", Relation: r.rel, Answers: a})
	}
	if _, err := db.ImportRaters(ctx, round.ID, rows, nil); err != nil {
		t.Fatal(err)
	}
	if len(answers) > 0 {
		if _, err := db.ImportResponses(ctx, round, answers); err != nil {
			t.Fatal(err)
		}
	}
	r, err := db.FindRoundByID(ctx, round.ID)
	if err != nil {
		t.Fatal(err)
	}
	return r, in
}

// othersShown describes what a raters' report shows on its first
// competence, group by group.
func othersShown(o *data.OthersReport) string {
	groups, err := o.Groups(context.Background())
	if err != nil {
		return err.Error()
	}
	s := ""
	for _, g := range groups {
		s += fmt.Sprintf("%s n=%d", g.Key, g.N)
		if ca := g.Competences[0]; !ca.Suppressed {
			s += fmt.Sprintf(" mean=%.3f n=%d", ca.Mean, ca.N)
		}
		s += "; "
	}
	return s
}

func TestRoundOthersReport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	round, _ := mustRaterRound(t, db, func(string) bool { return true })
	_, err := db.RoundOthersReport(ctx, round, 5)
	wantCode(t, err, survey.ECONFLICT)
	if err := db.CloseRound(ctx, round.ID, 5); err != nil {
		t.Fatal(err)
	}
	round, err = db.FindRoundByID(ctx, round.ID)
	if err != nil {
		t.Fatal(err)
	}
	o, err := db.RoundOthersReport(ctx, round, 7)
	if err != nil {
		t.Fatal(err)
	}
	// C's two leaders and raters are too few; the organisation less A
	// less B would give them away, so B, the smaller, goes. The manager
	// of a1–a5 is one of A's six raters, with five ratings in its mean.
	want := "organisation n=13 mean=2.765 n=13; department-1 n=6 mean=3.000 n=6; department-2 n=5; department-3 n=2; "
	if got := othersShown(o); got != want || o.MinGroup != 5 {
		t.Fatalf("report (k=%d) = %s\nwant %s", o.MinGroup, got, want)
	}
	t.Run("groups by key", func(t *testing.T) {
		gs, err := o.Groups(ctx, "department-2", "organisation", "organisation")
		if err != nil || len(gs) != 2 || gs[0].Key != "organisation" || gs[1].Key != "department-2" {
			t.Fatalf("Groups(department-2, organisation) = %+v, %v; want both in the report's order", gs, err)
		}
		if g, err := o.Group(ctx, "department-1"); err != nil || g.Key != "department-1" || g.N != 6 {
			t.Errorf("Group(department-1) = %+v, %v", g, err)
		}
		_, err = o.Group(ctx, "team-99")
		wantCode(t, err, survey.ENOTFOUND)
		_, err = o.Groups(ctx, "organisation", "team-99")
		wantCode(t, err, survey.ENOTFOUND)
	})
	t.Run("final after a rater is erased", func(t *testing.T) {
		e1, err := db.FindPersonByEmail(ctx, "e1@example.dk")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.ErasePerson(ctx, e1.ID, "test"); err != nil {
			t.Fatal(err)
		}
		again, err := db.RoundOthersReport(ctx, round, 5)
		if err != nil || othersShown(again) != want {
			t.Errorf("after the erasure: %v, %v; want %s", othersShown(again), err, want)
		}
	})
	t.Run("a self-only round has none", func(t *testing.T) {
		self := mustRound(t, db, "Selv 2027", survey.RoundOpen)
		if err := db.CloseRound(ctx, self.ID, 5); err != nil {
			t.Fatal(err)
		}
		self, err := db.FindRoundByID(ctx, self.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.RoundOthersReport(ctx, self, 5)
		wantCode(t, err, survey.ENOTFOUND)
	})
}

// TestRoundOthersReportBuiltOnce: a round closed without its raters'
// report has it built at the first view with the round's threshold, and
// kept.
func TestRoundOthersReportBuiltOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	round, _ := mustRaterRound(t, db, func(string) bool { return true })
	if err := db.SetRoundStatus(ctx, round.ID, survey.RoundClosed); err != nil {
		t.Fatal(err)
	}
	round, err := db.FindRoundByID(ctx, round.ID)
	if err != nil {
		t.Fatal(err)
	}
	o, err := db.RoundOthersReport(ctx, round, 6)
	if err != nil {
		t.Fatal(err)
	}
	// At 6, A's five leaders are too few, and so are B's and C's.
	want := "organisation n=13 mean=2.765 n=13; department-1 n=6; department-2 n=5; department-3 n=2; "
	if got := othersShown(o); got != want || o.MinGroup != 6 {
		t.Fatalf("report (k=%d) = %s\nwant %s", o.MinGroup, got, want)
	}
	if again, err := db.RoundOthersReport(ctx, round, 3); err != nil || again.MinGroup != 6 || othersShown(again) != want {
		t.Errorf("again at 3: k=%d %s, %v; want the kept one", again.MinGroup, othersShown(again), err)
	}
}

func TestFindRaterProgress(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	// e1, m and f1–f4 have submitted.
	round, _ := mustRaterRound(t, db, func(r string) bool { return r == "e1" || r == "m" || (r[0] == 'f' && r != "f5") })
	groups, err := db.FindGroups(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, g := range groups {
		ids = append(ids, g.ID)
	}
	p, err := db.FindRaterProgress(ctx, round.ID, ids)
	if err != nil {
		t.Fatal(err)
	}
	want := [3]data.RelationCounts{
		{Raters: 1, RatersSubmitted: 1, Invited: 5, Submitted: 5}, // m, of a1–a5
		{}, // no peers
		{Raters: 12, RatersSubmitted: 5, Invited: 12, Submitted: 5}, // e1–e5, f1–f5, g1, g2
	}
	if p.Organisation != want {
		t.Errorf("organisation = %+v, want %+v", p.Organisation, want)
	}
	wantGroup := map[string][3]data.RelationCounts{
		"A": {{Raters: 1, RatersSubmitted: 1, Invited: 5, Submitted: 5}, {}, {Raters: 5, RatersSubmitted: 1, Invited: 5, Submitted: 1}},
		"B": {{}, {}, {Raters: 5, RatersSubmitted: 4, Invited: 5, Submitted: 4}},
		"C": {{}, {}, {Raters: 2, Invited: 2}},
	}
	for _, g := range groups {
		if got := p.Groups[g.ID]; got != wantGroup[g.Name] {
			t.Errorf("%s = %+v, want %+v", g.Name, got, wantGroup[g.Name])
		}
	}
}
