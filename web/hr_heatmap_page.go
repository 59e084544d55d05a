package web

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"lederradar/data"
)

type heatmapRow struct {
	Name string
	Kind string
	N    int
	// CountsHidden, when set, stands instead of N: fewer than min-group
	// are invited.
	CountsHidden string
	Cells        []heatmapCell
	URL          string
	// Suppressed is the whole group's suppression text, if it is.
	Suppressed string
}

type heatmapCell struct {
	Shown bool
	Value string
}

type hrHeatmapView struct {
	Page
	RoundName  string
	RoundURL   string
	Labels     []string
	Rows       []heatmapRow
	Chart      ChartData
	Summary    string
	Suppressed string
	// Pager is set when the groups take more than one page.
	Pager *groupPager
}

// heatmapPageSize is how many groups one heatmap page shows.
const heatmapPageSize = 50

// hrHeatmap shows every shown group against the eleven competences, with
// the numbers in the cells and the same numbers in a table.
func (s *Server) hrHeatmap(c *gin.Context) {
	rep, ok := s.closedReport(c)
	if !ok {
		return
	}
	p := s.staffPage(c, "hr.heatmap_title")
	roundURL := fmt.Sprintf("/hr/rounds/%d", rep.Round.ID)
	first, last, pager, ok := s.groupPage(c, p.T, len(rep.Groups), heatmapPageSize, roundURL+"/heatmap")
	if !ok {
		return
	}
	v, err := heatmapView(p, rep, rep.Groups[first:last])
	if err != nil {
		s.fail(c, err)
		return
	}
	v.Pager = pager
	s.audit(c, "heatmap.view", "round:"+itoa64(rep.Round.ID), "")
	s.render(c, http.StatusOK, "hr_heatmap", v)
}

// heatmapView is the heatmap of the closed round's report for the groups
// of one page; its summary counts them all.
func heatmapView(p Page, rep *data.RoundReport, groups []data.ReportGroup) (hrHeatmapView, error) {
	v := hrHeatmapView{Page: p, RoundName: rep.Round.Name, RoundURL: fmt.Sprintf("/hr/rounds/%d", rep.Round.ID),
		Suppressed: p.T.T("hr.suppressed", rep.MinGroup)}
	v.Title = p.T.T("hr.heatmap_title") + " – " + rep.Round.Name
	for _, comp := range rep.Instrument.Competences {
		v.Labels = append(v.Labels, p.T.Text(comp.Label))
	}
	allShown := 0
	for _, g := range rep.Groups {
		if !g.Profile.Suppressed {
			allShown++
		}
	}
	var names []string
	var cells []HeatCell
	for _, g := range groups {
		row := heatmapRow{Name: groupName(p.T, g.Spec), Kind: p.T.T("kind." + string(g.Spec.Kind)),
			CountsHidden: countsHidden(p.T, g.Invited, g.Submitted, rep.MinGroup)}
		if row.CountsHidden == "" {
			row.N = g.Profile.N
		}
		if g.Profile.Suppressed {
			row.Suppressed = suppressedText(p.T, g.Profile.N, rep.MinGroup)
			v.Rows = append(v.Rows, row)
			continue
		}
		row.URL = fmt.Sprintf("/hr/rounds/%d/groups/%s", rep.Round.ID, g.Spec.Key)
		for j, ca := range g.Profile.Competences {
			cell := heatmapCell{Shown: !ca.Suppressed, Value: v.Suppressed}
			if cell.Shown {
				cell.Value = p.T.Dec(ca.Mean)
				cells = append(cells, HeatCell{Row: len(names), Col: j, Value: ca.Mean})
			}
			row.Cells = append(row.Cells, cell)
		}
		names = append(names, row.Name)
		v.Rows = append(v.Rows, row)
	}
	v.Summary = p.T.T("hr.heatmap_summary", allShown, len(rep.Groups)-allShown)
	if len(names) == 0 {
		return v, nil
	}
	var err error
	v.Chart, err = heatmapChart("heatmap", p.T.T("hr.heatmap_label", rep.Round.Name), v.Labels, names, cells, p.T.Dec)
	return v, err
}
