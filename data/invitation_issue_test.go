package data_test

import (
	"context"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/survey"
)

func TestIssueInvitations(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	clk := newClock(db)
	mustInstrument(t, db, "test-1")
	ann := mustPerson(t, db, "ann@example.dk", "Ann")
	bo := mustPerson(t, db, "bo@example.dk", "Bo")
	cy := mustPerson(t, db, "cy@example.dk", "Cy")
	r := mustRound(t, db, "2026", survey.RoundDraft)

	var first map[int64]string
	t.Run("issue", func(t *testing.T) {
		var err error
		first, err = db.IssueInvitations(ctx, r.ID, []int64{bo.ID, ann.ID, ann.ID}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(first), 2; got != want {
			t.Fatalf("len(tokens) = %d, want %d", got, want)
		}
		for _, p := range []*survey.Person{ann, bo} {
			inv, err := db.FindInvitationByTokenHash(ctx, auth.HashToken(first[p.ID]))
			if err != nil {
				t.Fatalf("link of %s: %v", p.Name, err)
			}
			want := survey.Invitation{ID: inv.ID, RoundID: r.ID, PersonID: p.ID, SubjectID: p.ID, Relation: survey.Self, CreatedAt: clk.Now()}
			if *inv != want {
				t.Errorf("invitation = %+v, want %+v", *inv, want)
			}
		}
		if first[ann.ID] == first[bo.ID] {
			t.Error("two people got the same token")
		}
	})

	t.Run("find invitations", func(t *testing.T) {
		got, err := db.FindInvitations(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].PersonID != ann.ID || got[1].PersonID != bo.ID {
			t.Errorf("FindInvitations = %+v, want Ann's and Bo's", got)
		}
		other := mustRound(t, db, "2027", survey.RoundOpen)
		got, err = db.FindInvitations(ctx, other.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got == nil || len(got) != 0 {
			t.Errorf("FindInvitations of a round without any = %#v, want an empty list", got)
		}
		_, err = db.FindInvitations(ctx, 9999)
		wantCode(t, err, survey.ENOTFOUND)
	})

	t.Run("reissue", func(t *testing.T) {
		oldInv, err := db.FindInvitationByTokenHash(ctx, auth.HashToken(first[ann.ID]))
		if err != nil {
			t.Fatal(err)
		}
		_, session := auth.NewToken()
		if err := db.CreateSession(ctx, session, oldInv.ID, 30*time.Minute, 12*time.Hour); err != nil {
			t.Fatal(err)
		}
		clk.Add(time.Hour)

		again, err := db.IssueInvitations(ctx, r.ID, []int64{ann.ID, cy.ID}, auth.NewToken)
		if err != nil {
			t.Fatal(err)
		}
		if again[ann.ID] == first[ann.ID] {
			t.Error("reissued token equals the old one")
		}
		_, err = db.FindInvitationByTokenHash(ctx, auth.HashToken(first[ann.ID]))
		wantCode(t, err, survey.ENOTFOUND)
		_, _, _, _, err = db.FindLeaderSession(ctx, session, 30*time.Minute)
		wantCode(t, err, survey.ENOTFOUND)

		inv, err := db.FindInvitationByTokenHash(ctx, auth.HashToken(again[ann.ID]))
		if err != nil {
			t.Fatalf("new link: %v", err)
		}
		if inv.ID != oldInv.ID || !inv.CreatedAt.Equal(oldInv.CreatedAt) {
			t.Errorf("reissued invitation = %+v, want the same invitation %+v", *inv, *oldInv)
		}
		// Bo was not listed: his link still works.
		if _, err := db.FindInvitationByTokenHash(ctx, auth.HashToken(first[bo.ID])); err != nil {
			t.Errorf("Bo's link after Ann's reissue: %v", err)
		}
	})

	t.Run("all or nothing", func(t *testing.T) {
		before, err := db.FindInvitations(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.IssueInvitations(ctx, r.ID, []int64{bo.ID, 9999}, nil)
		wantCode(t, err, survey.ENOTFOUND)
		if _, err := db.FindInvitationByTokenHash(ctx, auth.HashToken(first[bo.ID])); err != nil {
			t.Errorf("Bo's link after a refused reissue: %v", err)
		}
		// A hash generator that repeats itself makes the second insert fail.
		_, fixed := auth.NewToken()
		_, err = db.IssueInvitations(ctx, r.ID, []int64{ann.ID, bo.ID}, func() (string, string) { return "t", fixed })
		wantCode(t, err, survey.ECONFLICT)
		after, err := db.FindInvitations(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(after) != len(before) {
			t.Errorf("invitations after refusals = %d, want %d", len(after), len(before))
		}
		if _, err := db.FindInvitationByTokenHash(ctx, fixed); err == nil {
			t.Error("the refused batch's hash was stored")
		}
	})

	t.Run("refusals", func(t *testing.T) {
		_, err := db.IssueInvitations(ctx, r.ID, nil, nil)
		wantCode(t, err, survey.EINVALID)
		_, err = db.IssueInvitations(ctx, 9999, []int64{ann.ID}, nil)
		wantCode(t, err, survey.ENOTFOUND)
		_, err = db.IssueInvitations(ctx, r.ID, []int64{ann.ID}, func() (string, string) { return "t", "not a hash" })
		wantCode(t, err, survey.EINVALID)
		closed := mustRound(t, db, "2025", survey.RoundClosed)
		_, err = db.IssueInvitations(ctx, closed.ID, []int64{ann.ID}, nil)
		wantCode(t, err, survey.ECLOSED)
	})
}

func TestFindRoundProgress(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	newClock(db)
	mustInstrument(t, db, "test-1")
	ann := mustPerson(t, db, "ann@example.dk", "Ann")
	bo := mustPerson(t, db, "bo@example.dk", "Bo")
	cy := mustPerson(t, db, "cy@example.dk", "Cy")
	dan := mustPerson(t, db, "dan@example.dk", "Dan")
	r := mustRound(t, db, "2026", survey.RoundOpen)
	other := mustRound(t, db, "2027", survey.RoundOpen)

	if _, err := db.IssueInvitations(ctx, r.ID, []int64{ann.ID, bo.ID, cy.ID}, nil); err != nil {
		t.Fatal(err)
	}
	// Bo has started, Cy has submitted; Dan answered only in another round.
	for _, s := range []data.AnswerSave{selfSave(r, bo, "k1", survey.Answers{"a1": 3}), selfSave(r, cy, "k2", survey.Answers{"a1": 4}), selfSave(other, dan, "k3", survey.Answers{"a1": 4})} {
		if _, err := db.SaveAnswers(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.SubmitResponse(ctx, r.ID, cy.ID, cy.ID, survey.Self, "k4"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SubmitResponse(ctx, other.ID, dan.ID, dan.ID, survey.Self, "k5"); err != nil {
		t.Fatal(err)
	}

	got, err := db.FindRoundProgress(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []data.PersonProgress{
		{PersonID: ann.ID, Invited: true},
		{PersonID: bo.ID, Invited: true, Started: true},
		{PersonID: cy.ID, Invited: true, Started: true, Submitted: true},
		{PersonID: dan.ID},
	}
	if len(got) != len(want) {
		t.Fatalf("FindRoundProgress = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("progress[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	_, err = db.FindRoundProgress(ctx, 9999)
	wantCode(t, err, survey.ENOTFOUND)
}
