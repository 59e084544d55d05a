package web

import (
	"bytes"
	"fmt"
	"html/template"
	"sync"

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

// optionSets holds the rendered radio groups.
type optionSets struct {
	html sync.Map // optionsKey → template.HTML
}

// optionsHTML returns the rendered radio group of an item of in in p's
// language, with checked checked (or none, for unanswered).
func (s *Server) optionsHTML(in *survey.Instrument, p *Printer, itemID string, checked survey.Answer) template.HTML {
	key := optionsKey{version: in.Version, lang: p.Lang, item: itemID, checked: checked}
	if h, ok := s.options.html.Load(key); ok {
		return h.(template.HTML)
	}
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
	opts = append(opts, optionView{
		Name:    itemID,
		InputID: itemID + "-0",
		Value:   int(survey.DontKnow),
		Label:   p.Text(in.DontKnow.Label),
		Checked: checked == survey.DontKnow,
	})
	var buf bytes.Buffer
	if err := s.pages[p.Lang]["questionnaire"].ExecuteTemplate(&buf, "options", opts); err != nil {
		// The partial is parsed at start-up; it cannot fail on these
		// values. Should it, the page shows no options rather than half.
		s.logger.Error("render options", "error", err)
		return ""
	}
	h := template.HTML(buf.String()) // #nosec G203 -- the output of html/template's "options" partial, escaped for the element content it goes back into
	s.options.html.Store(key, h)
	return h
}
