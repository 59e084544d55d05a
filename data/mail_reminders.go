package data

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"time"

	"lederradar/survey"
)

// RemindersQueued is what one round's reminders came to on one day:
// counts only, for the audit log.
type RemindersQueued struct {
	RoundID int64
	Day     int // days before the close
	N       int
}

// QueueReminders queues, for every open round whose announced last day
// is one of its reminder days away (in loc, the organisation's time
// zone), a reminder to everyone whose invitation went out by mail and who
// has not submitted: leaders and raters alike (raters only while they may
// answer). Each is queued once per day ('d7'), so running it again the
// same day queues nothing more. It returns the counts of rounds that
// queued any, and writes them in the audit log (actor "system"), in the
// same transaction: counts only.
func (d *DB) QueueReminders(ctx context.Context, loc *time.Location) ([]RemindersQueued, error) {
	now := d.now()
	y, m, day := now.In(loc).Date()
	today := time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("data: unable to begin queuing reminders: %w", err)
	}
	defer tx.Rollback()
	type due struct {
		id   int64
		days int
	}
	var rounds []due
	rows, err := tx.QueryContext(ctx, "SELECT id, closes_at, reminder_days FROM rounds WHERE status = 'open' AND closes_at IS NOT NULL ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("data: unable to find rounds to remind: %w", err)
	}
	for rows.Next() {
		var id int64
		var closes, list string
		if err := rows.Scan(&id, &closes, &list); err != nil {
			_ = rows.Close() // the scan's error is the one to report
			return nil, fmt.Errorf("data: unable to find rounds to remind: %w", err)
		}
		closeDay, err := parseTime(closes)
		if err != nil {
			_ = rows.Close()
			return nil, err
		}
		cy, cm, cd := closeDay.Date()
		left := int(time.Date(cy, cm, cd, 0, 0, 0, 0, time.UTC).Sub(today).Hours() / 24)
		if days, err := survey.ParseReminderDays(list); err == nil && slices.Contains(days, left) {
			rounds = append(rounds, due{id, left})
		}
	}
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("data: unable to find rounds to remind: %w", err)
	}
	var out []RemindersQueued
	stamp := formatTime(now)
	for _, r := range rounds {
		res, err := tx.ExecContext(ctx, `
			INSERT INTO outbox (kind, invitation_id, tag, next_attempt_at, created_at)
			SELECT 'reminder', i.id, ?1, ?2, ?2 FROM invitations i JOIN rounds r ON r.id = i.round_id
			WHERE i.round_id = ?3 AND i.link_serial IS NOT NULL
				AND EXISTS (SELECT 1 FROM outbox o WHERE o.invitation_id = i.id AND o.kind = 'invitation'
					AND o.tag = 's' || i.link_serial AND o.status IN ('sent', 'unknown'))
				AND NOT EXISTS (SELECT 1 FROM responses x WHERE x.round_id = i.round_id AND x.subject_id = i.subject_id
					AND x.rater_id = i.person_id AND x.submitted_at IS NOT NULL)
				AND (i.relation = 'self' OR r.raters_close IS NULL OR r.raters_close > ?2)
			ON CONFLICT (kind, invitation_id, tag) DO NOTHING`,
			"d"+strconv.Itoa(r.days), stamp, r.id)
		if err != nil {
			return nil, fmt.Errorf("data: unable to queue the reminders of round %d: %w", r.id, err)
		}
		n, err := res.RowsAffected()
		if err != nil || n == 0 {
			continue
		}
		out = append(out, RemindersQueued{RoundID: r.id, Day: r.days, N: int(n)})
		// Counts only: who was reminded is nobody's business.
		if err := d.addAudit(ctx, tx, survey.AuditEntry{Actor: "system", Action: "reminders.queue", Target: fmt.Sprintf("round:%d", r.id),
			Detail: fmt.Sprintf("%d reminders, %d days before the close", n, r.days)}); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("data: unable to commit reminders: %w", err)
	}
	return out, nil
}

// queueThanks queues, in the transaction that closes a round, a thank-you
// to every leader who submitted and whose invitation went out by mail.
// Raters get none: their form thanked them when they submitted, and the
// round's close changes nothing for them.
func queueThanks(ctx context.Context, tx *sql.Tx, roundID int64, now time.Time) error {
	stamp := formatTime(now)
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO outbox (kind, invitation_id, tag, next_attempt_at, created_at)
		SELECT 'thanks', i.id, '', ?1, ?1 FROM invitations i JOIN responses x ON x.round_id = i.round_id
			AND x.subject_id = i.subject_id AND x.rater_id = i.person_id
		WHERE i.round_id = ?2 AND i.relation = 'self' AND i.link_serial IS NOT NULL AND x.submitted_at IS NOT NULL
		ON CONFLICT (kind, invitation_id, tag) DO NOTHING`, stamp, roundID); err != nil {
		return fmt.Errorf("data: unable to queue the thank-yous of round %d: %w", roundID, err)
	}
	return nil
}

// FindReminderDays returns the days before its close on which a round
// reminds, the furthest first.
func (d *DB) FindReminderDays(ctx context.Context, roundID int64) ([]int, error) {
	var list string
	err := d.read.QueryRowContext(ctx, "SELECT reminder_days FROM rounds WHERE id = ?", roundID).Scan(&list)
	if err == sql.ErrNoRows {
		return nil, survey.Errorf(survey.ENOTFOUND, "no round with id %d", roundID)
	} else if err != nil {
		return nil, fmt.Errorf("data: unable to find the reminder days of round %d: %w", roundID, err)
	}
	return survey.ParseReminderDays(list)
}

// SetReminderDays stores the days before its close on which a round
// reminds; none turns reminders off. A closed round reminds no one
// (ECLOSED).
func (d *DB) SetReminderDays(ctx context.Context, roundID int64, days []int) error {
	days, err := survey.ParseReminderDays(survey.FormatReminderDays(days))
	if err != nil {
		return err
	}
	tx, _, err := d.beginOnUnclosedRound(ctx, roundID, "setting reminder days")
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "UPDATE rounds SET reminder_days = ? WHERE id = ?", survey.FormatReminderDays(days), roundID); err != nil {
		return fmt.Errorf("data: unable to set the reminder days of round %d: %w", roundID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("data: unable to commit the reminder days of round %d: %w", roundID, err)
	}
	return nil
}
