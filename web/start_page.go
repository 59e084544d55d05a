package web

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// secondsPerItem is what the start page's time estimate allows for reading
// and answering one statement.
const secondsPerItem = 20

type startView struct {
	Page
	RoundName string
	About     string
	Duration  string
	Until     string
	HRSees    string
	Scale     []string
	DontKnow  string
	// Started is true once the leader has saved an answer: the button
	// then resumes where they left off.
	Started bool
}

// startPage is where a personal link lands before the first answer: what
// the questionnaire is, how long it takes, until when answers can be
// changed, who sees what, and the scale, with one button to begin.
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
// groups of at least minGroup.
func startPageView(p Page, l *leader, minGroup int, started bool) startView {
	in := l.Instrument
	items := in.ItemCount()
	minutes := (items*secondsPerItem + 59) / 60
	minutes = (minutes + 4) / 5 * 5 // a round figure: "about 15 minutes"
	v := startView{Page: p, RoundName: l.Round.Name, Started: started,
		About:    p.T.T("start.about", len(in.Competences)),
		Duration: p.T.T("start.duration", minutes, items, len(in.Competences)),
		HRSees:   p.T.T("start.hr_sees", minGroup),
		DontKnow: p.T.T("start.dont_know", p.T.Text(in.DontKnow.Label)),
		Until:    p.T.T("start.until_close"),
	}
	if !l.Round.Closes.IsZero() {
		v.Until = p.T.T("start.until", p.T.Date(l.Round.Closes))
	}
	for _, sp := range in.Scale {
		v.Scale = append(v.Scale, p.T.T("start.scale_point", int(sp.Value), p.T.Text(sp.Label)))
	}
	return v
}
