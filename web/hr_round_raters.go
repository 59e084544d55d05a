package web

import (
	"github.com/gin-gonic/gin"

	"lederradar/data"
	"lederradar/scoring"
	"lederradar/survey"
)

// hrRelationKeys name each rater relation in HR's tables.
var hrRelationKeys = map[survey.Relation]string{survey.Manager: "hr.rel_manager", survey.Peer: "hr.rel_peer", survey.Employee: "hr.rel_employee"}

// relationCell is one relation's rater counts of a group while a 360
// round is open: links and submissions, or why they are not shown.
type relationCell struct {
	Invited   int
	Submitted int
	Rate      string
	Hidden    string
}

// raterGroupRow is a group's rater counts, a cell per relation.
type raterGroupRow struct {
	Name  string
	Kind  string
	Cells []relationCell
}

// raterCountsView is an open 360 round's rater counts: per relation over
// the organisation, and per department and team of the page.
type raterCountsView struct {
	Intro        string
	Relations    []string
	Organisation []relationCell
	Groups       []raterGroupRow
}

// openRaterCounts fills in an open 360 round's rater counts for the
// groups of v's page. Each count follows the rule of the leaders' own
// (scoring.ResponseCountsShown), per relation and counting people: a
// group's relation with fewer than k raters shows none, as its count
// could tell whether a known rater answered. It has answered the
// request itself when it returns false.
func (s *Server) openRaterCounts(c *gin.Context, round *survey.Round, v *hrRoundView) bool {
	var groups []int64
	for _, row := range v.Rows {
		if row.GroupID != 0 {
			groups = append(groups, row.GroupID)
		}
	}
	progress, err := s.db.FindRaterProgress(c.Request.Context(), round.ID, groups)
	if err != nil {
		s.fail(c, err)
		return false
	}
	p := v.T
	rv := &raterCountsView{Intro: p.T("hr.raters_intro", s.minGroup)}
	for _, rel := range data.RaterRelations {
		rv.Relations = append(rv.Relations, p.T(hrRelationKeys[rel]))
	}
	cells := func(counts [3]data.RelationCounts) []relationCell {
		out := make([]relationCell, len(counts))
		for i, n := range counts {
			if !scoring.ResponseCountsShown(n.Raters, n.RatersSubmitted, s.minGroup) {
				out[i].Hidden = p.T("hr.raters_too_few", s.minGroup)
				continue
			}
			out[i] = relationCell{Invited: n.Invited, Submitted: n.Submitted, Rate: p.Pct(n.Submitted, n.Invited)}
		}
		return out
	}
	rv.Organisation = cells(progress.Organisation)
	for _, row := range v.Rows {
		if row.GroupID == 0 {
			continue // the organisation has a table of its own
		}
		rv.Groups = append(rv.Groups, raterGroupRow{Name: row.Name, Kind: row.Kind, Cells: cells(progress.Groups[row.GroupID])})
	}
	v.Raters = rv
	return true
}

// othersColumn links each row of a closed 360 round's overview to the
// group's raters' view, or says why it is not shown; groups are the
// rows' groups in the report. It has answered the request itself when it
// returns false.
func (s *Server) othersColumn(c *gin.Context, p *Printer, rep *data.RoundReport, base string, groups []data.ReportGroup, rows []hrGroupRow) bool {
	if len(groups) == 0 {
		return true
	}
	ctx := c.Request.Context()
	others, err := s.db.RoundOthersReport(ctx, rep.Round, s.minGroup)
	if err != nil {
		s.fail(c, err)
		return false
	}
	keys := make([]string, len(groups))
	for i, g := range groups {
		keys[i] = g.Spec.Key
	}
	profiles, err := others.Groups(ctx, keys...)
	if err != nil {
		s.fail(c, err)
		return false
	}
	byKey := make(map[string]*scoring.GroupProfile, len(profiles))
	for i := range profiles {
		byKey[profiles[i].Key] = &profiles[i]
	}
	for i, g := range groups {
		op := byKey[g.Spec.Key]
		if op.Suppressed {
			rows[i].OthersSuppressed = othersSuppressedText(p, op, others.MinGroup)
			continue
		}
		rows[i].OthersURL = base + "/groups/" + g.Spec.Key + "/others"
	}
	return true
}
