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
	if !v.NoScores {
		v.Chart, err = radarChart("radar", v.ChartCaption, labels, []RadarSeries{{Name: p.T.T("result.series_self"), Values: values}})
		if err != nil {
			s.fail(c, err)
			return
		}
	}
	s.render(c, http.StatusOK, "result", v)
}
