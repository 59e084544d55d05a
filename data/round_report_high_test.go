package data_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"reflect"
	"slices"
	"testing"

	"lederradar/data"
	"lederradar/scoring"
	"lederradar/survey"
)

// withHighUnknown returns a copy of r as a report kept in format 2 reads:
// every shown competence's count of high scores unknown, the suppressed
// ones' none.
func withHighUnknown(r *data.RoundReport) *data.RoundReport {
	c := *r
	c.Groups = slices.Clone(r.Groups)
	for i := range c.Groups {
		if c.Groups[i].Profile == nil {
			continue
		}
		p := *c.Groups[i].Profile
		p.Competences = slices.Clone(p.Competences)
		for j := range p.Competences {
			if !p.Competences[j].Suppressed {
				p.Competences[j].High = scoring.HighUnknown
			}
		}
		c.Groups[i].Profile = &p
	}
	return &c
}

// TestReportFormat2Decodes proves a report kept before the counts of high
// scores (format 2) still reads: everything it held as it was, and the
// count unknown on shown competences — never a count of 0 it never made.
func TestReportFormat2Decodes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	in, err := survey.DefaultInstrument()
	if err != nil {
		t.Fatal(err)
	}

	t.Run("bytes the released encoder wrote", func(t *testing.T) {
		// Written by format 2's encodeReport as released, for this report.
		const kept = "0a100e0c04186f7267616e69736174696f6e00186f7267616e69736174696f6e000012100e0c02186f7267616e69736174696f6e000200120c0006000a7472757374000000000000000c40000000000000e03f0c0200040a120e000e636f7572616765020000000000000000000000000000000000000000000000"
		round := &survey.Round{ID: 1}
		want := &data.RoundReport{Round: round, Instrument: in, MinGroup: 5, Invited: 8, Started: 7, Answered: 6,
			Groups: []data.ReportGroup{{Spec: scoring.GroupSpec{Key: "organisation", Kind: survey.Organisation}, Members: 9, Invited: 8, Started: 7, Submitted: 6,
				Profile: &scoring.GroupProfile{Key: "organisation", Kind: survey.Organisation, Members: 9, N: 6, Competences: []scoring.CompetenceAggregate{
					{CompetenceID: "trust", Aggregate: scoring.Aggregate{Mean: 3.5, SD: 0.5, N: 6}, Distribution: [6]int{1, 0, 2, 5, 9, 7}, High: scoring.HighUnknown},
					{CompetenceID: "courage", Suppressed: true},
				}}}}}
		b, err := hex.DecodeString(kept)
		if err != nil {
			t.Fatal(err)
		}
		got, err := data.DecodeReportFormat(b, 2, round, in)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("read\n%+v\nwant\n%+v", got.Groups[0].Profile, want.Groups[0].Profile)
		}
		if ca := got.Groups[0].Profile.Competences; ca[0].HighKnown() || ca[1].HighKnown() {
			t.Error("a count of high scores reads as known from a report that never counted them")
		}
		if again := data.EncodeReportFormat2(want); !bytes.Equal(again, b) {
			t.Error("the kept encoder of format 2 no longer writes what format 2 wrote")
		}
		if _, err := data.DecodeReport(b, round, in); err == nil {
			t.Error("format 2's bytes read as the current format")
		}
	})

	t.Run("generated reports", func(t *testing.T) {
		g := generatedDB(t, 600)
		for _, r := range g.org.ClosedRounds {
			built, err := g.db.BuildRoundReport(ctx, &r, reportMinGroup)
			if err != nil {
				t.Fatal(err)
			}
			b := data.EncodeReportFormat2(built)
			got, err := data.DecodeReportFormat(b, 2, built.Round, built.Instrument)
			if err != nil {
				t.Fatal(err)
			}
			if want := withHighUnknown(built); !reflect.DeepEqual(got, want) {
				t.Errorf("round %s read back differently from format 2", r.Name)
			}
			for n := range len(b) {
				if _, err := data.DecodeReportFormat(b[:n], 2, built.Round, built.Instrument); err == nil {
					t.Fatalf("a format 2 report cut to %d of %d bytes read without error", n, len(b))
				}
			}
		}
	})

	t.Run("formats not read", func(t *testing.T) {
		b := data.EncodeReport(&data.RoundReport{Groups: []data.ReportGroup{}})
		for _, f := range []int{0, data.OldestReadFormat - 1, data.ReportFormat + 1} {
			if _, err := data.DecodeReportFormat(b, f, &survey.Round{}, in); err == nil {
				t.Errorf("format %d read", f)
			}
		}
	})
}

// TestKeptFormat2ReadAsKept proves a closed round's report kept in format
// 2 is final: a program that counts high scores reads it as it was kept,
// with the counts unknown, and never builds it again — not after a
// restart, not after an erasure — so no report with the count sits beside
// one without, built from other data.
func TestKeptFormat2ReadAsKept(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	g := generatedDB(t, 300)
	round := g.org.ClosedRounds[len(g.org.ClosedRounds)-1]
	built, err := g.db.RoundReport(ctx, &round, reportMinGroup)
	if err != nil {
		t.Fatal(err)
	}
	body := data.EncodeReportFormat2(built)
	if _, err := g.db.StoreRoundReport(ctx, round.ID, data.StoredReport{MinGroup: reportMinGroup, Format: 2, Body: body}); err != nil {
		t.Fatal(err)
	}
	if err := g.db.ErasePerson(ctx, g.submitter(t), "test"); err != nil {
		t.Fatal(err)
	}
	for _, minGroup := range []int{reportMinGroup, 3} {
		got, err := g.restarted(t).RoundReport(ctx, &round, minGroup)
		if err != nil {
			t.Fatal(err)
		}
		if want := withHighUnknown(built); !reflect.DeepEqual(got.Groups, want.Groups) || got.MinGroup != reportMinGroup {
			t.Errorf("threshold %d: the format 2 report did not read as kept", minGroup)
		}
		if got.Groups[0].Profile.Competences[0].HighKnown() {
			t.Errorf("threshold %d: the organisation's count reads as known", minGroup)
		}
	}
	kept, err := g.db.FindRoundReport(ctx, round.ID)
	if err != nil {
		t.Fatal(err)
	}
	if kept.Format != 2 || !bytes.Equal(kept.Body, body) {
		t.Errorf("the format 2 report was replaced by one of format %d", kept.Format)
	}
}
