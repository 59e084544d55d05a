package data

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"lederradar/internal/auth"
	"lederradar/survey"
)

// InvitationsMailed is what QueueInvitationMail did, as counts: invitations
// made for people who had none, links replaced (their old link stopped
// working), and messages queued.
type InvitationsMailed struct {
	Created  int
	Replaced int
	Queued   int
}

// QueueInvitationMail queues, in one transaction, an invitation by
// e-mail for everyone in a round: every leader of the organisation (an
// invitation is made for those who have none) and, in a 360 round, every
// rater. Each invitation is queued once, with its mailed link: a link
// derived from the database's key (migration 0019), made the first time
// and replacing any link made for a file, whose sessions end. With
// resend, everyone gets a new mailed link and a new message, and the
// link mailed before stops working; messages of the old link not yet
// sent are dropped. An invitation the relay refused for good is queued
// again (its address may have been corrected): it never arrived.
//
// The round must be open: a draft round's link opens nothing yet
// (ECONFLICT "mail_round_draft"), a closed one's no questionnaire
// (ECLOSED).
func (d *DB) QueueInvitationMail(ctx context.Context, roundID int64, resend bool) (InvitationsMailed, error) {
	var q InvitationsMailed
	tx, r, err := d.beginOnUnclosedRound(ctx, roundID, "queuing invitations")
	if err != nil {
		return q, err
	}
	defer tx.Rollback()
	if r.Status != survey.RoundOpen {
		return q, survey.Errorf(survey.ECONFLICT, "round %q is not open yet: open it before sending invitations", r.Name).WithKey("mail_round_draft", r.Name)
	}
	key, err := linkKey(ctx, tx)
	if err != nil {
		return q, err
	}
	now := formatTime(d.now())
	if q.Created, err = createMissingInvitations(ctx, tx, roundID, now); err != nil {
		return q, err
	}
	type link struct {
		id     int64
		serial sql.NullInt64
	}
	var invs []link
	rows, err := tx.QueryContext(ctx, "SELECT id, link_serial FROM invitations WHERE round_id = ? ORDER BY id", roundID)
	if err != nil {
		return q, fmt.Errorf("data: unable to find the invitations of round %d: %w", roundID, err)
	}
	for rows.Next() {
		var l link
		if err := rows.Scan(&l.id, &l.serial); err != nil {
			_ = rows.Close() // the scan's error is the one to report
			return q, fmt.Errorf("data: unable to find the invitations of round %d: %w", roundID, err)
		}
		invs = append(invs, l)
	}
	// Closed before the writes below, which need the connection.
	if err := rows.Close(); err != nil {
		return q, fmt.Errorf("data: unable to find the invitations of round %d: %w", roundID, err)
	}
	for _, l := range invs {
		serial := l.serial.Int64
		if !l.serial.Valid || resend {
			serial++
			if l.serial.Valid {
				q.Replaced++
			}
			if err := setMailedLink(ctx, tx, key, l.id, serial); err != nil {
				return q, err
			}
			if _, err := tx.ExecContext(ctx, "DELETE FROM outbox WHERE invitation_id = ? AND kind != 'thanks' AND status = 'queued'", l.id); err != nil {
				return q, fmt.Errorf("data: unable to drop the old link's mail: %w", err)
			}
		}
		tag := "s" + strconv.FormatInt(serial, 10)
		n, err := queueMail(ctx, tx, MailInvitation, l.id, tag, now)
		if err != nil {
			return q, err
		}
		if n == 0 {
			// The relay refused it for good: perhaps the address has been
			// corrected since. It never arrived, so it goes again.
			res, err := tx.ExecContext(ctx, `UPDATE outbox SET status = 'queued', attempts = 0, next_attempt_at = ?, last_error = ''
				WHERE kind = 'invitation' AND invitation_id = ? AND tag = ? AND status = 'failed'`, now, l.id, tag)
			if err != nil {
				return q, fmt.Errorf("data: unable to queue a failed invitation again: %w", err)
			}
			m, _ := res.RowsAffected()
			n = int(m)
		}
		q.Queued += n
	}
	if err := tx.Commit(); err != nil {
		return q, fmt.Errorf("data: unable to commit the invitations of round %d: %w", roundID, err)
	}
	return q, nil
}

// CountInvitationsToMail counts whom QueueInvitationMail would queue an
// invitation for now (without resend): leaders with no invitation to the
// round yet, invitations whose link has not gone by mail (none, or a
// file's), and mailed ones the relay refused for good. Raters nominated
// or leaders added after the last send are among them.
func (d *DB) CountInvitationsToMail(ctx context.Context, roundID int64) (int, error) {
	var n int
	err := d.readRow(ctx, `
		SELECT (SELECT count(*) FROM people WHERE rater_only = 0 AND id NOT IN
				(SELECT person_id FROM invitations WHERE round_id = ?1 AND relation = 'self'))
			+ (SELECT count(*) FROM invitations i WHERE i.round_id = ?1 AND (i.link_serial IS NULL OR NOT EXISTS
				(SELECT 1 FROM outbox o WHERE o.invitation_id = i.id AND o.kind = 'invitation'
					AND o.tag = 's' || i.link_serial AND o.status != 'failed')))`, roundID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("data: unable to count the invitations to mail in round %d: %w", roundID, err)
	}
	return n, nil
}

// createMissingInvitations makes a self-assessment invitation, without a
// link yet, for every leader of the organisation who has none in the
// round, and returns how many.
func createMissingInvitations(ctx context.Context, tx *sql.Tx, roundID int64, now string) (int, error) {
	var ids []int64
	if err := scanInts(ctx, tx, `SELECT id FROM people WHERE rater_only = 0 AND id NOT IN
		(SELECT person_id FROM invitations WHERE round_id = ? AND relation = 'self') ORDER BY id`, []any{roundID}, func(id int64) {
		ids = append(ids, id)
	}); err != nil {
		return 0, fmt.Errorf("data: unable to find the people without an invitation: %w", err)
	}
	for _, id := range ids {
		// A random hash until the mailed link replaces it; no link to it
		// ever leaves.
		_, hash := auth.NewToken()
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO invitations (round_id, person_id, subject_id, relation, token_hash, created_at)
			VALUES (?, ?, ?, 'self', ?, ?)`, roundID, id, id, hash, now); err != nil {
			return 0, fmt.Errorf("data: unable to invite person %d: %w", id, err)
		}
	}
	return len(ids), nil
}

// queueMail queues one message unless it is queued already (the outbox's
// uniqueness), and returns how many it queued: 1 or 0.
func queueMail(ctx context.Context, tx *sql.Tx, kind MailKind, invitationID int64, tag, now string) (int, error) {
	res, err := tx.ExecContext(ctx, `
		INSERT INTO outbox (kind, invitation_id, tag, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (kind, invitation_id, tag) DO NOTHING`, string(kind), invitationID, tag, now, now)
	if err != nil {
		return 0, fmt.Errorf("data: unable to queue mail: %w", err)
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// SetPersonLanguage stores the language a person's mail is written in:
// the one they chose in the application, or an administrator set.
func (d *DB) SetPersonLanguage(ctx context.Context, personID int64, lang survey.Lang) error {
	if _, ok := survey.ParseLang(string(lang)); !ok {
		return survey.Errorf(survey.EINVALID, "language %q is not da or en", lang)
	}
	res, err := d.write.ExecContext(ctx, "UPDATE people SET language = ? WHERE id = ?", string(lang), personID)
	if err != nil {
		return fmt.Errorf("data: unable to set the language of person %d: %w", personID, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return survey.Errorf(survey.ENOTFOUND, "no person with id %d", personID)
	}
	return nil
}

// FindPersonLanguage returns the language a person's mail is written in.
func (d *DB) FindPersonLanguage(ctx context.Context, personID int64) (survey.Lang, error) {
	var lang string
	err := d.read.QueryRowContext(ctx, "SELECT language FROM people WHERE id = ?", personID).Scan(&lang)
	if err == sql.ErrNoRows {
		return survey.Danish, survey.Errorf(survey.ENOTFOUND, "no person with id %d", personID)
	} else if err != nil {
		return survey.Danish, fmt.Errorf("data: unable to find the language of person %d: %w", personID, err)
	}
	l, _ := survey.ParseLang(lang)
	return l, nil
}
