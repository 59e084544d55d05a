package data

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"

	"lederradar/internal/sso"
)

// The sign-ins with the organisation's OpenID provider that have started
// and not finished (migration 0021): *DB is the sso.Store.
var _ sso.Store = (*DB)(nil)

// stateHash is what a sign-in's state is kept under: its SHA-256, so the
// table holds nothing a browser could send back.
func stateHash(state string) string {
	h := sha256.Sum256([]byte(state))
	return hex.EncodeToString(h[:])
}

// MaxPendingSignIns is how many started sign-ins may wait for the
// provider at once. Starting one needs no account, so without a bound a
// flood of starts would grow the table for as long as it lasts; past it,
// starting answers ErrTooManySignIns until some finish or expire.
const MaxPendingSignIns = 10000

// ErrTooManySignIns is SavePending's refusal when MaxPendingSignIns
// sign-ins are waiting.
var ErrTooManySignIns = errors.New("data: too many sign-ins waiting for the provider")

// SavePending keeps a started sign-in until it expires, and deletes the
// sign-ins that have. It keeps none past MaxPendingSignIns.
func (d *DB) SavePending(ctx context.Context, p sso.Pending) error {
	if p.State == "" || p.Nonce == "" || p.Verifier == "" {
		return fmt.Errorf("data: unable to keep sign-in: state, nonce and verifier are required")
	}
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("data: unable to begin keeping sign-in: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "DELETE FROM sso_sign_ins WHERE expires_at <= ?", formatTime(d.now())); err != nil {
		return fmt.Errorf("data: unable to delete expired sign-ins: %w", err)
	}
	var waiting int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM sso_sign_ins").Scan(&waiting); err != nil {
		return fmt.Errorf("data: unable to count sign-ins: %w", err)
	}
	if waiting >= MaxPendingSignIns {
		return ErrTooManySignIns
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO sso_sign_ins (state_hash, nonce, verifier, purpose, next, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`,
		stateHash(p.State), p.Nonce, p.Verifier, p.Purpose, p.Next, formatTime(p.Expires)); err != nil {
		return fmt.Errorf("data: unable to keep sign-in: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("data: unable to commit sign-in: %w", err)
	}
	return nil
}

// TakePending returns the started sign-in with the given state and
// deletes it in the same statement: a state is taken once. One unknown,
// taken before or expired is sso.ErrState.
func (d *DB) TakePending(ctx context.Context, state string) (sso.Pending, error) {
	p := sso.Pending{State: state}
	var expires string
	err := d.write.QueryRowContext(ctx, `
		DELETE FROM sso_sign_ins WHERE state_hash = ?
		RETURNING nonce, verifier, purpose, next, expires_at`, stateHash(state)).
		Scan(&p.Nonce, &p.Verifier, &p.Purpose, &p.Next, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("%w: no sign-in started with this state", sso.ErrState)
	} else if err != nil {
		return p, fmt.Errorf("data: unable to take sign-in: %w", err)
	}
	if p.Expires, err = parseTime(expires); err != nil {
		return p, err
	}
	if !d.now().Before(p.Expires) {
		return p, fmt.Errorf("%w: the sign-in has expired", sso.ErrState)
	}
	return p, nil
}
