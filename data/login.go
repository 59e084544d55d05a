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

// LoginAttempt is a log-in attempt, recorded as failed before its password
// is checked. Failures is how many failures (and attempts still being
// checked) were recorded for the account before it within the window.
type LoginAttempt struct {
	ID       int64
	Failures int
}

// BeginLoginAttempt counts the recent failed log-ins of the account (the
// e-mail as typed, known or not, so that behaviour does not reveal which
// accounts exist) and records this attempt as one more, in the same write
// transaction: attempts sent at once each see all those before them, so
// none is checked on a count that leaves the others out. A successful
// log-in clears the account's failures (ClearLoginFailures); an attempt
// never checked is taken back (ForgetLoginAttempt). Failures older than a
// day are pruned on the way. Counting is per account, never per address,
// so a forged X-Forwarded-For cannot reset it.
func (d *DB) BeginLoginAttempt(ctx context.Context, email string, window time.Duration) (LoginAttempt, error) {
	var a LoginAttempt
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return a, fmt.Errorf("data: unable to begin log-in attempt: %w", err)
	}
	defer tx.Rollback()
	// The clock is read once the write lock is held, and the count has no
	// upper bound: an attempt that read the clock earlier but waited
	// longer for the lock would otherwise miss the ones committed before it.
	now := d.now()
	since, until := formatTime(now.Add(-window)), formatTime(now)
	if _, err := tx.ExecContext(ctx, "DELETE FROM login_failures WHERE at < ?",
		formatTime(now.Add(-loginFailureRetention))); err != nil {
		return a, fmt.Errorf("data: unable to prune login failures: %w", err)
	}
	if err := tx.QueryRowContext(ctx, `
		SELECT count(*) FROM login_failures WHERE email = ? AND at > ?`,
		loginKey(email), since).Scan(&a.Failures); err != nil {
		return a, fmt.Errorf("data: unable to count login failures: %w", err)
	}
	res, err := tx.ExecContext(ctx, "INSERT INTO login_failures (email, at) VALUES (?, ?)",
		loginKey(email), until)
	if err != nil {
		return a, fmt.Errorf("data: unable to record login attempt: %w", err)
	}
	if a.ID, err = res.LastInsertId(); err != nil {
		return a, fmt.Errorf("data: unable to record login attempt: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return a, fmt.Errorf("data: unable to commit login attempt: %w", err)
	}
	return a, nil
}

// ForgetLoginAttempt takes back an attempt whose password was never
// checked, as when the server was too busy to check it.
func (d *DB) ForgetLoginAttempt(ctx context.Context, id int64) error {
	if _, err := d.write.ExecContext(ctx, "DELETE FROM login_failures WHERE rowid = ?", id); err != nil {
		return fmt.Errorf("data: unable to forget login attempt: %w", err)
	}
	return nil
}

// LoginFailures returns how many failed log-ins (and attempts still being
// checked) were recorded for an account (the e-mail as typed, known or
// not) within window before now.
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

// ClearLoginFailures forgets the failed log-ins of an account, from every
// client, as after a successful log-in or a password reset.
func (d *DB) ClearLoginFailures(ctx context.Context, email string) error {
	if _, err := d.write.ExecContext(ctx, "DELETE FROM login_failures WHERE email = ?", loginKey(email)); err != nil {
		return fmt.Errorf("data: unable to clear login failures: %w", err)
	}
	return nil
}
