package web

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"lederradar/survey"
)

// secondsPerItem is what the start page's time estimate allows for reading
// and answering one statement.
const secondsPerItem = 20

type startView struct {
	Page
	Heading   string
	RoundName string
	About     string
	Duration  string
	Until     string
	// Who says who sees what, a sentence each.
	Who []string
	// ManagerNote tells a manager whose answers the leader sees on their
	// own so, before the first question; empty otherwise.
	ManagerNote string
	ScaleIntro  string
	Scale       []string
	DontKnow    string
	// Started is true once the leader has saved an answer: the button
	// then resumes where they left off.
	Started bool
}

// startPage is where a personal link lands before the first answer: what
// the questionnaire is, how long it takes, until when answers can be
// changed, who sees what, and the scale, with one button to begin. A
// rater's start page names the leader they answer about.
func (s *Server) startPage(c *gin.Context) {
	l := currentLeader(c)
	resp, ok := s.answeringResponse(c, l)
	if !ok {
		return
	}
	p := s.page(c, "start.title")
	p.Leader = true
	if !s.withOpenings(c, &p, l, true) {
		return
	}
	s.render(c, http.StatusOK, "start", startPageView(p, l, s.minGroup, len(resp.Answers) > 0))
}

// startPageView builds the start page for the leader's round, where HR sees
// groups of at least minGroup (and a leader, raters' answers pooled by at
// least as many).
func startPageView(p Page, l *leader, minGroup int, started bool) startView {
	in := l.Instrument
	items := in.ItemCount()
	minutes := (items*secondsPerItem + 59) / 60
	minutes = (minutes + 4) / 5 * 5 // a round figure: "about 15 minutes"
	v := startView{Page: p, RoundName: l.Round.Name, Started: started,
		Heading:    p.T.T("start.heading"),
		About:      p.T.T("start.about", len(in.Competences)),
		Duration:   p.T.T("start.duration", minutes, items, len(in.Competences)),
		Who:        []string{p.T.T("start.yours"), p.T.T("start.hr_sees", minGroup)},
		ScaleIntro: p.T.T("start.scale_intro"),
		DontKnow:   p.T.T("start.dont_know", p.T.Text(in.DontKnow.Label)),
		Until:      p.T.T("start.until_close"),
	}
	if l.rater() {
		raterStart(&v, l, minGroup)
	}
	if !l.Round.Closes.IsZero() {
		v.Until = p.T.T("start.until", p.T.Date(l.Round.Closes))
	}
	if l.rater() && !l.Round.RatersClose.IsZero() {
		v.Until = p.T.T("start.rater_until", p.T.Date(ratersLastDate(l.Round.RatersClose)))
	}
	for _, sp := range in.Scale {
		v.Scale = append(v.Scale, p.T.T("start.scale_point", int(sp.Value), p.T.Text(sp.Label)))
	}
	return v
}

// raterStart puts in what a rater's start page says instead: whom they
// answer about, that their answers are pooled with at least k−1 other
// raters' (k = minGroup, the server's threshold) — or, for a
// manager in a round that shows the manager alone, that it does not.
func raterStart(v *startView, l *leader, minGroup int) {
	t, name := v.T, l.subjectName()
	v.Page.Rater = true
	v.Heading = t.T("start.rater_heading", name)
	v.About = t.T("start.rater_about", name, len(l.Instrument.Competences))
	v.Who = []string{t.T("start.rater_pooled", name, minGroup, minGroup-1), t.T("start.rater_no_result")}
	v.ManagerNote = managerNote(t, l)
	if v.ManagerNote != "" {
		v.Who[0] = t.T("start.rater_others_pooled", name, minGroup)
	}
	v.ScaleIntro = t.T("start.rater_scale_intro", name)
	v.DontKnow = t.T("start.rater_dont_know", t.Text(l.Instrument.DontKnow.Label))
}

// managerNote says plainly to a manager, in a round that shows the
// manager's answers on their own, that the leader sees theirs so; empty
// for everyone else.
func managerNote(t *Printer, l *leader) string {
	if l.Invitation.Relation != survey.Manager || !l.Round.ManagerShown {
		return ""
	}
	return t.T("start.rater_manager_shown", l.subjectName())
}
