package web

import (
	"bytes"
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
			{Spec: scoring.GroupSpec{Key: "team-9", Kind: survey.Team, ID: 9, Name: "</script>\x00ø"}, Members: 1 << 30, Invited: 1,
				Profile: &scoring.GroupProfile{Key: "team-9", Name: "</script>\x00ø", Kind: survey.Team, ID: 9, Competences: []scoring.CompetenceAggregate{}}},
			{Spec: scoring.GroupSpec{Key: "department-1", Kind: survey.Department, ID: 1}, Members: 4,
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

// TestReportHoldsNoMembers proves a report names no person: every group
// has its counts, and no member ids, in memory as kept.
func TestReportHoldsNoMembers(t *testing.T) {
	ctx := context.Background()
	s, _, org := generatedServer(t, 300)
	for _, r := range append(slices.Clone(org.ClosedRounds), org.OpenRound) {
		rep, err := s.makeReport(ctx, &r)
		if err != nil {
			t.Fatal(err)
		}
		in, err := s.db.FindReportInputs(ctx, r.ID, false)
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
// the database once built, and that a server started later reads it as
// it is — whatever its own anonymity threshold — and builds it again only
// when it was kept in an older format (the first read after an upgrade).
// A kept report that cannot be read is an error, never built again.
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
	replaceKept(t, db, round.ID, data.StoredReport{MinGroup: s.minGroup, Format: reportFormat, Body: encodeReport(marked)})
	for _, minGroup := range []int{0, 3, 7} {
		restarted, err := New(Config{DB: db, Instrument: s.instrument, MinGroup: minGroup, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: "http://127.0.0.1:8080"})
		if err != nil {
			t.Fatal(err)
		}
		got, err := restarted.buildReport(ctx, &round)
		if err != nil {
			t.Fatal(err)
		}
		if got.Groups[1].Spec.Name != "kept, not built" || got.MinGroup != s.minGroup {
			t.Errorf("threshold %d: the restarted server built the report again (group 1 is %q, threshold %d)", minGroup, got.Groups[1].Spec.Name, got.MinGroup)
		}
		got.Groups[1].Spec.Name = built.Groups[1].Spec.Name
		if !reflect.DeepEqual(got.Groups, built.Groups) {
			t.Errorf("threshold %d: the kept report differs from the built one", minGroup)
		}
	}

	t.Run("an older format", func(t *testing.T) {
		replaceKept(t, db, round.ID, data.StoredReport{MinGroup: 9, Format: reportFormat - 1, Body: encodeReport(marked)})
		s3, err := New(Config{DB: db, Instrument: s.instrument, MinGroup: 3, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), BaseURL: "http://127.0.0.1:8080"})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s3.buildReport(ctx, &round)
		if err != nil {
			t.Fatal(err)
		}
		// Built with the round's threshold, which it kept with its first
		// report, not the server's.
		if !reflect.DeepEqual(got.Groups, built.Groups) || got.MinGroup != s.minGroup {
			t.Error("the report was not built again with the round's threshold")
		}
		if kept, err := db.FindRoundReport(ctx, round.ID); err != nil || kept.Format != reportFormat || kept.MinGroup != s.minGroup {
			t.Errorf("not kept again as built: %+v, %v", kept, err)
		}
	})

	for _, c := range []struct {
		name string
		body []byte
	}{
		{"corrupt", []byte{1, 2, 3}},
		// Well-formed bytes of the wrong shape: pages would fail on them.
		{"no groups", encodeReport(reshaped(marked, func(r *roundReport) { r.Groups = nil }))},
		{"a group without a profile", encodeReport(reshaped(marked, func(r *roundReport) { r.Groups[3].Profile = nil }))},
		{"a competence short", encodeReport(reshaped(marked, func(r *roundReport) {
			p := *r.Groups[2].Profile
			p.Competences = p.Competences[1:]
			r.Groups[2].Profile = &p
		}))},
		{"the organisation not first", encodeReport(reshaped(marked, func(r *roundReport) {
			r.Groups[0], r.Groups[1] = r.Groups[1], r.Groups[0]
		}))},
		{"another threshold inside", encodeReport(reshaped(marked, func(r *roundReport) { r.MinGroup = 9 }))},
	} {
		t.Run(c.name, func(t *testing.T) {
			replaceKept(t, db, round.ID, data.StoredReport{MinGroup: s.minGroup, Format: reportFormat, Body: c.body})
			s := quietServer(t, db, s.instrument)
			if got, err := s.buildReport(ctx, &round); err == nil {
				t.Errorf("an unreadable kept report served %d groups", len(got.Groups))
			}
			if kept, err := db.FindRoundReport(ctx, round.ID); err != nil || !bytes.Equal(kept.Body, c.body) {
				t.Errorf("the kept report was replaced: %v", err)
			}
		})
	}
}

// reshaped returns a copy of r, groups and all, changed by change.
func reshaped(r *roundReport, change func(*roundReport)) *roundReport {
	c := *r
	c.Groups = slices.Clone(r.Groups)
	change(&c)
	return &c
}

// TestKeptReportSurvivesErasure proves an erasure leaves the kept
// reports as they were, byte for byte, and that a server started
// afterwards serves them equal to the ones before: no before and after
// exists to subtract.
func TestKeptReportSurvivesErasure(t *testing.T) {
	ctx := context.Background()
	s, db, org := generatedServer(t, 300)
	before := map[int64]*roundReport{}
	keptBefore := map[int64][]byte{}
	for _, r := range org.ClosedRounds {
		rep, err := s.buildReport(ctx, &r)
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
	var erased int64
	for _, l := range org.Links {
		if l.State == orggen.Submitted {
			erased = l.PersonID
			break
		}
	}
	if erased == 0 {
		t.Fatal("no respondent to erase")
	}
	if err := db.ErasePerson(ctx, erased, "test"); err != nil {
		t.Fatal(err)
	}
	restarted := quietServer(t, db, s.instrument)
	for _, r := range org.ClosedRounds {
		kept, err := db.FindRoundReport(ctx, r.ID)
		if err != nil || !bytes.Equal(kept.Body, keptBefore[r.ID]) {
			t.Errorf("round %s: the erasure changed the kept report (%v)", r.Name, err)
		}
		got, err := restarted.buildReport(ctx, &r)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Groups, before[r.ID].Groups) {
			t.Errorf("round %s: the report after the erasure differs from the one before", r.Name)
		}
	}
}

// TestAdminKeepsReports closes a round and erases a person as an
// administrator does: the close keeps the round's report, built with the
// server's threshold in the close's transaction, so HR's first view reads
// it; the erasure leaves every kept report as it was.
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
	// The generated rounds closed without a server: their reports are
	// kept by the first build.
	if err := s.WarmReports(ctx); err != nil {
		t.Fatal(err)
	}
	post(fmt.Sprintf("/admin/rounds/%d/close", org.OpenRound.ID), nil)
	kept := map[int64][]byte{}
	rounds, err := db.FindRounds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rounds {
		k, err := db.FindRoundReport(ctx, r.ID)
		if err != nil {
			t.Fatalf("round %s: no report kept: %v", r.Name, err)
		}
		kept[r.ID] = k.Body
		if r.ID != org.OpenRound.ID {
			continue
		}
		got, err := decodeReport(k.Body, &r, s.instrument)
		if err != nil {
			t.Fatal(err)
		}
		want, err := s.makeReport(ctx, &r)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Groups, want.Groups) || got.Answered != want.Answered || got.Answered == 0 || k.MinGroup != s.minGroup {
			t.Errorf("round %s: the report kept at the close differs from one built afresh", r.Name)
		}
	}
	if len(kept) != len(org.ClosedRounds)+1 {
		t.Fatalf("%d reports kept, want %d", len(kept), len(org.ClosedRounds)+1)
	}

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
	for id, body := range kept {
		if k, err := db.FindRoundReport(ctx, id); err != nil || !bytes.Equal(k.Body, body) {
			t.Errorf("round %d: the erasure changed the kept report (%v)", id, err)
		}
	}
}
