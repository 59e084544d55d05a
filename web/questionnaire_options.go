package web

import (
	"fmt"
	"html/template"

	"lederradar/survey"
)

// An item's answer options — six radio buttons with their labels — are the
// bulk of a questionnaire page and depend only on the instrument, the
// language, the item and which answer is checked. So each such radio group
// is rendered once, by the "options" partial, and kept; a page puts the
// kept HTML in. Rendering them per request cost most of a page's time.

// unanswered stands for an item without an answer, where no option is
// checked.
const unanswered survey.Answer = -1

type optionsKey struct {
	version string
	lang    survey.Lang
	item    string
	checked survey.Answer
}

// optionsHTML returns the rendered radio group of an item of in in p's
// language, with checked checked (or none, for unanswered).
func (s *Server) optionsHTML(in *survey.Instrument, p *Printer, itemID string, checked survey.Answer) template.HTML {
	key := optionsKey{version: in.Version, lang: p.Lang, item: itemID, checked: checked}
	h, err := s.partialOnce(key, p.Lang, "questionnaire", "options", func() any {
		var opts []optionView
		for _, sp := range in.Scale {
			opts = append(opts, optionView{
				Name:    itemID,
				InputID: fmt.Sprintf("%s-%d", itemID, sp.Value),
				Value:   int(sp.Value),
				Label:   p.Text(sp.Label),
				Checked: checked == sp.Value,
			})
		}
		return append(opts, optionView{
			Name:    itemID,
			InputID: itemID + "-0",
			Value:   int(survey.DontKnow),
			Label:   p.Text(in.DontKnow.Label),
			Checked: checked == survey.DontKnow,
		})
	})
	if err != nil {
		// The partial is parsed at start-up; it cannot fail on these
		// values. Should it, the page shows no options rather than half.
		s.logger.Error("render options", "error", err)
	}
	return h
}
