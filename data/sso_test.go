package data_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/internal/sso"
	"lederradar/survey"
)

func TestPendingSignInIsTakenOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	clock := newClock(db)
	p := sso.Pending{State: "state-1", Nonce: "nonce-1", Verifier: "verifier-1", Purpose: "staff", Next: "/hr",
		Expires: clock.Now().Add(10 * time.Minute)}
	must(t, db.SavePending(ctx, p))
	if n := countRows(t, db, "SELECT count(*) FROM sso_sign_ins WHERE state_hash = 'state-1'"); n != 0 {
		t.Errorf("the state is kept as it is, want its hash")
	}
	got, err := db.TakePending(ctx, "state-1")
	if err != nil {
		t.Fatal(err)
	}
	if got != p {
		t.Errorf("took %+v, want %+v", got, p)
	}
	if _, err := db.TakePending(ctx, "state-1"); !errors.Is(err, sso.ErrState) {
		t.Errorf("taking it again: err = %v, want ErrState", err)
	}

	t.Run("an expired sign-in is not taken, and goes", func(t *testing.T) {
		must(t, db.SavePending(ctx, sso.Pending{State: "state-2", Nonce: "n", Verifier: "v", Purpose: "leader",
			Expires: clock.Now().Add(10 * time.Minute)}))
		clock.Add(11 * time.Minute)
		if _, err := db.TakePending(ctx, "state-2"); !errors.Is(err, sso.ErrState) {
			t.Errorf("err = %v, want ErrState", err)
		}
		must(t, db.SavePending(ctx, sso.Pending{State: "state-3", Nonce: "n", Verifier: "v", Purpose: "leader",
			Expires: clock.Now().Add(-time.Second)}))
		must(t, db.SavePending(ctx, sso.Pending{State: "state-4", Nonce: "n", Verifier: "v", Purpose: "leader",
			Expires: clock.Now().Add(time.Minute)}))
		if n := countRows(t, db, "SELECT count(*) FROM sso_sign_ins"); n != 1 {
			t.Errorf("%d sign-ins kept, want the one that has not expired", n)
		}
	})
}

func TestPersonSessions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	clock := newClock(db)
	mustInstrument(t, db, "test-1")
	ada := mustPerson(t, db, "ada@example.dk", "Ada")
	bo := mustPerson(t, db, "bo@example.dk", "Bo")
	_, hash := auth.NewToken()
	must(t, db.CreatePersonSession(ctx, hash, ada.ID, time.Hour, 2*time.Hour))
	got, err := db.FindPersonSession(ctx, hash, time.Hour)
	if err != nil || got.ID != ada.ID {
		t.Fatalf("FindPersonSession = %+v, %v; want Ada", got, err)
	}
	clock.Add(61 * time.Minute)
	_, err = db.FindPersonSession(ctx, hash, time.Hour)
	wantCode(t, err, survey.ENOTFOUND)

	t.Run("opens only the person's own invitations", func(t *testing.T) {
		open := mustRound(t, db, "Åben", survey.RoundOpen)
		draft := mustRound(t, db, "Kladde", survey.RoundDraft)
		own, _ := mustInvitation(t, db, open, ada)
		mustInvitation(t, db, draft, ada)
		other, _ := mustInvitation(t, db, open, bo)
		rates := &survey.Invitation{RoundID: open.ID, PersonID: ada.ID, Relation: survey.Peer}
		_, rh := auth.NewToken()
		must(t, db.CreateInvitation(ctx, rates, bo.ID, rh))

		invs, err := db.FindPersonInvitations(ctx, ada.ID)
		must(t, err)
		if len(invs) != 2 || invs[0].Invitation.ID != own.ID || invs[1].Invitation.ID != rates.ID ||
			invs[1].Subject.Name != "Bo" || invs[0].Round.Name != "Åben" {
			t.Errorf("invitations = %+v, want her own and the one about Bo, not the draft's", invs)
		}
		_, sh := auth.NewToken()
		err = db.OpenInvitationAs(ctx, ada.ID, data.LinkSession{TokenHash: sh, InvitationID: other.ID,
			Idle: time.Hour, MaxAge: time.Hour, Browser: "firefox", OS: "linux"})
		wantCode(t, err, survey.ENOTFOUND)
		if n := countRows(t, db, "SELECT count(*) FROM sessions WHERE token_hash = ?", sh); n != 0 {
			t.Errorf("another person's invitation made a session")
		}
		must(t, db.OpenInvitationAs(ctx, ada.ID, data.LinkSession{TokenHash: sh, InvitationID: own.ID,
			Idle: time.Hour, MaxAge: time.Hour, Browser: "firefox", OS: "linux"}))
		_, inv, _, _, err := db.FindLeaderSession(ctx, sh, time.Hour)
		if err != nil || inv.ID != own.ID {
			t.Errorf("the session opened = %+v, %v; want her own invitation", inv, err)
		}
		if n := countRows(t, db, "SELECT count(*) FROM link_openings WHERE invitation_id = ?", own.ID); n != 1 {
			t.Errorf("%d openings recorded, want 1", n)
		}
	})

	t.Run("erasure ends them", func(t *testing.T) {
		_, h := auth.NewToken()
		must(t, db.CreatePersonSession(ctx, h, bo.ID, time.Hour, time.Hour))
		must(t, db.ErasePerson(ctx, bo.ID, "cli"))
		if n := countRows(t, db, "SELECT count(*) FROM person_sessions WHERE person_id = ?", bo.ID); n != 0 {
			t.Errorf("the erased person's session is still there")
		}
	})
}

func TestSignInAccount(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	newClock(db)
	hash, err := auth.HashPassword("a-long-and-unusual-passphrase")
	must(t, err)
	pre := &survey.User{Email: "admin@example.dk", Role: survey.RoleAdmin}
	must(t, db.CreateUser(ctx, pre, hash))

	_, _, err = db.SignInAccount(ctx, "nobody@example.dk", "")
	wantCode(t, err, survey.ENOTFOUND)

	u, did, err := db.SignInAccount(ctx, "ADMIN@example.dk", "")
	if err != nil || u.ID != pre.ID || u.Role != survey.RoleAdmin || did != data.SSOFound {
		t.Errorf("pre-provisioned: %+v, %v, %v", u, did, err)
	}
	u, did, err = db.SignInAccount(ctx, "hr@example.dk", survey.RoleHR)
	if err != nil || u.Role != survey.RoleHR || did != data.SSOCreated {
		t.Fatalf("from the claim: %+v, %v, %v", u, did, err)
	}
	if _, h, err := db.FindUserByEmail(ctx, "hr@example.dk"); err != nil || auth.CheckPassword(h, "") || h == "" {
		t.Errorf("the made account opens with a password, or is missing: %v", err)
	}
	_, sh := auth.NewToken()
	must(t, db.CreateUserSession(ctx, sh, u.ID, time.Hour, time.Hour))
	u, did, err = db.SignInAccount(ctx, "hr@example.dk", survey.RoleAdmin)
	if err != nil || u.Role != survey.RoleAdmin || did != data.SSORoleSet {
		t.Errorf("role changed by the claim: %+v, %v, %v", u, did, err)
	}
	if _, err := db.FindUserSession(ctx, sh, time.Hour); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("the session under the old role lives on: %v", err)
	}
}
