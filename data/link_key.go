package data

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"

	"lederradar/internal/auth"
)

// linkKeyBytes is the size of the key mailed links are derived under.
const linkKeyBytes = 32

// linkKey returns the key mailed links are derived under (migration
// 0019), making it the first time one is needed. tx must be a write
// transaction.
func linkKey(ctx context.Context, tx *sql.Tx) ([]byte, error) {
	var key []byte
	err := tx.QueryRowContext(ctx, "SELECT key FROM link_keys WHERE id = 1").Scan(&key)
	if errors.Is(err, sql.ErrNoRows) {
		key = make([]byte, linkKeyBytes)
		_, _ = rand.Read(key) // crypto/rand.Read never returns an error.
		_, err = tx.ExecContext(ctx, "INSERT INTO link_keys (id, key) VALUES (1, ?)", key)
	}
	if err != nil {
		return nil, fmt.Errorf("data: unable to find the link key: %w", err)
	}
	return key, nil
}

// derivedToken is the token of an invitation's mailed link number serial:
// HMAC-SHA256 under key, as long as a random token (auth.TokenBytes), so
// /i/<token> and auth.HashToken treat it as any other. The same key,
// invitation and serial make the same token again; nothing else does.
func derivedToken(key []byte, invitationID, serial int64) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("invitation:" + strconv.FormatInt(invitationID, 10) + ":" + strconv.FormatInt(serial, 10)))
	sum := mac.Sum(nil)
	return base64.RawURLEncoding.EncodeToString(sum[:auth.TokenBytes])
}

// setMailedLink gives invitation id the mailed link number serial: its
// hash replaces the link the invitation had, and every session opened
// through that link ends, as a re-issued link's do. Answers are kept.
func setMailedLink(ctx context.Context, tx *sql.Tx, key []byte, id, serial int64) error {
	hash := auth.HashToken(derivedToken(key, id, serial))
	if _, err := tx.ExecContext(ctx, "UPDATE invitations SET token_hash = ?, link_serial = ?, link_pending = 0 WHERE id = ?", hash, serial, id); err != nil {
		return fmt.Errorf("data: unable to give invitation %d a mailed link: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE invitation_id = ?", id); err != nil {
		return fmt.Errorf("data: unable to end the sessions of invitation %d: %w", id, err)
	}
	return nil
}
