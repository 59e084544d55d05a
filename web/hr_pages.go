package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"lederradar/data"
	"lederradar/scoring"
	"lederradar/survey"
)

// hrRoundRow is one round in HR's list.
type hrRoundRow struct {
	Name      string
	Status    string
	Period    string
	Invited   int
	Submitted int
	Rate      string
	// CountsHidden, when set, stands instead of the counts.
	CountsHidden string
	URL          string
}

type hrRoundsView struct {
	Page
	Rounds []hrRoundRow
}

// hrRounds lists every round with its response rate.
func (s *Server) hrRounds(c *gin.Context) {
	ctx := c.Request.Context()
	rounds, err := s.db.FindRounds(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := hrRoundsView{Page: s.staffPage(c, "hr.title")}
	for i := range rounds {
		r := &rounds[i]
		// Counts only: no round's report is built for the list.
		n, err := s.db.CountRoundProgress(ctx, r.ID)
		if err != nil {
			s.fail(c, err)
			return
		}
		row := hrRoundRow{Name: r.Name, Status: v.T.T("status." + string(r.Status)), Period: period(v.T, r),
			URL: fmt.Sprintf("/hr/rounds/%d", r.ID)}
		if row.CountsHidden = countsHidden(v.T, n.Invited, n.Submitted, s.minGroup); row.CountsHidden == "" {
			row.Invited, row.Submitted, row.Rate = n.Invited, n.Submitted, v.T.Pct(n.Submitted, n.Invited)
		}
		v.Rounds = append(v.Rounds, row)
	}
	s.render(c, http.StatusOK, "hr_rounds", v)
}

func period(p *Printer, r *survey.Round) string {
	if r.Opens.IsZero() && r.Closes.IsZero() {
		return ""
	}
	return p.Date(r.Opens) + " – " + p.Date(r.Closes)
}

// roundParam loads the round named by :round.
func (s *Server) roundParam(c *gin.Context) (*survey.Round, bool) {
	id, err := strconv.ParseInt(c.Param("round"), 10, 64)
	if err != nil || id <= 0 {
		s.renderError(c, http.StatusNotFound, "error.notfound")
		return nil, false
	}
	r, err := s.db.FindRoundByID(c.Request.Context(), id)
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	return r, true
}

// groupName is the name a group is shown with.
func groupName(p *Printer, spec scoring.GroupSpec) string {
	return groupTitle(p, spec.Kind, spec.Name)
}

// groupTitle is the name a group of the kind is shown with.
func groupTitle(p *Printer, kind survey.GroupKind, name string) string {
	if kind == survey.Organisation {
		return p.T("hr.organisation")
	}
	return name
}

// progressRow is a group's row of a round's overview, as far as it goes
// while the round is open: its name, kind, members and response rate, or
// instead of the counts the reason they are not shown, with fewer than k
// invited.
func progressRow(p *Printer, kind survey.GroupKind, name string, members int, c data.RoundCounts, k int) hrGroupRow {
	row := hrGroupRow{Name: groupTitle(p, kind, name), Kind: p.T("kind." + string(kind)), Members: members,
		CountsHidden: countsHidden(p, c.Invited, c.Submitted, k)}
	if row.CountsHidden == "" {
		row.Invited, row.Submitted, row.Rate = c.Invited, c.Submitted, p.Pct(c.Submitted, c.Invited)
		row.NotStarted, row.InProgress = states(c)
	}
	return row
}

// states splits the invited into the three states that add up to them:
// not started, in progress (saved a page, not submitted) and submitted.
// The kept counts count a submitted response as started too.
func states(c data.RoundCounts) (notStarted, inProgress int) {
	return c.Invited - c.Started, c.Started - c.Submitted
}

type hrGroupRow struct {
	Name    string
	Kind    string
	Members int
	Invited int
	// NotStarted, InProgress and Submitted add up to Invited.
	NotStarted int
	InProgress int
	Submitted  int
	Rate       string
	// CountsHidden, when set, stands instead of the counts.
	CountsHidden string
	Shown        bool
	Suppressed   string
	URL          string
	// GroupID is the group's id, 0 for the organisation.
	GroupID int64
	// OthersURL or OthersSuppressed: a closed 360 round's raters' view.
	OthersURL        string
	OthersSuppressed string
}

type hrRoundView struct {
	Page
	RoundName   string
	RoundStatus string
	Period      string
	Closed      bool
	Rows        []hrGroupRow
	Note        string
	HeatmapURL  string
	HealthURL   string
	ExportCSV   string
	ExportXLSX  string
	ItemsCSV    string
	// Pager is set when the groups take more than one page.
	Pager *groupPager
	// ThreeSixty is set for a round with raters; Raters holds an open
	// one's counts per relation.
	ThreeSixty bool
	Raters     *raterCountsView
}

// roundPageSize is how many groups one page of a round's overview shows.
const roundPageSize = 100

// hrRound shows a round: response counts per group while it is open, and
// once it has closed which group profiles may be shown.
func (s *Server) hrRound(c *gin.Context) {
	round, ok := s.roundParam(c)
	if !ok {
		return
	}
	p := s.staffPage(c, "hr.round_title")
	p.Title = round.Name
	base := fmt.Sprintf("/hr/rounds/%d", round.ID)
	v := hrRoundView{Page: p, RoundName: round.Name, RoundStatus: p.T.T("status." + string(round.Status)), Period: period(p.T, round),
		Closed: round.Status == survey.RoundClosed, ThreeSixty: round.Kind == survey.ThreeSixty}
	if !v.Closed {
		// While a round is open, HR follows its response rates: read from
		// the counts the database keeps, a page at a time, without
		// building a report of the whole organisation.
		v.Note = p.T.T("hr.open_note", s.minGroup)
		if !s.openRoundRows(c, round, base, &v) || (v.ThreeSixty && !s.openRaterCounts(c, round, &v)) {
			return
		}
		s.render(c, http.StatusOK, "hr_round", v)
		return
	}
	rep, err := s.db.RoundReport(c.Request.Context(), round, s.minGroup)
	if err != nil {
		s.fail(c, err)
		return
	}
	v.Note = p.T.T("hr.closed_note", rep.MinGroup)
	v.HeatmapURL = base + "/heatmap"
	v.HealthURL = base + "/instrument-health"
	v.ExportCSV = base + "/profiles.csv"
	v.ExportXLSX = base + "/profiles.xlsx"
	v.ItemsCSV = base + "/items.csv"
	first, last, pager, ok := s.groupPage(c, p.T, len(rep.Groups), roundPageSize, base)
	if !ok {
		return
	}
	v.Pager = pager
	for _, g := range rep.Groups[first:last] {
		row := progressRow(p.T, g.Spec.Kind, g.Spec.Name, g.Members,
			data.RoundCounts{Invited: g.Invited, Started: g.Started, Submitted: g.Submitted}, rep.MinGroup)
		row.Shown = !g.Profile.Suppressed
		if row.Shown {
			row.URL = base + "/groups/" + g.Spec.Key
		} else {
			row.Suppressed = suppressedText(p.T, g.Profile.N, rep.MinGroup)
		}
		v.Rows = append(v.Rows, row)
	}
	if v.ThreeSixty && !s.othersColumn(c, p.T, rep, base, rep.Groups[first:last], v.Rows) {
		return
	}
	s.audit(c, "round.view", "round:"+itoa64(round.ID), "")
	s.render(c, http.StatusOK, "hr_round", v)
}

// openRoundRows fills in the page of an open round's overview that the
// request asks for, in the order of a round's report. It has answered the
// request itself when it returns false.
func (s *Server) openRoundRows(c *gin.Context, round *survey.Round, base string, v *hrRoundView) bool {
	ctx := c.Request.Context()
	total, err := s.db.CountGroupRows(ctx)
	if err != nil {
		s.fail(c, err)
		return false
	}
	first, last, pager, ok := s.groupPage(c, v.T, total, roundPageSize, base)
	if !ok {
		return false
	}
	v.Pager = pager
	rows, err := s.db.FindGroupProgress(ctx, round.ID, first, last-first)
	if err != nil {
		s.fail(c, err)
		return false
	}
	for _, g := range rows {
		row := progressRow(v.T, g.Group.Kind, g.Group.Name, g.Members, g.RoundCounts, s.minGroup)
		row.GroupID = g.Group.ID
		v.Rows = append(v.Rows, row)
	}
	return true
}

// suppressedText says in a sentence why a group is not shown: too few
// answers, or a combination with other shown groups would single out too
// few. It says no more than the rule: the group's count is shown anyway.
func suppressedText(p *Printer, n, k int) string {
	if n < k {
		return p.T("hr.suppressed_few", k)
	}
	return p.T("hr.suppressed_overlap", k, k)
}

// closedReport loads the round and its report, and refuses rounds that are
// still open: profiles appear only after close, so that no profile ever
// changes by one new answer.
func (s *Server) closedReport(c *gin.Context) (*data.RoundReport, bool) {
	round, ok := s.roundParam(c)
	if !ok {
		return nil, false
	}
	if round.Status != survey.RoundClosed {
		s.renderError(c, http.StatusConflict, "error.not_closed")
		return nil, false
	}
	rep, err := s.db.RoundReport(c.Request.Context(), round, s.minGroup)
	if err != nil {
		s.fail(c, err)
		return nil, false
	}
	return rep, true
}
