package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"lederradar/internal/auth"
	"lederradar/internal/mail"
	"lederradar/internal/mailtest"
	"lederradar/survey"
	"lederradar/web"
)

// withMail turns mail on, through relay.
func withMail(t *testing.T, relay *mailtest.Relay) func(*web.Config) {
	return func(cfg *web.Config) {
		w, err := mail.New(cfg.DB, mail.Config{Addr: relay.Addr, From: "Lederradar <lederradar@kommune.example.dk>", TLS: mail.STARTTLS,
			RootCAs: relay.CA, BaseURL: cfg.BaseURL, MinGroup: 5, Rate: 6000, Timeout: 5 * time.Second}, cfg.Logger)
		must(t, err)
		cfg.Mail = w
	}
}

// lastAudit is the newest entry of the audit log.
func (e *staffEnv) lastAudit(t *testing.T) survey.AuditEntry {
	t.Helper()
	es, err := e.db.FindAudit(context.Background(), 1)
	must(t, err)
	if len(es) == 0 {
		return survey.AuditEntry{}
	}
	return es[0]
}

func (e *staffEnv) outboxTotal(t *testing.T, roundID int64) int {
	t.Helper()
	counts, err := e.db.FindOutboxCounts(context.Background(), roundID)
	must(t, err)
	n := 0
	for _, c := range counts {
		n += c.N
	}
	return n
}

func TestSendInvitationsByMail(t *testing.T) {
	t.Parallel()
	relay := mailtest.Start(t, mailtest.Options{TLS: mailtest.STARTTLS})
	e := newStaffEnv(t, withMail(t, relay))
	round := fmt.Sprintf("/admin/rounds/%d", e.open.ID)
	admin := []*http.Cookie{e.admin}

	page := e.do(request{path: round, cookies: admin})
	scenario{name: "the round page offers mail", wantStatus: http.StatusOK,
		want: []string{"Send invitationer med e-mail", `action="` + round + `/mail"`, "Eksportér personlige links (uden e-mail)",
			`name="export" value="yes" required`, `<caption><span>Rundens e-mails i udbakken (antal)</span></caption>`, `value="7,2"`,
			"13 har endnu ikke fået deres invitation med e-mail"},
		notWant: []string{"/i/"}}.check(t, page)
	danish := newEnglishCheck(t)
	danish.page(t, "the round page with mail", page.Body.String())

	for _, tt := range []scenario{
		{name: "HR may not send", req: request{method: "POST", path: round + "/mail", form: url.Values{"confirm": {"yes"}}, cookies: []*http.Cookie{e.hr}},
			wantStatus: http.StatusForbidden},
		{name: "no one signed in may not send", req: request{method: "POST", path: round + "/mail", form: url.Values{"confirm": {"yes"}}},
			wantStatus: http.StatusUnauthorized},
		{name: "without the tick nothing is sent", req: request{method: "POST", path: round + "/mail", cookies: admin},
			wantStatus: http.StatusBadRequest, want: []string{"Invitationerne blev ikke sendt: sæt kryds"}},
		{name: "a draft round is refused", req: request{method: "POST", path: fmt.Sprintf("/admin/rounds/%d/mail", e.draftRound(t).ID), form: url.Values{"confirm": {"yes"}}, cookies: admin},
			wantStatus: http.StatusBadRequest, want: []string{"er ikke åbnet endnu"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := e.lastAudit(t)
			tt.check(t, e.do(tt.req))
			if n := e.outboxTotal(t, e.open.ID); n != 0 {
				t.Errorf("%d messages queued", n)
			}
			if got := e.lastAudit(t); got.ID != before.ID {
				t.Errorf("audited %+v", got)
			}
		})
	}

	t.Run("sent, audited with counts, the file's link replaced", func(t *testing.T) {
		w := e.do(request{method: "POST", path: round + "/mail", form: url.Values{"confirm": {"yes"}}, cookies: admin})
		if w.Code != http.StatusSeeOther || w.Header().Get("Location") != round+"?mailed=13#mail" {
			t.Fatalf("POST = %d %s", w.Code, w.Header().Get("Location"))
		}
		a := e.lastAudit(t)
		if a.Action != "invitations.mail" || a.Target != fmt.Sprintf("round:%d", e.open.ID) || a.Detail != "13 messages queued, 12 new invitations, 0 links replaced" {
			t.Errorf("audit = %+v", a)
		}
		if _, err := e.db.FindInvitationByTokenHash(context.Background(), auth.HashToken(e.token)); survey.ErrorCode(err) != survey.ENOTFOUND {
			t.Errorf("Ada's link from the file still works (%v)", err)
		}
		tally, err := e.cfg.Mail.SendDue(context.Background())
		must(t, err)
		if tally.Sent != 13 || len(relay.Messages()) != 13 {
			t.Errorf("sent %+v, relay took %d", tally, len(relay.Messages()))
		}
		counted := e.do(request{path: round + "?mailed=13", cookies: admin})
		scenario{name: "the page counts", wantStatus: http.StatusOK,
			want:    []string{"13 invitationer er lagt i udbakken", `<tr><th scope="row">Invitationer</th><td class="num">0</td><td class="num">13</td>`},
			notWant: []string{"/i/", "ada@example.dk", "endnu ikke fået"}}.check(t, counted)
		danish.page(t, "the round page after sending", counted.Body.String())
		scenario{name: "the audit log says it in words", wantStatus: http.StatusOK,
			want: []string{"Sendte invitationer med e-mail", "Lagt i udbakken: 13, nye invitationer: 12, erstattede links: 0"}}.check(t,
			e.do(request{path: "/admin/audit", cookies: admin}))
	})

	t.Run("sending again sends nothing", func(t *testing.T) {
		w := e.do(request{method: "POST", path: round + "/mail", form: url.Values{"confirm": {"yes"}}, cookies: admin})
		if w.Header().Get("Location") != round+"?mailed=0#mail" {
			t.Errorf("again: %s", w.Header().Get("Location"))
		}
		scenario{name: "says so", wantStatus: http.StatusOK, want: []string{"Alle har allerede fået deres invitation."}}.check(t,
			e.do(request{path: round + "?mailed=0", cookies: admin}))
	})
}

// draftRound makes a draft round.
func (e *staffEnv) draftRound(t *testing.T) *survey.Round {
	t.Helper()
	r := &survey.Round{Name: fmt.Sprintf("Kladde %d", time.Now().UnixNano()), Status: survey.RoundDraft, InstrumentVersion: e.in.Version}
	must(t, e.db.CreateRound(context.Background(), r))
	return r
}

// TestOutboxNamesNoOneReminded: the round page lists the addresses of
// failed invitations, so that they can be corrected, and counts the
// reminders, failed ones too, without saying whose.
func TestOutboxNamesNoOneReminded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	relay := mailtest.Start(t, mailtest.Options{TLS: mailtest.STARTTLS, Reply: func(rcpt string, n int) error {
		if rcpt == "leder5@example.dk" || rcpt == "leder3@example.dk" && n == 2 {
			return mailtest.Permanent // leder5's invitation; leder3's reminder
		}
		return nil
	}})
	e := newStaffEnv(t, withMail(t, relay))
	// A round that closes in 7 days, in Copenhagen: today is a reminder day.
	cph, err := time.LoadLocation("Europe/Copenhagen")
	must(t, err)
	y, m, d := time.Now().In(cph).AddDate(0, 0, 7).Date()
	r := survey.Round{Name: "Påmindes", Status: survey.RoundOpen, InstrumentVersion: e.in.Version, Closes: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
	must(t, e.db.CreateRound(ctx, &r))
	_, err = e.db.QueueInvitationMail(ctx, r.ID, false)
	must(t, err)
	_, err = e.cfg.Mail.SendDue(ctx)
	must(t, err)
	n, err := e.server.QueueReminders(ctx)
	must(t, err)
	if n != 12 { // the 13 invited less leder5, whose invitation failed
		t.Fatalf("queued %d reminders, want 12", n)
	}
	_, err = e.cfg.Mail.SendDue(ctx)
	must(t, err)
	if got := e.lastAudit(t); got.Action != "reminders.queue" || got.Actor != "system" || got.Detail != "12 reminders, 7 days before the close" {
		t.Errorf("audit = %+v, want the count only", got)
	}
	scenario{name: "failed invitations by address, reminders by count", wantStatus: http.StatusOK,
		want: []string{"Invitationer, der ikke kunne sendes", "leder5@example.dk", "&lt;recipient&gt;",
			`<tr><th scope="row">Påmindelser</th><td class="num">0</td><td class="num">11</td><td class="num">1</td>`},
		notWant: []string{"leder3@example.dk", "Leder 3<"}}.check(t,
		e.do(request{path: fmt.Sprintf("/admin/rounds/%d", r.ID), cookies: []*http.Cookie{e.admin}}))
}

func TestLinkExportNeedsItsOwnTick(t *testing.T) {
	t.Parallel()
	relay := mailtest.Start(t, mailtest.Options{TLS: mailtest.STARTTLS})
	e := newStaffEnv(t, withMail(t, relay))
	path := fmt.Sprintf("/admin/rounds/%d/invitations", e.open.ID)
	scenario{name: "no tick: no file", wantStatus: http.StatusBadRequest, want: []string{"Linkfilen blev ikke lavet"}, notWant: []string{"/i/"}}.check(t,
		e.do(request{method: "POST", path: path, form: url.Values{"mode": {"missing"}}, cookies: []*http.Cookie{e.admin}}))
	w := e.do(request{method: "POST", path: path, form: url.Values{"mode": {"missing"}, "export": {"yes"}}, cookies: []*http.Cookie{e.admin}})
	if w.Code != http.StatusOK || !strings.HasPrefix(w.Body.String(), "\ufeffemail;name;link") {
		t.Fatalf("export = %d", w.Code)
	}
	if a := e.lastAudit(t); a.Action != "invitations.export" || a.Detail != "12 links" {
		t.Errorf("audit = %+v, want invitations.export with the count", a)
	}
	scenario{name: "rater links too", wantStatus: http.StatusBadRequest, want: []string{"Linkfilen blev ikke lavet"}}.check(t,
		e.do(request{method: "POST", path: fmt.Sprintf("/admin/rounds/%d/rater-links", e.open.ID), cookies: []*http.Cookie{e.admin}}))
}

func TestReminderDaysAreSet(t *testing.T) {
	t.Parallel()
	relay := mailtest.Start(t, mailtest.Options{TLS: mailtest.STARTTLS})
	e := newStaffEnv(t, withMail(t, relay))
	path := fmt.Sprintf("/admin/rounds/%d/reminders", e.open.ID)
	scenario{name: "saved", wantStatus: http.StatusSeeOther}.check(t,
		e.do(request{method: "POST", path: path, form: url.Values{"reminder_days": {"3, 14"}}, cookies: []*http.Cookie{e.admin}}))
	days, err := e.db.FindReminderDays(context.Background(), e.open.ID)
	must(t, err)
	if survey.FormatReminderDays(days) != "14,3" {
		t.Errorf("days = %v", days)
	}
	if a := e.lastAudit(t); a.Action != "round.reminders" || a.Detail != "days 14,3" {
		t.Errorf("audit = %+v", a)
	}
	scenario{name: "refused", wantStatus: http.StatusBadRequest, want: []string{"»syv« er ikke et helt antal dage fra 0 til 60"}}.check(t,
		e.do(request{method: "POST", path: path, form: url.Values{"reminder_days": {"syv"}}, cookies: []*http.Cookie{e.admin}}))
	scenario{name: "HR may not", wantStatus: http.StatusForbidden}.check(t,
		e.do(request{method: "POST", path: path, form: url.Values{"reminder_days": {"1"}}, cookies: []*http.Cookie{e.hr}}))
}

// TestLanguageIsKeptForMail: a leader's language switch is the language
// of their mail; an administrator can set it too.
func TestLanguageIsKeptForMail(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	ctx := context.Background()
	session := e.login(e.token)
	w := e.do(request{method: "POST", path: "/language", form: url.Values{"lang": {"en"}, "return": {"/survey"}}, cookies: []*http.Cookie{session}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("switch = %d", w.Code)
	}
	if lang, err := e.db.FindPersonLanguage(ctx, e.person.ID); err != nil || lang != survey.English {
		t.Errorf("language = %s (%v), want en", lang, err)
	}
	page := fmt.Sprintf("/admin/people/%d", e.person.ID)
	scenario{name: "shown", wantStatus: http.StatusOK, want: []string{`<label for="language">Sprog i e-mails</label>`, `<option value="en" lang="en" selected>English</option>`}}.check(t,
		e.do(request{path: page, cookies: []*http.Cookie{e.admin}}))
	w = e.do(request{method: "POST", path: page, form: url.Values{"name": {e.person.Name}, "email": {e.person.Email}, "department": {fmt.Sprint(e.person.DepartmentID)}, "language": {"da"}},
		cookies: []*http.Cookie{e.admin}})
	if w.Code != http.StatusSeeOther {
		t.Fatalf("save = %d:\n%s", w.Code, w.Body.String())
	}
	if lang, _ := e.db.FindPersonLanguage(ctx, e.person.ID); lang != survey.Danish {
		t.Errorf("language after the administrator set it = %s, want da", lang)
	}
}
