package data

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// loginFailureRetention is how long a failed log-in is kept. A window
// longer than this counts only the failures of the last day.
const loginFailureRetention = 24 * time.Hour

// maxLoginEmail caps what is stored of a typed e-mail, so that junk posted
// to the log-in form cannot fill the table with megabytes per row.
const maxLoginEmail = 320

// loginKey is the form a typed e-mail is counted under: trimmed, folded to
// lower case (all of Unicode, not only ASCII as COLLATE NOCASE) and capped.
// Over-folding merges at worst two accounts' counts, which only throttles
// more.
func loginKey(email string) string {
	k := strings.ToLower(strings.TrimSpace(email))
	if len(k) > maxLoginEmail {
		k = k[:maxLoginEmail]
	}
	return k
}

// LoginFailures returns how many failed log-ins were recorded for an
// account (the e-mail as typed, known or not) within window before now.
// Throttling is per account, never per address, so a forged
// X-Forwarded-For cannot reset it.
func (d *DB) LoginFailures(ctx context.Context, email string, window time.Duration) (int, error) {
	now := d.now()
	var n int
	err := d.read.QueryRowContext(ctx, `
		SELECT count(*) FROM login_failures
		WHERE email = ? AND at > ? AND at <= ?`,
		loginKey(email), formatTime(now.Add(-window)), formatTime(now)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("data: unable to count login failures: %w", err)
	}
	return n, nil
}

// RecordLoginFailure records a failed log-in for the e-mail typed, whether
// or not an account has it, so that behaviour does not reveal which
// accounts exist. Failures older than a day are pruned on the way.
func (d *DB) RecordLoginFailure(ctx context.Context, email string) error {
	now := d.now()
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("data: unable to begin recording login failure: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, "DELETE FROM login_failures WHERE at < ?",
		formatTime(now.Add(-loginFailureRetention))); err != nil {
		return fmt.Errorf("data: unable to prune login failures: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO login_failures (email, at) VALUES (?, ?)",
		loginKey(email), formatTime(now)); err != nil {
		return fmt.Errorf("data: unable to record login failure: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("data: unable to commit login failure: %w", err)
	}
	return nil
}

// ClearLoginFailures forgets the failed log-ins of an account, as after a
// successful log-in or a password reset.
func (d *DB) ClearLoginFailures(ctx context.Context, email string) error {
	if _, err := d.write.ExecContext(ctx, "DELETE FROM login_failures WHERE email = ?", loginKey(email)); err != nil {
		return fmt.Errorf("data: unable to clear login failures: %w", err)
	}
	return nil
}
