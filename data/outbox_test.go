package data_test

import (
	"context"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/survey"
)

// mailRound is an open round closing 20-03-2026 with three leaders: Åse
// holds a link from the mail-merge file and a session opened with it, Bo
// and Cai have no invitation yet.
type mailRound struct {
	db         *data.DB
	clock      *clock
	round      *survey.Round
	ase, bo    *survey.Person
	cai        *survey.Person
	aseFile    string // Åse's link from the file
	aseSession string // the session hash she opened with it
}

func newMailRound(t *testing.T) *mailRound {
	t.Helper()
	ctx := context.Background()
	db := mustOpenDB(t)
	m := &mailRound{db: db, clock: newClock(db)}
	mustInstrument(t, db, "test-1")
	m.ase = mustPerson(t, db, "ase@example.dk", "Åse Ærø")
	m.bo = mustPerson(t, db, "bo@example.dk", "Bo Berg")
	m.cai = mustPerson(t, db, "cai@example.dk", "Cai Holm")
	m.round = &survey.Round{Name: "Forår 2026", Status: survey.RoundOpen, InstrumentVersion: "test-1",
		Closes: time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC)}
	must(t, db.CreateRound(ctx, m.round))
	tokens, err := db.IssueInvitations(ctx, m.round.ID, []int64{m.ase.ID}, nil)
	must(t, err)
	m.aseFile = tokens[m.ase.ID]
	m.aseSession = m.openSession(t, m.aseFile)
	return m
}

// openSession opens a session with a link, as a new browser does, and
// returns the session's hash.
func (m *mailRound) openSession(t *testing.T, token string) string {
	t.Helper()
	inv, err := m.db.FindInvitationByTokenHash(context.Background(), auth.HashToken(token))
	must(t, err)
	_, hash := auth.NewToken()
	must(t, m.db.OpenLink(context.Background(), data.LinkSession{TokenHash: hash, InvitationID: inv.ID, Idle: time.Hour, MaxAge: 24 * time.Hour, Browser: "firefox", OS: "linux"}))
	return hash
}

func (m *mailRound) sessionAlive(t *testing.T, hash string) bool {
	t.Helper()
	_, _, _, _, err := m.db.FindLeaderSession(context.Background(), hash, time.Hour)
	if err != nil && survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatal(err)
	}
	return err == nil
}

// claimAll claims every message due and marks it sent, by recipient.
func (m *mailRound) claimAll(t *testing.T) map[string]*data.OutboxMessage {
	t.Helper()
	out := map[string]*data.OutboxMessage{}
	for {
		msg, err := m.db.ClaimOutbox(context.Background(), time.Minute)
		if survey.ErrorCode(err) == survey.ENOTFOUND {
			return out
		}
		must(t, err)
		if out[msg.Email] != nil {
			t.Fatalf("two messages due for %s", msg.Email)
		}
		out[msg.Email] = msg
		must(t, m.db.MarkOutboxSent(context.Background(), msg.ID))
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestQueueInvitationMail(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m := newMailRound(t)
	toMail := func(t *testing.T, want int) {
		t.Helper()
		n, err := m.db.CountInvitationsToMail(ctx, m.round.ID)
		must(t, err)
		if n != want {
			t.Errorf("%d invitations to mail, want %d", n, want)
		}
	}
	// Two leaders without an invitation, and one with a file's link.
	toMail(t, 3)

	got, err := m.db.QueueInvitationMail(ctx, m.round.ID, false)
	must(t, err)
	if want := (data.InvitationsMailed{Created: 2, Replaced: 0, Queued: 3}); got != want {
		t.Errorf("first send = %+v, want %+v", got, want)
	}
	toMail(t, 0)
	// The file's link and the session opened with it end: the mail
	// brings the link that works now.
	if _, err := m.db.FindInvitationByTokenHash(ctx, auth.HashToken(m.aseFile)); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("the file's link still works after the mail replaced it (%v)", err)
	}
	if m.sessionAlive(t, m.aseSession) {
		t.Error("the session opened with the file's link survived its replacement")
	}

	t.Run("queued once", func(t *testing.T) {
		again, err := m.db.QueueInvitationMail(ctx, m.round.ID, false)
		must(t, err)
		if again != (data.InvitationsMailed{}) {
			t.Errorf("second send = %+v, want nothing", again)
		}
	})
	t.Run("a leader added later is counted, and the next send reaches only her", func(t *testing.T) {
		p := survey.Person{Email: "dea@example.dk", Name: "Dea Dam"}
		must(t, m.db.CreatePerson(ctx, &p))
		toMail(t, 1)
		late, err := m.db.QueueInvitationMail(ctx, m.round.ID, false)
		must(t, err)
		if want := (data.InvitationsMailed{Created: 1, Queued: 1}); late != want {
			t.Errorf("send after she was added = %+v, want %+v", late, want)
		}
		toMail(t, 0)
		must(t, m.db.ErasePerson(ctx, p.ID, "test")) // the rest of the test counts three
	})

	sent := m.claimAll(t)
	if len(sent) != 3 {
		t.Fatalf("claimed %d messages, want 3", len(sent))
	}
	ase := sent["ase@example.dk"]
	if ase.Kind != data.MailInvitation || ase.Name != "Åse Ærø" || ase.RoundName != "Forår 2026" || ase.Lang != survey.Danish ||
		ase.Attempts != 1 || !ase.Closes.Equal(m.round.Closes) || ase.Relation != survey.Self || ase.SubjectName != "" {
		t.Errorf("Åse's message = %+v", ase)
	}
	if !auth.WellFormedToken(ase.Token) {
		t.Fatalf("mailed token %q is not a well-formed token", ase.Token)
	}
	inv, err := m.db.FindInvitationByTokenHash(ctx, auth.HashToken(ase.Token))
	must(t, err)
	if inv.PersonID != m.ase.ID {
		t.Errorf("the mailed link opens person %d's invitation, want %d", inv.PersonID, m.ase.ID)
	}
	session := m.openSession(t, ase.Token)

	t.Run("resend replaces the link", func(t *testing.T) {
		again, err := m.db.QueueInvitationMail(ctx, m.round.ID, true)
		must(t, err)
		if want := (data.InvitationsMailed{Replaced: 3, Queued: 3}); again != want {
			t.Errorf("resend = %+v, want %+v", again, want)
		}
		if m.sessionAlive(t, session) {
			t.Error("the session of the link mailed before survived the resend")
		}
		if _, err := m.db.FindInvitationByTokenHash(ctx, auth.HashToken(ase.Token)); survey.ErrorCode(err) != survey.ENOTFOUND {
			t.Errorf("the link mailed before still works (%v)", err)
		}
		resent := m.claimAll(t)
		if len(resent) != 3 || resent["ase@example.dk"].Token == ase.Token {
			t.Errorf("resend claimed %d messages; Åse's token changed: %v", len(resent), resent["ase@example.dk"].Token != ase.Token)
		}
	})

	t.Run("refused outside an open round", func(t *testing.T) {
		draft := &survey.Round{Name: "Kladde", Status: survey.RoundDraft, InstrumentVersion: "test-1"}
		must(t, m.db.CreateRound(ctx, draft))
		_, err := m.db.QueueInvitationMail(ctx, draft.ID, false)
		wantCode(t, err, survey.ECONFLICT)
		must(t, m.db.SetRoundStatus(ctx, draft.ID, survey.RoundClosed))
		_, err = m.db.QueueInvitationMail(ctx, draft.ID, false)
		wantCode(t, err, survey.ECLOSED)
	})
}

func TestOutboxClaim(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m := newMailRound(t)
	_, err := m.db.QueueInvitationMail(ctx, m.round.ID, false)
	must(t, err)
	status := func(id int64) string {
		t.Helper()
		var s string
		rows := countRows(t, m.db, "SELECT count(*) FROM outbox WHERE id = ?", id)
		if rows != 1 {
			t.Fatalf("message %d: %d rows", id, rows)
		}
		for _, st := range []string{"queued", "sending", "sent", "failed", "unknown"} {
			if countRows(t, m.db, "SELECT count(*) FROM outbox WHERE id = ? AND status = ?", id, st) == 1 {
				s = st
			}
		}
		return s
	}

	first, err := m.db.ClaimOutbox(ctx, 2*time.Minute)
	must(t, err)
	if got := status(first.ID); got != "sending" {
		t.Fatalf("a claimed message is %s, want sending", got)
	}
	second, err := m.db.ClaimOutbox(ctx, 2*time.Minute)
	must(t, err)
	third, err := m.db.ClaimOutbox(ctx, 2*time.Minute)
	must(t, err)
	if first.ID == second.ID || second.ID == third.ID {
		t.Fatal("one message claimed twice")
	}
	if _, err := m.db.ClaimOutbox(ctx, 2*time.Minute); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("a fourth claim = %v, want ENOTFOUND", err)
	}

	must(t, m.db.MarkOutboxSent(ctx, first.ID))
	must(t, m.db.MarkOutboxRetry(ctx, second.ID, m.clock.Now().Add(time.Minute), "421 try later"))
	if _, err := m.db.ClaimOutbox(ctx, 2*time.Minute); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("a message retried in a minute was claimed at once (%v)", err)
	}
	next, ok, err := m.db.NextOutboxDue(ctx)
	must(t, err)
	if !ok || !next.Equal(m.clock.Now().Add(time.Minute)) {
		t.Errorf("next due = %v, %v; want in a minute", next, ok)
	}
	m.clock.Add(time.Minute)
	again, err := m.db.ClaimOutbox(ctx, 2*time.Minute)
	must(t, err)
	if again.ID != second.ID || again.Attempts != 2 {
		t.Errorf("claimed %d (attempt %d), want %d (attempt 2)", again.ID, again.Attempts, second.ID)
	}
	must(t, m.db.MarkOutboxFailed(ctx, again.ID, "550 no such user"))

	// The third's sender died mid-send: after its lease the message is
	// unknown, and never claimed again.
	m.clock.Add(2 * time.Minute)
	if _, err := m.db.ClaimOutbox(ctx, 2*time.Minute); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("a message cut off mid-send was claimed again (%v)", err)
	}
	want := map[int64]string{first.ID: "sent", second.ID: "failed", third.ID: "unknown"}
	for id, w := range want {
		if got := status(id); got != w {
			t.Errorf("message %d is %s, want %s", id, got, w)
		}
	}
	counts, err := m.db.FindOutboxCounts(ctx, m.round.ID)
	must(t, err)
	if len(counts) != 3 {
		t.Errorf("counts = %+v, want three statuses of invitations", counts)
	}
	failed, err := m.db.FindFailedInvitations(ctx, m.round.ID)
	must(t, err)
	if len(failed) != 1 || failed[0].Reason != "550 no such user" {
		t.Errorf("failed invitations = %+v", failed)
	}
	// Sending again queues the refused invitation (its address may have
	// been corrected), and neither the sent nor the unknown one.
	q, err := m.db.QueueInvitationMail(ctx, m.round.ID, false)
	must(t, err)
	if q != (data.InvitationsMailed{Queued: 1}) {
		t.Errorf("sending again = %+v, want the failed one queued", q)
	}
	if got := status(second.ID); got != "queued" {
		t.Errorf("the failed invitation is %s after sending again, want queued", got)
	}
}

func TestRemindersKeepTheLink(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m := newMailRound(t)
	_, err := m.db.QueueInvitationMail(ctx, m.round.ID, false)
	must(t, err)
	invited := m.claimAll(t)
	session := m.openSession(t, invited["ase@example.dk"].Token)
	// Cai has submitted; Bo's language is English.
	_, err = m.db.SubmitResponse(ctx, m.round.ID, m.cai.ID, m.cai.ID, survey.Self, "cai-submit")
	must(t, err)
	must(t, m.db.SetPersonLanguage(ctx, m.bo.ID, survey.English))
	cph, err := time.LoadLocation("Europe/Copenhagen")
	must(t, err)

	// 13-03-2026 at 00:30 in Copenhagen is 7 days before the close, though
	// still the 12th in UTC.
	m.clock.Add(time.Date(2026, 3, 12, 23, 30, 0, 0, time.UTC).Sub(m.clock.Now()))
	queued, err := m.db.QueueReminders(ctx, cph)
	must(t, err)
	if len(queued) != 1 || queued[0].N != 2 || queued[0].Day != 7 {
		t.Fatalf("reminders = %+v, want 2 on day 7", queued)
	}
	again, err := m.db.QueueReminders(ctx, cph)
	must(t, err)
	if len(again) != 0 {
		t.Errorf("the same day queued again: %+v", again)
	}
	reminded := m.claimAll(t)
	if len(reminded) != 2 || reminded["cai@example.dk"] != nil {
		t.Fatalf("reminded %d, Cai among them: %v", len(reminded), reminded["cai@example.dk"] != nil)
	}
	for who, msg := range reminded {
		if msg.Kind != data.MailReminder || msg.Token != invited[who].Token {
			t.Errorf("%s's reminder: kind %s, same link %v", who, msg.Kind, msg.Token == invited[who].Token)
		}
	}
	if reminded["bo@example.dk"].Lang != survey.English {
		t.Errorf("Bo's reminder is in %s, want en", reminded["bo@example.dk"].Lang)
	}
	// The session has expired by now (an hour unused), but it is there:
	// no reminder ended it.
	if countRows(t, m.db, "SELECT count(*) FROM sessions WHERE token_hash = ?", session) != 1 {
		t.Error("a reminder ended the session opened with the mailed link")
	}
	// A day later: no reminder day.
	m.clock.Add(24 * time.Hour)
	if q, err := m.db.QueueReminders(ctx, cph); err != nil || len(q) != 0 {
		t.Errorf("day 6 queued %+v (%v)", q, err)
	}

	t.Run("thanks at the close", func(t *testing.T) {
		must(t, m.db.CloseRound(ctx, m.round.ID, 3))
		thanked := m.claimAll(t)
		if len(thanked) != 1 || thanked["cai@example.dk"] == nil || thanked["cai@example.dk"].Kind != data.MailThanks || thanked["cai@example.dk"].Token != "" {
			t.Errorf("thanked %v, want Cai alone, without a personal link", thanked)
		}
	})

	t.Run("erasure takes the mail", func(t *testing.T) {
		if n := countRows(t, m.db, "SELECT count(*) FROM outbox o JOIN invitations i ON i.id = o.invitation_id WHERE i.person_id = ?", m.bo.ID); n == 0 {
			t.Fatal("set-up: Bo has no mail")
		}
		must(t, m.db.ErasePerson(ctx, m.bo.ID, "user:1"))
		if n := countRows(t, m.db, "SELECT count(*) FROM outbox WHERE invitation_id NOT IN (SELECT id FROM invitations)"); n != 0 {
			t.Errorf("%d messages outlived their invitation", n)
		}
	})
}

func TestReminderDays(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m := newMailRound(t)
	days, err := m.db.FindReminderDays(ctx, m.round.ID)
	must(t, err)
	if survey.FormatReminderDays(days) != "7,2" {
		t.Errorf("a new round reminds on %v, want 7,2", days)
	}
	must(t, m.db.SetReminderDays(ctx, m.round.ID, []int{1, 14, 1}))
	days, err = m.db.FindReminderDays(ctx, m.round.ID)
	must(t, err)
	if survey.FormatReminderDays(days) != "14,1" {
		t.Errorf("reminder days = %v, want 14,1", days)
	}
	wantCode(t, m.db.SetReminderDays(ctx, m.round.ID, []int{61}), survey.EINVALID)
}
