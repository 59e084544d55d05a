package data

import (
	"context"
	"fmt"
	"time"

	"lederradar/survey"
)

// ExtendUserSession records that the HR or administrator user of a live
// session is still there, now, whatever the last write was: the answer to
// "you will be logged out soon — continue?" (WCAG 2.2.1). FindUserSession
// writes last_seen_at at most once a minute, which would let a session
// with a short idle time run out although its user asked to stay. The
// hard end is never moved. It returns the session as it is after the
// touch, and ENOTFOUND when there is no live session, as FindUserSession.
func (d *DB) ExtendUserSession(ctx context.Context, tokenHash string, idle time.Duration) (*Session, error) {
	s, err := d.FindUserSession(ctx, tokenHash, idle)
	if err != nil {
		return nil, err
	}
	now := d.now().UTC().Truncate(time.Second) // as stored
	if !now.After(s.LastSeenAt) {
		return s, nil
	}
	res, err := d.write.ExecContext(ctx,
		"UPDATE sessions SET last_seen_at = ? WHERE token_hash = ? AND user_id IS NOT NULL AND expires_at > ?",
		formatTime(now), tokenHash, formatTime(now))
	if err != nil {
		return nil, fmt.Errorf("data: unable to extend session: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, fmt.Errorf("data: unable to extend session: %w", err)
	} else if n == 0 {
		// Signed out, or past its hard end, since it was read.
		return nil, survey.Errorf(survey.ENOTFOUND, "no session")
	}
	s.LastSeenAt = now
	return s, nil
}
