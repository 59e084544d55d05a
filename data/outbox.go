package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"lederradar/survey"
)

// MailKind is what a message in the outbox is.
type MailKind string

// The kinds of mail Lederradar sends.
const (
	MailInvitation MailKind = "invitation"
	MailReminder   MailKind = "reminder"
	MailThanks     MailKind = "thanks"
)

// MailStatus is where a message in the outbox stands.
type MailStatus string

// A message is queued, then sending while the relay is asked, then sent;
// failed when the relay refused it for good or too often; unknown when
// the sender stopped while sending it, so that it may or may not have
// gone (it is not sent again by itself).
const (
	MailQueued  MailStatus = "queued"
	MailSending MailStatus = "sending"
	MailSent    MailStatus = "sent"
	MailFailed  MailStatus = "failed"
	MailUnknown MailStatus = "unknown"
)

// OutboxMessage is a claimed message with what it is written from: its
// recipient, their language and invitation, the round, and the link.
// Nothing of it is stored but the message's kind and its invitation's
// id; it is read again for each attempt.
type OutboxMessage struct {
	ID       int64
	Kind     MailKind
	Attempts int // this one included
	// Email, Name and Lang are the recipient's: the leader, or the rater.
	Email, Name string
	Lang        survey.Lang
	Relation    survey.Relation
	// SubjectName is the leader a rater is asked about; empty for a
	// leader's own mail.
	SubjectName string
	// ManagerAlone is set for a manager whose answers the round shows the
	// leader apart from the others' (survey.Round.ManagerShown).
	ManagerAlone bool
	RoundName    string
	Closes       time.Time // the round's announced last day; zero if none
	// Token is the invitation's mailed link's token; empty for a
	// thank-you, which carries no personal link.
	Token string
}

// ClaimOutbox takes the next message due and marks it sending, in a
// transaction committed before it returns: so a message is handed out
// once, whatever happens to the sender afterwards. The claim lasts lease;
// a message still sending after that was cut off mid-send, and the next
// claim marks it unknown (never sent again by itself). A message that
// has become pointless is dropped instead of sent: an invitation or
// reminder to a round that has closed or whose link has been replaced by
// one made for a file, a reminder to someone who has submitted since.
// ENOTFOUND when nothing is due.
func (d *DB) ClaimOutbox(ctx context.Context, lease time.Duration) (*OutboxMessage, error) {
	now := d.now()
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("data: unable to begin claiming mail: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "UPDATE outbox SET status = 'unknown' WHERE status = 'sending' AND next_attempt_at <= ?", formatTime(now)); err != nil {
		return nil, fmt.Errorf("data: unable to mark mail cut off mid-send: %w", err)
	}
	for {
		m, serial, drop, err := nextDueMessage(ctx, tx, now)
		if survey.ErrorCode(err) == survey.ENOTFOUND {
			// What was marked unknown or dropped stays so.
			if cerr := tx.Commit(); cerr != nil {
				return nil, fmt.Errorf("data: unable to commit the outbox: %w", cerr)
			}
			return nil, err
		} else if err != nil {
			return nil, err
		}
		if drop {
			if _, err := tx.ExecContext(ctx, "DELETE FROM outbox WHERE id = ?", m.ID); err != nil {
				return nil, fmt.Errorf("data: unable to drop mail %d: %w", m.ID, err)
			}
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'sending', attempts = attempts + 1, next_attempt_at = ?
			WHERE id = ?`, formatTime(now.Add(lease)), m.ID); err != nil {
			return nil, fmt.Errorf("data: unable to claim mail %d: %w", m.ID, err)
		}
		m.Attempts++
		if m.Kind != MailThanks {
			key, err := linkKey(ctx, tx)
			if err != nil {
				return nil, err
			}
			m.Token = derivedToken(key, m.invitationID, serial)
		}
		if err := tx.Commit(); err != nil {
			return nil, fmt.Errorf("data: unable to commit the claim of mail %d: %w", m.ID, err)
		}
		return &m.OutboxMessage, nil
	}
}

// RecoverOutbox marks the messages whose claim has run out while they
// were sending as unknown, as ClaimOutbox does first, and returns how
// many. They were cut off mid-send, by a crash or a kill, and may or may
// not have gone: they are not sent again by themselves.
func (d *DB) RecoverOutbox(ctx context.Context) (int, error) {
	res, err := d.write.ExecContext(ctx, "UPDATE outbox SET status = 'unknown' WHERE status = 'sending' AND next_attempt_at <= ?", formatTime(d.now()))
	if err != nil {
		return 0, fmt.Errorf("data: unable to mark mail cut off mid-send: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// dueMessage is an OutboxMessage with what the claim needs besides.
type dueMessage struct {
	OutboxMessage
	invitationID int64
}

// nextDueMessage reads the queued message due first, and whether it has
// become pointless (drop). ENOTFOUND when none is due.
func nextDueMessage(ctx context.Context, tx *sql.Tx, now time.Time) (m dueMessage, serial int64, drop bool, err error) {
	var kind, lang, rel, status, closes sql.NullString
	var serialN sql.NullInt64
	var managerShown, submitted bool
	err = tx.QueryRowContext(ctx, `
		SELECT o.id, o.kind, o.attempts, i.id, i.link_serial, i.relation, p.email, p.name, p.language,
			CASE WHEN i.relation = 'self' THEN '' ELSE s.name END, r.name, r.status, r.closes_at, r.manager_shown,
			EXISTS (SELECT 1 FROM responses x WHERE x.round_id = i.round_id AND x.subject_id = i.subject_id
				AND x.rater_id = i.person_id AND x.submitted_at IS NOT NULL)
		FROM outbox o JOIN invitations i ON i.id = o.invitation_id
			JOIN people p ON p.id = i.person_id JOIN people s ON s.id = i.subject_id
			JOIN rounds r ON r.id = i.round_id
		WHERE o.status = 'queued' AND o.next_attempt_at <= ?
		ORDER BY o.next_attempt_at, o.id LIMIT 1`, formatTime(now)).Scan(
		&m.ID, &kind, &m.Attempts, &m.invitationID, &serialN, &rel, &m.Email, &m.Name, &lang,
		&m.SubjectName, &m.RoundName, &status, &closes, &managerShown, &submitted)
	if errors.Is(err, sql.ErrNoRows) {
		return m, 0, false, survey.Errorf(survey.ENOTFOUND, "no mail is due")
	} else if err != nil {
		return m, 0, false, fmt.Errorf("data: unable to find mail due: %w", err)
	}
	m.Kind, m.Relation = MailKind(kind.String), survey.Relation(rel.String)
	m.Lang, _ = survey.ParseLang(lang.String)
	m.ManagerAlone = managerShown && m.Relation == survey.Manager
	if closes.Valid {
		if m.Closes, err = parseTime(closes.String); err != nil {
			return m, 0, false, err
		}
	}
	personal := m.Kind == MailInvitation || m.Kind == MailReminder
	drop = personal && (status.String == string(survey.RoundClosed) || !serialN.Valid) ||
		m.Kind == MailReminder && submitted
	return m, serialN.Int64, drop, nil
}

// MarkOutboxSent records that the relay took a message.
func (d *DB) MarkOutboxSent(ctx context.Context, id int64) error {
	return d.markOutbox(ctx, id, "UPDATE outbox SET status = 'sent', sent_at = ?, last_error = '' WHERE id = ? AND "+claimed, formatTime(d.now()), id)
}

// MarkOutboxRetry puts a message back in the queue, to be tried again
// at, after a temporary failure; reason is the relay's reply (without the
// recipient's address).
func (d *DB) MarkOutboxRetry(ctx context.Context, id int64, at time.Time, reason string) error {
	return d.markOutbox(ctx, id, "UPDATE outbox SET status = 'queued', next_attempt_at = ?, last_error = ? WHERE id = ? AND "+claimed, formatTime(at), reason, id)
}

// MarkOutboxFailed records that a message will not be sent: the relay
// refused it for good, or too often.
func (d *DB) MarkOutboxFailed(ctx context.Context, id int64, reason string) error {
	return d.markOutbox(ctx, id, "UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ? AND "+claimed, reason, id)
}

// claimed is the condition of a message whose outcome is recorded: one
// claimed, or whose claim ran out meanwhile (unknown), since its outcome
// is known after all.
const claimed = "status IN ('sending', 'unknown')"

// markOutbox records a claimed message's outcome with query. A message
// gone meanwhile (erased with its person) is no error.
func (d *DB) markOutbox(ctx context.Context, id int64, query string, args ...any) error {
	if _, err := d.write.ExecContext(ctx, query, args...); err != nil {
		return fmt.Errorf("data: unable to record the outcome of mail %d: %w", id, err)
	}
	return nil
}

// NextOutboxDue returns when the next queued message is due; ok is false
// when none is queued.
func (d *DB) NextOutboxDue(ctx context.Context) (at time.Time, ok bool, err error) {
	var next sql.NullString
	if err := d.read.QueryRowContext(ctx, "SELECT min(next_attempt_at) FROM outbox WHERE status = 'queued'").Scan(&next); err != nil {
		return time.Time{}, false, fmt.Errorf("data: unable to find the next mail due: %w", err)
	}
	if !next.Valid {
		return time.Time{}, false, nil
	}
	at, err = parseTime(next.String)
	return at, err == nil, err
}

// OutboxCount is how many of a round's messages of one kind stand at one
// status.
type OutboxCount struct {
	Kind   MailKind
	Status MailStatus
	N      int
}

// FindOutboxCounts counts a round's messages by kind and status: counts
// only, for the administrator, who never learns who was reminded.
func (d *DB) FindOutboxCounts(ctx context.Context, roundID int64) ([]OutboxCount, error) {
	return findAll(ctx, d, "mail counts", `
		SELECT o.kind, o.status, count(*) FROM outbox o JOIN invitations i ON i.id = o.invitation_id
		WHERE i.round_id = ? GROUP BY o.kind, o.status ORDER BY o.kind, o.status`,
		func(row interface{ Scan(...any) error }) (OutboxCount, error) {
			var c OutboxCount
			err := row.Scan(&c.Kind, &c.Status, &c.N)
			return c, err
		}, roundID)
}

// FailedInvitation is someone whose mailed invitation to a round failed
// for good: what the administrator needs to correct the address.
type FailedInvitation struct {
	PersonID    int64
	Name, Email string
	Reason      string
}

// FindFailedInvitations lists the people whose invitation to a round,
// with their current link, failed for good. Invitations only: who was
// reminded or thanked is nobody's business but theirs.
func (d *DB) FindFailedInvitations(ctx context.Context, roundID int64) ([]FailedInvitation, error) {
	return findAll(ctx, d, "failed invitations", `
		SELECT p.id, p.name, p.email, o.last_error FROM outbox o JOIN invitations i ON i.id = o.invitation_id
			JOIN people p ON p.id = i.person_id
		WHERE i.round_id = ? AND o.kind = 'invitation' AND o.status = 'failed' AND o.tag = 's' || i.link_serial
		ORDER BY p.name, p.id, o.id`,
		func(row interface{ Scan(...any) error }) (FailedInvitation, error) {
			var f FailedInvitation
			err := row.Scan(&f.PersonID, &f.Name, &f.Email, &f.Reason)
			return f, err
		}, roundID)
}
