package web

import (
	"context"
	"slices"
	"strings"

	"lederradar/data"
	"lederradar/scoring"
	"lederradar/survey"
)

// The "how others see you" section of a leader's result in a 360 round
// (DESIGN C9): self beside others pooled and each relation the anonymity
// rule lets through, blind spots and hidden strengths, the items with the
// largest gaps and how many answered. While the round is open it only says
// that others' answers come at close.

// relationView is a shown relation's column of the table.
type relationView struct {
	Head string
}

// feedbackRowView is a competence in the section's table; empty strings
// are dashes.
type feedbackRowView struct {
	Label, Name string
	Self        string
	Others      string
	Relations   []string // one per shown relation, in Relations' order
	Gap         string
	Mark        string // "blind plet", "skjult styrke" or empty
}

// gapView is a blind spot, a hidden strength or an item with a large gap.
type gapView struct {
	Name               string
	Self, Others, Diff string
}

type feedbackView struct {
	// Open is set while the round's raters still answer: their answers
	// come later.
	Open bool
	// FromRound names the earlier round the feedback shown is from, when
	// it is not this round's.
	FromRound    string
	Chart        ChartData
	ChartCaption string
	Summary      string
	// OthersShown is false when others pooled is hidden altogether.
	OthersShown     bool
	Relations       []relationView
	Rows            []feedbackRowView
	BlindSpots      []gapView
	HiddenStrengths []gapView
	Items           []gapView
	Counts          string
	// Hidden are sentences for the relations the rule keeps back.
	Hidden []string
	Rule   string
	// ManagerShown says the round shows the manager's answers alone.
	ManagerShown bool
	// The lists' introductions and what they say when empty, with the
	// threshold of scoring.WellAboveOthers.
	BlindIntro, HiddenIntro, NoBlind, NoHidden string
}

// feedbackRelationKeys name the relations as the contract does ("report"
// for an employee).
var feedbackRelationKeys = map[survey.Relation]string{
	scoring.Others: "others", survey.Manager: "manager", survey.Peer: "peer", survey.Employee: "report",
}

// relationTexts are a relation's catalogue keys: its column head, the
// sentence when the rule hides it, and how many answered (a plural).
var relationTexts = map[survey.Relation]struct{ col, hidden, count string }{
	survey.Manager:  {"result.others.col_manager", "result.others.hidden_manager", "result.others.count_manager"},
	survey.Peer:     {"result.others.col_peer", "result.others.hidden_peer", "result.others.count_peer"},
	survey.Employee: {"result.others.col_report", "result.others.hidden_report", "result.others.count_report"},
}

// feedbackSection builds the section for leader l, whose own scores are
// self (none when they did not submit); nil for a self-only round.
//
// Others' answers show once no rater can change them
// (survey.Round.FeedbackReady). Until then the section says when they
// come, and shows, where the leader's previous round (own.Previous) was
// a 360 round, how others saw them then, beside their own view then: a
// personal link no longer opens a closed round in a new browser, so this
// is where a leader finds it.
func (s *Server) feedbackSection(ctx context.Context, p *Printer, l *leader, self scoring.PersonProfile, own data.OwnResult) (*feedbackView, error) {
	now := s.now()
	round, in := l.Round, l.Instrument
	var open bool
	if round.Kind == survey.ThreeSixty && !round.FeedbackReady(now) {
		prev := own.Previous
		if prev == nil || prev.Kind != survey.ThreeSixty || !prev.FeedbackReady(now) {
			return &feedbackView{Open: true}, nil
		}
		prevIn, err := s.db.CachedInstrument(ctx, prev.InstrumentVersion)
		if err != nil {
			return nil, err
		}
		open, round, in, self = true, prev, prevIn, scoring.PersonFromTally(prevIn, own.PreviousTally)
	} else if round.Kind != survey.ThreeSixty {
		return nil, nil
	}
	v, err := s.feedbackOf(ctx, p, round, in, l.Invitation.SubjectID, self)
	if v != nil && round != l.Round {
		v.Open, v.FromRound = open, p.T("result.others.from_round", round.Name)
	}
	return v, err
}

// feedbackOf builds the section from the feedback of a 360 round that is
// ready, for the leader with the given id and own scores in it.
func (s *Server) feedbackOf(ctx context.Context, p *Printer, round *survey.Round, in *survey.Instrument, subjectID int64, self scoring.PersonProfile) (*feedbackView, error) {
	so, err := s.db.LeaderSelfOthers(ctx, round.ID, subjectID, s.minGroup)
	if err != nil {
		return nil, err
	}
	others := so.Feedback[0]
	v := &feedbackView{OthersShown: !others.Suppressed, ChartCaption: p.T("result.others.chart_label"),
		Rule: p.T("result.others.rule", so.MinGroup)}
	well := p.Dec(scoring.WellAboveOthers)
	v.BlindIntro, v.NoBlind = p.T("result.others.blind_intro", well), p.T("result.others.no_blind", well)
	v.HiddenIntro, v.NoHidden = p.T("result.others.hidden_intro", well), p.T("result.others.no_hidden", well)
	var shown []scoring.Feedback
	for _, f := range so.Feedback[1:] {
		if f.Suppressed {
			v.Hidden = append(v.Hidden, p.T(relationTexts[f.Relation].hidden))
			continue
		}
		shown = append(shown, f)
		v.ManagerShown = v.ManagerShown || (f.Relation == survey.Manager && round.ManagerShown)
		v.Relations = append(v.Relations, relationView{Head: p.T(relationTexts[f.Relation].col)})
	}
	v.Counts = feedbackCounts(p, others, shown, so.MinGroup)
	gaps := scoring.SelfVersusOthers(self, others)
	labels := make([]string, len(in.Competences))
	selfValues := make([]*float64, len(in.Competences))
	otherValues := make([]*float64, len(in.Competences))
	for i, comp := range in.Competences {
		labels[i] = p.Text(comp.Label)
		row := feedbackRowView{Label: labels[i], Name: p.Text(comp.Name)}
		if cs := self.Competences[i]; cs.HasScore {
			row.Self, selfValues[i] = p.Dec(cs.Score), ptr(cs.Score)
		}
		if ca := others.Competences[i]; !ca.Suppressed {
			row.Others, otherValues[i] = p.Dec(ca.Mean), ptr(ca.Mean)
		}
		for _, f := range shown {
			cell := ""
			if ca := f.Competences[i]; !ca.Suppressed {
				cell = p.Dec(ca.Mean)
			}
			row.Relations = append(row.Relations, cell)
		}
		v.addGap(p, &row, gaps[i])
		v.Rows = append(v.Rows, row)
	}
	v.Items = itemGapViews(p, in, so.Items)
	v.Summary = p.T("result.others.summary", len(v.BlindSpots), len(v.HiddenStrengths))
	if !v.OthersShown {
		return v, nil
	}
	series := []RadarSeries{{Name: p.T("result.series_self"), Values: selfValues}, {Name: p.T("result.others.series"), Values: otherValues, LineType: "dashed"}}
	if self.Scored() == 0 {
		series = series[1:]
	}
	v.Chart, err = radarChart("radar-others", v.ChartCaption, labels, series)
	return v, err
}

// addGap fills a row's gap and mark from g, and lists a blind spot or a
// hidden strength.
func (v *feedbackView) addGap(p *Printer, row *feedbackRowView, g scoring.SelfOthersGap) {
	if !g.OK {
		return
	}
	row.Gap = p.Signed(g.Diff)
	gv := gapView{Name: row.Label, Self: row.Self, Others: row.Others, Diff: row.Gap}
	switch g.Kind {
	case scoring.BlindSpot:
		row.Mark = p.T("result.others.mark_blind")
		v.BlindSpots = append(v.BlindSpots, gv)
	case scoring.HiddenStrength:
		row.Mark = p.T("result.others.mark_hidden")
		v.HiddenStrengths = append(v.HiddenStrengths, gv)
	}
}

// feedbackCounts says how many answered, per shown relation, and in all
// where othersCountShown allows.
func feedbackCounts(p *Printer, others scoring.Feedback, shown []scoring.Feedback, k int) string {
	var parts []string
	for _, f := range shown {
		parts = append(parts, p.N(relationTexts[f.Relation].count, f.N))
	}
	if othersCountShown(others, shown, k) {
		parts = append(parts, p.N("result.others.count_others", others.N))
	}
	if len(parts) == 0 {
		return ""
	}
	return p.T("result.others.counts", strings.Join(parts, ", "))
}

// othersCountShown reports whether how many others answered in all may
// be said beside the shown relations' counts: only when others pooled is
// shown and the total less the shown relations cannot tell how many of
// the hidden ones answered (none, or at least k).
func othersCountShown(others scoring.Feedback, shown []scoring.Feedback, k int) bool {
	rest := others.N
	for _, f := range shown {
		rest -= f.N
	}
	return !others.Suppressed && (rest == 0 || rest >= k)
}

// itemGapViews are the items with the largest gaps, in p's language.
func itemGapViews(p *Printer, in *survey.Instrument, gaps []scoring.ItemGap) []gapView {
	var out []gapView
	for _, g := range gaps {
		comp, err := in.Competence(g.CompetenceID)
		if err != nil {
			continue
		}
		i := slices.IndexFunc(comp.Items, func(it survey.Item) bool { return it.ID == g.ItemID })
		if i < 0 {
			continue
		}
		out = append(out, gapView{Name: p.Text(comp.Items[i].Text), Self: p.Int(int(g.Self)), Others: p.Dec(g.Others), Diff: p.Signed(g.Diff)})
	}
	return out
}
