package data_test

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/internal/orggen"
	"lederradar/internal/testdb"
	"lederradar/scoring"
	"lederradar/survey"
)

// reportMinGroup is the anonymity threshold the reports of these tests
// are built with: the default, as a server without --min-group has it.
const reportMinGroup = scoring.DefaultMinGroup

// generated is a database holding a generated organisation.
type generated struct {
	db   *data.DB
	path string
	org  *orggen.Org
	in   *survey.Instrument
}

// generatedOrgs are the organisations generatedDB makes, by size: one
// takes seconds to generate under the race detector, and the tests ask
// for the same few sizes.
var generatedOrgs sync.Map // number of people → *testdb.Template[orggen.Org]

// generatedDB opens a copy of an organisation of n people generated into a
// new database (seed 7, 1 April 2026), with what the generator returned.
func generatedDB(tb testing.TB, n int) *generated {
	tb.Helper()
	in, err := survey.DefaultInstrument()
	if err != nil {
		tb.Fatal(err)
	}
	tmpl, _ := generatedOrgs.LoadOrStore(n, &testdb.Template[orggen.Org]{})
	path, org := tmpl.(*testdb.Template[orggen.Org]).Copy(tb, "gen.db", func(path string) (orggen.Org, error) {
		db, err := data.Open(path)
		if err != nil {
			return orggen.Org{}, err
		}
		org, err := orggen.Generate(context.Background(), db, in, survey.DefaultInstrumentFile(), orggen.Config{People: n, Seed: 7, Now: time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)})
		if cerr := db.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return orggen.Org{}, err
		}
		return *org, nil
	})
	org.ClosedRounds = slices.Clone(org.ClosedRounds)
	org.Submitted = maps.Clone(org.Submitted)
	org.Links = slices.Clone(org.Links)
	return &generated{db: mustOpenDBAt(tb, path), path: path, org: &org, in: in}
}

// restarted opens the database again, as a restart of the program does:
// nothing the first handle holds in memory is there.
func (g *generated) restarted(tb testing.TB) *data.DB {
	tb.Helper()
	return mustOpenDBAt(tb, g.path)
}

// submitter returns a person who submitted in the open round (and so,
// generated alike, in the closed ones).
func (g *generated) submitter(tb testing.TB) int64 {
	tb.Helper()
	for _, l := range g.org.Links {
		if l.State == orggen.Submitted {
			return l.PersonID
		}
	}
	tb.Fatal("no respondent")
	return 0
}

// naiveReport builds a round's report the way it was built before the
// fast path: every person, every group and membership, everyone's
// progress and every answer of every submitted response, read one finder
// at a time, and the profiles computed from the answers.
func naiveReport(ctx context.Context, db *data.DB, round *survey.Round, minGroup int) (*data.RoundReport, error) {
	in, err := db.FindInstrument(ctx, round.InstrumentVersion)
	if err != nil {
		return nil, err
	}
	people, err := db.FindPeople(ctx)
	if err != nil {
		return nil, err
	}
	groups, err := db.FindGroups(ctx, "")
	if err != nil {
		return nil, err
	}
	members, err := db.FindGroupMembers(ctx)
	if err != nil {
		return nil, err
	}
	progress, err := db.FindRoundProgress(ctx, round.ID)
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
	specs := []scoring.GroupSpec{{Key: "organisation", Kind: survey.Organisation, Members: everyone}}
	for _, g := range groups {
		specs = append(specs, scoring.GroupSpec{Key: fmt.Sprintf("%s-%d", g.Kind, g.ID), Kind: g.Kind, ID: g.ID, Name: g.Name, Members: members[g.ID]})
	}
	r := &data.RoundReport{Round: round, Instrument: in, MinGroup: minGroup}
	for _, spec := range specs {
		g := data.ReportGroup{Spec: spec, Members: len(spec.Members)}
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
	responses, err := db.FindSubmittedResponses(ctx, round.ID)
	if err != nil {
		return nil, err
	}
	var respondents []scoring.Respondent
	for _, resp := range responses {
		respondents = append(respondents, scoring.Respondent{PersonID: resp.SubjectID, Answers: resp.Answers})
	}
	profiles := scoring.Profiles(in, specs, respondents, minGroup)
	scored := map[int64]scoring.PersonProfile{}
	for _, rs := range respondents {
		scored[rs.PersonID] = scoring.Person(in, rs.Answers)
	}
	for i := range r.Groups {
		p := profiles[i]
		naiveHigh(&p, specs[i].Members, scored)
		r.Groups[i].Profile = &p
	}
	return r, nil
}

// naiveHigh counts again, on each shown competence of p, the members with
// a score of 4 or more, from each member's own profile, not from the
// profiles' pass.
func naiveHigh(p *scoring.GroupProfile, members []int64, scored map[int64]scoring.PersonProfile) {
	p.Competences = slices.Clone(p.Competences)
	for c := range p.Competences {
		if p.Competences[c].Suppressed {
			continue
		}
		high, seen := 0, map[int64]bool{}
		for _, id := range members {
			pp, ok := scored[id]
			if !ok || seen[id] {
				continue
			}
			seen[id] = true
			if cs := pp.Competences[c]; cs.HasScore && cs.Score >= 4 {
				high++
			}
		}
		p.Competences[c].High = high
	}
}

// TestReportFastPathEqualsNaive proves the report HR sees — counts and
// profiles after the anonymity rule — the same whether it is built from
// the stored tallies in one snapshot or, as before, from every answer.
// (scoring's TestProfilesEqualsNaive proves the indexed rule equal to the
// direct one.)
func TestReportFastPathEqualsNaive(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	g := generatedDB(t, 600)
	db, org := g.db, g.org
	compare := func(t *testing.T, round *survey.Round) {
		t.Helper()
		want, err := naiveReport(ctx, db, round, reportMinGroup)
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.BuildRoundReport(ctx, round, reportMinGroup)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Groups) != len(want.Groups) {
			t.Fatalf("%d groups, want %d", len(got.Groups), len(want.Groups))
		}
		shown, someHigh := 0, 0
		for i := range want.Groups {
			if !reflect.DeepEqual(got.Groups[i], want.Groups[i]) {
				t.Fatalf("group %s:\n got %+v\nwant %+v", want.Groups[i].Spec.Key, got.Groups[i], want.Groups[i])
			}
			if p := want.Groups[i].Profile; p != nil && !p.Suppressed {
				shown++
				for _, ca := range p.Competences {
					if !ca.Suppressed && ca.High > 0 && ca.High < ca.N {
						someHigh++
					}
				}
			}
		}
		if round.Status == survey.RoundClosed && someHigh < 10 {
			t.Errorf("only %d shown competences have some but not all scores high: the count's comparison proves little", someHigh)
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
			first := g.in.Competences[0].Items[0].ID
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

// overviewPage is how many groups a page of the response-rate overview
// reads here, as web's round page does.
const overviewPage = 100

// TestOpenRoundOverviewEqualsReport proves an open round's overview, read
// a page at a time from the counts the database keeps, equal to the
// counts of the round's report built from everyone's progress: the same
// groups in the same order, with the same members and counts, before and
// after erasures, moves between departments and teams, new links and
// submits.
func TestOpenRoundOverviewEqualsReport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	g := generatedDB(t, 600)
	db, org := g.db, g.org
	compare := func(t *testing.T) {
		t.Helper()
		want, err := naiveReport(ctx, db, &org.OpenRound, reportMinGroup)
		if err != nil {
			t.Fatal(err)
		}
		report, err := db.RoundReport(ctx, &org.OpenRound, reportMinGroup)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(report.Groups, want.Groups) {
			t.Fatal("the open round's report differs from its counts")
		}
		total, err := db.CountGroupRows(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if total != len(want.Groups) {
			t.Fatalf("%d rows, want %d groups", total, len(want.Groups))
		}
		var got []data.GroupProgress
		for first := 0; first < total; first += overviewPage {
			page, err := db.FindGroupProgress(ctx, org.OpenRound.ID, first, min(overviewPage, total-first))
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
// and without their answers. An erasure still changes one built afresh
// (the kept one stays: TestKeptReportSurvivesErasure).
func TestClosedReportsKeepTheirGroups(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	g := generatedDB(t, 300)
	db, org := g.db, g.org
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	before := map[int64]*data.RoundReport{}
	for _, r := range org.ClosedRounds {
		rep, err := db.BuildRoundReport(ctx, &r, reportMinGroup)
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
		after, err := db.BuildRoundReport(ctx, &r, reportMinGroup)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(after.Groups, before[r.ID].Groups) {
			t.Errorf("round %s: the report changed with the organisation", r.Name)
		}
	}
	// The open round follows today's organisation.
	now, err := db.RoundReport(ctx, &org.OpenRound, reportMinGroup)
	if err != nil {
		t.Fatal(err)
	}
	if len(now.Groups) != 1+len(depts)+len(teams)-2 {
		t.Errorf("the open round has %d groups, want today's %d", len(now.Groups), 1+len(depts)+len(teams)-2)
	}
	// An erased respondent leaves every closed round's inputs.
	must(db.ErasePerson(ctx, g.submitter(t), "test"))
	r := org.ClosedRounds[0]
	after, err := db.BuildRoundReport(ctx, &r, reportMinGroup)
	if err != nil {
		t.Fatal(err)
	}
	if after.Groups[0].Profile.N >= before[r.ID].Groups[0].Profile.N {
		t.Errorf("after an erasure the organisation has %d respondents, had %d", after.Groups[0].Profile.N, before[r.ID].Groups[0].Profile.N)
	}
}

// TestReportCodecRoundTrip proves a kept report reads back equal, field
// for field and bit for bit, to the report that was kept: the reports of
// a generated organisation, and a made-up one with the edge cases (nil
// and empty slices, no profile, NaN and negative zero, hostile names, a
// count of high scores unknown).
func TestReportCodecRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	g := generatedDB(t, 600)
	var reports []*data.RoundReport
	for _, r := range g.org.ClosedRounds {
		rep, err := g.db.BuildRoundReport(ctx, &r, reportMinGroup)
		if err != nil {
			t.Fatal(err)
		}
		reports = append(reports, rep)
	}
	odd := &data.RoundReport{Round: &g.org.OpenRound, Instrument: g.in, MinGroup: 7, Invited: 3, Started: 2, Answered: 1,
		Groups: []data.ReportGroup{
			{Spec: scoring.GroupSpec{Key: "organisation", Kind: survey.Organisation}},
			{Spec: scoring.GroupSpec{Key: "team-9", Kind: survey.Team, ID: 9, Name: "</script>\x00ø"}, Members: 1 << 30, Invited: 1,
				Profile: &scoring.GroupProfile{Key: "team-9", Name: "</script>\x00ø", Kind: survey.Team, ID: 9, Competences: []scoring.CompetenceAggregate{}}},
			{Spec: scoring.GroupSpec{Key: "department-1", Kind: survey.Department, ID: 1}, Members: 4,
				Profile: &scoring.GroupProfile{Key: "department-1", Kind: survey.Department, ID: 1, Members: 4, N: 2, Suppressed: true,
					Competences: []scoring.CompetenceAggregate{
						{CompetenceID: "tillid", Aggregate: scoring.Aggregate{Mean: math.NaN(), SD: math.Copysign(0, -1), N: 2}, Distribution: [6]int{1, 0, 0, 0, 0, 9}, High: 2},
						{CompetenceID: "mod", Suppressed: true},
						{CompetenceID: "tillid", Aggregate: scoring.Aggregate{Mean: 3.25, SD: 1e-300, N: 5}, High: scoring.HighUnknown},
					}}},
		}}
	reports = append(reports, odd)
	for i, want := range reports {
		b := data.EncodeReport(want)
		got, err := data.DecodeReport(b, want.Round, want.Instrument)
		if err != nil {
			t.Fatalf("report %d: %v", i, err)
		}
		// NaN is never equal to itself: compare the bits of the odd one.
		if want == odd {
			gotNaN := got.Groups[2].Profile.Competences[0].Mean
			if !math.IsNaN(gotNaN) || math.Float64bits(gotNaN) != math.Float64bits(want.Groups[2].Profile.Competences[0].Mean) {
				t.Errorf("NaN read back as %v", gotNaN)
			}
			if sd := got.Groups[2].Profile.Competences[0].SD; math.Float64bits(sd) != math.Float64bits(math.Copysign(0, -1)) {
				t.Errorf("-0 read back as %v", sd)
			}
			got.Groups[2].Profile.Competences[0].Mean = 0
			want.Groups[2].Profile.Competences[0].Mean = 0
		}
		if !reflect.DeepEqual(got, want) {
			for j := range want.Groups {
				if j < len(got.Groups) && !reflect.DeepEqual(got.Groups[j], want.Groups[j]) {
					t.Fatalf("report %d, group %d:\n got %+v\nwant %+v", i, j, got.Groups[j], want.Groups[j])
				}
			}
			t.Fatalf("report %d read back differently", i)
		}
		if i == 0 && len(want.Groups) < 40 {
			t.Fatalf("the generated report has %d groups: the round trip proves little", len(want.Groups))
		}
	}

	// Anything cut short, or changed, is an error or some report — never
	// a panic, never a read beyond the bytes.
	b := data.EncodeReport(odd)
	for n := range len(b) {
		if _, err := data.DecodeReport(b[:n], odd.Round, odd.Instrument); err == nil {
			t.Errorf("a report cut to %d of %d bytes read without error", n, len(b))
		}
	}
	if _, err := data.DecodeReport(append(slices.Clip(b), 0), odd.Round, odd.Instrument); err == nil {
		t.Error("a report with a byte too many read without error")
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	big := data.EncodeReport(reports[0])
	for range 2000 {
		c := slices.Clone(b)
		if rnd.IntN(2) == 0 {
			c = slices.Clone(big[:rnd.IntN(4096)])
		}
		for range 1 + rnd.IntN(4) {
			if len(c) > 0 {
				c[rnd.IntN(len(c))] = byte(rnd.Uint32())
			}
		}
		_, _ = data.DecodeReport(c, odd.Round, odd.Instrument)
	}
}

// TestReportHoldsNoMembers proves a report names no person: every group
// has its counts, and no member ids, in memory as kept.
func TestReportHoldsNoMembers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	g := generatedDB(t, 300)
	for _, r := range append(slices.Clone(g.org.ClosedRounds), g.org.OpenRound) {
		rep, err := g.db.RoundReport(ctx, &r, reportMinGroup)
		if err != nil {
			t.Fatal(err)
		}
		in, err := g.db.FindReportInputs(ctx, r.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range rep.Groups {
			if g.Spec.Members != nil {
				t.Fatalf("round %s, %s: the report holds %d member ids", r.Name, g.Spec.Key, len(g.Spec.Members))
			}
			want := len(in.People)
			if g.Spec.Kind != survey.Organisation {
				want = len(in.Members[g.Spec.ID])
			}
			if g.Members != want {
				t.Errorf("round %s, %s: %d members, want %d", r.Name, g.Spec.Key, g.Members, want)
			}
		}
	}
}

// replaceKept keeps r as round's report in place of the one kept, for a
// test: a report of one format is final, so one of an older format is
// kept first.
func replaceKept(t *testing.T, db *data.DB, round int64, r data.StoredReport) {
	t.Helper()
	for _, k := range []data.StoredReport{{MinGroup: r.MinGroup, Format: r.Format - 1, Body: []byte{}}, r} {
		if ok, err := db.StoreRoundReport(context.Background(), round, k); err != nil || !ok {
			t.Fatalf("StoreRoundReport = %v, %v", ok, err)
		}
	}
}

// TestKeptReportAfterRestart proves a closed round's report is kept in
// the database once built, and that a program started later reads it as
// it is — whatever its own anonymity threshold — and builds it again only
// when it was kept in a format too old to read (the first read after an
// upgrade; TestKeptFormat2ReadAsKept for one it still reads).
// A kept report that cannot be read is an error, never built again.
func TestKeptReportAfterRestart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	g := generatedDB(t, 300)
	db := g.db
	round := g.org.ClosedRounds[len(g.org.ClosedRounds)-1]
	built, err := db.RoundReport(ctx, &round, reportMinGroup)
	if err != nil {
		t.Fatal(err)
	}
	kept, err := db.FindRoundReport(ctx, round.ID)
	if err != nil {
		t.Fatalf("the built report was not kept: %v", err)
	}
	if kept.Format != data.ReportFormat || kept.MinGroup != reportMinGroup {
		t.Errorf("kept in format %d with threshold %d, want %d and %d", kept.Format, kept.MinGroup, data.ReportFormat, reportMinGroup)
	}

	// A restarted program serves what is kept: mark it to tell.
	marked, err := data.DecodeReport(kept.Body, &round, g.in)
	if err != nil {
		t.Fatal(err)
	}
	marked.Groups[1].Spec.Name = "kept, not built"
	replaceKept(t, db, round.ID, data.StoredReport{MinGroup: reportMinGroup, Format: data.ReportFormat, Body: data.EncodeReport(marked)})
	for _, minGroup := range []int{reportMinGroup, 3, 7} {
		got, err := g.restarted(t).RoundReport(ctx, &round, minGroup)
		if err != nil {
			t.Fatal(err)
		}
		if got.Groups[1].Spec.Name != "kept, not built" || got.MinGroup != reportMinGroup {
			t.Errorf("threshold %d: the restarted program built the report again (group 1 is %q, threshold %d)", minGroup, got.Groups[1].Spec.Name, got.MinGroup)
		}
		got.Groups[1].Spec.Name = built.Groups[1].Spec.Name
		if !reflect.DeepEqual(got.Groups, built.Groups) {
			t.Errorf("threshold %d: the kept report differs from the built one", minGroup)
		}
	}

	t.Run("a format too old to read", func(t *testing.T) {
		replaceKept(t, db, round.ID, data.StoredReport{MinGroup: 9, Format: data.OldestReadFormat - 1, Body: data.EncodeReport(marked)})
		got, err := g.restarted(t).RoundReport(ctx, &round, 3)
		if err != nil {
			t.Fatal(err)
		}
		// Built with the round's threshold, which it kept with its first
		// report, not the caller's.
		if !reflect.DeepEqual(got.Groups, built.Groups) || got.MinGroup != reportMinGroup {
			t.Error("the report was not built again with the round's threshold")
		}
		if kept, err := db.FindRoundReport(ctx, round.ID); err != nil || kept.Format != data.ReportFormat || kept.MinGroup != reportMinGroup {
			t.Errorf("not kept again as built: %+v, %v", kept, err)
		}
	})

	for _, c := range []struct {
		name string
		body []byte
	}{
		{"corrupt", []byte{1, 2, 3}},
		// Well-formed bytes of the wrong shape: pages would fail on them.
		{"no groups", data.EncodeReport(reshaped(marked, func(r *data.RoundReport) { r.Groups = nil }))},
		{"a group without a profile", data.EncodeReport(reshaped(marked, func(r *data.RoundReport) { r.Groups[3].Profile = nil }))},
		{"a competence short", data.EncodeReport(reshaped(marked, func(r *data.RoundReport) {
			p := *r.Groups[2].Profile
			p.Competences = p.Competences[1:]
			r.Groups[2].Profile = &p
		}))},
		{"the organisation not first", data.EncodeReport(reshaped(marked, func(r *data.RoundReport) {
			r.Groups[0], r.Groups[1] = r.Groups[1], r.Groups[0]
		}))},
		{"another threshold inside", data.EncodeReport(reshaped(marked, func(r *data.RoundReport) { r.MinGroup = 9 }))},
	} {
		t.Run(c.name, func(t *testing.T) {
			replaceKept(t, db, round.ID, data.StoredReport{MinGroup: reportMinGroup, Format: data.ReportFormat, Body: c.body})
			if got, err := g.restarted(t).RoundReport(ctx, &round, reportMinGroup); err == nil {
				t.Errorf("an unreadable kept report served %d groups", len(got.Groups))
			}
			if kept, err := db.FindRoundReport(ctx, round.ID); err != nil || !bytes.Equal(kept.Body, c.body) {
				t.Errorf("the kept report was replaced: %v", err)
			}
		})
	}
}

// reshaped returns a copy of r, groups and all, changed by change.
func reshaped(r *data.RoundReport, change func(*data.RoundReport)) *data.RoundReport {
	c := *r
	c.Groups = slices.Clone(r.Groups)
	change(&c)
	return &c
}

// TestKeptReportSurvivesErasure proves an erasure leaves the kept
// reports as they were, byte for byte, and that a program started
// afterwards serves them equal to the ones before: no before and after
// exists to subtract.
func TestKeptReportSurvivesErasure(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	g := generatedDB(t, 300)
	db := g.db
	before := map[int64]*data.RoundReport{}
	keptBefore := map[int64][]byte{}
	for _, r := range g.org.ClosedRounds {
		rep, err := db.RoundReport(ctx, &r, reportMinGroup)
		if err != nil {
			t.Fatal(err)
		}
		before[r.ID] = rep
		kept, err := db.FindRoundReport(ctx, r.ID)
		if err != nil {
			t.Fatalf("round %s: not kept: %v", r.Name, err)
		}
		keptBefore[r.ID] = kept.Body
	}
	if err := db.ErasePerson(ctx, g.submitter(t), "test"); err != nil {
		t.Fatal(err)
	}
	restarted := g.restarted(t)
	for _, r := range g.org.ClosedRounds {
		kept, err := db.FindRoundReport(ctx, r.ID)
		if err != nil || !bytes.Equal(kept.Body, keptBefore[r.ID]) {
			t.Errorf("round %s: the erasure changed the kept report (%v)", r.Name, err)
		}
		for name, db := range map[string]*data.DB{"held": db, "restarted": restarted} {
			got, err := db.RoundReport(ctx, &r, reportMinGroup)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Groups, before[r.ID].Groups) {
				t.Errorf("round %s, %s: the report after the erasure differs from the one before", r.Name, name)
			}
		}
	}
}

// TestCloseRoundBuildsReport closes a round as the administrator's page
// and the command line do: the close keeps the round's report, built with
// the threshold given in the close's transaction and equal to one built
// afresh from the closed round, holds it in memory, and a program started
// later reads it as kept; an erasure leaves every kept report as it was.
func TestCloseRoundBuildsReport(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	g := generatedDB(t, 300)
	db, org := g.db, g.org
	// The generated rounds closed without a threshold: their reports are
	// kept by their first read.
	for _, r := range org.ClosedRounds {
		if _, err := db.RoundReport(ctx, &r, reportMinGroup); err != nil {
			t.Fatal(err)
		}
	}
	const k = 6
	if err := db.CloseRound(ctx, org.OpenRound.ID, k); err != nil {
		t.Fatal(err)
	}
	kept := map[int64][]byte{}
	rounds, err := db.FindRounds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rounds {
		kr, err := db.FindRoundReport(ctx, r.ID)
		if err != nil {
			t.Fatalf("round %s: no report kept: %v", r.Name, err)
		}
		kept[r.ID] = kr.Body
		if r.ID != org.OpenRound.ID {
			continue
		}
		got, err := data.DecodeReport(kr.Body, &r, g.in)
		if err != nil {
			t.Fatal(err)
		}
		want, err := db.BuildRoundReport(ctx, &r, k)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Groups, want.Groups) || got.Answered != want.Answered || got.Answered == 0 || kr.MinGroup != k {
			t.Errorf("round %s: the report kept at the close differs from one built afresh", r.Name)
		}
		held := db.HeldReport(r.ID)
		if held == nil || !reflect.DeepEqual(held.Groups, want.Groups) || held.MinGroup != k {
			t.Errorf("round %s: the close's report is not held in memory", r.Name)
		}
		read, err := g.restarted(t).RoundReport(ctx, &r, reportMinGroup)
		if err != nil || !reflect.DeepEqual(read.Groups, want.Groups) || read.MinGroup != k {
			t.Errorf("round %s: a restarted program reads %+v, %v; want the kept report", r.Name, read, err)
		}
	}
	if len(kept) != len(org.ClosedRounds)+1 {
		t.Fatalf("%d reports kept, want %d", len(kept), len(org.ClosedRounds)+1)
	}
	if err := db.ErasePerson(ctx, g.submitter(t), "test"); err != nil {
		t.Fatal(err)
	}
	for id, body := range kept {
		if kr, err := db.FindRoundReport(ctx, id); err != nil || !bytes.Equal(kr.Body, body) {
			t.Errorf("round %d: the erasure changed the kept report (%v)", id, err)
		}
	}
}

// TestRoundReportHeld checks that a closed round's report is read once
// and then held, one copy however many ask at once, while an open
// round's is built anew each time and never held; and that retention,
// which deletes a round, drops its report from memory too.
func TestRoundReportHeld(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	g := generatedDB(t, 120)
	db, org := g.db, g.org
	round := org.ClosedRounds[0]
	var wg sync.WaitGroup
	got := make([]*data.RoundReport, 8)
	for i := range got {
		wg.Go(func() {
			r, err := db.RoundReport(ctx, &round, reportMinGroup)
			if err != nil {
				t.Error(err)
			}
			got[i] = r
		})
	}
	wg.Wait()
	for i, r := range got {
		if r == nil || r != got[0] {
			t.Fatalf("caller %d got another copy of the report", i)
		}
	}
	if db.HeldReport(round.ID) != got[0] {
		t.Error("the closed round's report is not held")
	}
	if again, err := db.RoundReport(ctx, &round, 7); err != nil || again != got[0] {
		t.Errorf("a second read = %p, %v; want the held one", again, err)
	}

	open1, err := db.RoundReport(ctx, &org.OpenRound, reportMinGroup)
	if err != nil {
		t.Fatal(err)
	}
	open2, err := db.RoundReport(ctx, &org.OpenRound, 7)
	if err != nil {
		t.Fatal(err)
	}
	if open1 == open2 || db.HeldReport(org.OpenRound.ID) != nil || open2.MinGroup != 7 || open1.Groups[0].Profile != nil {
		t.Error("an open round's report was held, or carries profiles")
	}

	if n, err := db.DeleteExpiredRounds(ctx, time.Now().Add(24*time.Hour)); err != nil || n != len(org.ClosedRounds) {
		t.Fatalf("DeleteExpiredRounds = %d, %v; want %d", n, err, len(org.ClosedRounds))
	}
	if db.HeldReport(round.ID) != nil {
		t.Error("a deleted round's report is still held")
	}
}
