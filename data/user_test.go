package data_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/survey"
)

// fakeHash stands in for auth.HashPassword, which is slow on purpose.
const fakeHash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g"

func mustUser(tb testing.TB, db *data.DB, email string, role survey.Role) *survey.User {
	tb.Helper()
	u := &survey.User{Email: email, Role: role}
	if err := db.CreateUser(context.Background(), u, fakeHash); err != nil {
		tb.Fatalf("CreateUser(%s): %v", email, err)
	}
	return u
}

func TestUsers(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	clk := newClock(db)

	hr := mustUser(t, db, "hr@example.dk", survey.RoleHR)
	admin := mustUser(t, db, "admin@example.dk", survey.RoleAdmin)

	t.Run("create fills in id and time", func(t *testing.T) {
		if hr.ID == 0 || admin.ID == 0 || hr.ID == admin.ID {
			t.Errorf("ids = %d, %d; want two distinct ids", hr.ID, admin.ID)
		}
		if got, want := hr.CreatedAt, clk.Now(); !got.Equal(want) {
			t.Errorf("CreatedAt = %v, want %v", got, want)
		}
	})

	t.Run("find by e-mail ignores case and returns the hash", func(t *testing.T) {
		got, hash, err := db.FindUserByEmail(ctx, "HR@Example.dk")
		if err != nil {
			t.Fatal(err)
		}
		if *got != *hr {
			t.Errorf("FindUserByEmail = %+v, want %+v", *got, *hr)
		}
		if hash != fakeHash {
			t.Errorf("hash = %q, want %q", hash, fakeHash)
		}
		_, _, err = db.FindUserByEmail(ctx, "nobody@example.dk")
		wantCode(t, err, survey.ENOTFOUND)
	})

	t.Run("find by id", func(t *testing.T) {
		got, err := db.FindUserByID(ctx, admin.ID)
		if err != nil {
			t.Fatal(err)
		}
		if *got != *admin {
			t.Errorf("FindUserByID = %+v, want %+v", *got, *admin)
		}
		_, err = db.FindUserByID(ctx, 9999)
		wantCode(t, err, survey.ENOTFOUND)
	})

	t.Run("find all by e-mail", func(t *testing.T) {
		got, err := db.FindUsers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0] != *admin || got[1] != *hr {
			t.Errorf("FindUsers = %+v, want [%+v %+v]", got, *admin, *hr)
		}
	})

	t.Run("refusals", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			user survey.User
			hash string
			want string
		}{
			{"duplicate e-mail", survey.User{Email: "HR@example.dk", Role: survey.RoleHR}, fakeHash, survey.ECONFLICT},
			{"bad e-mail", survey.User{Email: "not an address", Role: survey.RoleHR}, fakeHash, survey.EINVALID},
			{"unknown role", survey.User{Email: "x@example.dk", Role: "boss"}, fakeHash, survey.EINVALID},
			{"password instead of hash", survey.User{Email: "x@example.dk", Role: survey.RoleHR}, "correct horse battery", survey.EINVALID},
			{"empty hash", survey.User{Email: "x@example.dk", Role: survey.RoleHR}, "", survey.EINVALID},
		} {
			t.Run(tc.name, func(t *testing.T) {
				wantCode(t, db.CreateUser(ctx, &tc.user, tc.hash), tc.want)
			})
		}
		wantCode(t, db.SetUserPassword(ctx, hr.ID, "plain text"), survey.EINVALID)
		wantCode(t, db.SetUserPassword(ctx, 9999, fakeHash), survey.ENOTFOUND)
		wantCode(t, db.SetUserDisabled(ctx, 9999, true), survey.ENOTFOUND)
	})

	t.Run("set password", func(t *testing.T) {
		const newHash = "$argon2id$v=19$m=19456,t=2,p=1$bmV3c2FsdA$bmV3aGFzaA"
		if err := db.SetUserPassword(ctx, hr.ID, newHash); err != nil {
			t.Fatal(err)
		}
		_, got, err := db.FindUserByEmail(ctx, hr.Email)
		if err != nil {
			t.Fatal(err)
		}
		if got != newHash {
			t.Errorf("hash after SetUserPassword = %q, want %q", got, newHash)
		}
	})

	t.Run("disable and enable", func(t *testing.T) {
		for _, want := range []bool{true, false} {
			if err := db.SetUserDisabled(ctx, hr.ID, want); err != nil {
				t.Fatal(err)
			}
			got, err := db.FindUserByID(ctx, hr.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Disabled != want {
				t.Errorf("Disabled = %v, want %v", got.Disabled, want)
			}
		}
	})
}

func TestUserSessions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	clk := newClock(db)
	mustInstrument(t, db, "test-1")
	ann := mustPerson(t, db, "ann@example.dk", "Ann")
	r := mustRound(t, db, "2026", survey.RoundOpen)
	inv, _ := mustInvitation(t, db, r, ann)
	hr := mustUser(t, db, "hr@example.dk", survey.RoleHR)

	const idle, maxAge = 30 * time.Minute, 12 * time.Hour
	newUserSession := func(t *testing.T, u *survey.User) string {
		t.Helper()
		_, hash := auth.NewToken()
		if err := db.CreateUserSession(ctx, hash, u.ID, idle, maxAge); err != nil {
			t.Fatalf("CreateUserSession: %v", err)
		}
		return hash
	}

	t.Run("found while active", func(t *testing.T) {
		start := clk.Now()
		hash := newUserSession(t, hr)
		s, err := db.FindUserSession(ctx, hash, idle)
		if err != nil {
			t.Fatal(err)
		}
		want := data.Session{UserID: hr.ID, CreatedAt: start, LastSeenAt: start, ExpiresAt: start.Add(maxAge), Idle: idle}
		if *s != want {
			t.Errorf("FindUserSession = %+v, want %+v", *s, want)
		}
	})

	t.Run("leader and user sessions never cross", func(t *testing.T) {
		userHash := newUserSession(t, hr)
		_, leaderHash := auth.NewToken()
		if err := db.CreateSession(ctx, leaderHash, inv.ID, idle, maxAge); err != nil {
			t.Fatal(err)
		}

		_, _, _, _, err := db.FindLeaderSession(ctx, userHash, idle)
		wantCode(t, err, survey.ENOTFOUND)
		_, err = db.FindUserSession(ctx, leaderHash, idle)
		wantCode(t, err, survey.ENOTFOUND)

		// Each is still found the right way: the wrong lookup deleted
		// nothing.
		if s, err := db.FindUserSession(ctx, userHash, idle); err != nil || s.UserID != hr.ID || s.InvitationID != 0 {
			t.Errorf("FindUserSession = %+v, %v; want user %d", s, err, hr.ID)
		}
		if s, _, _, _, err := db.FindLeaderSession(ctx, leaderHash, idle); err != nil || s.InvitationID != inv.ID || s.UserID != 0 {
			t.Errorf("FindLeaderSession = %+v, %v; want invitation %d", s, err, inv.ID)
		}
	})

	t.Run("idle expiry", func(t *testing.T) {
		hash := newUserSession(t, hr)
		clk.Add(idle)
		_, err := db.FindUserSession(ctx, hash, idle)
		wantCode(t, err, survey.ENOTFOUND)
	})

	t.Run("disabled user", func(t *testing.T) {
		u := mustUser(t, db, "off@example.dk", survey.RoleAdmin)
		hash := newUserSession(t, u)
		if err := db.SetUserDisabled(ctx, u.ID, true); err != nil {
			t.Fatal(err)
		}
		_, err := db.FindUserSession(ctx, hash, idle)
		wantCode(t, err, survey.ENOTFOUND)

		_, hash2 := auth.NewToken()
		wantCode(t, db.CreateUserSession(ctx, hash2, u.ID, idle, maxAge), survey.EFORBIDDEN)

		// Enabling again brings no old session back.
		if err := db.SetUserDisabled(ctx, u.ID, false); err != nil {
			t.Fatal(err)
		}
		_, err = db.FindUserSession(ctx, hash, idle)
		wantCode(t, err, survey.ENOTFOUND)
	})

	t.Run("password change ends every session of that user only", func(t *testing.T) {
		other := mustUser(t, db, "other@example.dk", survey.RoleHR)
		a, b := newUserSession(t, hr), newUserSession(t, hr)
		keep := newUserSession(t, other)
		if err := db.SetUserPassword(ctx, hr.ID, fakeHash); err != nil {
			t.Fatal(err)
		}
		for _, h := range []string{a, b} {
			_, err := db.FindUserSession(ctx, h, idle)
			wantCode(t, err, survey.ENOTFOUND)
		}
		if _, err := db.FindUserSession(ctx, keep, idle); err != nil {
			t.Errorf("other user's session: %v", err)
		}
	})

	t.Run("delete user sessions", func(t *testing.T) {
		a := newUserSession(t, hr)
		if err := db.DeleteUserSessions(ctx, hr.ID); err != nil {
			t.Fatal(err)
		}
		_, err := db.FindUserSession(ctx, a, idle)
		wantCode(t, err, survey.ENOTFOUND)
		if err := db.DeleteUserSessions(ctx, hr.ID); err != nil {
			t.Errorf("second DeleteUserSessions: %v", err)
		}
	})

	t.Run("sign out", func(t *testing.T) {
		a := newUserSession(t, hr)
		if err := db.DeleteSession(ctx, a); err != nil {
			t.Fatal(err)
		}
		_, err := db.FindUserSession(ctx, a, idle)
		wantCode(t, err, survey.ENOTFOUND)
	})

	t.Run("refusals", func(t *testing.T) {
		token, hash := auth.NewToken()
		wantCode(t, db.CreateUserSession(ctx, token, hr.ID, idle, maxAge), survey.EINVALID)
		wantCode(t, db.CreateUserSession(ctx, hash, 9999, idle, maxAge), survey.ENOTFOUND)
		wantCode(t, db.CreateUserSession(ctx, hash, hr.ID, idle, 0), survey.EINVALID)
		used := newUserSession(t, hr)
		wantCode(t, db.CreateUserSession(ctx, used, hr.ID, idle, maxAge), survey.ECONFLICT)
	})
}

func TestLoginFailures(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	clk := newClock(db)
	const window = 15 * time.Minute

	count := func(t *testing.T, email string, window time.Duration) int {
		t.Helper()
		n, err := db.LoginFailures(ctx, email, window)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	record := func(t *testing.T, email string) {
		t.Helper()
		if _, err := db.BeginLoginAttempt(ctx, email, window); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("counts within the window", func(t *testing.T) {
		record(t, "hr@example.dk")
		clk.Add(10 * time.Minute)
		record(t, "HR@example.dk ")
		record(t, "hr@example.dk")
		if got, want := count(t, "hr@example.dk", window), 3; got != want {
			t.Errorf("failures = %d, want %d", got, want)
		}
		clk.Add(6 * time.Minute) // the first is now 16 minutes old
		if got, want := count(t, "Hr@Example.dk", window), 2; got != want {
			t.Errorf("failures after 16 min = %d, want %d", got, want)
		}
		if got, want := count(t, "other@example.dk", window), 0; got != want {
			t.Errorf("failures of another account = %d, want %d", got, want)
		}
	})

	t.Run("unknown accounts are counted too", func(t *testing.T) {
		record(t, "nobody@example.dk")
		if got, want := count(t, "nobody@example.dk", window), 1; got != want {
			t.Errorf("failures = %d, want %d", got, want)
		}
	})

	t.Run("clear", func(t *testing.T) {
		if err := db.ClearLoginFailures(ctx, "HR@EXAMPLE.DK"); err != nil {
			t.Fatal(err)
		}
		if got, want := count(t, "hr@example.dk", window), 0; got != want {
			t.Errorf("failures after clear = %d, want %d", got, want)
		}
		if got, want := count(t, "nobody@example.dk", window), 1; got != want {
			t.Errorf("another account's failures after clear = %d, want %d", got, want)
		}
	})

	t.Run("older than a day is pruned", func(t *testing.T) {
		record(t, "old@example.dk")
		clk.Add(25 * time.Hour)
		record(t, "old@example.dk")
		if got, want := count(t, "old@example.dk", 48*time.Hour), 1; got != want {
			t.Errorf("failures over 48 h = %d, want %d (the 25 h old one pruned)", got, want)
		}
	})
}

// TestBeginLoginAttempt: attempts begun at once each count all those
// begun before them (the count and the record are one transaction), an
// attempt taken back no longer counts, and a success clears them all.
func TestBeginLoginAttempt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	const n, window = 40, 15 * time.Minute
	seen := make([]int, n)
	ids := make([]int64, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			a, err := db.BeginLoginAttempt(ctx, "HR@example.dk", window)
			if err != nil {
				t.Error(err)
			}
			seen[i], ids[i] = a.Failures, a.ID
		})
	}
	wg.Wait()
	slices.Sort(seen)
	for i, got := range seen {
		if got != i {
			t.Fatalf("counts seen by %d attempts at once = %v, want 0 to %d, each once", n, seen, n-1)
		}
	}
	if err := db.ForgetLoginAttempt(ctx, ids[0]); err != nil {
		t.Fatal(err)
	}
	if got, err := db.LoginFailures(ctx, "hr@example.dk", window); err != nil || got != n-1 {
		t.Errorf("after one is taken back: %d, %v; want %d", got, err, n-1)
	}
	if err := db.ClearLoginFailures(ctx, "hr@example.dk"); err != nil {
		t.Fatal(err)
	}
	if a, err := db.BeginLoginAttempt(ctx, "hr@example.dk", window); err != nil || a.Failures != 0 {
		t.Errorf("after a success: %+v, %v; want 0 failures", a, err)
	}
}
