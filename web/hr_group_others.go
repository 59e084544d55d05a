package web

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"lederradar/data"
	"lederradar/scoring"
	"lederradar/survey"
)

// othersRow is one competence of a group's 360 view: the leaders' own
// mean, the raters' mean and the gap, each only where the rule shows it.
type othersRow struct {
	Label, Name  string
	Self, Others string
	Gap          string
	SelfShown    bool
	OthersShown  bool
	N            int // distinct raters with a score
}

type hrOthersView struct {
	Page
	RoundName      string
	RoundURL       string
	GroupName      string
	Kind           string
	Counts         string
	Suppressed     bool
	SuppressedText string
	Summary        string
	Chart          ChartData
	Rows           []othersRow
	// SelfURL is the group's own profile page, when it is shown.
	SelfURL string
}

// hrGroupOthers shows, for one group of a closed 360 round, how the
// leaders' raters see them beside how the leaders see themselves, and
// the gap per competence, as far as the anonymity rule lets each through.
func (s *Server) hrGroupOthers(c *gin.Context) {
	rep, g, ok := s.closedGroup(c)
	if !ok {
		return
	}
	others, err := s.db.RoundOthersReport(c.Request.Context(), rep.Round, s.minGroup)
	if err != nil {
		s.fail(c, err)
		return
	}
	op, err := others.Group(c.Request.Context(), g.Spec.Key)
	if err != nil {
		s.fail(c, err)
		return
	}
	v, err := othersView(s.staffPage(c, "hr.others_title"), rep, g, op, others.MinGroup)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.audit(c, "others.view", "round:"+itoa64(rep.Round.ID), "group:"+g.Spec.Key)
	s.render(c, http.StatusOK, "hr_group_others", v)
}

// closedGroup loads the closed round's report and its group named by
// :group. It has answered the request itself when ok is false.
func (s *Server) closedGroup(c *gin.Context) (rep *data.RoundReport, g *data.ReportGroup, ok bool) {
	if rep, ok = s.closedReport(c); !ok {
		return nil, nil, false
	}
	g, err := rep.Group(c.Param("group"))
	if err != nil {
		s.fail(c, err)
		return nil, nil, false
	}
	return rep, g, true
}

// othersView is the page of group g's raters' profile op, beside the
// leaders' own profile in the round's report; k is the raters' report's
// threshold.
func othersView(p Page, rep *data.RoundReport, g *data.ReportGroup, op *scoring.GroupProfile, k int) (hrOthersView, error) {
	base := fmt.Sprintf("/hr/rounds/%d", rep.Round.ID)
	v := hrOthersView{Page: p, RoundName: rep.Round.Name, RoundURL: base, GroupName: groupName(p.T, g.Spec),
		Kind: p.T.T("kind." + string(g.Spec.Kind)), Suppressed: op.Suppressed, SuppressedText: p.T.T("hr.others_few", k)}
	v.Title = p.T.T("hr.others_heading", v.GroupName) + " – " + rep.Round.Name
	if op.Suppressed {
		v.Counts = p.T.N("hr.group_members", op.Members)
		v.SuppressedText = othersSuppressedText(p.T, op, k)
		return v, nil
	}
	v.Counts = p.T.T("hr.others_counts", op.N, op.Members)
	self := g.Profile
	if !self.Suppressed {
		v.SelfURL = base + "/groups/" + g.Spec.Key
	}
	var labels []string
	var selfMeans, otherMeans []*float64
	gaps := map[int]float64{}
	for i, comp := range rep.Instrument.Competences {
		sa, oa := self.Competences[i], op.Competences[i]
		row := othersRow{Label: p.T.Text(comp.Label), Name: p.T.Text(comp.Name), SelfShown: !self.Suppressed && !sa.Suppressed, OthersShown: !oa.Suppressed}
		labels = append(labels, row.Label)
		selfMeans, otherMeans = append(selfMeans, nil), append(otherMeans, nil)
		if row.SelfShown {
			row.Self = p.T.Dec(sa.Mean)
			selfMeans[i] = ptr(sa.Mean)
		}
		if row.OthersShown {
			row.Others, row.N = p.T.Dec(oa.Mean), oa.N
			otherMeans[i] = ptr(oa.Mean)
		}
		if row.SelfShown && row.OthersShown {
			gaps[i] = sa.Mean - oa.Mean
			row.Gap = p.T.Signed(gaps[i])
		}
		v.Rows = append(v.Rows, row)
	}
	series := []RadarSeries{{Name: p.T.T("hr.series_others"), Values: otherMeans}}
	if !self.Suppressed {
		series = append(series, RadarSeries{Name: p.T.T("hr.series_self"), Values: selfMeans, LineType: "dashed"})
	}
	var err error
	v.Chart, err = radarChart("others-radar", p.T.T("hr.others_chart_label", v.GroupName), labels, series)
	v.Summary = othersSummary(p.T, rep.Instrument, gaps)
	return v, err
}

// othersSuppressedText says why a group's raters' view is not shown:
// too few leaders or raters, or (what the report does not tell apart)
// too few leaders rated on a competence or a combination with other
// shown groups. op is the group's raters' profile.
func othersSuppressedText(p *Printer, op *scoring.GroupProfile, k int) string {
	if op.N < k || op.Members < k {
		return p.T("hr.others_suppressed_few", k, k)
	}
	return p.T("hr.others_suppressed_overlap", k)
}

// othersSummary is the one-sentence summary of the radar: where the
// leaders see themselves most above and most below their raters.
func othersSummary(p *Printer, in *survey.Instrument, gaps map[int]float64) string {
	hi, lo := -1, -1
	for i := range in.Competences {
		gap, ok := gaps[i]
		if !ok {
			continue
		}
		if hi < 0 || gap > gaps[hi] {
			hi = i
		}
		if lo < 0 || gap < gaps[lo] {
			lo = i
		}
	}
	if hi < 0 {
		return p.T("hr.others_summary_no_gap")
	}
	return p.T("hr.others_summary", p.Text(in.Competences[hi].Name), p.Signed(gaps[hi]),
		p.Text(in.Competences[lo].Name), p.Signed(gaps[lo]))
}
