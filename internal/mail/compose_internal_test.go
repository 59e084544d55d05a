package mail

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/survey"
)

// TestEveryLetterRenders writes every kind of message in both languages
// for a leader, a rater and a manager shown alone, and checks what each
// must say.
func TestEveryLetterRenders(t *testing.T) {
	tmpl, err := loadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	w := &Worker{cfg: Config{From: "Lederradar <lr@kommune.dk>", BaseURL: "https://lr.example.dk", MinGroup: 5}, tmpl: tmpl,
		logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	closes := time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC)
	for _, lang := range survey.Langs() {
		for _, kind := range []data.MailKind{data.MailInvitation, data.MailReminder, data.MailThanks} {
			for _, who := range []struct {
				name  string
				rel   survey.Relation
				alone bool
			}{{"self", survey.Self, false}, {"peer", survey.Peer, false}, {"manager", survey.Manager, true}} {
				if kind == data.MailThanks && who.rel != survey.Self {
					continue // raters are thanked by their form, not by mail
				}
				m := &data.OutboxMessage{ID: 1, Kind: kind, Email: "ase@example.dk", Name: "Åse Ærø", Lang: lang, Relation: who.rel,
					ManagerAlone: who.alone, RoundName: "Forår 2026", Closes: closes, Token: "TOKEN"}
				if who.rel != survey.Self {
					m.SubjectName = "Bo Berg"
				}
				t.Run(string(lang)+"/"+string(kind)+"/"+who.name, func(t *testing.T) {
					l := w.cfg.letterFor(m)
					var text, html, subject strings.Builder
					key := templateKey(kind, lang)
					if err := tmpl.text[key].ExecuteTemplate(&subject, "subject", l); err != nil {
						t.Fatal(err)
					}
					if err := tmpl.text[key].ExecuteTemplate(&text, "body", l); err != nil {
						t.Fatal(err)
					}
					if err := tmpl.html[key].ExecuteTemplate(&html, "layout", l); err != nil {
						t.Fatal(err)
					}
					want := []string{"Åse Ærø", "Forår 2026"}
					if kind == data.MailThanks {
						want = append(want, "https://lr.example.dk/result")
					} else {
						want = append(want, "https://lr.example.dk/i/TOKEN")
					}
					if kind == data.MailInvitation && who.rel == survey.Self {
						want = append(want, map[survey.Lang]string{survey.Danish: "mindst 5", survey.English: "at least 5"}[lang])
					}
					if who.rel != survey.Self {
						want = append(want, "Bo Berg")
					}
					if kind != data.MailThanks {
						want = append(want, map[survey.Lang]string{survey.Danish: "20-03-2026", survey.English: "20 March 2026"}[lang])
					}
					for _, s := range want {
						if !strings.Contains(text.String(), s) || !strings.Contains(html.String(), s) {
							t.Errorf("lacks %q:\n%s\n%s", s, text.String(), html.String())
						}
					}
					all := subject.String() + text.String() + html.String()
					if strings.Contains(all, "<no value>") || strings.Contains(all, "{{") {
						t.Errorf("unfilled template:\n%s", all)
					}
					if who.alone && kind == data.MailInvitation && !strings.Contains(text.String(), map[survey.Lang]string{survey.Danish: "for sig", survey.English: "on their own"}[lang]) {
						t.Errorf("a manager shown alone is not told so:\n%s", text.String())
					}
					if lang == survey.Danish {
						for _, en := range []string{"Dear", "Your ", "You ", " the "} {
							if strings.Contains(all, en) {
								t.Errorf("Danish letter has English %q:\n%s", en, all)
							}
						}
					}
					if _, err := w.compose(m, closes); err != nil {
						t.Errorf("compose: %v", err)
					}
				})
			}
		}
	}
}
