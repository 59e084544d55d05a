package data_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"lederradar/survey"
)

func TestSavePlan(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	clk := newClock(db)
	in := mustInstrument(t, db, "test-1")
	ann := mustPerson(t, db, "ann@example.dk", "Ann")
	spring := mustRound(t, db, "Forår", survey.RoundClosed)
	clk.Add(time.Hour)
	autumn := mustRound(t, db, "Efterår", survey.RoundOpen)

	if _, err := db.FindPlan(ctx, spring.ID, ann.ID); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("FindPlan before any plan: %v, want ENOTFOUND", err)
	}
	revisit := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	first := survey.Plan{RoundID: spring.ID, PersonID: ann.ID, RevisitOn: revisit, Focuses: []survey.Focus{
		{CompetenceID: " b ", Actions: " Hold et møde ", Involve: "Bo"}, {}, {CompetenceID: "a", Actions: "Spørg først"}}}
	if err := db.SavePlan(ctx, first, in); err != nil {
		t.Fatal(err)
	}
	got, err := db.FindPlan(ctx, spring.ID, ann.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []survey.Focus{{CompetenceID: "b", Actions: "Hold et møde", Involve: "Bo"}, {CompetenceID: "a", Actions: "Spørg først"}}
	if !reflect.DeepEqual(got.Focuses, want) || !got.RevisitOn.Equal(revisit) || got.UpdatedAt.IsZero() {
		t.Fatalf("plan = %+v, want focuses %+v revisited %v", got, want, revisit)
	}

	// Saving again replaces the whole plan, and the revisit day may go.
	clk.Add(time.Minute)
	if err := db.SavePlan(ctx, survey.Plan{RoundID: spring.ID, PersonID: ann.ID, Focuses: []survey.Focus{{CompetenceID: "a"}}}, in); err != nil {
		t.Fatal(err)
	}
	got, _ = db.FindPlan(ctx, spring.ID, ann.ID)
	if len(got.Focuses) != 1 || got.Focuses[0].CompetenceID != "a" || !got.RevisitOn.IsZero() {
		t.Fatalf("replaced plan = %+v", got)
	}

	refusals := []struct {
		name    string
		focuses []survey.Focus
		key     string
	}{
		{"no focus", []survey.Focus{{CompetenceID: " "}}, "plan_no_focus"},
		{"four focuses", []survey.Focus{{CompetenceID: "a"}, {CompetenceID: "b"}, {CompetenceID: "a"}, {CompetenceID: "b"}}, "plan_too_many"},
		{"the same twice", []survey.Focus{{CompetenceID: "a"}, {CompetenceID: "a"}}, "plan_twice"},
		{"an unknown competence", []survey.Focus{{CompetenceID: "zz"}}, "plan_competence"},
		{"actions too long", []survey.Focus{{CompetenceID: "a", Actions: strings.Repeat("æ", survey.MaxActionsLen+1)}}, "plan_actions_long"},
		{"involve too long", []survey.Focus{{CompetenceID: "a", Involve: strings.Repeat("x", survey.MaxInvolveLen+1)}}, "plan_involve_long"},
	}
	for _, r := range refusals {
		err := db.SavePlan(ctx, survey.Plan{RoundID: spring.ID, PersonID: ann.ID, Focuses: r.focuses}, in)
		wantCode(t, err, survey.EINVALID)
		if key, _ := survey.ErrorKey(err); key != r.key {
			t.Errorf("%s: key %q, want %q", r.name, key, r.key)
		}
	}
	after, _ := db.FindPlan(ctx, spring.ID, ann.ID)
	if !reflect.DeepEqual(after, got) {
		t.Fatalf("a refused plan changed the stored one: %+v, was %+v", after, got)
	}

	// The next round reads this one's plan as the previous.
	prev, prevRound, err := db.FindPreviousPlan(ctx, autumn, ann.ID)
	if err != nil || prevRound.ID != spring.ID || prev.Focuses[0].CompetenceID != "a" {
		t.Fatalf("FindPreviousPlan = %+v, %+v, %v", prev, prevRound, err)
	}
	if _, _, err := db.FindPreviousPlan(ctx, spring, ann.ID); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("FindPreviousPlan of the first round: %v, want ENOTFOUND", err)
	}
}

func TestShares(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	clk := newClock(db)
	mustInstrument(t, db, "test-1")
	ann := mustPerson(t, db, "ann@example.dk", "Ann")
	bo := mustPerson(t, db, "bo@example.dk", "Bo")
	round := mustRound(t, db, "Forår", survey.RoundClosed)

	for _, bad := range []struct {
		recipient string
		days      int
		key       string
	}{{"  ", 30, "share_recipient"}, {strings.Repeat("x", survey.MaxRecipientLen+1), 30, "share_recipient_long"},
		{"Chef", 0, "share_days"}, {"Chef", survey.MaxShareDays + 1, "share_days"}} {
		_, _, err := db.AddShare(ctx, round.ID, ann.ID, bad.recipient, bad.days)
		if key, _ := survey.ErrorKey(err); key != bad.key {
			t.Errorf("AddShare(%q, %d): %v, want key %s", bad.recipient, bad.days, err, bad.key)
		}
	}
	if n := countRows(t, db, "SELECT count(*) FROM shares"); n != 0 {
		t.Fatalf("refused shares left %d rows", n)
	}

	share, token, err := db.AddShare(ctx, round.ID, ann.ID, "  Karen   Chef ", 30)
	if err != nil {
		t.Fatal(err)
	}
	if share.Recipient != "Karen Chef" || !share.ExpiresAt.Equal(share.CreatedAt.AddDate(0, 0, 30)) {
		t.Fatalf("share = %+v", share)
	}
	if n := countRows(t, db, "SELECT count(*) FROM shares WHERE token_hash = ?", token); n != 0 {
		t.Fatal("the token itself is stored")
	}
	clk.Add(time.Hour)
	opened, state, err := db.OpenShare(ctx, token)
	if err != nil || state != survey.ShareActive || !opened.LastOpenedAt.Equal(clk.Now()) {
		t.Fatalf("OpenShare = %+v, %v", opened, err)
	}
	list, _ := db.FindShares(ctx, round.ID, ann.ID)
	if len(list) != 1 || !list[0].LastOpenedAt.Equal(clk.Now()) {
		t.Fatalf("FindShares = %+v", list)
	}

	// Another leader cannot revoke it; its owner can, at once.
	wantCode(t, db.RevokeShare(ctx, bo.ID, share.ID), survey.ENOTFOUND)
	if err := db.RevokeShare(ctx, ann.ID, share.ID); err != nil {
		t.Fatal(err)
	}
	clk.Add(time.Hour)
	if s, state, _ := db.OpenShare(ctx, token); state != survey.ShareRevoked || !s.LastOpenedAt.Equal(clk.Now().Add(-time.Hour)) {
		t.Fatalf("a revoked share opened: %+v", s)
	}

	// One that expires: active until its last second, then expired and
	// no longer noted as opened.
	_, short, err := db.AddShare(ctx, round.ID, ann.ID, "Bo", 1)
	if err != nil {
		t.Fatal(err)
	}
	clk.Add(24*time.Hour - time.Second)
	if s, state, _ := db.OpenShare(ctx, short); state != survey.ShareActive {
		t.Fatalf("share before its expiry: %+v", s)
	}
	clk.Add(time.Second)
	if s, state, _ := db.OpenShare(ctx, short); state != survey.ShareExpired {
		t.Fatalf("share at its expiry: %+v", s)
	}
	for _, tok := range []string{"", "not-a-token", strings.Repeat("A", 43)} {
		if _, _, err := db.OpenShare(ctx, tok); survey.ErrorCode(err) != survey.ENOTFOUND {
			t.Errorf("OpenShare(%q): %v, want ENOTFOUND", tok, err)
		}
	}

	// The erasure takes the leader's shares and plans; the link finds
	// nothing.
	in, _ := db.CachedInstrument(ctx, "test-1")
	if err := db.SavePlan(ctx, survey.Plan{RoundID: round.ID, PersonID: ann.ID, Focuses: []survey.Focus{{CompetenceID: "a"}}}, in); err != nil {
		t.Fatal(err)
	}
	pd, err := db.FindPersonData(ctx, ann.ID)
	if err != nil || len(pd.Plans) != 1 || len(pd.Shares) != 2 {
		t.Fatalf("FindPersonData: %d plans, %d shares, %v; want 1 and 2", len(pd.Plans), len(pd.Shares), err)
	}
	if err := db.ErasePerson(ctx, ann.ID, "admin:1"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.OpenShare(ctx, token); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("an erased leader's share: %v, want ENOTFOUND", err)
	}
	for _, table := range []string{"plans", "plan_focuses", "shares"} {
		if n := countRows(t, db, "SELECT count(*) FROM "+table); n != 0 {
			t.Errorf("%s keeps %d rows after the erasure", table, n)
		}
	}
}
