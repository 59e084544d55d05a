package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"lederradar/data"
	"lederradar/survey"
)

// outboxRow is one kind of message on the round's page: how many stand
// at each status. Counts only: the page never says who was reminded or
// thanked.
type outboxRow struct {
	Kind                                  string
	Waiting, Sent, Failed, Unknown, Total int
}

// roundMailView is the round page's part for mail, when mail is on.
type roundMailView struct {
	Outbox []outboxRow
	// Failed are the invitations the relay refused for good: their
	// addresses, so that they can be corrected. Invitations only.
	Failed []data.FailedInvitation
	// ReminderDays are the days before the close the round reminds on
	// ("7,2"), for the field.
	ReminderDays string
	// ToMail says how many the next send would reach (leaders and raters
	// added since the last one, and refused invitations); empty for none.
	ToMail string
	// Error says why no invitations were sent, RemindersError why the
	// reminder days were not saved.
	Error, RemindersError string
}

// mailKinds are the kinds of mail in the order the page lists them, and
// mailKindLabels their names.
var (
	mailKinds      = []data.MailKind{data.MailInvitation, data.MailReminder, data.MailThanks}
	mailKindLabels = map[data.MailKind]string{data.MailInvitation: "admin.mail_kind_invitation",
		data.MailReminder: "admin.mail_kind_reminder", data.MailThanks: "admin.mail_kind_thanks"}
)

// roundMailView reads the round's mail: the outbox's counts, the failed
// invitations and the reminder days.
func (s *Server) roundMailView(ctx context.Context, p Page, round *survey.Round) (*roundMailView, error) {
	counts, err := s.db.FindOutboxCounts(ctx, round.ID)
	if err != nil {
		return nil, err
	}
	v := &roundMailView{}
	rows := map[data.MailKind]*outboxRow{}
	for _, kind := range mailKinds {
		rows[kind] = &outboxRow{Kind: p.T.T(mailKindLabels[kind])}
	}
	for _, c := range counts {
		r := rows[c.Kind]
		if r == nil {
			continue
		}
		switch c.Status {
		case data.MailQueued, data.MailSending:
			r.Waiting += c.N
		case data.MailSent:
			r.Sent += c.N
		case data.MailFailed:
			r.Failed += c.N
		case data.MailUnknown:
			r.Unknown += c.N
		}
		r.Total += c.N
	}
	for _, kind := range mailKinds {
		v.Outbox = append(v.Outbox, *rows[kind])
	}
	if v.Failed, err = s.db.FindFailedInvitations(ctx, round.ID); err != nil {
		return nil, err
	}
	days, err := s.db.FindReminderDays(ctx, round.ID)
	if err != nil {
		return nil, err
	}
	v.ReminderDays = survey.FormatReminderDays(days)
	if n, err := s.db.CountInvitationsToMail(ctx, round.ID); err != nil {
		return nil, err
	} else if n > 0 {
		v.ToMail = p.T.N("admin.mail_to_send", n)
	}
	return v, nil
}

// sendInvitationMail queues an invitation by e-mail to everyone in the
// round who has not had one — every leader and, in a 360 round, every
// rater — and wakes the sender. It takes the tick that says links made
// for a file stop working; audited with counts only.
func (s *Server) sendInvitationMail(c *gin.Context) {
	round, ok := s.roundParam(c)
	if !ok {
		return
	}
	if s.mail == nil {
		c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/rounds/%d?mail=off", round.ID))
		return
	}
	if c.PostForm("confirm") != "yes" {
		s.showRoundRefused(c, round, func(v *adminRoundView) { v.Mail.Error = v.T.T("admin.mail_unconfirmed") })
		return
	}
	q, err := s.db.QueueInvitationMail(c.Request.Context(), round.ID, false)
	if code := survey.ErrorCode(err); code == survey.ECONFLICT || code == survey.ECLOSED {
		s.showRoundRefused(c, round, func(v *adminRoundView) { v.Mail.Error = v.T.T("admin.mail_refused", reasonText(v.T, err)) })
		return
	} else if err != nil {
		s.fail(c, err)
		return
	}
	s.audit(c, "invitations.mail", "round:"+itoa64(round.ID), fmt.Sprintf("%d messages queued, %d new invitations, %d links replaced", q.Queued, q.Created, q.Replaced))
	s.mail.Wake()
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/rounds/%d?mailed=%d#mail", round.ID, q.Queued))
}

// saveReminderDays stores the days before its close on which the round
// reminds those who have not submitted; empty turns reminders off.
func (s *Server) saveReminderDays(c *gin.Context) {
	round, ok := s.openForRaters(c) // a closed round reminds no one: 409
	if !ok {
		return
	}
	days, err := survey.ParseReminderDays(c.PostForm("reminder_days"))
	if err == nil {
		err = s.db.SetReminderDays(c.Request.Context(), round.ID, days)
	}
	if code := survey.ErrorCode(err); code == survey.EINVALID || code == survey.ECLOSED {
		s.showRoundRefused(c, round, func(v *adminRoundView) {
			if v.Mail == nil {
				v.Mail = &roundMailView{}
			}
			v.Mail.RemindersError = v.T.T("admin.invalid", reasonText(v.T, err))
		})
		return
	} else if err != nil {
		s.fail(c, err)
		return
	}
	s.audit(c, "round.reminders", "round:"+itoa64(round.ID), "days "+survey.FormatReminderDays(days))
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/admin/rounds/%d?saved=1#mail", round.ID))
}

// linkExportRefused answers a request for a link file while mail is on
// and the administrator has not ticked that they export the links on
// purpose (400, nothing made); it has answered when it returns true.
// With mail off the file is the way links go out, as before.
func (s *Server) linkExportRefused(c *gin.Context, round *survey.Round) bool {
	if s.mail == nil || c.PostForm("export") == "yes" {
		return false
	}
	s.showRoundRefused(c, round, func(v *adminRoundView) { v.Error = v.T.T("admin.export_unconfirmed") })
	return true
}

// linkExportAction is the audit action of a link file: an export of its
// own when mail is on.
func (s *Server) linkExportAction(action string) string {
	if s.mail == nil {
		return action
	}
	return strings.Replace(action, ".issue", ".export", 1)
}

// roundMailStatus says what the round page's mail query means.
func roundMailStatus(p *Printer, c *gin.Context, status string) string {
	if n, err := strconv.Atoi(c.Query("mailed")); err == nil && n >= 0 {
		return p.N("admin.mail_queued", n)
	}
	switch {
	case c.Query("mail") == "off":
		return p.T("admin.mail_off")
	}
	return status
}
