package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"testing"

	"lederradar/data"
	"lederradar/internal/mail"
	"lederradar/survey"
)

// a11yMailer turns mail on in the walk's server: the round pages show
// sending, reminders, the outbox and the link export. It is never run:
// nothing is sent.
func a11yMailer(t *testing.T, db *data.DB, baseURL string) *mail.Worker {
	t.Helper()
	w, err := mail.New(db, mail.Config{Addr: "127.0.0.1:25", From: "Lederradar <lederradar@demo.kommune.dk>", TLS: mail.None,
		BaseURL: baseURL, MinGroup: 5}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	must(t, err)
	return w
}

// mailVisits are the round page's states with mail: an outbox with sent
// and failed invitations, and each form refused.
func (app *a11yApp) mailVisits(t *testing.T) []a11yVisit {
	t.Helper()
	ctx := context.Background()
	r := survey.Round{Name: "E-mail tilgængelighed", Status: survey.RoundOpen, InstrumentVersion: app.open.InstrumentVersion}
	must(t, app.db.CreateRound(ctx, &r))
	_, err := app.db.QueueInvitationMail(ctx, r.ID, false)
	must(t, err)
	for i := range 3 { // two sent, one refused for good
		m, err := app.db.ClaimOutbox(ctx, 0)
		must(t, err)
		if i == 2 {
			must(t, app.db.MarkOutboxFailed(ctx, m.ID, "550 5.1.1 <recipient>: No such user here"))
		} else {
			must(t, app.db.MarkOutboxSent(ctx, m.ID))
		}
	}
	round, open := fmt.Sprintf("/admin/rounds/%d", r.ID), fmt.Sprintf("/admin/rounds/%d", app.open.ID)
	return []a11yVisit{
		{Role: "admin", Name: "admin-round-mail", Path: round + "?mailed=3", Route: "/admin/rounds/:round", Screenshot: "admin-round-mail"},
		{Role: "admin", Name: "admin-round-mail-unticked", Path: open, Route: "/admin/rounds/:round", Status: http.StatusBadRequest,
			Form: &a11yForm{Action: open + "/mail", Fields: func() url.Values { return url.Values{} }}},
		{Role: "admin", Name: "admin-round-reminders-error", Path: open, Route: "/admin/rounds/:round", Status: http.StatusBadRequest,
			Form: &a11yForm{Action: open + "/reminders", Fields: func() url.Values { return url.Values{"reminder_days": {"syv"}} }}},
		{Role: "admin", Name: "admin-round-export-unticked", Path: open, Route: "/admin/rounds/:round", Status: http.StatusBadRequest,
			Form: &a11yForm{Action: open + "/invitations", Fields: func() url.Values { return url.Values{"mode": {"missing"}} }}},
	}
}
