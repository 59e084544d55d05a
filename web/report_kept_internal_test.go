package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/internal/orggen"
	"lederradar/scoring"
	"lederradar/survey"
)

// TestReportCodecRoundTrip proves a kept report reads back equal, field
// for field and bit for bit, to the report that was kept: the reports of
// a generated organisation, and a made-up one with the edge cases (nil
// and empty slices, no profile, NaN and negative zero, hostile names).
func TestReportCodecRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, _, org := generatedServer(t, 600)
	var reports []*roundReport
	for _, r := range org.ClosedRounds {
		rep, err := s.makeReport(ctx, &r)
		if err != nil {
			t.Fatal(err)
		}
		reports = append(reports, rep)
	}
	odd := &roundReport{Round: &org.OpenRound, Instrument: s.instrument, MinGroup: 7, Invited: 3, Started: 2, Answered: 1,
		Groups: []reportGroup{
			{Spec: scoring.GroupSpec{Key: "organisation", Kind: survey.Organisation}},
			{Spec: scoring.GroupSpec{Key: "team-9", Kind: survey.Team, ID: 9, Name: "</script>\x00ø", Members: []int64{}}, Invited: 1,
				Profile: &scoring.GroupProfile{Key: "team-9", Name: "</script>\x00ø", Kind: survey.Team, ID: 9, Competences: []scoring.CompetenceAggregate{}}},
			{Spec: scoring.GroupSpec{Key: "department-1", Kind: survey.Department, ID: 1, Members: []int64{5, 2, 1 << 40, 3}},
				Profile: &scoring.GroupProfile{Key: "department-1", Kind: survey.Department, ID: 1, Members: 4, N: 2, Suppressed: true,
					Competences: []scoring.CompetenceAggregate{
						{CompetenceID: "tillid", Aggregate: scoring.Aggregate{Mean: math.NaN(), SD: math.Copysign(0, -1), N: 2}, Distribution: [6]int{1, 0, 0, 0, 0, 9}},
						{CompetenceID: "mod", Suppressed: true},
						{CompetenceID: "tillid", Aggregate: scoring.Aggregate{Mean: 3.25, SD: 1e-300, N: 5}},
					}}},
		}}
	reports = append(reports, odd)
	for i, want := range reports {
		b := encodeReport(want)
		got, err := decodeReport(b, want.Round, want.Instrument)
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
	b := encodeReport(odd)
	for n := range len(b) {
		if _, err := decodeReport(b[:n], odd.Round, odd.Instrument); err == nil {
			t.Errorf("a report cut to %d of %d bytes read without error", n, len(b))
		}
	}
	if _, err := decodeReport(append(slices.Clip(b), 0), odd.Round, odd.Instrument); err == nil {
		t.Error("a report with a byte too many read without error")
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	big := encodeReport(reports[0])
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
		_, _ = decodeReport(c, odd.Round, odd.Instrument)
	}
}

// TestKeptReportAfterRestart proves a closed round's report is kept in
// the database once built, and that a server started later reads it
// rather than building it again — unless it was built with another
// anonymity threshold.
func TestKeptReportAfterRestart(t *testing.T) {
	ctx := context.Background()
	s, db, org := generatedServer(t, 300)
	round := org.ClosedRounds[len(org.ClosedRounds)-1]
	built, err := s.buildReport(ctx, &round)
	if err != nil {
		t.Fatal(err)
	}
	kept, err := db.FindRoundReport(ctx, round.ID)
	if err != nil {
		t.Fatalf("the built report was not kept: %v", err)
	}
	if kept.Format != reportFormat || kept.MinGroup != s.minGroup {
		t.Errorf("kept in format %d with threshold %d, want %d and %d", kept.Format, kept.MinGroup, reportFormat, s.minGroup)
	}

	// A restarted server serves what is kept: mark it to tell.
	marked, err := decodeReport(kept.Body, &round, s.instrument)
	if err != nil {
		t.Fatal(err)
	}
	marked.Groups[1].Spec.Name = "kept, not built"
	in, err := db.FindReportInputs(ctx, round.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := db.StoreRoundReport(ctx, round.ID, in.Epoch, data.StoredReport{MinGroup: s.minGroup, Format: reportFormat, Body: encodeReport(marked)}); err != nil || !ok {
		t.Fatalf("StoreRoundReport = %v, %v", ok, err)
	}
	restarted := quietServer(t, db, s.instrument)
	got, err := restarted.buildReport(ctx, &round)
	if err != nil {
		t.Fatal(err)
	}
	if got.Groups[1].Spec.Name != "kept, not built" {
		t.Errorf("the restarted server built the report again (group 1 is %q)", got.Groups[1].Spec.Name)
	}
	got.Groups[1].Spec.Name = built.Groups[1].Spec.Name
	if !reflect.DeepEqual(got.Groups, built.Groups) {
		t.Error("the kept report differs from the built one")
	}

	// Another threshold, another format or a corrupt body: built again,
	// and kept again as this server builds it.
	for _, c := range []struct {
		name     string
		minGroup int
		format   int
		body     []byte
	}{
		{"another threshold", 7, reportFormat, encodeReport(marked)},
		{"another format", s.minGroup, reportFormat + 1, encodeReport(marked)},
		{"corrupt", s.minGroup, reportFormat, []byte{1, 2, 3}},
		// Well-formed bytes of the wrong shape: pages would fail on them.
		{"no groups", s.minGroup, reportFormat, encodeReport(reshaped(marked, func(r *roundReport) { r.Groups = nil }))},
		{"a group without a profile", s.minGroup, reportFormat, encodeReport(reshaped(marked, func(r *roundReport) { r.Groups[3].Profile = nil }))},
		{"a competence short", s.minGroup, reportFormat, encodeReport(reshaped(marked, func(r *roundReport) {
			p := *r.Groups[2].Profile
			p.Competences = p.Competences[1:]
			r.Groups[2].Profile = &p
		}))},
		{"the organisation not first", s.minGroup, reportFormat, encodeReport(reshaped(marked, func(r *roundReport) {
			r.Groups[0], r.Groups[1] = r.Groups[1], r.Groups[0]
		}))},
		{"another threshold inside", s.minGroup, reportFormat, encodeReport(reshaped(marked, func(r *roundReport) { r.MinGroup = 9 }))},
	} {
		t.Run(c.name, func(t *testing.T) {
			in, err := db.FindReportInputs(ctx, round.ID, false)
			if err != nil {
				t.Fatal(err)
			}
			if ok, err := db.StoreRoundReport(ctx, round.ID, in.Epoch, data.StoredReport{MinGroup: c.minGroup, Format: c.format, Body: c.body}); err != nil || !ok {
				t.Fatalf("StoreRoundReport = %v, %v", ok, err)
			}
			s := quietServer(t, db, s.instrument)
			got, err := s.buildReport(ctx, &round)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Groups, built.Groups) {
				t.Error("the report was not built again")
			}
			if kept, err := db.FindRoundReport(ctx, round.ID); err != nil || kept.Format != reportFormat || kept.MinGroup != s.minGroup {
				t.Errorf("not kept again as built: %+v, %v", kept, err)
			}
		})
	}

	t.Run("threshold 7", func(t *testing.T) {
		s7, err := New(Config{DB: db, Instrument: s.instrument, MinGroup: 7, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: "http://127.0.0.1:8080"})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s7.buildReport(ctx, &round)
		if err != nil {
			t.Fatal(err)
		}
		if got.MinGroup != 7 {
			t.Errorf("a server with threshold 7 read a report of threshold %d", got.MinGroup)
		}
	})
}

// reshaped returns a copy of r, groups and all, changed by change.
func reshaped(r *roundReport, change func(*roundReport)) *roundReport {
	c := *r
	c.Groups = slices.Clone(r.Groups)
	change(&c)
	return &c
}

// TestForgetReportsDetachesBuilds checks that a build under way when the
// reports are forgotten (an erasure) serves only those who asked before:
// a later asker gets a build of its own, not the one that may have read
// the erased person.
func TestForgetReportsDetachesBuilds(t *testing.T) {
	s, _, org := generatedServer(t, 120)
	round := org.ClosedRounds[0]
	stale := &reportBuild{done: make(chan struct{})} // never ends
	s.mu.Lock()
	s.building = map[int64]*reportBuild{round.ID: stale}
	s.mu.Unlock()
	s.forgetReports()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := s.buildReport(ctx, &round)
	if err != nil {
		t.Fatalf("a view after the reports were forgotten waited for the build from before: %v", err)
	}
	if r == nil || r == stale.report {
		t.Fatal("no report of its own")
	}
}

// TestKeptReportGoesWithErasure proves an erased person leaves no trace in
// a kept report: the erasure deletes the kept reports of the rounds they
// were in, in its own transaction, a build that began before it is not
// kept, and a server started afterwards builds reports equal to ones
// counted the slow way.
func TestKeptReportGoesWithErasure(t *testing.T) {
	ctx := context.Background()
	s, db, org := generatedServer(t, 300)
	for _, r := range org.ClosedRounds {
		if _, err := s.buildReport(ctx, &r); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindRoundReport(ctx, r.ID); err != nil {
			t.Fatalf("round %s: not kept: %v", r.Name, err)
		}
	}
	round := org.ClosedRounds[0]
	// A build that read its inputs before the erasure.
	before, epoch, err := s.makeReportAt(ctx, &round)
	if err != nil {
		t.Fatal(err)
	}
	var erased int64
	for _, g := range before.Groups {
		if g.Spec.Kind == survey.Organisation {
			continue
		}
		if len(g.Spec.Members) > 0 && g.Submitted > 0 {
			erased = g.Spec.Members[0]
			break
		}
	}
	if erased == 0 {
		t.Fatal("no member to erase")
	}
	if err := db.ErasePerson(ctx, erased, "test"); err != nil {
		t.Fatal(err)
	}
	for _, r := range org.ClosedRounds {
		if _, err := db.FindRoundReport(ctx, r.ID); survey.ErrorCode(err) != survey.ENOTFOUND {
			t.Errorf("round %s: a report kept from before the erasure is still there (%v)", r.Name, err)
		}
	}
	if ok, err := db.StoreRoundReport(ctx, round.ID, epoch, data.StoredReport{MinGroup: s.minGroup, Format: reportFormat, Body: encodeReport(before)}); err != nil || ok {
		t.Errorf("a report built before the erasure was kept after it: %v, %v", ok, err)
	}

	restarted := quietServer(t, db, s.instrument)
	for _, r := range org.ClosedRounds {
		got, err := restarted.buildReport(ctx, &r)
		if err != nil {
			t.Fatal(err)
		}
		want, err := s.makeReport(ctx, &r)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Groups, want.Groups) {
			t.Errorf("round %s: the report after the erasure differs from one built afresh", r.Name)
		}
		for _, g := range got.Groups {
			if slices.Contains(g.Spec.Members, erased) {
				t.Fatalf("round %s: the erased person is still in %s", r.Name, g.Spec.Key)
			}
		}
		if _, err := db.FindRoundReport(ctx, r.ID); err != nil {
			t.Errorf("round %s: not kept again after the erasure: %v", r.Name, err)
		}
	}
}

// TestAdminKeepsReports closes a round and erases a person as an
// administrator does: the close keeps the round's report, and the erasure
// builds again the kept reports it drops, each in its own transaction, so
// that HR's first view reads them. Each equals the report built afresh
// afterwards, and the erased person is in none.
func TestAdminKeepsReports(t *testing.T) {
	ctx := context.Background()
	s, db, org := generatedServer(t, 300)
	admin := staffCookie(t, s, db, survey.RoleAdmin, "example.dk")
	post := func(path string, form url.Values) {
		t.Helper()
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(admin)
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, req)
		if w.Code != http.StatusSeeOther {
			t.Fatalf("%s: %d %s", path, w.Code, w.Body.String())
		}
	}
	// keptEqualsBuilt checks the kept report of every closed round.
	keptEqualsBuilt := func(t *testing.T, without int64) {
		t.Helper()
		rounds, err := db.FindRounds(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, r := range rounds {
			if r.Status != survey.RoundClosed {
				continue
			}
			n++
			kept, err := db.FindRoundReport(ctx, r.ID)
			if err != nil {
				t.Fatalf("round %s: no report kept: %v", r.Name, err)
			}
			got, err := decodeReport(kept.Body, &r, s.instrument)
			if err != nil {
				t.Fatal(err)
			}
			want, err := s.makeReport(ctx, &r)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got.Groups, want.Groups) || got.Answered != want.Answered || got.Answered == 0 {
				t.Errorf("round %s: the kept report differs from one built afresh", r.Name)
			}
			for _, g := range got.Groups {
				if slices.Contains(g.Spec.Members, without) {
					t.Fatalf("round %s: the erased person is still in %s", r.Name, g.Spec.Key)
				}
			}
		}
		if n != len(org.ClosedRounds)+1 {
			t.Fatalf("%d closed rounds, want %d", n, len(org.ClosedRounds)+1)
		}
	}
	// The generated rounds closed without a server: their reports are
	// kept by the first build.
	if err := s.WarmReports(ctx); err != nil {
		t.Fatal(err)
	}
	post(fmt.Sprintf("/admin/rounds/%d/close", org.OpenRound.ID), nil)
	keptEqualsBuilt(t, 0)

	var erased survey.Person
	for _, l := range org.Links {
		if l.State == orggen.Submitted {
			p, err := db.FindPersonByID(ctx, l.PersonID)
			if err != nil {
				t.Fatal(err)
			}
			erased = *p
			break
		}
	}
	post(fmt.Sprintf("/admin/people/%d/erase", erased.ID), url.Values{"confirm": {"yes"}, "confirm_email": {erased.Email}})
	if _, err := db.FindPersonByID(ctx, erased.ID); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("the person was not erased: %v", err)
	}
	keptEqualsBuilt(t, erased.ID)
}
