package web

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"lederradar/data"
	"lederradar/scoring"
	"lederradar/survey"
)

// healthItemRow is one item's figures, formatted, or the reason a figure
// is not shown.
type healthItemRow struct {
	Text     string
	Mean     string
	SD       string
	DontKnow string
	ItemRest string
	Low      bool
}

// healthCompetence is one competence's alpha, its plain reading and its
// items.
type healthCompetence struct {
	ID      string
	Label   string
	Alpha   string
	Reading string
	Caption string
	Items   []healthItemRow
}

type hrHealthView struct {
	Page
	RoundName   string
	RoundURL    string
	Intro       string
	Competences []healthCompetence
}

// hrHealth shows how well a closed round's instrument measured over the
// whole organisation (DESIGN C15): alpha per competence and per item the
// mean, sd, share of "ved ikke" and item–rest correlation, each figure
// only over at least min-group people.
func (s *Server) hrHealth(c *gin.Context) {
	rep, ok := s.closedReport(c)
	if !ok {
		return
	}
	health, err := s.db.RoundInstrumentHealth(c.Request.Context(), rep)
	if survey.ErrorCode(err) == survey.ECONFLICT {
		s.renderError(c, http.StatusConflict, "error.health_too_few", rep.MinGroup)
		return
	} else if err != nil {
		s.fail(c, err)
		return
	}
	p := s.staffPage(c, "hr.health_title")
	v := healthView(p, rep, health)
	s.audit(c, "health.view", "round:"+itoa64(rep.Round.ID), "")
	s.render(c, http.StatusOK, "hr_health", v)
}

// healthView formats the health of rep's round for HR.
func healthView(p Page, rep *data.RoundReport, h *data.InstrumentHealth) hrHealthView {
	t := p.T
	v := hrHealthView{Page: p, RoundName: rep.Round.Name, RoundURL: fmt.Sprintf("/hr/rounds/%d", rep.Round.ID),
		Intro: t.T("hr.health_intro", h.Respondents, h.MinGroup)}
	v.Title = t.T("hr.health_title") + " – " + rep.Round.Name
	hidden := t.T("hr.health_hidden", h.MinGroup)
	for c, comp := range rep.Instrument.Competences {
		ch := h.Competences[c]
		hc := healthCompetence{ID: comp.ID, Label: t.Text(comp.Label), Caption: t.T("hr.health_caption", t.Text(comp.Label))}
		switch {
		case ch.N < scoring.ClampMinGroup(h.MinGroup):
			hc.Alpha = t.T("hr.health_alpha_few", h.MinGroup)
		case !ch.AlphaShown(h.MinGroup):
			hc.Alpha = t.T("hr.health_alpha_none", ch.N)
		default:
			hc.Alpha = t.T("hr.health_alpha", t.Dec2(ch.Alpha), ch.N)
			hc.Reading = t.T("hr.health_low_alpha")
			if ch.Acceptable() {
				hc.Reading = t.T("hr.health_acceptable")
			}
		}
		for i, it := range comp.Items {
			ih := ch.Items[i]
			shown := ih.Shown(ch.N, h.MinGroup)
			row := healthItemRow{Text: t.Text(it.Text), Mean: hidden, SD: hidden, DontKnow: hidden, ItemRest: hidden}
			if shown.Scale {
				row.Mean, row.SD = t.Dec2(ih.Mean), t.Dec2(ih.SD)
			}
			if shown.DontKnow {
				row.DontKnow = t.PctOf(ih.DontKnow)
			}
			if shown.ItemRest {
				row.ItemRest = t.Dec2(ih.ItemRest)
				if ih.Low() {
					row.ItemRest, row.Low = t.T("hr.health_low", row.ItemRest), true
				}
			}
			hc.Items = append(hc.Items, row)
		}
		v.Competences = append(v.Competences, hc)
	}
	return v
}
