package web

import (
	"context"

	"lederradar/data"
	"lederradar/scoring"
	"lederradar/survey"
)

type compareRow struct {
	Label     string
	This      string
	Other     string
	Diff      string
	BothShown bool
}

type compareOption struct {
	ID       int64
	Name     string
	Selected bool
}

type compareView struct {
	OtherName string
	Chart     ChartData
	Rows      []compareRow
	Missing   bool
	Summary   string
}

// comparison compares the group with the same group in the closed round
// chosen (?compare=ID, 0 for none); each round's profile has been through
// the anonymity rule on its own.
func (s *Server) comparison(ctx context.Context, v *hrGroupView, rep *data.RoundReport, key string, labels []string, chosen int64) error {
	p := v.T
	rounds, err := s.db.FindRounds(ctx)
	if err != nil {
		return err
	}
	var other *survey.Round
	for i := range rounds {
		r := &rounds[i]
		if r.ID == rep.Round.ID || r.Status != survey.RoundClosed {
			continue
		}
		v.CompareOptions = append(v.CompareOptions, compareOption{ID: r.ID, Name: r.Name, Selected: r.ID == chosen})
		if r.ID == chosen {
			other = r
		}
	}
	if other == nil {
		return nil
	}
	otherRep, err := s.db.RoundReport(ctx, other, s.minGroup)
	if err != nil {
		return err
	}
	cv := &compareView{OtherName: other.Name}
	v.Compare = cv
	og, err := otherRep.Group(key)
	if err != nil || og.Profile.Suppressed || otherRep.Instrument.Version != rep.Instrument.Version {
		cv.Missing = true
		return nil
	}
	this, _ := rep.Group(key)
	var a, b []*float64
	for i, comp := range rep.Instrument.Competences {
		ta, oa := this.Profile.Competences[i], og.Profile.Competences[i]
		row := compareRow{Label: p.Text(comp.Label), BothShown: !ta.Suppressed && !oa.Suppressed}
		if !ta.Suppressed {
			row.This = p.Dec(ta.Mean)
			a = append(a, ptr(ta.Mean))
		} else {
			row.This = p.T("hr.suppressed_short")
			a = append(a, nil)
		}
		if !oa.Suppressed {
			row.Other = p.Dec(oa.Mean)
			b = append(b, ptr(oa.Mean))
		} else {
			row.Other = p.T("hr.suppressed_short")
			b = append(b, nil)
		}
		if row.BothShown {
			row.Diff = p.Signed(ta.Mean - oa.Mean)
		}
		cv.Rows = append(cv.Rows, row)
	}
	higher, lower, same := scoring.CompareMeans(this.Profile.Competences, og.Profile.Competences)
	cv.Summary = p.T("hr.compare_summary", other.Name, higher, lower, same)
	cv.Chart, err = radarChart("compare-radar", p.T("hr.compare_label", v.GroupName), labels, []RadarSeries{
		{Name: rep.Round.Name, Values: a},
		{Name: other.Name, Values: b, LineType: "dashed"},
	})
	return err
}
