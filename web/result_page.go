package web

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"lederradar/data"
	"lederradar/scoring"
	"lederradar/survey"
)

// strengthCount is how many strengths and development areas a result shows.
const strengthCount = 3

// scoreRowView is a row of the result table, written through a stencil
// (stencil.go): its strings are the fields, the rest its shape.
type scoreRowView struct {
	Label    string
	Name     string
	Score    string // formatted, or empty when there is no score
	HasScore bool
	Answered string // "4 af 4"
	DontKnow string
	// Previous is the leader's own score in the previous round, Change the
	// difference; Group is the compared group's mean, Gap the leader's
	// score minus it. Empty when there is nothing to show.
	Previous string
	Change   string
	Group    string
	Gap      string
	// ShowPrevious and ShowGroup say whether the table has the previous
	// round's and a group's columns.
	ShowPrevious, ShowGroup bool
	T                       *Printer
}

// scoreRowShape is a row's shape: all but its strings.
func scoreRowShape(r scoreRowView) scoreRowView {
	return scoreRowView{HasScore: r.HasScore, ShowPrevious: r.ShowPrevious, ShowGroup: r.ShowGroup, T: r.T}
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

// highlightView is a strength or a development area, written through a
// stencil (stencil.go): its strings are the fields, the rest its shape.
type highlightView struct {
	Name    string
	Score   string
	Prompts template.HTML // the "prompts" partial (promptsHTML)
	T       *Printer
}

// highlightShape is a highlight's shape: its prompts and printer.
func highlightShape(h highlightView) highlightView {
	return highlightView{Prompts: h.Prompts, T: h.T}
}

// promptsKey names a competence's rendered prompts.
type promptsKey struct {
	version, competence string
	lang                survey.Lang
}

// promptsHTML returns a competence's reflection prompts as the "prompts"
// partial renders them. They depend only on the instrument, the language
// and the competence, so each is rendered once and kept.
func (s *Server) promptsHTML(in *survey.Instrument, p *Printer, comp survey.Competence) (template.HTML, error) {
	if len(comp.Prompts) == 0 {
		return "", nil
	}
	return s.partialOnce(promptsKey{in.Version, comp.ID, p.Lang}, p.Lang, "result", "prompts", func() any {
		var prompts []promptView
		for _, pr := range comp.Prompts {
			prompts = append(prompts, promptView{Phase: p.T("phase." + string(pr.Phase)), Text: p.Text(pr.Text)})
		}
		return prompts
	})
}

type resultView struct {
	Page
	RoundName       string
	Chart           ChartData
	Rows            []scoreRowView
	RowsHTML        template.HTML
	Strengths       []highlightView
	Development     []highlightView
	StrengthsHTML   template.HTML
	DevelopmentHTML template.HTML
	Totals          string
	DontKnow        string
	Summary         string
	Submitted       bool
	JustSent        bool
	Open            bool
	NoScores        bool
	ChartCaption    string

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
	in := l.Instrument
	// The scores come from the responses' tallies, this round's and the
	// previous round's in one lookup: a row each, not every answer.
	own, err := s.db.FindOwnResult(c.Request.Context(), l.Round, l.Invitation.SubjectID, l.Invitation.PersonID, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := s.page(c, "result.title")
	p.Leader = true
	if !s.withOpenings(c, &p, l, false) {
		return
	}
	v := resultView{Page: p, RoundName: l.Round.Name, Submitted: own.Tally != nil, Open: l.Round.Status == survey.RoundOpen}
	if !v.Submitted {
		s.render(c, http.StatusOK, "result", v)
		return
	}
	v.JustSent = c.Query("submitted") == "1"
	if v.JustSent {
		v.Status = p.T.T("result.sent")
	}
	profile := scoring.PersonFromTally(in, own.Tally)
	labels := make([]string, 0, len(in.Competences))
	values := make([]*float64, 0, len(in.Competences))
	v.Rows = make([]scoreRowView, 0, len(in.Competences))
	for i, comp := range in.Competences {
		cs := profile.Competences[i]
		row := scoreRowView{Label: p.T.Text(comp.Label), Name: p.T.Text(comp.Name), HasScore: cs.HasScore,
			Answered: p.T.T("result.answered_of", cs.Answered, cs.Items), DontKnow: strconv.Itoa(cs.DontKnow), T: p.T}
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
		comp, err := in.Competence(cs.CompetenceID)
		if err != nil {
			s.fail(c, err)
			return
		}
		v.Strengths = append(v.Strengths, highlightView{Name: p.T.Text(comp.Name), Score: p.T.Dec(cs.Score), T: p.T})
	}
	for _, cs := range scoring.DevelopmentAreas(profile, strengthCount) {
		comp, err := in.Competence(cs.CompetenceID)
		if err != nil {
			s.fail(c, err)
			return
		}
		h := highlightView{Name: p.T.Text(comp.Name), Score: p.T.Dec(cs.Score), T: p.T}
		if h.Prompts, err = s.promptsHTML(in, p.T, comp); err != nil {
			s.fail(c, err)
			return
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
	ov, err := s.overlays(c, l, in, profile, own, &v)
	if err != nil {
		s.fail(c, err)
		return
	}
	series = append(series, ov...)
	for i := range v.Rows {
		r := &v.Rows[i]
		r.ShowPrevious, r.ShowGroup = v.PreviousName != "", v.GroupName != ""
		for _, f := range []*string{&r.Previous, &r.Change, &r.Group, &r.Gap} {
			if *f == "" {
				*f = "–"
			}
		}
	}
	page := s.pages[p.Lang]["result"]
	if v.RowsHTML, err = renderStencils(&s.stencils, page, "score_row", v.Rows, scoreRowShape); err != nil {
		s.fail(c, err)
		return
	}
	if v.StrengthsHTML, err = renderStencils(&s.stencils, page, "strength", v.Strengths, highlightShape); err != nil {
		s.fail(c, err)
		return
	}
	if v.DevelopmentHTML, err = renderStencils(&s.stencils, page, "development", v.Development, highlightShape); err != nil {
		s.fail(c, err)
		return
	}
	if !v.NoScores {
		v.Chart, err = s.radars.chart("radar", v.ChartCaption, labels, series)
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
func (s *Server) overlays(c *gin.Context, l *leader, in *survey.Instrument, self scoring.PersonProfile, own data.OwnResult, v *resultView) ([]RadarSeries, error) {
	ctx := c.Request.Context()
	p := v.T
	var series []RadarSeries

	// The previous round the leader submitted in.
	if prev := own.Previous; prev != nil {
		prevIn, err := s.db.CachedInstrument(ctx, prev.InstrumentVersion)
		if err != nil {
			return nil, err
		}
		before := scoring.PersonFromTally(prevIn, own.PreviousTally)
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
	}

	if l.Round.Status != survey.RoundClosed {
		v.OverlayNote = p.T("result.overlay_later")
		return series, nil
	}
	rep, err := s.db.RoundReport(ctx, l.Round, s.minGroup)
	if err != nil {
		return nil, err
	}
	// The report holds no members: the groups the round kept the leader
	// in are the round's own (round_members).
	kept, err := s.db.FindKeptGroupIDs(ctx, l.Round.ID, l.Invitation.SubjectID)
	if err != nil {
		return nil, err
	}
	var mine []*scoring.GroupProfile
	for i := range rep.Groups {
		if g := rep.Groups[i].Profile; scoring.MayOverlay(g, kept) {
			mine = append(mine, g)
		}
	}
	if len(mine) == 0 {
		v.OverlayNote = p.T("result.overlay_none", rep.MinGroup)
		return series, nil
	}
	pick := scoring.ChooseOverlay(mine, c.Query("compare"))
	for i, g := range mine {
		v.GroupOptions = append(v.GroupOptions, overlayOption{Key: g.Key, Name: groupTitle(p, g.Kind, g.Name), Selected: i == pick})
	}
	g := mine[pick]
	v.GroupName = groupTitle(p, g.Kind, g.Name)
	v.CompareAction = "/result"
	values := make([]*float64, len(in.Competences))
	for _, gap := range scoring.Gaps(self, *g) {
		for i, comp := range in.Competences {
			if comp.ID != gap.CompetenceID {
				continue
			}
			if ca := g.Competences[i]; !ca.Suppressed {
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
