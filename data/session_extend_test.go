package data_test

import (
	"context"
	"testing"
	"time"

	"lederradar/internal/auth"
	"lederradar/survey"
)

func TestExtendUserSession(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	clk := newClock(db)
	mustInstrument(t, db, "test-1")
	ann := mustPerson(t, db, "ann@example.dk", "Ann")
	r := mustRound(t, db, "2026", survey.RoundOpen)
	inv, _ := mustInvitation(t, db, r, ann)
	hr := mustUser(t, db, "hr@example.dk", survey.RoleHR)

	// A short idle time, as in the browser test: shorter than the minute
	// within which FindUserSession does not write last_seen_at.
	const idle, maxAge = 8 * time.Second, time.Minute
	newUserSession := func(t *testing.T) string {
		t.Helper()
		_, hash := auth.NewToken()
		if err := db.CreateUserSession(ctx, hash, hr.ID, idle, maxAge); err != nil {
			t.Fatal(err)
		}
		return hash
	}

	t.Run("extends past the idle time despite the touch interval", func(t *testing.T) {
		hash := newUserSession(t)
		for range 5 { // 5 × 6 s = 30 s, well past 8 s idle
			clk.Add(6 * time.Second)
			s, err := db.ExtendUserSession(ctx, hash, idle)
			if err != nil {
				t.Fatalf("ExtendUserSession: %v", err)
			}
			if !s.LastSeenAt.Equal(clk.Now()) || s.Idle != idle || s.UserID != hr.ID {
				t.Errorf("ExtendUserSession = %+v, want last seen %v, idle %v, user %d", *s, clk.Now(), idle, hr.ID)
			}
		}
		clk.Add(6 * time.Second)
		if _, err := db.FindUserSession(ctx, hash, idle); err != nil {
			t.Errorf("FindUserSession 6 s after the last extension: %v", err)
		}
		// FindUserSession alone, within its minute, does not keep it alive.
		clk.Add(3 * time.Second)
		_, err := db.FindUserSession(ctx, hash, idle)
		wantCode(t, err, survey.ENOTFOUND)
	})

	t.Run("never past the hard end", func(t *testing.T) {
		hash := newUserSession(t)
		for range 9 { // 54 s
			clk.Add(6 * time.Second)
			if _, err := db.ExtendUserSession(ctx, hash, idle); err != nil {
				t.Fatalf("ExtendUserSession: %v", err)
			}
		}
		clk.Add(6 * time.Second) // 60 s: the hard end
		_, err := db.ExtendUserSession(ctx, hash, idle)
		wantCode(t, err, survey.ENOTFOUND)
	})

	t.Run("expired, unknown and leader sessions", func(t *testing.T) {
		hash := newUserSession(t)
		clk.Add(idle)
		_, err := db.ExtendUserSession(ctx, hash, idle)
		wantCode(t, err, survey.ENOTFOUND)

		_, unknown := auth.NewToken()
		_, err = db.ExtendUserSession(ctx, unknown, idle)
		wantCode(t, err, survey.ENOTFOUND)

		_, leader := auth.NewToken()
		if err := db.CreateSession(ctx, leader, inv.ID, time.Hour, 2*time.Hour); err != nil {
			t.Fatal(err)
		}
		_, err = db.ExtendUserSession(ctx, leader, idle)
		wantCode(t, err, survey.ENOTFOUND)
	})
}
