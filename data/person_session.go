package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"lederradar/survey"
)

// A person session is a leader signed in with the organisation's
// provider (migration 0022): it lists the rounds the person is invited
// to, and opens each as their personal link would (OpenInvitationAs).
// It reaches no answers or results itself.

// CreatePersonSession stores a session for the person under the hash of
// its token. It ends after idle without use, and after maxAge in any
// case. Expired person sessions are deleted on the way.
func (d *DB) CreatePersonSession(ctx context.Context, tokenHash string, personID int64, idle, maxAge time.Duration) error {
	if err := checkNewSession(tokenHash, idle, maxAge); err != nil {
		return err
	}
	now := d.now()
	if _, err := d.write.ExecContext(ctx, `
		DELETE FROM person_sessions
		WHERE expires_at <= ?1 OR unixepoch(last_seen_at) + idle_seconds <= unixepoch(?1)`, formatTime(now)); err != nil {
		return fmt.Errorf("data: unable to delete expired person sessions: %w", err)
	}
	_, err := d.write.ExecContext(ctx, `
		INSERT INTO person_sessions (token_hash, person_id, created_at, last_seen_at, expires_at, idle_seconds)
		VALUES (?, ?, ?, ?, ?, ?)`,
		tokenHash, personID, formatTime(now), formatTime(now), formatTime(now.Add(maxAge)), int64(idle/time.Second))
	switch {
	case isForeignKeyViolation(err):
		return survey.Errorf(survey.ENOTFOUND, "no person with id %d", personID)
	case isUniqueViolation(err):
		return survey.Errorf(survey.ECONFLICT, "the session token is already in use")
	case err != nil:
		return fmt.Errorf("data: unable to create person session: %w", err)
	}
	return nil
}

// FindPersonSession returns the person whose live session has the given
// token hash, under the expiry rules of FindLeaderSession: ENOTFOUND when
// there is none or it has expired (and is then deleted).
func (d *DB) FindPersonSession(ctx context.Context, tokenHash string, idle time.Duration) (*survey.Person, error) {
	var p survey.Person
	var lastSeen, expires string
	var idleSeconds int64
	err := d.readRow(ctx, `
		SELECT s.last_seen_at, s.expires_at, s.idle_seconds, p.id, p.email, p.name, coalesce(p.department_id, 0)
		FROM person_sessions s JOIN people p ON p.id = s.person_id WHERE s.token_hash = ?`, tokenHash).
		Scan(&lastSeen, &expires, &idleSeconds, &p.ID, &p.Email, &p.Name, &p.DepartmentID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.Errorf(survey.ENOTFOUND, "no session")
	} else if err != nil {
		return nil, fmt.Errorf("data: unable to find person session: %w", err)
	}
	last, err := parseTime(lastSeen)
	if err != nil {
		return nil, err
	}
	end, err := parseTime(expires)
	if err != nil {
		return nil, err
	}
	now := d.now()
	expired, touch := sessionUse(now, last, end, sessionIdle(time.Duration(idleSeconds)*time.Second, idle))
	if expired {
		if err := d.DeletePersonSession(ctx, tokenHash); err != nil {
			return nil, err
		}
		return nil, survey.Errorf(survey.ENOTFOUND, "the session has expired")
	}
	if touch {
		if _, err := d.write.ExecContext(ctx, "UPDATE person_sessions SET last_seen_at = ? WHERE token_hash = ?",
			formatTime(now), tokenHash); err != nil {
			return nil, fmt.Errorf("data: unable to touch person session: %w", err)
		}
	}
	return &p, nil
}

// DeletePersonSession ends a person session; ending one that does not
// exist is not an error.
func (d *DB) DeletePersonSession(ctx context.Context, tokenHash string) error {
	if _, err := d.write.ExecContext(ctx, "DELETE FROM person_sessions WHERE token_hash = ?", tokenHash); err != nil {
		return fmt.Errorf("data: unable to delete person session: %w", err)
	}
	return nil
}

// PersonInvitation is one of a person's invitations, with its round and
// the leader it is about: the person themself for a self-assessment,
// the leader they rate in a 360 round.
type PersonInvitation struct {
	Invitation survey.Invitation
	Round      survey.Round
	Subject    survey.Person
}

// FindPersonInvitations returns the person's invitations to rounds that
// are not drafts, the newest round first and, within a round, their own
// self-assessment before the leaders they rate, by name.
func (d *DB) FindPersonInvitations(ctx context.Context, personID int64) ([]PersonInvitation, error) {
	rows, err := d.read.QueryContext(ctx, `
		SELECT `+invitationContextColumns+`
		FROM invitations i JOIN rounds r ON r.id = i.round_id JOIN people p ON p.id = i.subject_id
		WHERE i.person_id = ? AND r.status != 'draft'
		ORDER BY r.created_at DESC, r.id DESC, i.relation != 'self', p.name, i.id`, personID)
	if err != nil {
		return nil, fmt.Errorf("data: unable to find the invitations of person %d: %w", personID, err)
	}
	defer rows.Close()
	out := []PersonInvitation{}
	for rows.Next() {
		var sc invitationScan
		if err := rows.Scan(sc.dest()...); err != nil {
			return nil, fmt.Errorf("data: unable to find the invitations of person %d: %w", personID, err)
		}
		inv, r, subject, err := sc.finish()
		if err != nil {
			return nil, err
		}
		out = append(out, PersonInvitation{Invitation: *inv, Round: *r, Subject: *subject})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: unable to find the invitations of person %d: %w", personID, err)
	}
	return out, nil
}

// OpenInvitationAs makes the session a personal link makes, and records
// the opening as OpenLink does, for a person signed in with the
// organisation's provider: without the link's token, and only for an
// invitation of that person's own. Another person's invitation, or none,
// is ENOTFOUND, and makes no session.
func (d *DB) OpenInvitationAs(ctx context.Context, personID int64, ls LinkSession) error {
	if !validDeviceCode(ls.Browser) || !validDeviceCode(ls.OS) {
		return survey.Errorf(survey.EINVALID, "browser and operating system must be short codes, not %q and %q", ls.Browser, ls.OS)
	}
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("data: unable to begin opening invitation: %w", err)
	}
	defer tx.Rollback()
	if ok, err := exists(ctx, tx, "SELECT 1 FROM invitations WHERE id = ? AND person_id = ?", ls.InvitationID, personID); err != nil {
		return fmt.Errorf("data: unable to find invitation %d: %w", ls.InvitationID, err)
	} else if !ok {
		return survey.Errorf(survey.ENOTFOUND, "person %d has no invitation with id %d", personID, ls.InvitationID)
	}
	if err := d.openLink(ctx, tx, ls); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("data: unable to commit opening invitation: %w", err)
	}
	return nil
}
