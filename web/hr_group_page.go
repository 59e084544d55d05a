package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"lederradar/data"
	"lederradar/scoring"
	"lederradar/survey"
)

type hrCompetenceRow struct {
	Label    string
	Name     string
	Shown    bool
	Mean     string
	SD       string
	N        int
	OrgMean  string
	OrgShown bool
}

type distributionRow struct {
	Label    string
	Shown    bool
	Cells    []string // "12 (30 %)" per answer, scale high to low, then ved ikke
	Total    int
	Caption  string
	Suppress string
}

type hrGroupView struct {
	Page
	RoundName      string
	RoundURL       string
	GroupName      string
	Kind           string
	IsOrganisation bool
	// OthersURL is the raters' view of the group in a 360 round.
	OthersURL      string
	Counts         string // "n answers from m members · rate", or members and why no counts
	Suppressed     bool
	SuppressedText string
	Summary        string
	Chart          ChartData
	Rows           []hrCompetenceRow
	DistChart      ChartData
	DistSummary    string
	Dist           []distributionRow
	AnswerLabels   []string
	Coverage       coverageView
	CompareAction  string
	CompareOptions []compareOption
	Compare        *compareView
}

// hrGroup shows one group's profile in a closed round: radar with the
// spread and the organisation beside it, the table, the distribution of
// answers, and a comparison with another round.
func (s *Server) hrGroup(c *gin.Context) {
	rep, g, ok := s.closedGroup(c)
	if !ok {
		return
	}
	chosen, _ := strconv.ParseInt(c.Query("compare"), 10, 64)
	v, err := s.groupView(c.Request.Context(), s.staffPage(c, "hr.group_title"), rep, g, chosen)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.audit(c, "profile.view", "round:"+itoa64(rep.Round.ID), "group:"+g.Spec.Key)
	s.render(c, http.StatusOK, "hr_group", v)
}

// groupView is the page of group g in the closed round's report, compared
// with the round chosen (0 for none).
func (s *Server) groupView(ctx context.Context, p Page, rep *data.RoundReport, g *data.ReportGroup, chosen int64) (hrGroupView, error) {
	gp := g.Profile
	v := hrGroupView{Page: p, RoundName: rep.Round.Name, RoundURL: fmt.Sprintf("/hr/rounds/%d", rep.Round.ID),
		GroupName: groupName(p.T, g.Spec), Kind: p.T.T("kind." + string(g.Spec.Kind)), IsOrganisation: g.Spec.Kind == survey.Organisation,
		Counts: groupCounts(p.T, gp.Members, g.Invited, g.Submitted, rep.MinGroup), Suppressed: gp.Suppressed,
		SuppressedText: p.T.T("hr.suppressed", rep.MinGroup), CompareAction: p.Path}
	v.Title = v.GroupName + " – " + rep.Round.Name
	if rep.Round.Kind == survey.ThreeSixty {
		v.OthersURL = v.RoundURL + "/groups/" + g.Spec.Key + "/others"
	}
	if gp.Suppressed {
		v.SuppressedText = suppressedText(p.T, gp.N, rep.MinGroup)
		return v, nil
	}
	labels, series := groupSeries(&v, rep, gp)
	var err error
	if v.Chart, err = radarChart("group-radar", p.T.T("hr.chart_label", v.GroupName), labels, series); err == nil {
		v.Chart, err = spreadBand(v.Chart)
	}
	if err != nil {
		return v, err
	}
	v.Summary = groupSummary(p.T, rep.Instrument, gp)
	s.distribution(&v, rep.Instrument, gp, rep.MinGroup)
	v.Coverage = groupCoverage(p.T, rep.Instrument, gp, rep.MinGroup)
	return v, s.comparison(ctx, &v, rep, g.Spec.Key, labels, chosen)
}

// groupSeries fills the table's rows of group profile gp and returns the
// radar's labels and series: the mean, the organisation's beside it and
// the spread of one standard deviation.
func groupSeries(v *hrGroupView, rep *data.RoundReport, gp *scoring.GroupProfile) ([]string, []RadarSeries) {
	p := v.T
	org := rep.Groups[0].Profile
	var labels []string
	var mean, upper, lower, orgMean []*float64
	for i, comp := range rep.Instrument.Competences {
		ca := gp.Competences[i]
		oa := org.Competences[i]
		row := hrCompetenceRow{Label: p.Text(comp.Label), Name: p.Text(comp.Name), Shown: !ca.Suppressed, OrgShown: !oa.Suppressed && !org.Suppressed}
		labels = append(labels, row.Label)
		if row.Shown {
			row.Mean, row.SD, row.N = p.Dec(ca.Mean), p.Dec(ca.SD), ca.N
			mean = append(mean, ptr(ca.Mean))
			upper = append(upper, ptr(min(5, ca.Mean+ca.SD)))
			lower = append(lower, ptr(max(1, ca.Mean-ca.SD)))
		} else {
			mean, upper, lower = append(mean, nil), append(upper, nil), append(lower, nil)
		}
		if row.OrgShown {
			row.OrgMean = p.Dec(oa.Mean)
			orgMean = append(orgMean, ptr(oa.Mean))
		} else {
			orgMean = append(orgMean, nil)
		}
		v.Rows = append(v.Rows, row)
	}
	series := []RadarSeries{{Name: p.T("hr.series_mean"), Values: mean}}
	if !v.IsOrganisation && !org.Suppressed {
		series = append(series, RadarSeries{Name: p.T("hr.series_org"), Values: orgMean, LineType: "dashed"})
	}
	series = append(series,
		RadarSeries{Name: p.T("hr.series_band"), Values: upper, LineType: "dotted"},
		RadarSeries{Name: p.T("hr.series_band"), Values: lower, LineType: "dotted"})
	return labels, series
}

func ptr(f float64) *float64 { return &f }

// groupSummary is the one-sentence text summary of a group's radar.
func groupSummary(p *Printer, in *survey.Instrument, gp *scoring.GroupProfile) string {
	hi, lo := -1, -1
	for i, ca := range gp.Competences {
		if ca.Suppressed {
			continue
		}
		if hi < 0 || ca.Mean > gp.Competences[hi].Mean {
			hi = i
		}
		if lo < 0 || ca.Mean < gp.Competences[lo].Mean {
			lo = i
		}
	}
	if hi < 0 {
		return ""
	}
	return p.T("hr.group_summary", gp.N,
		p.Text(in.Competences[hi].Name), p.Dec(gp.Competences[hi].Mean),
		p.Text(in.Competences[lo].Name), p.Dec(gp.Competences[lo].Mean))
}

// answerColours: the scale from high (blue) to low (orange), "ved ikke"
// grey; neighbouring colours differ in lightness or hue, white borders and
// decals set the segments apart without colour, and every colour has at
// least 3:1 contrast against the white page (WCAG 1.4.11): 6.4, 3.8, 3.5,
// 3.6, 5.7 and 5.1.
var answerColours = []string{"#1f5fa8", "#5a86c0", "#8a8a8a", "#cc6f2f", "#b0451c", "#6e6e6e"}

// distribution fills the distribution of answers per competence: counts of
// each answer over the group's respondents with a score there.
func (s *Server) distribution(v *hrGroupView, in *survey.Instrument, gp *scoring.GroupProfile, k int) {
	p := v.T
	order := []int{5, 4, 3, 2, 1, 0} // as the questionnaire shows them
	for _, a := range order {
		v.AnswerLabels = append(v.AnswerLabels, in.ScaleLabel(survey.Answer(a), p.Lang))
	}
	segments := make([]StackSegment, len(order))
	for j, a := range order {
		segments[j] = StackSegment{Name: in.ScaleLabel(survey.Answer(a), p.Lang), Colour: answerColours[j]}
	}
	var categories []string
	var totals [6]int
	all := 0
	for i, comp := range in.Competences {
		ca := gp.Competences[i]
		if !ca.Suppressed {
			for a, n := range ca.Distribution {
				totals[a] += n
				all += n
			}
		}
		row := distributionRow{Label: p.Text(comp.Label), Shown: !ca.Suppressed}
		if ca.Suppressed {
			row.Suppress = p.T("hr.suppressed", k)
			v.Dist = append(v.Dist, row)
			continue
		}
		for _, a := range order {
			row.Total += ca.Distribution[a]
		}
		categories = append(categories, row.Label)
		for j, a := range order {
			n := ca.Distribution[a]
			share := 0.0
			if row.Total > 0 {
				share = 100 * float64(n) / float64(row.Total)
			}
			segments[j].Values = append(segments[j].Values, share)
			row.Cells = append(row.Cells, p.T("hr.count_share", n, p.Pct(n, row.Total)))
		}
		v.Dist = append(v.Dist, row)
	}
	if all > 0 {
		top := 5
		for _, a := range order[:5] {
			if totals[a] > totals[top] {
				top = a
			}
		}
		v.DistSummary = p.T("hr.dist_summary", in.ScaleLabel(survey.Answer(top), p.Lang), p.Pct(totals[top], all),
			p.Pct(totals[4]+totals[5], all), p.Pct(totals[0], all))
	}
	if len(categories) > 0 {
		v.DistChart, _ = distributionChart("distribution", p.T("hr.dist_label", v.GroupName), categories, segments)
	}
}

// groupCounts is the line of a group's counts on its page: answers,
// members and the response rate, or with fewer than k invited only the
// members and why the rest is not shown.
func groupCounts(p *Printer, members, invited, submitted, k int) string {
	if hidden := countsHidden(p, invited, submitted, k); hidden != "" {
		return p.N("hr.group_members", members) + " · " + hidden
	}
	return p.T("hr.group_counts", submitted, members, p.Pct(submitted, invited))
}
