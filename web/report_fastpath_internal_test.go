package web

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/internal/orggen"
	"lederradar/scoring"
	"lederradar/survey"
)

// naiveReport builds a round's report the way it was built before the fast
// path: every person, every group and membership, everyone's progress and
// every answer of every submitted response, read one finder at a time, and
// the profiles computed from the answers.
func naiveReport(ctx context.Context, s *Server, round *survey.Round) (*roundReport, error) {
	in, err := s.instrumentFor(ctx, round.InstrumentVersion)
	if err != nil {
		return nil, err
	}
	people, err := s.db.FindPeople(ctx)
	if err != nil {
		return nil, err
	}
	groups, err := s.db.FindGroups(ctx, "")
	if err != nil {
		return nil, err
	}
	members, err := s.db.FindGroupMembers(ctx)
	if err != nil {
		return nil, err
	}
	progress, err := s.db.FindRoundProgress(ctx, round.ID)
	if err != nil {
		return nil, err
	}
	invited, started, submitted := map[int64]bool{}, map[int64]bool{}, map[int64]bool{}
	for _, p := range progress {
		invited[p.PersonID], started[p.PersonID], submitted[p.PersonID] = p.Invited, p.Started, p.Submitted
	}
	everyone := make([]int64, 0, len(people))
	for _, p := range people {
		everyone = append(everyone, p.ID)
	}
	sort.Slice(groups, func(i, j int) bool {
		if groups[i].Kind != groups[j].Kind {
			return groups[i].Kind == survey.Department
		}
		return groups[i].Name < groups[j].Name
	})
	specs := []scoring.GroupSpec{{Key: groupKey(survey.Organisation, 0), Kind: survey.Organisation, Members: everyone}}
	for _, g := range groups {
		specs = append(specs, scoring.GroupSpec{Key: groupKey(g.Kind, g.ID), Kind: g.Kind, ID: g.ID, Name: g.Name, Members: members[g.ID]})
	}
	r := &roundReport{Round: round, Instrument: in, MinGroup: s.minGroup}
	for _, spec := range specs {
		g := reportGroup{Spec: spec, Members: len(spec.Members)}
		g.Spec.Members = nil // a report holds counts, not members
		for _, id := range spec.Members {
			if invited[id] {
				g.Invited++
			}
			if started[id] {
				g.Started++
			}
			if submitted[id] {
				g.Submitted++
			}
		}
		r.Groups = append(r.Groups, g)
	}
	r.Invited, r.Started, r.Answered = r.Groups[0].Invited, r.Groups[0].Started, r.Groups[0].Submitted
	if round.Status != survey.RoundClosed {
		return r, nil
	}
	responses, err := s.db.FindSubmittedResponses(ctx, round.ID)
	if err != nil {
		return nil, err
	}
	var respondents []scoring.Respondent
	for _, resp := range responses {
		respondents = append(respondents, scoring.Respondent{PersonID: resp.SubjectID, Answers: resp.Answers})
	}
	profiles := scoring.Profiles(in, specs, respondents, s.minGroup)
	for i := range r.Groups {
		p := profiles[i]
		r.Groups[i].Profile = &p
	}
	return r, nil
}

// generatedServer is a server on a generated organisation of n people.
func generatedServer(tb testing.TB, n int) (*Server, *data.DB, *orggen.Org) {
	tb.Helper()
	db, org := generatedDB(tb, n)
	in, err := survey.DefaultInstrument()
	if err != nil {
		tb.Fatal(err)
	}
	s := quietServer(tb, db, in)
	return s, db, org
}

// TestReportFastPathEqualsNaive proves the report HR sees — counts and
// profiles after the anonymity rule — the same whether it is built from
// the stored tallies in one snapshot or, as before, from every answer.
// (scoring's TestProfilesEqualsNaive proves the indexed rule equal to the
// direct one.)
func TestReportFastPathEqualsNaive(t *testing.T) {
	ctx := context.Background()
	s, db, org := generatedServer(t, 600)
	compare := func(t *testing.T, round *survey.Round) {
		t.Helper()
		want, err := naiveReport(ctx, s, round)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.makeReport(ctx, round)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Groups) != len(want.Groups) {
			t.Fatalf("%d groups, want %d", len(got.Groups), len(want.Groups))
		}
		shown := 0
		for i := range want.Groups {
			if !reflect.DeepEqual(got.Groups[i], want.Groups[i]) {
				t.Fatalf("group %s:\n got %+v\nwant %+v", want.Groups[i].Spec.Key, got.Groups[i], want.Groups[i])
			}
			if p := want.Groups[i].Profile; p != nil && !p.Suppressed {
				shown++
			}
		}
		if got.Invited != want.Invited || got.Started != want.Started || got.Answered != want.Answered {
			t.Errorf("totals %d/%d/%d, want %d/%d/%d", got.Invited, got.Started, got.Answered, want.Invited, want.Started, want.Answered)
		}
		if round.Status == survey.RoundClosed && shown < 10 {
			t.Errorf("only %d groups shown: the comparison proves little", shown)
		}
	}
	for _, r := range org.ClosedRounds {
		t.Run("closed "+r.Name, func(t *testing.T) { compare(t, &r) })
	}
	t.Run("open round counts", func(t *testing.T) { compare(t, &org.OpenRound) })

	t.Run("after erasure and changed answers", func(t *testing.T) {
		// Erase a few people, and change a submitted answer in the open
		// round, then close it: the tallies must follow.
		for _, l := range org.Links[:5] {
			if err := db.ErasePerson(ctx, l.PersonID, "test"); err != nil {
				t.Fatal(err)
			}
		}
		for _, l := range org.Links[5:] {
			if l.State != orggen.Submitted {
				continue
			}
			first := s.instrument.Competences[0].Items[0].ID
			if _, err := db.SaveAnswers(ctx, data.AnswerSave{RoundID: org.OpenRound.ID, SubjectID: l.PersonID, RaterID: l.PersonID,
				Relation: survey.Self, FormKey: "late-change", Answers: survey.Answers{first: 1}}); err != nil {
				t.Fatal(err)
			}
			break
		}
		if err := db.SetRoundStatus(ctx, org.OpenRound.ID, survey.RoundClosed); err != nil {
			t.Fatal(err)
		}
		closed, err := db.FindRoundByID(ctx, org.OpenRound.ID)
		if err != nil {
			t.Fatal(err)
		}
		compare(t, closed)
		for _, r := range org.ClosedRounds {
			compare(t, &r)
		}
	})
}

// TestWarmReports checks that warming builds every closed round's report
// into the cache, and nothing for open rounds.
func TestWarmReports(t *testing.T) {
	s, _, org := generatedServer(t, 120)
	if err := s.WarmReports(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range org.ClosedRounds {
		if _, ok := s.reports[r.ID]; !ok {
			t.Errorf("round %s not warmed", r.Name)
		}
	}
	if _, ok := s.reports[org.OpenRound.ID]; ok {
		t.Error("the open round's report was cached")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.WarmReports(ctx); err == nil {
		t.Error("WarmReports with an ended context succeeded")
	}
}

// TestKeepReportsWarm checks that the closed rounds' reports are read
// at the start and read again after a close, and that the keeper stops
// with its context.
func TestKeepReportsWarm(t *testing.T) {
	s, _, org := generatedServer(t, 120)
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan error, 1)
	go func() { stopped <- s.KeepReportsWarm(ctx) }()
	warm := func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, r := range org.ClosedRounds {
			if _, ok := s.reports[r.ID]; !ok {
				return false
			}
		}
		return true
	}
	waitWarm := func(what string) {
		t.Helper()
		deadline := time.Now().Add(time.Minute)
		for !warm() {
			if time.Now().After(deadline) {
				t.Fatalf("%s: the reports were not built", what)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitWarm("at the start")
	s.forgetReports()
	if warm() {
		t.Fatal("the reports were held after they were forgotten")
	}
	s.warmReportsSoon() // as a close does
	waitWarm("after a close")
	cancel()
	if err := <-stopped; err == nil {
		t.Error("KeepReportsWarm ended without an error when its context did")
	}
}

// TestOpenRoundOverviewEqualsReport proves an open round's overview, read
// a page at a time from the counts the database keeps, equal to the
// counts of the round's report built from everyone's progress: the same
// groups in the same order, with the same members and counts, before and
// after erasures, moves between departments and teams, new links and
// submits.
func TestOpenRoundOverviewEqualsReport(t *testing.T) {
	ctx := context.Background()
	s, db, org := generatedServer(t, 600)
	compare := func(t *testing.T) {
		t.Helper()
		want, err := naiveReport(ctx, s, &org.OpenRound)
		if err != nil {
			t.Fatal(err)
		}
		total, err := db.CountGroupRows(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if total != len(want.Groups) {
			t.Fatalf("%d rows, want %d groups", total, len(want.Groups))
		}
		var got []data.GroupProgress
		for first := 0; first < total; first += roundPageSize {
			page, err := db.FindGroupProgress(ctx, org.OpenRound.ID, first, min(roundPageSize, total-first))
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, page...)
		}
		if len(got) != len(want.Groups) {
			t.Fatalf("%d rows, want %d", len(got), len(want.Groups))
		}
		for i, w := range want.Groups {
			g := got[i]
			if g.Group.Kind != w.Spec.Kind || g.Group.ID != w.Spec.ID || g.Group.Name != w.Spec.Name || g.Members != w.Members ||
				g.Invited != w.Invited || g.Started != w.Started || g.Submitted != w.Submitted {
				t.Fatalf("row %d = %+v, want %s with %d members, %d/%d/%d", i, g, w.Spec.Key, w.Members, w.Invited, w.Started, w.Submitted)
			}
		}
		if want.Answered == 0 || want.Started == want.Answered {
			t.Errorf("counts %d/%d/%d: the comparison proves little", want.Invited, want.Started, want.Answered)
		}
	}
	t.Run("generated", compare)
	t.Run("after changes", func(t *testing.T) {
		for _, l := range org.Links[:5] {
			if err := db.ErasePerson(ctx, l.PersonID, "test"); err != nil {
				t.Fatal(err)
			}
		}
		teams, err := db.FindGroups(ctx, survey.Team)
		if err != nil {
			t.Fatal(err)
		}
		depts, err := db.FindGroups(ctx, survey.Department)
		if err != nil {
			t.Fatal(err)
		}
		for i, l := range org.Links[5:40] {
			p, err := db.FindPersonByID(ctx, l.PersonID)
			if err != nil {
				t.Fatal(err)
			}
			p.DepartmentID = depts[i%len(depts)].ID
			if err := db.UpdatePerson(ctx, p); err != nil {
				t.Fatal(err)
			}
			if err := db.SetPersonTeams(ctx, l.PersonID, []int64{teams[i%len(teams)].ID}); err != nil {
				t.Fatal(err)
			}
			if l.State != orggen.Submitted {
				if _, err := db.SubmitResponse(ctx, org.OpenRound.ID, l.PersonID, l.PersonID, survey.Self, fmt.Sprintf("late-%d", i)); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := db.DeleteGroup(ctx, teams[0].ID); err != nil {
			t.Fatal(err)
		}
		compare(t)
	})
}

// TestClosedReportsKeepTheirGroups changes the organisation in every way
// an administrator can and finds every closed round's report — groups,
// members, counts and profiles after the anonymity rule — as it was:
// moving one person in and out of a team must never show the team with
// and without their answers. An erasure still changes it.
func TestClosedReportsKeepTheirGroups(t *testing.T) {
	ctx := context.Background()
	s, db, org := generatedServer(t, 300)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	before := map[int64]*roundReport{}
	for _, r := range org.ClosedRounds {
		rep, err := s.makeReport(ctx, &r)
		if err != nil {
			t.Fatal(err)
		}
		before[r.ID] = rep
	}
	depts, err := db.FindGroups(ctx, survey.Department)
	if err != nil {
		t.Fatal(err)
	}
	teams, err := db.FindGroups(ctx, survey.Team)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range org.Links[:60] {
		p, err := db.FindPersonByID(ctx, l.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		p.DepartmentID = depts[(i*7)%len(depts)].ID
		must(db.UpdatePerson(ctx, p))
		must(db.SetPersonTeams(ctx, l.PersonID, []int64{teams[i%len(teams)].ID}))
	}
	must(db.CreatePerson(ctx, &survey.Person{Email: "ny@example.dk", Name: "Ny Kollega", DepartmentID: depts[0].ID}))
	must(db.RenameGroup(ctx, depts[0].ID, "Omdøbt afdeling"))
	must(db.DeleteGroup(ctx, teams[1].ID))
	must(db.DeleteGroup(ctx, depts[1].ID))
	for _, r := range org.ClosedRounds {
		after, err := s.makeReport(ctx, &r)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(after.Groups, before[r.ID].Groups) {
			t.Errorf("round %s: the report changed with the organisation", r.Name)
		}
	}
	// The open round follows today's organisation.
	now, err := s.makeReport(ctx, &org.OpenRound)
	if err != nil {
		t.Fatal(err)
	}
	if len(now.Groups) != 1+len(depts)+len(teams)-2 {
		t.Errorf("the open round has %d groups, want today's %d", len(now.Groups), 1+len(depts)+len(teams)-2)
	}
	// An erased respondent leaves every closed round.
	var erased int64
	for _, l := range org.Links {
		if l.State == orggen.Submitted {
			erased = l.PersonID
			break
		}
	}
	must(db.ErasePerson(ctx, erased, "test"))
	r := org.ClosedRounds[0]
	after, err := s.makeReport(ctx, &r)
	if err != nil {
		t.Fatal(err)
	}
	if after.Groups[0].Profile.N >= before[r.ID].Groups[0].Profile.N {
		t.Errorf("after an erasure the organisation has %d respondents, had %d", after.Groups[0].Profile.N, before[r.ID].Groups[0].Profile.N)
	}
}
