package data_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/survey"
)

func TestInvitations(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	clk := newClock(db)
	mustInstrument(t, db, "test-1")
	ann := mustPerson(t, db, "ann@example.dk", "Ann")
	bo := mustPerson(t, db, "bo@example.dk", "Bo")
	r := mustRound(t, db, "2026", survey.RoundOpen)

	inv, token := mustInvitation(t, db, r, ann)

	t.Run("found by token hash", func(t *testing.T) {
		got, err := db.FindInvitationByTokenHash(ctx, auth.HashToken(token))
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
		_, err = db.FindInvitationByTokenHash(ctx, auth.HashToken("unknown"))
		wantCode(t, err, survey.ENOTFOUND)
		_, err = db.FindInvitationByID(ctx, 9999)
		wantCode(t, err, survey.ENOTFOUND)
	})

	t.Run("refusals", func(t *testing.T) {
		_, hash := auth.NewToken()
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
			{"hash in use", survey.Invitation{RoundID: r.ID, PersonID: bo.ID, Relation: survey.Self}, bo.ID, auth.HashToken(token), survey.ECONFLICT},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := db.CreateInvitation(ctx, &tc.inv, tc.subject, tc.hash)
				wantCode(t, err, tc.want)
			})
		}
	})

	t.Run("360 rater", func(t *testing.T) {
		_, hash := auth.NewToken()
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
		_, hash2 := auth.NewToken()
		err = db.CreateInvitation(ctx, &survey.Invitation{RoundID: r.ID, PersonID: bo.ID, Relation: survey.Manager}, ann.ID, hash2)
		wantCode(t, err, survey.ECONFLICT)
	})

	t.Run("reissue", func(t *testing.T) {
		oldHash := auth.HashToken(token)
		_, session := auth.NewToken()
		if err := db.CreateSession(ctx, session, inv.ID, 30*time.Minute, 12*time.Hour); err != nil {
			t.Fatal(err)
		}

		clk.Add(time.Hour)
		newToken, newHash := auth.NewToken()
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
		got, err := db.FindInvitationByTokenHash(ctx, auth.HashToken(newToken))
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
// leaderFixture is a database with a clock the test moves, Ann, an open
// round and Ann's link to it.
func leaderFixture(t *testing.T) (*data.DB, *clock, *survey.Person, *survey.Round, *survey.Invitation) {
	t.Helper()
	db := mustOpenDB(t)
	clk := newClock(db)
	mustInstrument(t, db, "test-1")
	ann := mustPerson(t, db, "ann@example.dk", "Ann")
	r := mustRound(t, db, "2026", survey.RoundOpen)
	inv, _ := mustInvitation(t, db, r, ann)
	return db, clk, ann, r, inv
}

func TestSessions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, clk, ann, r, inv := leaderFixture(t)

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
		_, hash := auth.NewToken()
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
		token, hash := auth.NewToken()
		wantCode(t, db.CreateSession(ctx, token, inv.ID, idle, maxAge), survey.EINVALID)
		wantCode(t, db.CreateSession(ctx, hash, 9999, idle, maxAge), survey.ENOTFOUND)
		wantCode(t, db.CreateSession(ctx, hash, inv.ID, 0, maxAge), survey.EINVALID)
	})
}

// TestSessionCheckedInForm posts forms that carry a data.SessionCheck: a
// form is stored only through a live session of its own invitation, under
// the expiry rules of FindLeaderSession, and storing it records the
// session's use.
func TestSessionCheckedInForm(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, clk, ann, r, inv := leaderFixture(t)
	bo := mustPerson(t, db, "bo@example.dk", "Bo")
	boInv, _ := mustInvitation(t, db, r, bo)
	const idle, maxAge = 30 * time.Minute, 2 * time.Hour
	session := func(t *testing.T, invID int64) string {
		t.Helper()
		_, hash := auth.NewToken()
		if err := db.CreateSession(ctx, hash, invID, idle, maxAge); err != nil {
			t.Fatal(err)
		}
		return hash
	}
	n := 0
	save := func(sc *data.SessionCheck) error {
		n++
		_, err := db.SaveAnswers(ctx, data.AnswerSave{RoundID: r.ID, SubjectID: ann.ID, RaterID: ann.ID, Relation: survey.Self,
			FormKey: fmt.Sprintf("k%d", n), Answers: survey.Answers{"a1": survey.Answer(1 + n%5)}, Session: sc})
		return err
	}
	stored := func() survey.Answer {
		resp, err := db.FindResponse(ctx, r.ID, ann.ID, ann.ID)
		if err != nil {
			return -1
		}
		return resp.Answers["a1"]
	}

	t.Run("live", func(t *testing.T) {
		hash := session(t, inv.ID)
		clk.Add(5 * time.Minute)
		if err := save(&data.SessionCheck{TokenHash: hash, InvitationID: inv.ID, Idle: idle}); err != nil {
			t.Fatal(err)
		}
		if got := stored(); got != survey.Answer(1+n%5) {
			t.Errorf("stored %d", got)
		}
		s, _, _, _, err := db.FindLeaderSession(ctx, hash, idle)
		if err != nil || !s.LastSeenAt.Equal(clk.Now()) {
			t.Errorf("the save did not record the session's use: %v, %v", s, err)
		}
		_, err = db.Submit(ctx, data.ResponseSubmit{RoundID: r.ID, SubjectID: ann.ID, RaterID: ann.ID, Relation: survey.Self, FormKey: "submit",
			Session: &data.SessionCheck{TokenHash: hash, InvitationID: inv.ID, Idle: idle}})
		if err != nil {
			t.Fatal(err)
		}
	})

	refusals := []struct {
		name string
		sc   func(t *testing.T) *data.SessionCheck
	}{
		{"no such session", func(t *testing.T) *data.SessionCheck {
			_, hash := auth.NewToken()
			return &data.SessionCheck{TokenHash: hash, InvitationID: inv.ID, Idle: idle}
		}},
		{"another invitation's session", func(t *testing.T) *data.SessionCheck {
			return &data.SessionCheck{TokenHash: session(t, boInv.ID), InvitationID: inv.ID, Idle: idle}
		}},
		{"idle", func(t *testing.T) *data.SessionCheck {
			hash := session(t, inv.ID)
			clk.Add(idle)
			return &data.SessionCheck{TokenHash: hash, InvitationID: inv.ID, Idle: idle}
		}},
		{"idle shorter than stored", func(t *testing.T) *data.SessionCheck {
			hash := session(t, inv.ID)
			clk.Add(10 * time.Minute)
			return &data.SessionCheck{TokenHash: hash, InvitationID: inv.ID, Idle: 5 * time.Minute}
		}},
		{"past the hard end", func(t *testing.T) *data.SessionCheck {
			hash := session(t, inv.ID)
			for range 4 {
				clk.Add(25 * time.Minute)
				if _, _, _, _, err := db.FindLeaderSession(ctx, hash, idle); err != nil {
					t.Fatal(err)
				}
			}
			clk.Add(25 * time.Minute) // 125 minutes old, idle for 25
			return &data.SessionCheck{TokenHash: hash, InvitationID: inv.ID, Idle: idle}
		}},
		{"deleted", func(t *testing.T) *data.SessionCheck {
			hash := session(t, inv.ID)
			if err := db.DeleteSession(ctx, hash); err != nil {
				t.Fatal(err)
			}
			return &data.SessionCheck{TokenHash: hash, InvitationID: inv.ID, Idle: idle}
		}},
	}
	for _, tc := range refusals {
		t.Run(tc.name, func(t *testing.T) {
			sc := tc.sc(t)
			before := stored()
			wantCode(t, save(sc), survey.ENOTFOUND)
			if got := stored(); got != before {
				t.Errorf("stored %d through a refused session, had %d", got, before)
			}
			_, err := db.Submit(ctx, data.ResponseSubmit{RoundID: r.ID, SubjectID: bo.ID, RaterID: bo.ID, Relation: survey.Self, FormKey: "bo-" + tc.name, Session: sc})
			wantCode(t, err, survey.ENOTFOUND)
		})
	}
}
