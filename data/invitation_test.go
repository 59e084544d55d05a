package data_test

import (
	"context"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/survey"
)

func TestInvitations(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	clk := newClock(db)
	mustInstrument(t, db, "test-1")
	ann := mustPerson(t, db, "ann@example.dk", "Ann")
	bo := mustPerson(t, db, "bo@example.dk", "Bo")
	r := mustRound(t, db, "2026", survey.RoundOpen)

	inv, token := mustInvitation(t, db, r, ann)

	t.Run("found by token hash", func(t *testing.T) {
		got, err := db.FindInvitationByTokenHash(ctx, survey.HashToken(token))
		if err != nil {
			t.Fatal(err)
		}
		want := survey.Invitation{ID: inv.ID, RoundID: r.ID, PersonID: ann.ID, SubjectID: ann.ID, Relation: survey.Self, CreatedAt: clk.Now()}
		if *got != want {
			t.Errorf("FindInvitationByTokenHash = %+v, want %+v", *got, want)
		}
		if *inv != want {
			t.Errorf("CreateInvitation filled in %+v, want %+v", *inv, want)
		}
		byID, err := db.FindInvitationByID(ctx, inv.ID)
		if err != nil {
			t.Fatal(err)
		}
		if *byID != want {
			t.Errorf("FindInvitationByID = %+v, want %+v", *byID, want)
		}
		_, err = db.FindInvitationByTokenHash(ctx, survey.HashToken("unknown"))
		wantCode(t, err, survey.ENOTFOUND)
		_, err = db.FindInvitationByID(ctx, 9999)
		wantCode(t, err, survey.ENOTFOUND)
	})

	t.Run("refusals", func(t *testing.T) {
		_, hash := survey.NewToken()
		for _, tc := range []struct {
			name    string
			inv     survey.Invitation
			subject int64
			hash    string
			want    string
		}{
			{"raw token instead of hash", survey.Invitation{RoundID: r.ID, PersonID: bo.ID, Relation: survey.Self}, bo.ID, token, survey.EINVALID},
			{"self about another", survey.Invitation{RoundID: r.ID, PersonID: bo.ID, Relation: survey.Self}, ann.ID, hash, survey.EINVALID},
			{"peer about oneself", survey.Invitation{RoundID: r.ID, PersonID: bo.ID, Relation: survey.Peer}, bo.ID, hash, survey.EINVALID},
			{"unknown relation", survey.Invitation{RoundID: r.ID, PersonID: bo.ID, Relation: "boss"}, ann.ID, hash, survey.EINVALID},
			{"unknown round", survey.Invitation{RoundID: 9999, PersonID: bo.ID, Relation: survey.Self}, bo.ID, hash, survey.ENOTFOUND},
			{"unknown person", survey.Invitation{RoundID: r.ID, PersonID: 9999, Relation: survey.Self}, 0, hash, survey.ENOTFOUND},
			{"hash in use", survey.Invitation{RoundID: r.ID, PersonID: bo.ID, Relation: survey.Self}, bo.ID, survey.HashToken(token), survey.ECONFLICT},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := db.CreateInvitation(ctx, &tc.inv, tc.subject, tc.hash)
				wantCode(t, err, tc.want)
			})
		}
	})

	t.Run("360 rater", func(t *testing.T) {
		_, hash := survey.NewToken()
		peer := &survey.Invitation{RoundID: r.ID, PersonID: bo.ID, Relation: survey.Peer}
		if err := db.CreateInvitation(ctx, peer, ann.ID, hash); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindInvitationByTokenHash(ctx, hash)
		if err != nil {
			t.Fatal(err)
		}
		if got.PersonID != bo.ID || got.SubjectID != ann.ID || got.Relation != survey.Peer {
			t.Errorf("peer invitation = %+v, want rater %d subject %d peer", *got, bo.ID, ann.ID)
		}
		// Reissuing with another relation is a conflict, not a silent change.
		_, hash2 := survey.NewToken()
		err = db.CreateInvitation(ctx, &survey.Invitation{RoundID: r.ID, PersonID: bo.ID, Relation: survey.Manager}, ann.ID, hash2)
		wantCode(t, err, survey.ECONFLICT)
	})

	t.Run("reissue", func(t *testing.T) {
		oldHash := survey.HashToken(token)
		_, session := survey.NewToken()
		if err := db.CreateSession(ctx, session, inv.ID, 30*time.Minute, 12*time.Hour); err != nil {
			t.Fatal(err)
		}

		clk.Add(time.Hour)
		newToken, newHash := survey.NewToken()
		again := &survey.Invitation{RoundID: r.ID, PersonID: ann.ID, Relation: survey.Self}
		if err := db.CreateInvitation(ctx, again, ann.ID, newHash); err != nil {
			t.Fatal(err)
		}
		if got, want := again.ID, inv.ID; got != want {
			t.Errorf("reissued invitation id = %d, want %d (the same invitation)", got, want)
		}

		_, err := db.FindInvitationByTokenHash(ctx, oldHash)
		wantCode(t, err, survey.ENOTFOUND)
		_, _, _, _, err = db.FindLeaderSession(ctx, session, 30*time.Minute)
		wantCode(t, err, survey.ENOTFOUND)
		got, err := db.FindInvitationByTokenHash(ctx, survey.HashToken(newToken))
		if err != nil {
			t.Fatalf("new link: %v", err)
		}
		if got.ID != inv.ID {
			t.Errorf("new link finds invitation %d, want %d", got.ID, inv.ID)
		}
	})
}

// TestSessions checks a leader session's expiry rules, through
// FindLeaderSession, which every leader's page uses.
func TestSessions(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	clk := newClock(db)
	mustInstrument(t, db, "test-1")
	ann := mustPerson(t, db, "ann@example.dk", "Ann")
	r := mustRound(t, db, "2026", survey.RoundOpen)
	inv, _ := mustInvitation(t, db, r, ann)

	find := func(hash string, idle time.Duration) (*data.Session, error) {
		s, gotInv, gotRound, gotPerson, err := db.FindLeaderSession(ctx, hash, idle)
		if err == nil && (gotInv.ID != inv.ID || gotRound.ID != r.ID || gotPerson.ID != ann.ID) {
			t.Errorf("FindLeaderSession = invitation %d, round %d, person %d; want %d, %d, %d", gotInv.ID, gotRound.ID, gotPerson.ID, inv.ID, r.ID, ann.ID)
		}
		return s, err
	}
	const idle, maxAge = 30 * time.Minute, 2 * time.Hour
	newSession := func(t *testing.T) string {
		t.Helper()
		_, hash := survey.NewToken()
		if err := db.CreateSession(ctx, hash, inv.ID, idle, maxAge); err != nil {
			t.Fatal(err)
		}
		return hash
	}

	t.Run("found while active", func(t *testing.T) {
		start := clk.Now()
		hash := newSession(t)
		s, err := find(hash, idle)
		if err != nil {
			t.Fatal(err)
		}
		if s.InvitationID != inv.ID || !s.CreatedAt.Equal(start) || !s.LastSeenAt.Equal(start) || !s.ExpiresAt.Equal(start.Add(maxAge)) {
			t.Errorf("FindLeaderSession = %+v, want invitation %d created %v expiring %v", *s, inv.ID, start, start.Add(maxAge))
		}

		// Within a minute last_seen_at is not written.
		clk.Add(30 * time.Second)
		s, err = find(hash, idle)
		if err != nil {
			t.Fatal(err)
		}
		if !s.LastSeenAt.Equal(start) {
			t.Errorf("LastSeenAt after 30s = %v, want %v (untouched)", s.LastSeenAt, start)
		}
		// Activity every 20 minutes keeps it alive past the idle time.
		for range 4 {
			clk.Add(20 * time.Minute)
			if s, err = find(hash, idle); err != nil {
				t.Fatalf("FindLeaderSession after %v: %v", clk.Now().Sub(start), err)
			}
		}
		if got, want := s.LastSeenAt, clk.Now(); !got.Equal(want) {
			t.Errorf("LastSeenAt = %v, want %v", got, want)
		}
	})

	t.Run("idle expiry", func(t *testing.T) {
		hash := newSession(t)
		clk.Add(idle - time.Second)
		if _, err := find(hash, idle); err != nil {
			t.Fatalf("FindLeaderSession just before idle timeout: %v", err)
		}
		clk.Add(idle)
		_, err := find(hash, idle)
		wantCode(t, err, survey.ENOTFOUND)
	})

	t.Run("shorter idle wins", func(t *testing.T) {
		hash := newSession(t)
		clk.Add(10 * time.Minute)
		_, err := find(hash, 5*time.Minute)
		wantCode(t, err, survey.ENOTFOUND)
	})

	t.Run("max expiry", func(t *testing.T) {
		hash := newSession(t)
		for clk.Add(25 * time.Minute); ; clk.Add(25 * time.Minute) {
			_, err := find(hash, idle)
			if err != nil {
				wantCode(t, err, survey.ENOTFOUND)
				break
			}
		}
		s, _ := find(hash, idle)
		if s != nil {
			t.Error("expired session found again")
		}
	})

	t.Run("delete", func(t *testing.T) {
		hash := newSession(t)
		if err := db.DeleteSession(ctx, hash); err != nil {
			t.Fatal(err)
		}
		_, err := find(hash, idle)
		wantCode(t, err, survey.ENOTFOUND)
		if err := db.DeleteSession(ctx, hash); err != nil {
			t.Errorf("second DeleteSession: %v", err)
		}
	})

	t.Run("delete expired", func(t *testing.T) {
		if _, err := db.DeleteExpiredSessions(ctx); err != nil {
			t.Fatal(err)
		}
		idleOne := newSession(t)
		clk.Add(20 * time.Minute)
		live := newSession(t)
		clk.Add(15 * time.Minute) // idleOne idle 35 min, live 15 min
		n, err := db.DeleteExpiredSessions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := n, int64(1); got != want {
			t.Errorf("DeleteExpiredSessions = %d, want %d", got, want)
		}
		if _, err := find(live, idle); err != nil {
			t.Errorf("live session: %v", err)
		}
		_, err = find(idleOne, idle)
		wantCode(t, err, survey.ENOTFOUND)
	})

	t.Run("refusals", func(t *testing.T) {
		token, hash := survey.NewToken()
		wantCode(t, db.CreateSession(ctx, token, inv.ID, idle, maxAge), survey.EINVALID)
		wantCode(t, db.CreateSession(ctx, hash, 9999, idle, maxAge), survey.ENOTFOUND)
		wantCode(t, db.CreateSession(ctx, hash, inv.ID, 0, maxAge), survey.EINVALID)
	})
}
