package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"lederradar/data"
	"lederradar/scoring"
	"lederradar/survey"
)

// strengthCount is how many strengths and development areas a result shows.
const strengthCount = 3

// scoreRowView is a row of the result table.
type scoreRowView struct {
	Label    string
	Name     string
	Score    string // formatted, or empty when there is no score
	HasScore bool
	Answered string // "4 af 4"
	DontKnow string
	// Previous is the leader's own score in the previous round, Change the
	// difference; Group is the compared group's mean, Gap the leader's
	// score minus it. Empty when there is nothing to show (a dash).
	Previous, Change, Group, Gap string
}

type overlayOption struct {
	Key      string
	Name     string
	Selected bool
}

// highlightView is a strength or a development area.
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

	PreviousName  string
	GroupName     string
	GroupOptions  []overlayOption
	OverlayNote   string
	CompareAction string
	Feedback      *feedbackView // how others see the leader; nil in a self-only round
	Plan          *resultPlanView
}

// resultPage shows the leader's own profile: radar, table, strengths,
// development areas and the reflection prompts for the weakest areas.
func (s *Server) resultPage(c *gin.Context) {
	l := currentLeader(c)
	// The scores come from the responses' tallies, this round's and the
	// previous round's in one lookup: a row each, not every answer.
	own, err := s.ownResult(c.Request.Context(), l)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := s.page(c, "result.title")
	p.Leader = true
	if !s.withOpenings(c, &p, l, false) {
		return
	}
	v, err := s.resultPageView(c.Request.Context(), p, l, own, c.Query("compare"), c.Query("submitted") == "1")
	if err == nil && v.Submitted {
		v.Plan, err = s.resultPlan(c.Request.Context(), p.T, l, scoring.PersonFromTally(l.Instrument, own.Tally))
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "result", v)
}

// resultPageView builds the result page of a leader whose own result is own,
// compared with the group compare names (or the default), and thanked for
// submitting when justSent.
func (s *Server) resultPageView(ctx context.Context, p Page, l *leader, own data.OwnResult, compare string, justSent bool) (resultView, error) {
	return s.resultViewWith(ctx, p, l, own, compare, justSent, true)
}

// resultViewWith is resultPageView, with the groups' means or without.
func (s *Server) resultViewWith(ctx context.Context, p Page, l *leader, own data.OwnResult, compare string, justSent, groups bool) (resultView, error) {
	in := l.Instrument
	fb, err := s.feedbackSection(ctx, p.T, l, scoring.PersonFromTally(in, own.Tally), own)
	v := resultView{Page: p, RoundName: l.Round.Name, Submitted: own.Tally != nil, Open: l.Round.Status == survey.RoundOpen, Feedback: fb}
	if !v.Submitted || err != nil {
		return v, err
	}
	v.JustSent = justSent
	if v.JustSent {
		v.Status = p.T.T("result.sent")
	}
	profile := scoring.PersonFromTally(in, own.Tally)
	labels, values := v.scoreRows(in, profile)
	v.Totals = p.T.T("result.totals", profile.Answered, profile.Items)
	v.DontKnow = p.T.N("result.dontknow", profile.DontKnow)
	v.NoScores = profile.Scored() == 0
	if err := v.highlights(in, profile); err != nil {
		return v, err
	}
	v.ChartCaption = p.T.T("result.chart.label")
	series := []RadarSeries{{Name: p.T.T("result.series_self"), Values: values}}
	ov, err := s.overlays(ctx, compare, l, in, profile, own, &v, groups)
	if err != nil {
		return v, err
	}
	series = append(series, ov...)
	if !v.NoScores {
		if v.Chart, err = radarChart("radar", v.ChartCaption, labels, series); err != nil {
			return v, err
		}
	}
	return v, nil
}

// scoreRows fills the table's rows from the leader's profile and returns
// the radar's axis labels and the leader's values on them.
func (v *resultView) scoreRows(in *survey.Instrument, profile scoring.PersonProfile) ([]string, []*float64) {
	p := v.T
	labels := make([]string, 0, len(in.Competences))
	values := make([]*float64, 0, len(in.Competences))
	v.Rows = make([]scoreRowView, 0, len(in.Competences))
	for i, comp := range in.Competences {
		cs := profile.Competences[i]
		row := scoreRowView{Label: p.Text(comp.Label), Name: p.Text(comp.Name), HasScore: cs.HasScore,
			Answered: p.T("result.answered_of", cs.Answered, cs.Items), DontKnow: strconv.Itoa(cs.DontKnow)}
		if cs.HasScore {
			row.Score = p.Dec(cs.Score)
			score := cs.Score
			values = append(values, &score)
		} else {
			values = append(values, nil)
		}
		labels = append(labels, row.Label)
		v.Rows = append(v.Rows, row)
	}
	return labels, values
}

// highlights fills the strengths, the development areas with their
// prompts, and the one-sentence summary of both.
func (v *resultView) highlights(in *survey.Instrument, profile scoring.PersonProfile) error {
	p := v.T
	for _, cs := range scoring.Strengths(profile, strengthCount) {
		comp, err := in.Competence(cs.CompetenceID)
		if err != nil {
			return err
		}
		v.Strengths = append(v.Strengths, highlightView{Name: p.Text(comp.Name), Score: p.Dec(cs.Score)})
	}
	for _, cs := range scoring.DevelopmentAreas(profile, strengthCount) {
		comp, err := in.Competence(cs.CompetenceID)
		if err != nil {
			return err
		}
		v.Development = append(v.Development, highlightView{Name: p.Text(comp.Name), Score: p.Dec(cs.Score), Prompts: prompts(p, comp)})
	}
	if len(v.Strengths) > 0 {
		top := v.Strengths[0]
		v.Summary = p.T("result.summary_top", profile.Scored(), len(in.Competences), top.Name, top.Score)
		if len(v.Development) > 0 {
			low := v.Development[0]
			v.Summary = p.T("result.summary_both", profile.Scored(), len(in.Competences), top.Name, top.Score, low.Name, low.Score)
		}
		v.Summary += v.missingSummary()
	}
	return nil
}

// missingSummary tells, after the summary, which competences have no
// score and so no point on the radar; empty when all have one.
func (v *resultView) missingSummary() string {
	var missing []string
	for _, r := range v.Rows {
		if !r.HasScore {
			missing = append(missing, r.Label)
		}
	}
	if len(missing) == 0 {
		return ""
	}
	return " " + v.T.N("result.summary_missing", len(missing), strings.Join(missing, ", "))
}

// previousOverlay adds the leader's own previous round, if they submitted
// in one: its column in the table and its radar series.
func (s *Server) previousOverlay(ctx context.Context, in *survey.Instrument, self scoring.PersonProfile, own data.OwnResult, v *resultView) ([]RadarSeries, error) {
	prev := own.Previous
	if prev == nil {
		return nil, nil
	}
	prevIn, err := s.db.CachedInstrument(ctx, prev.InstrumentVersion)
	if err != nil {
		return nil, err
	}
	before := scoring.PersonFromTally(prevIn, own.PreviousTally)
	values := make([]*float64, len(in.Competences))
	for i, comp := range in.Competences {
		if score, ok := before.Score(comp.ID); ok {
			values[i] = ptr(score)
			v.Rows[i].Previous = v.T.Dec(score)
			if now := self.Competences[i]; now.HasScore {
				v.Rows[i].Change = v.T.Signed(now.Score - score)
			}
		}
	}
	v.PreviousName = prev.Name
	return []RadarSeries{{Name: v.T.T("result.series_previous", prev.Name), Values: values, LineType: "dotted"}}, nil
}

// overlays adds to the result what the leader may compare with: their own
// previous round, and — once the round has closed — the mean of their
// department, a team or the whole organisation, where the anonymity rule
// lets that group through (chosen names the group asked for). It fills
// the table columns and returns the extra radar series.
func (s *Server) overlays(ctx context.Context, chosen string, l *leader, in *survey.Instrument, self scoring.PersonProfile, own data.OwnResult, v *resultView, groups bool) ([]RadarSeries, error) {
	p := v.T
	series, err := s.previousOverlay(ctx, in, self, own, v)
	if err != nil || !groups {
		return series, err
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
	// Group means, or others' radars on a team map: a leader sees one of
	// them in a round, never both (data.ClaimRoundView).
	if ok, err := s.db.ClaimRoundView(ctx, l.Round.ID, l.Invitation.SubjectID, data.ViewMeans); err != nil || !ok {
		v.OverlayNote = p.T("result.overlay_radars_seen")
		return series, err
	}
	pick := scoring.ChooseOverlay(mine, chosen)
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
