package data

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"lederradar/internal/sso"
)

// TestPendingSignInsAreBounded fills the started sign-ins to the bound:
// the next start is refused and keeps nothing; one finishing, or the
// waiting ones expiring, makes room again.
func TestPendingSignInsAreBounded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, err := Open(filepath.Join(t.TempDir(), "a.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	d.Now = func() time.Time { return now }
	pending := func(i int) sso.Pending {
		return sso.Pending{State: fmt.Sprint("state-", i), Nonce: "n", Verifier: "v", Purpose: "staff", Expires: now.Add(10 * time.Minute)}
	}
	// All but one at once, as a flood of starts would leave them.
	if _, err := d.write.ExecContext(ctx, `
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
		INSERT INTO sso_sign_ins (state_hash, nonce, verifier, purpose, next, expires_at)
		SELECT 'flood-' || i, 'n', 'v', 'staff', '', ? FROM n`, MaxPendingSignIns-1, formatTime(now.Add(10*time.Minute))); err != nil {
		t.Fatal(err)
	}
	if err := d.SavePending(ctx, pending(1)); err != nil {
		t.Fatalf("the last place: %v", err)
	}
	if err := d.SavePending(ctx, pending(2)); !errors.Is(err, ErrTooManySignIns) {
		t.Fatalf("past the bound: %v, want ErrTooManySignIns", err)
	}
	if _, err := d.TakePending(ctx, "state-2"); !errors.Is(err, sso.ErrState) {
		t.Errorf("a refused start was kept: %v", err)
	}
	if _, err := d.TakePending(ctx, "state-1"); err != nil {
		t.Fatal(err)
	}
	if err := d.SavePending(ctx, pending(3)); err != nil {
		t.Errorf("after one finished: %v", err)
	}
	now = now.Add(11 * time.Minute)
	if err := d.SavePending(ctx, pending(4)); err != nil {
		t.Errorf("after the flood expired: %v", err)
	}
	var left int
	if err := d.write.QueryRowContext(ctx, "SELECT count(*) FROM sso_sign_ins").Scan(&left); err != nil || left != 1 {
		t.Errorf("%d sign-ins left after the flood expired (%v), want 1", left, err)
	}
}
