package data_test

import (
	"context"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/survey"
)

// openLink opens inv's link in a new browser of the given families and
// returns the hash of the session it made.
func openLink(tb testing.TB, db *data.DB, inv *survey.Invitation, browser, os string) string {
	tb.Helper()
	_, hash := auth.NewToken()
	if err := db.OpenLink(context.Background(), data.LinkSession{TokenHash: hash, InvitationID: inv.ID,
		Idle: 8 * time.Hour, MaxAge: 24 * time.Hour, Browser: browser, OS: os}); err != nil {
		tb.Fatalf("OpenLink: %v", err)
	}
	return hash
}

func TestLinkOpenings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	clk := newClock(db)
	mustInstrument(t, db, "test-1")
	ann := mustPerson(t, db, "ann@example.dk", "Ann")
	bo := mustPerson(t, db, "bo@example.dk", "Bo")
	r := mustRound(t, db, "2026", survey.RoundOpen)
	inv, _ := mustInvitation(t, db, r, ann)
	boInv, _ := mustInvitation(t, db, r, bo)

	first := clk.Now()
	phone := openLink(t, db, inv, "safari", "iphone")
	clk.Add(90 * time.Minute)
	pc := openLink(t, db, inv, "chrome", "windows")
	openLink(t, db, boInv, "firefox", "linux")

	t.Run("each opening is recorded once, newest first", func(t *testing.T) {
		got, err := db.FindLinkOpenings(ctx, inv.ID, pc, 0)
		if err != nil {
			t.Fatal(err)
		}
		want := []data.LinkOpening{
			{OpenedAt: clk.Now(), Browser: "chrome", OS: "windows", Current: true},
			{OpenedAt: first, Browser: "safari", OS: "iphone"},
		}
		if len(got) != len(want) {
			t.Fatalf("FindLinkOpenings = %+v, want %+v", got, want)
		}
		for i := range want {
			if !got[i].OpenedAt.Equal(want[i].OpenedAt) || got[i].Browser != want[i].Browser || got[i].OS != want[i].OS || got[i].Current != want[i].Current {
				t.Errorf("opening %d = %+v, want %+v", i, got[i], want[i])
			}
		}
	})

	t.Run("the session of the opening works and is the current one", func(t *testing.T) {
		_, got, _, _, err := db.FindLeaderSession(ctx, phone, 8*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != inv.ID {
			t.Errorf("session is for invitation %d, want %d", got.ID, inv.ID)
		}
		os, err := db.FindLinkOpenings(ctx, inv.ID, phone, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(os) != 1 || os[0].Current || os[0].Browser != "chrome" {
			t.Errorf("the newest opening seen from the phone = %+v, want chrome, not current", os)
		}
	})

	t.Run("a User-Agent string is refused and nothing is stored", func(t *testing.T) {
		_, hash := auth.NewToken()
		err := db.OpenLink(ctx, data.LinkSession{TokenHash: hash, InvitationID: inv.ID, Idle: time.Hour, MaxAge: time.Hour,
			Browser: "Mozilla/5.0 (Windows NT 10.0; Win64; x64)", OS: "windows"})
		wantCode(t, err, survey.EINVALID)
		if _, _, _, _, err := db.FindLeaderSession(ctx, hash, time.Hour); survey.ErrorCode(err) != survey.ENOTFOUND {
			t.Errorf("a refused opening left a session (%v)", err)
		}
		if got, _ := db.FindLinkOpenings(ctx, inv.ID, "", 0); len(got) != 2 {
			t.Errorf("%d openings after a refused one, want 2", len(got))
		}
	})

	t.Run("an unknown invitation is not found and records nothing", func(t *testing.T) {
		_, hash := auth.NewToken()
		err := db.OpenLink(ctx, data.LinkSession{TokenHash: hash, InvitationID: 999, Idle: time.Hour, MaxAge: time.Hour, Browser: "other", OS: "other"})
		wantCode(t, err, survey.ENOTFOUND)
		if got, _ := db.FindLinkOpenings(ctx, 999, "", 0); len(got) != 0 {
			t.Errorf("openings of an unknown invitation: %+v", got)
		}
	})

	t.Run("the person's own data holds them", func(t *testing.T) {
		pd, err := db.FindPersonData(ctx, ann.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(pd.Rounds) != 1 || len(pd.Rounds[0].LinkOpenings) != 2 || pd.Rounds[0].LinkOpenings[0].Browser != "chrome" {
			t.Errorf("FindPersonData rounds = %+v, want one round with both openings, the newest first", pd.Rounds)
		}
	})

	t.Run("an erasure deletes them, and only the erased person's", func(t *testing.T) {
		if err := db.ErasePerson(ctx, ann.ID, "user:1"); err != nil {
			t.Fatal(err)
		}
		if got, err := db.FindLinkOpenings(ctx, inv.ID, "", 0); err != nil || len(got) != 0 {
			t.Errorf("after the erasure: %+v, %v; want none", got, err)
		}
		if got, err := db.FindLinkOpenings(ctx, boInv.ID, "", 0); err != nil || len(got) != 1 {
			t.Errorf("another person's after the erasure: %+v, %v; want 1", got, err)
		}
	})

	t.Run("retention deletes them with the round", func(t *testing.T) {
		if err := db.SetRoundStatus(ctx, r.ID, survey.RoundClosed); err != nil {
			t.Fatal(err)
		}
		n, err := db.DeleteExpiredRounds(ctx, clk.Now().Add(time.Hour))
		if err != nil || n != 1 {
			t.Fatalf("DeleteExpiredRounds = %d, %v; want 1", n, err)
		}
		if got, err := db.FindLinkOpenings(ctx, boInv.ID, "", 0); err != nil || len(got) != 0 {
			t.Errorf("after retention: %+v, %v; want none", got, err)
		}
	})
}
