package mail

import (
	"bytes"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"fmt"
	htmltemplate "html/template"
	netmail "net/mail"
	"strings"
	texttemplate "text/template"
	"time"

	gomail "github.com/wneessen/go-mail"

	"lederradar/data"
	"lederradar/internal/links"
	"lederradar/survey"
)

//go:embed templates
var templateFS embed.FS

// letter is what a message's templates are written from.
type letter struct {
	Lang      survey.Lang
	Name      string // the recipient's
	RoundName string
	// Closes is the round's last day as the language writes it; empty
	// when the round announced none.
	Closes string
	// Link is the personal link; for a thank-you, the result page, or
	// the leaders' sign-in when SignIn is set.
	Link   string
	SignIn bool
	// Rater is set for a 360 rater's mail about Leader.
	Rater  bool
	Leader string
	// ManagerAlone: the leader sees this rater's answers on their own.
	ManagerAlone bool
	MinGroup     int
	Others       int // MinGroup − 1: how many others a rater's answers are pooled with
}

// templates are the parsed templates of each kind and language.
type templates struct {
	text map[string]*texttemplate.Template // "subject" and "body"
	html map[string]*htmltemplate.Template
}

func templateKey(kind data.MailKind, lang survey.Lang) string {
	return string(lang) + "/" + string(kind)
}

// loadTemplates parses every kind's templates in every language, so a
// missing one fails start-up, not a send.
func loadTemplates() (*templates, error) {
	t := &templates{text: map[string]*texttemplate.Template{}, html: map[string]*htmltemplate.Template{}}
	for _, lang := range survey.Langs() {
		for _, kind := range []data.MailKind{data.MailInvitation, data.MailReminder, data.MailThanks} {
			key := templateKey(kind, lang)
			txt, err := texttemplate.ParseFS(templateFS, "templates/"+key+".txt")
			if err != nil {
				return nil, fmt.Errorf("mail: template %s: %w", key, err)
			}
			for _, name := range []string{"subject", "body"} {
				if txt.Lookup(name) == nil {
					return nil, fmt.Errorf("mail: template %s.txt defines no %q", key, name)
				}
			}
			html, err := htmltemplate.ParseFS(templateFS, "templates/layout.html", "templates/"+key+".html")
			if err != nil {
				return nil, fmt.Errorf("mail: template %s: %w", key, err)
			}
			t.text[key], t.html[key] = txt, html
		}
	}
	return t, nil
}

// letterFor is what m is written from.
func (c *Config) letterFor(m *data.OutboxMessage) letter {
	l := letter{Lang: m.Lang, Name: m.Name, RoundName: m.RoundName, Rater: m.Relation != survey.Self && m.Relation != "",
		Leader: m.SubjectName, ManagerAlone: m.ManagerAlone, MinGroup: c.MinGroup, Others: c.MinGroup - 1}
	if !m.Closes.IsZero() {
		l.Closes = formatDate(m.Closes, m.Lang)
	}
	switch {
	case m.Kind == data.MailThanks && c.SignIn:
		l.Link, l.SignIn = strings.TrimRight(c.BaseURL, "/")+"/login/sso?as=leader", true
	case m.Kind == data.MailThanks:
		l.Link = strings.TrimRight(c.BaseURL, "/") + "/result"
	default:
		l.Link = links.For(c.BaseURL, m.Token)
	}
	return l
}

// formatDate writes a day as the language does: 20-03-2026 in Danish
// (dd-mm-åååå, as the round's page asks for it), 20 March 2026 in
// English. The round's dates are days, kept at midnight UTC.
func formatDate(t time.Time, lang survey.Lang) string {
	if lang == survey.English {
		return t.UTC().Format("2 January 2006")
	}
	return t.UTC().Format("02-01-2006")
}

// compose writes m as a message from c.From: subject, plain text and an
// HTML alternative, in the recipient's language, with a Message-ID of
// the sender's domain.
func (w *Worker) compose(m *data.OutboxMessage, now time.Time) (*gomail.Msg, error) {
	key := templateKey(m.Kind, m.Lang)
	txt, html := w.tmpl.text[key], w.tmpl.html[key]
	if txt == nil || html == nil {
		return nil, fmt.Errorf("mail: no template for %s", key)
	}
	l := w.cfg.letterFor(m)
	var subject, body, alt bytes.Buffer
	if err := txt.ExecuteTemplate(&subject, "subject", l); err != nil {
		return nil, fmt.Errorf("mail: subject of %s: %w", key, err)
	}
	if err := txt.ExecuteTemplate(&body, "body", l); err != nil {
		return nil, fmt.Errorf("mail: text of %s: %w", key, err)
	}
	if err := html.ExecuteTemplate(&alt, "layout", l); err != nil {
		return nil, fmt.Errorf("mail: HTML of %s: %w", key, err)
	}
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	from, err := netmail.ParseAddress(w.cfg.From)
	if err != nil {
		return nil, fmt.Errorf("mail: sender: %w", err)
	}
	msg.FromMailAddress(from)
	msg.ToMailAddress(&netmail.Address{Name: m.Name, Address: m.Email})
	msg.Subject(strings.TrimSpace(subject.String()))
	msg.SetDateWithValue(now)
	msg.SetMessageIDWithValue(messageID(from.Address))
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	msg.SetGenHeader(gomail.Header("Content-Language"), string(m.Lang))
	msg.SetBodyString(gomail.TypeTextPlain, body.String())
	msg.AddAlternativeString(gomail.TypeTextHTML, alt.String())
	return msg, nil
}

// messageID is a new Message-ID's value at the domain of the address.
func messageID(address string) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never returns an error.
	_, domain, _ := strings.Cut(address, "@")
	return "lederradar." + hex.EncodeToString(b) + "@" + domain
}
