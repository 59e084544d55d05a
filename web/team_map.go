package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"lederradar/data"
	"lederradar/scoring"
	"lederradar/survey"
)

// A cross-cutting team's own map (DESIGN C14): to a member of the team
// who was invited to the round, the scores per competence of the members
// who chose to share their radar with the team, by name, and how many
// have not — never who. Sharing and withdrawing are team_map_consent.go.
// The leader's own session only (requireSelf); to anyone not on the team
// in the round, the team does not exist (404).

// teamMapChartMax is the most sharing members one radar draws: beyond
// four its lines no longer tell apart (four colours, line types and
// symbols), and the table shows everyone.
const teamMapChartMax = 4

// teamMapLineTypes tell the radar's lines apart besides colour and symbol.
var teamMapLineTypes = []string{"solid", "dashed", "dotted", "dashed"}

type teamMapView struct {
	Page
	RoundName string
	TeamName  string
	Closed    bool
	// Action is the team's address, which its forms post below.
	Action string
	// Shares says whether the leader shares their radar, Since since
	// when, and Pending that it waits for their submitted answers.
	Shares  bool
	Since   string
	Pending bool
	Error   string
	// Sharing and NotShared count the members who share and those who
	// do not.
	Sharing, NotShared string
	Summary            string
	Chart              ChartData
	ChartNote          string
	// Names head the table's columns, one per sharing member; Rows are
	// the competences.
	Names []string
	Rows  []teamMapRow
	// MeansSeen says why others' radars are not shown: the leader has
	// seen the round's group means (team_map_views.go).
	MeansSeen string
}

type teamMapRow struct {
	Label, Name string
	Cells       []teamMapCell
}

// teamMapCell is one member's score on one competence; Score is empty
// when they have none.
type teamMapCell struct {
	Score  string
	Strong bool
}

// teamMapPage shows the team's map in the round of the leader's session.
func (s *Server) teamMapPage(c *gin.Context) {
	teamID, ok := s.teamParam(c)
	if !ok {
		return
	}
	v, err := s.teamMapView(c, currentLeader(c), teamID)
	if err != nil {
		s.fail(c, err)
		return
	}
	switch {
	case c.Query("shared") == "1":
		v.Status = v.T.T("teammap.shared")
	case c.Query("withdrawn") == "1":
		v.Status = v.T.T("teammap.withdrawn")
	}
	s.render(c, http.StatusOK, "team_map", v)
}

// teamParam reads the team's id from the address; it has answered 404
// when it returns false.
func (s *Server) teamParam(c *gin.Context) (int64, bool) {
	id, err := strconv.ParseInt(c.Param("group"), 10, 64)
	if err != nil || id <= 0 {
		s.renderError(c, http.StatusNotFound, "error.notfound")
		return 0, false
	}
	return id, true
}

// teamMapView builds the map of team teamID as the leader sees it;
// ENOTFOUND unless they are on the team in the round.
func (s *Server) teamMapView(c *gin.Context, l *leader, teamID int64) (teamMapView, error) {
	ctx := c.Request.Context()
	viewer := l.Invitation.SubjectID
	m, err := s.db.FindTeamMap(ctx, l.Round.ID, teamID, viewer, l.Instrument)
	if err != nil {
		return teamMapView{}, err
	}
	p := s.page(c, "teammap.title")
	p.Leader = true
	p.Title = p.T.T("teammap.heading", m.Team.Name)
	p.Path = fmt.Sprintf("/teams/%d", teamID) // the language switch returns here from a refused form too
	if p.Nominate, err = s.nominationsOffered(ctx, l); err != nil {
		return teamMapView{}, err
	}
	v := teamMapView{Page: p, RoundName: l.Round.Name, TeamName: m.Team.Name, Closed: l.Round.Status == survey.RoundClosed,
		Action: p.Path, Shares: m.ViewerShares}
	if m.ViewerShares {
		v.Since = p.T.Date(m.ViewerSince.In(copenhagen()))
		v.Pending = !slices.ContainsFunc(m.Shared, func(r data.SharedRadar) bool { return r.PersonID == viewer })
	}
	shared := len(m.Shared)
	switch {
	case shared == 0:
		v.Sharing = p.T.T("teammap.none_shared")
	case shared == m.Members:
		v.Sharing = p.T.T("teammap.all_shared", m.Members)
	default:
		v.Sharing = p.T.N("teammap.sharing", shared, m.Members)
		v.NotShared = p.T.N("teammap.not_shared", m.Members-shared, m.Members)
	}
	if err := s.claimRadars(ctx, l, m, &v); err != nil {
		return teamMapView{}, err
	}
	if len(m.Shared) > 0 {
		err = v.scores(l.Instrument, m, viewer)
	}
	return v, err
}

// scores fills the table, the summary and the radar from the shared
// radars: the leader's own first (the radar fills the first series), then
// the others by name.
func (v *teamMapView) scores(in *survey.Instrument, m *data.TeamMap, viewer int64) error {
	p := v.T
	shared := slices.Clone(m.Shared)
	if i := slices.IndexFunc(shared, func(r data.SharedRadar) bool { return r.PersonID == viewer }); i > 0 {
		own := shared[i]
		copy(shared[1:i+1], shared[:i])
		shared[0] = own
	}
	profiles := make([]scoring.PersonProfile, len(shared))
	for i, r := range shared {
		profiles[i] = scoring.PersonFromTally(in, r.Tally)
		name := r.Name
		if r.PersonID == viewer {
			name = p.T("teammap.you", name)
		}
		v.Names = append(v.Names, name)
	}
	labels := make([]string, 0, len(in.Competences))
	series := make([]RadarSeries, len(profiles))
	var uncovered []string
	for i, comp := range in.Competences {
		row := teamMapRow{Label: p.Text(comp.Label), Name: p.Text(comp.Name)}
		covered := false
		for k, prof := range profiles {
			cs := prof.Competences[i]
			var cell teamMapCell
			if cs.HasScore {
				cell = teamMapCell{Score: p.Dec(cs.Score), Strong: cs.Score >= scoring.HighScore}
				series[k].Values = append(series[k].Values, ptr(cs.Score))
			} else {
				series[k].Values = append(series[k].Values, nil)
			}
			covered = covered || cell.Strong
			row.Cells = append(row.Cells, cell)
		}
		if !covered {
			uncovered = append(uncovered, row.Label)
		}
		labels = append(labels, row.Label)
		v.Rows = append(v.Rows, row)
	}
	v.Summary = coverageSummary(p, len(labels), uncovered)
	if len(profiles) > teamMapChartMax {
		v.ChartNote = p.T("teammap.chart_many", teamMapChartMax)
		return nil
	}
	for k := range series {
		series[k].Name, series[k].LineType = v.Names[k], teamMapLineTypes[k%len(teamMapLineTypes)]
	}
	var err error
	v.Chart, err = radarChart("team-radar", p.T("teammap.chart_label", v.TeamName), labels, series)
	return err
}

// coverageSummary says on how many of n competences someone sharing
// scores high, and names the competences (uncovered) nobody does.
func coverageSummary(p *Printer, n int, uncovered []string) string {
	switch len(uncovered) {
	case 0:
		return p.T("teammap.coverage_all", n)
	case n:
		return p.T("teammap.coverage_none")
	}
	return p.T("teammap.coverage_some", n-len(uncovered), n, strings.Join(uncovered, ", "))
}
