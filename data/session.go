package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"lederradar/survey"
)

// Session is a browser signed in, either through an invitation link (a
// leader: InvitationID is set) or with a password (HR or an administrator:
// UserID is set); never both. Its token is in the cookie alone; the
// database has only the hash.
type Session struct {
	InvitationID int64
	UserID       int64
	CreatedAt    time.Time
	LastSeenAt   time.Time
	// ExpiresAt is the hard end, however active the session is.
	ExpiresAt time.Time
	// Idle is how long the session may go unused: the idle time it was
	// created with, or the one asked for when finding it if shorter.
	Idle time.Duration
}

// touchInterval is how stale last_seen_at may get before a lookup
// writes it again: a page view per second should not be a write per second.
// Idle timeouts are therefore exact to within this interval.
const touchInterval = time.Minute

// CreateSession stores a session for an invitation under the hash of its
// token. It ends after idle without use, and after maxAge in any case.
func (d *DB) CreateSession(ctx context.Context, tokenHash string, invitationID int64, idle, maxAge time.Duration) error {
	return d.insertSession(ctx, d.write, tokenHash, invitationID, idle, maxAge, d.now())
}

// insertSession stores a session through q (the writer, or a
// transaction on it) as CreateSession describes, made at now.
func (d *DB) insertSession(ctx context.Context, q queryer, tokenHash string, invitationID int64, idle, maxAge time.Duration, now time.Time) error {
	if err := checkNewSession(tokenHash, idle, maxAge); err != nil {
		return err
	}
	_, err := q.ExecContext(ctx, `
		INSERT INTO sessions (token_hash, invitation_id, created_at, last_seen_at, expires_at, idle_seconds)
		VALUES (?, ?, ?, ?, ?, ?)`,
		tokenHash, invitationID, formatTime(now), formatTime(now), formatTime(now.Add(maxAge)), int64(idle/time.Second))
	switch {
	case isForeignKeyViolation(err):
		return survey.Errorf(survey.ENOTFOUND, "no invitation with id %d", invitationID)
	case isUniqueViolation(err):
		return survey.Errorf(survey.ECONFLICT, "the session token is already in use")
	case err != nil:
		return fmt.Errorf("data: unable to create session: %w", err)
	}
	return nil
}

// checkNewSession checks what any new session, a link's or a signed-in
// person's, is made with: the hash of its token, and lifetimes of a
// second or more.
func checkNewSession(tokenHash string, idle, maxAge time.Duration) error {
	if !validTokenHash(tokenHash) {
		return survey.Errorf(survey.EINVALID, "token hash must be the hex SHA-256 of the token")
	}
	if idle < time.Second || maxAge < time.Second {
		return survey.Errorf(survey.EINVALID, "session idle and maximum lifetimes must be at least a second")
	}
	return nil
}

// sessionIdle is the idle time a session is held to: the one it was
// created with (stored), or the one asked for when shorter.
func sessionIdle(stored, asked time.Duration) time.Duration {
	if asked <= 0 || stored < asked {
		return stored
	}
	return asked
}

// sessionUse applies the expiry rules at now to a session last used at
// last, ending at end and held to idle: whether it has expired, and if not
// whether its use is due to be recorded (at most once per touchInterval).
func sessionUse(now, last, end time.Time, idle time.Duration) (expired, touch bool) {
	if !now.Before(end) || now.Sub(last) >= idle {
		return true, false
	}
	return false, now.Sub(last) >= touchInterval
}

// findSession reads the session that query (taking the token hash, and
// selecting invitation id, user id, created_at, last_seen_at, expires_at
// and idle_seconds, then the columns scanned into extra) finds, and
// applies the expiry rules of FindLeaderSession.
func (d *DB) findSession(ctx context.Context, query, tokenHash string, idle time.Duration, extra ...any) (*Session, error) {
	var s Session
	var created, lastSeen, expires string
	var idleSeconds int64
	err := withExtra{d.readRow(ctx, query, tokenHash), extra}.
		Scan(&s.InvitationID, &s.UserID, &created, &lastSeen, &expires, &idleSeconds)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.Errorf(survey.ENOTFOUND, "no session")
	} else if err != nil {
		return nil, fmt.Errorf("data: unable to find session: %w", err)
	}
	if s.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	if s.LastSeenAt, err = parseTime(lastSeen); err != nil {
		return nil, err
	}
	if s.ExpiresAt, err = parseTime(expires); err != nil {
		return nil, err
	}
	s.Idle = sessionIdle(time.Duration(idleSeconds)*time.Second, idle)

	now := d.now()
	expired, touch := sessionUse(now, s.LastSeenAt, s.ExpiresAt, s.Idle)
	if expired {
		if err := d.DeleteSession(ctx, tokenHash); err != nil {
			return nil, err
		}
		return nil, survey.Errorf(survey.ENOTFOUND, "the session has expired")
	}
	if touch {
		res, err := d.write.ExecContext(ctx, touchSessionSQL, formatTime(now), tokenHash)
		if err != nil {
			return nil, fmt.Errorf("data: unable to touch session: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return nil, fmt.Errorf("data: unable to touch session: %w", err)
		} else if n == 0 {
			// Deleted since it was read: signed out, or the link reissued.
			return nil, survey.Errorf(survey.ENOTFOUND, "no session")
		}
		s.LastSeenAt = now
	}
	return &s, nil
}

// DeleteSession ends a session. Ending one that does not exist is not an
// error: signing out twice is signed out.
func (d *DB) DeleteSession(ctx context.Context, tokenHash string) error {
	if _, err := d.write.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = ?", tokenHash); err != nil {
		return fmt.Errorf("data: unable to delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions deletes every session past its hard end or unused
// for longer than the idle time it was created with, and returns how many
// went.
func (d *DB) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	now := d.now()
	res, err := d.write.ExecContext(ctx, `
		DELETE FROM sessions
		WHERE expires_at <= ?1 OR unixepoch(last_seen_at) + idle_seconds <= unixepoch(?1)`,
		formatTime(now))
	if err != nil {
		return 0, fmt.Errorf("data: unable to delete expired sessions: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("data: unable to delete expired sessions: %w", err)
	}
	return n, nil
}
