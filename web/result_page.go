package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"lederradar/scoring"
	"lederradar/survey"
)

// strengthCount is how many strengths and development areas a result shows.
const strengthCount = 3

type scoreRowView struct {
	Label    string
	Name     string
	Score    string // formatted, or empty when there is no score
	HasScore bool
	Answered int
	DontKnow int
	Items    int
	// Previous is the leader's own score in the previous round, Change the
	// difference; Group is the compared group's mean, Gap the leader's
	// score minus it. Empty when there is nothing to show.
	Previous string
	Change   string
	Group    string
	Gap      string
}

type overlayOption struct {
	Key      string
	Name     string
	Selected bool
}

type promptView struct {
	Phase string
	Text  string
}

type highlightView struct {
	Name    string
	Score   string
	Prompts []promptView
}

type resultView struct {
	Page
	RoundName    string
	Chart        ChartData
	Rows         []scoreRowView
	Strengths    []highlightView
	Development  []highlightView
	Totals       string
	DontKnow     string
	Summary      string
	Submitted    bool
	JustSent     bool
	Open         bool
	NoScores     bool
	ChartCaption string

	PreviousName   string
	GroupName      string
	GroupOptions   []overlayOption
	OverlayNote    string
	CompareAction  string
	ComparePreview bool
}

// resultPage shows the leader's own profile: radar, table, strengths,
// development areas and the reflection prompts for the weakest areas.
func (s *Server) resultPage(c *gin.Context) {
	l := currentLeader(c)
	resp, err := s.loadResponse(c, l)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := s.page(c, "result.title")
	p.Leader = true
	v := resultView{Page: p, RoundName: l.Round.Name, Submitted: resp.Submitted(), Open: l.Round.Status == survey.RoundOpen}
	if !v.Submitted {
		s.render(c, http.StatusOK, "result", v)
		return
	}
	v.JustSent = c.Query("submitted") == "1"
	if v.JustSent {
		v.Status = p.T.T("result.sent")
	}
	in := l.Instrument
	profile := scoring.Person(in, resp.Answers)
	names := map[string]survey.Competence{}
	var labels []string
	var values []*float64
	for i, comp := range in.Competences {
		names[comp.ID] = comp
		cs := profile.Competences[i]
		row := scoreRowView{Label: p.T.Text(comp.Label), Name: p.T.Text(comp.Name), HasScore: cs.HasScore, Answered: cs.Answered, DontKnow: cs.DontKnow, Items: cs.Items}
		if cs.HasScore {
			row.Score = p.T.Dec(cs.Score)
			score := cs.Score
			values = append(values, &score)
		} else {
			values = append(values, nil)
		}
		labels = append(labels, row.Label)
		v.Rows = append(v.Rows, row)
	}
	v.Totals = p.T.T("result.totals", profile.Answered, profile.Items)
	v.DontKnow = p.T.N("result.dontknow", profile.DontKnow)
	v.NoScores = profile.Scored() == 0

	for _, cs := range scoring.Strengths(profile, strengthCount) {
		v.Strengths = append(v.Strengths, highlightView{Name: p.T.Text(names[cs.CompetenceID].Name), Score: p.T.Dec(cs.Score)})
	}
	for _, cs := range scoring.DevelopmentAreas(profile, strengthCount) {
		comp := names[cs.CompetenceID]
		h := highlightView{Name: p.T.Text(comp.Name), Score: p.T.Dec(cs.Score)}
		for _, pr := range comp.Prompts {
			h.Prompts = append(h.Prompts, promptView{Phase: p.T.T("phase." + string(pr.Phase)), Text: p.T.Text(pr.Text)})
		}
		v.Development = append(v.Development, h)
	}
	if len(v.Strengths) > 0 {
		top := v.Strengths[0]
		v.Summary = p.T.T("result.summary_top", profile.Scored(), len(in.Competences), top.Name, top.Score)
		if len(v.Development) > 0 {
			low := v.Development[0]
			v.Summary = p.T.T("result.summary_both", profile.Scored(), len(in.Competences), top.Name, top.Score, low.Name, low.Score)
		}
	}
	v.ChartCaption = p.T.T("result.chart.label")
	series := []RadarSeries{{Name: p.T.T("result.series_self"), Values: values}}
	ov, err := s.overlays(c, l, in, profile, &v)
	if err != nil {
		s.fail(c, err)
		return
	}
	series = append(series, ov...)
	if !v.NoScores {
		v.Chart, err = radarChart("radar", v.ChartCaption, labels, series)
		if err != nil {
			s.fail(c, err)
			return
		}
	}
	s.render(c, http.StatusOK, "result", v)
}

// overlays adds to the result what the leader may compare with: their own
// previous round, and — once the round has closed — the mean of their
// department, a team or the whole organisation, where the anonymity rule
// lets that group through. It fills the table columns and returns the
// extra radar series.
func (s *Server) overlays(c *gin.Context, l *leader, in *survey.Instrument, self scoring.PersonProfile, v *resultView) ([]RadarSeries, error) {
	ctx := c.Request.Context()
	p := v.T
	var series []RadarSeries

	// The previous round the leader submitted in.
	roundID := l.Round.ID
	for range 10 {
		prev, err := s.db.FindPreviousRound(ctx, roundID)
		if survey.ErrorCode(err) == survey.ENOTFOUND {
			break
		} else if err != nil {
			return nil, err
		}
		roundID = prev.ID
		resp, err := s.db.FindResponse(ctx, prev.ID, l.Invitation.SubjectID, l.Invitation.PersonID)
		if survey.ErrorCode(err) == survey.ENOTFOUND || (err == nil && !resp.Submitted()) {
			continue
		} else if err != nil {
			return nil, err
		}
		prevIn, err := s.instrumentFor(ctx, prev.InstrumentVersion)
		if err != nil {
			return nil, err
		}
		before := scoring.Person(prevIn, resp.Answers)
		values := make([]*float64, len(in.Competences))
		for i, comp := range in.Competences {
			if score, ok := before.Score(comp.ID); ok {
				values[i] = ptr(score)
				v.Rows[i].Previous = p.Dec(score)
				if now := self.Competences[i]; now.HasScore {
					v.Rows[i].Change = p.Signed(now.Score - score)
				}
			}
		}
		v.PreviousName = prev.Name
		series = append(series, RadarSeries{Name: p.T("result.series_previous", prev.Name), Values: values, LineType: "dotted"})
		break
	}

	if l.Round.Status != survey.RoundClosed {
		v.OverlayNote = p.T("result.overlay_later")
		return series, nil
	}
	rep, err := s.buildReport(ctx, l.Round)
	if err != nil {
		return nil, err
	}
	person := l.Invitation.SubjectID
	var mine []reportGroup
	for _, g := range rep.Groups {
		if g.Profile.Suppressed {
			continue
		}
		member := g.Spec.Kind == survey.Organisation
		for _, id := range g.Spec.Members {
			if id == person {
				member = true
			}
		}
		if member {
			mine = append(mine, g)
		}
	}
	if len(mine) == 0 {
		v.OverlayNote = p.T("result.overlay_none", rep.MinGroup)
		return series, nil
	}
	// Default: the department if shown, else the organisation.
	chosen := c.Query("compare")
	pick := -1
	for i, g := range mine {
		if g.Spec.Key == chosen {
			pick = i
		}
	}
	if pick < 0 {
		pick = 0
		for i, g := range mine {
			if g.Spec.Kind == survey.Department {
				pick = i
			}
		}
	}
	for i, g := range mine {
		v.GroupOptions = append(v.GroupOptions, overlayOption{Key: g.Spec.Key, Name: groupName(p, g.Spec), Selected: i == pick})
	}
	g := mine[pick]
	v.GroupName = groupName(p, g.Spec)
	v.CompareAction = "/result"
	values := make([]*float64, len(in.Competences))
	for _, gap := range scoring.Gaps(self, *g.Profile) {
		for i, comp := range in.Competences {
			if comp.ID != gap.CompetenceID {
				continue
			}
			if ca := g.Profile.Competences[i]; !ca.Suppressed {
				values[i] = ptr(ca.Mean)
				v.Rows[i].Group = p.Dec(ca.Mean)
			}
			if gap.OK {
				v.Rows[i].Gap = p.Signed(gap.Diff)
			}
		}
	}
	series = append(series, RadarSeries{Name: v.GroupName, Values: values, LineType: "dashed"})
	return series, nil
}
