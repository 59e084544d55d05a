package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"lederradar/internal/auth"
	"lederradar/survey"
)

// Shares (DESIGN C8, migration 0017): read-only links a leader makes to
// their result and plan of one round. Only the token's hash is kept; the
// token is shown to the leader once.

const shareColumns = "id, round_id, person_id, recipient, created_at, expires_at, revoked_at, last_opened_at"

// AddShare makes a share for one recipient (checked by survey.NewShare)
// and returns it with its token, which is not stored.
func (d *DB) AddShare(ctx context.Context, roundID, personID int64, recipient string, days int) (survey.Share, string, error) {
	s, err := survey.NewShare(roundID, personID, recipient, days, d.now())
	if err != nil {
		return s, "", err
	}
	token, hash := auth.NewToken()
	res, err := d.write.ExecContext(ctx, `INSERT INTO shares (round_id, person_id, recipient, token_hash, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`, s.RoundID, s.PersonID, s.Recipient, hash, formatTime(s.CreatedAt), formatTime(s.ExpiresAt))
	if isForeignKeyViolation(err) {
		return s, "", survey.Errorf(survey.ENOTFOUND, "no round %d or person %d", roundID, personID)
	} else if err != nil {
		return s, "", fmt.Errorf("data: unable to add a share: %w", err)
	}
	if s.ID, err = res.LastInsertId(); err != nil {
		return s, "", fmt.Errorf("data: unable to read the new share's id: %w", err)
	}
	return s, token, nil
}

// sharesOf returns every share the person made, the oldest first.
func sharesOf(ctx context.Context, q queryer, personID int64) ([]survey.Share, error) {
	return findShares(ctx, q, "WHERE person_id = ? ORDER BY id", personID)
}

// findShares returns the shares the clause selects and orders.
func findShares(ctx context.Context, q queryer, clause string, args ...any) ([]survey.Share, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+shareColumns+" FROM shares "+clause, args...)
	if err != nil {
		return nil, fmt.Errorf("data: unable to read shares: %w", err)
	}
	defer rows.Close()
	out := []survey.Share{}
	for rows.Next() {
		s, err := scanShare(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// FindShares returns the person's shares of a round, the newest first,
// whatever their state, but those that would have expired anyway.
func (d *DB) FindShares(ctx context.Context, roundID, personID int64) ([]survey.Share, error) {
	return findShares(ctx, d.read, "WHERE round_id = ? AND person_id = ? AND expires_at > ? ORDER BY id DESC",
		roundID, personID, formatTime(d.now()))
}

// RevokeShare ends one of the person's shares at once; ENOTFOUND when
// the person has no such share. Revoking twice keeps the first time.
func (d *DB) RevokeShare(ctx context.Context, personID, shareID int64) error {
	res, err := d.write.ExecContext(ctx, `UPDATE shares SET revoked_at = coalesce(revoked_at, ?)
		WHERE id = ? AND person_id = ?`, formatTime(d.now()), shareID, personID)
	if err != nil {
		return fmt.Errorf("data: unable to revoke share %d: %w", shareID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("data: unable to revoke share %d: %w", shareID, err)
	} else if n == 0 {
		return survey.Errorf(survey.ENOTFOUND, "no share %d", shareID)
	}
	return nil
}

// OpenShare finds the share a link's token names and, when it is active,
// notes that it was opened now. It returns the share and its state now
// whatever the state, so that the page can say it was revoked or has
// expired; ENOTFOUND for a token no share has (never made, or gone with
// the leader's erasure or the round's retention).
func (d *DB) OpenShare(ctx context.Context, token string) (survey.Share, survey.ShareState, error) {
	s, err := d.openShare(ctx, token)
	return s, s.State(d.now()), err
}

func (d *DB) openShare(ctx context.Context, token string) (survey.Share, error) {
	if !auth.WellFormedToken(token) {
		return survey.Share{}, survey.Errorf(survey.ENOTFOUND, "no share")
	}
	hash := auth.HashToken(token)
	s, err := scanShare(d.read.QueryRowContext(ctx, "SELECT "+shareColumns+" FROM shares WHERE token_hash = ?", hash))
	if errors.Is(err, sql.ErrNoRows) {
		return s, survey.Errorf(survey.ENOTFOUND, "no share")
	} else if err != nil {
		return s, err
	}
	now := d.now()
	if s.State(now) != survey.ShareActive {
		return s, nil
	}
	// The update checks the state again: a revocation between the read
	// and here wins.
	res, err := d.write.ExecContext(ctx, `UPDATE shares SET last_opened_at = ?
		WHERE id = ? AND revoked_at IS NULL AND expires_at > ?`, formatTime(now), s.ID, formatTime(now))
	if err != nil {
		return s, fmt.Errorf("data: unable to note share %d opened: %w", s.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return s, fmt.Errorf("data: unable to note share %d opened: %w", s.ID, err)
	} else if n == 0 {
		s.RevokedAt = now
		return s, nil
	}
	s.LastOpenedAt = now
	return s, nil
}

func scanShare(row interface{ Scan(...any) error }) (survey.Share, error) {
	var s survey.Share
	var created, expires string
	var revoked, opened sql.NullString
	if err := row.Scan(&s.ID, &s.RoundID, &s.PersonID, &s.Recipient, &created, &expires, &revoked, &opened); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return s, err
		}
		return s, fmt.Errorf("data: unable to read a share: %w", err)
	}
	var err error
	if s.CreatedAt, err = parseTime(created); err != nil {
		return s, err
	}
	if s.ExpiresAt, err = parseTime(expires); err != nil {
		return s, err
	}
	if s.RevokedAt, err = parseNullTime(revoked); err != nil {
		return s, err
	}
	s.LastOpenedAt, err = parseNullTime(opened)
	return s, err
}
