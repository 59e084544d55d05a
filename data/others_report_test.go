package data_test

import (
	"context"
	"fmt"
	"testing"

	"lederradar/data"
	"lederradar/internal/csvfile"
	"lederradar/survey"
)

// mustRaterRound makes an organisation of departments A (leaders a1, a2),
// B (b1) and C (c1), an open round, and raters: employees e1–e3 of a1
// and e4–e6 of a2 (4), a manager m of both a1 and a2 (2), employees
// f1–f5 of b1 (3) and g1, g2 of c1 (1), each answering every item with
// the value in brackets — the raters listed in submit only; all have a
// link.
func mustRaterRound(t *testing.T, db *data.DB, submit func(rater string) bool) (*survey.Round, *survey.Instrument) {
	t.Helper()
	ctx := context.Background()
	in := mustInstrument(t, db, "test-1")
	var people []csvfile.PersonRow
	for i, p := range [][2]string{{"a1", "A"}, {"a2", "A"}, {"b1", "B"}, {"c1", "C"}} {
		people = append(people, csvfile.PersonRow{Line: i + 2, Email: p[0] + "@example.dk", Name: "Leder " + p[0], Department: p[1]})
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
	add := func(prefix string, from, to int, subject string, value survey.Answer) {
		for i := from; i <= to; i++ {
			ratings = append(ratings, rating{fmt.Sprintf("%s%d", prefix, i), subject, survey.Employee, value})
		}
	}
	add("e", 1, 3, "a1", 4)
	add("e", 4, 6, "a2", 4)
	ratings = append(ratings, rating{"m", "a1", survey.Manager, 2}, rating{"m", "a2", survey.Manager, 2})
	add("f", 1, 5, "b1", 3)
	add("g", 1, 2, "c1", 1)
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
	s := ""
	for _, g := range o.Groups {
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
	// C's two raters are too few; the organisation less A less B would
	// give them away, so B, the smaller, goes. The manager of a1 and a2
	// is one of A's seven raters, with two ratings in its mean.
	want := "organisation n=14 mean=3.000 n=14; department-1 n=7 mean=3.500 n=7; department-2 n=5; department-3 n=2; "
	if got := othersShown(o); got != want || o.MinGroup != 5 {
		t.Fatalf("report (k=%d) = %s\nwant %s", o.MinGroup, got, want)
	}
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
	// At 6, B's five raters are too few, and A less nothing is fine.
	want := "organisation n=14 mean=3.000 n=14; department-1 n=7 mean=3.500 n=7; department-2 n=5; department-3 n=2; "
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
	p, err := db.FindRaterProgress(ctx, round.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := [3]data.RelationCounts{
		{Raters: 1, RatersSubmitted: 1, Invited: 2, Submitted: 2}, // m, of a1 and a2
		{}, // no peers
		{Raters: 13, RatersSubmitted: 5, Invited: 13, Submitted: 5}, // e1–e6, f1–f5, g1, g2
	}
	if p.Organisation != want {
		t.Errorf("organisation = %+v, want %+v", p.Organisation, want)
	}
	groups, err := db.FindGroups(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	wantGroup := map[string][3]data.RelationCounts{
		"A": {{Raters: 1, RatersSubmitted: 1, Invited: 2, Submitted: 2}, {}, {Raters: 6, RatersSubmitted: 1, Invited: 6, Submitted: 1}},
		"B": {{}, {}, {Raters: 5, RatersSubmitted: 4, Invited: 5, Submitted: 4}},
		"C": {{}, {}, {Raters: 2, Invited: 2}},
	}
	for _, g := range groups {
		if got := p.Groups[g.ID]; got != wantGroup[g.Name] {
			t.Errorf("%s = %+v, want %+v", g.Name, got, wantGroup[g.Name])
		}
	}
}
