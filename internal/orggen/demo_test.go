package orggen_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"lederradar/internal/auth"
	"lederradar/internal/orggen"
	"lederradar/survey"
)

func TestSeedDemo(t *testing.T) {
	ctx := context.Background()
	db, in := mustOpenDB(t)
	if err := db.EnsureInstrument(ctx, in, survey.DefaultInstrumentFile()); err != nil {
		t.Fatal(err)
	}
	links, err := orggen.SeedDemo(ctx, db, in, rand.New(rand.NewPCG(1, 2)), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(links) != 4 || !links[3].Rater {
		t.Fatalf("links %+v, want three leaders' and a rater's", links)
	}
	for i, l := range links {
		inv, err := db.FindInvitationByTokenHash(ctx, auth.HashToken(l.Token))
		if err != nil {
			t.Errorf("link of %s does not work: %v", l.Name, err)
		} else if (inv.Relation == survey.Self) == l.Rater {
			t.Errorf("link %d of %s is a %s link", i, l.Name, inv.Relation)
		}
	}
	people, _ := db.FindPeople(ctx)
	if len(people) != orggen.DemoLeaders {
		t.Errorf("%d people, want %d", len(people), orggen.DemoLeaders)
	}
	rounds, _ := db.FindRounds(ctx)
	var closed, open int
	for _, r := range rounds {
		switch r.Status {
		case survey.RoundClosed:
			closed++
			resp, _ := db.FindSubmittedResponses(ctx, r.ID)
			if len(resp) < orggen.DemoLeaders/2 {
				t.Errorf("closed round %s has %d responses", r.Name, len(resp))
			}
		case survey.RoundOpen:
			open++
		}
	}
	if closed != 2 || open != 1 {
		t.Errorf("%d closed and %d open rounds, want 2 and 1", closed, open)
	}
	// The spring round and the open one are 360 rounds: the first
	// leader sees how others saw them in spring, and the open round's
	// raters still answer.
	autumn, spring := rounds[0], rounds[1] // the newest first
	if spring.Kind != survey.ThreeSixty || autumn.Kind != survey.ThreeSixty || !autumn.RatersAnswer(time.Now()) {
		t.Errorf("rounds %+v, want the last two 360 with the open round's raters answering", rounds)
	}
	first, err := db.FindPersonByEmail(ctx, links[0].Email)
	if err != nil {
		t.Fatal(err)
	}
	fb, err := db.LeaderFeedback(ctx, spring.ID, first.ID, 5)
	if err != nil || len(fb) == 0 || fb[0].Suppressed || fb[0].N < 5 {
		t.Errorf("the first leader's spring feedback = %+v, %v; want others shown", fb, err)
	}
	// One team has a map of its own in the open round: the submitted
	// leader shares their radar with it, as do three more; the half-way
	// leader is on it without sharing.
	if links[2].Team == "" || links[1].Team != links[2].Team {
		t.Fatalf("links %+v, want the half-way and the submitted leader on the team with a map", links)
	}
	team, err := db.FindGroupByName(ctx, survey.Team, links[2].Team)
	if err != nil {
		t.Fatal(err)
	}
	for i, wantShares := range map[int]bool{1: false, 2: true} {
		p, err := db.FindPersonByEmail(ctx, links[i].Email)
		if err != nil {
			t.Fatal(err)
		}
		m, err := db.FindTeamMap(ctx, autumn.ID, team.ID, p.ID, in)
		if err != nil {
			t.Fatalf("the team map as %s: %v", p.Name, err)
		}
		if len(m.Shared) != 4 || m.Members <= len(m.Shared) || m.ViewerShares != wantShares {
			t.Errorf("the team map as %s: %d of %d shared, viewer shares %v", p.Name, len(m.Shared), m.Members, m.ViewerShares)
		}
	}
	// The submitted leader has a plan in the spring round and the open
	// one, and shares the open one's with their manager.
	submitted, err := db.FindPersonByEmail(ctx, links[2].Email)
	if err != nil {
		t.Fatal(err)
	}
	if plan, err := db.FindPlan(ctx, autumn.ID, submitted.ID); err != nil || len(plan.Focuses) != 3 {
		t.Errorf("the open round's plan = %+v, %v", plan, err)
	}
	if prev, _, err := db.FindPreviousPlan(ctx, &autumn, submitted.ID); err != nil || len(prev.Focuses) != 2 {
		t.Errorf("the spring plan = %+v, %v", prev, err)
	}
	if _, state, err := db.OpenShare(ctx, links[2].Share); err != nil || state != survey.ShareActive || links[0].Share != "" {
		t.Errorf("the demo's share: %v %v (links %+v)", state, err, links)
	}
	if _, err := orggen.SeedDemo(ctx, db, in, rand.New(rand.NewPCG(1, 2)), time.Now()); err == nil {
		t.Error("seeding a second time succeeded")
	}
	again, err := orggen.ReissueDemoLinks(ctx, db)
	if err != nil || len(again) != 4 || again[0].Token == links[0].Token || !again[3].Rater || again[3].Token == links[3].Token {
		t.Errorf("Reissue = %v, %v", again, err)
	}
	if again[2].Team != links[2].Team || again[1].Team != links[1].Team {
		t.Errorf("Reissue marks teams %q, %q; want %q, %q as the first start did", again[1].Team, again[2].Team, links[1].Team, links[2].Team)
	}
	// A new start's share works; the one printed before is revoked.
	if _, state, _ := db.OpenShare(ctx, again[2].Share); state != survey.ShareActive {
		t.Errorf("the reissued share is %s", state)
	}
	if _, state, _ := db.OpenShare(ctx, links[2].Share); state != survey.ShareRevoked {
		t.Errorf("the share printed before is %s after Reissue, want revoked", state)
	}
	if _, err := db.FindInvitationByTokenHash(ctx, auth.HashToken(links[0].Token)); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Error("the first link still works after Reissue")
	}

	logins, err := orggen.DemoAccounts(ctx, db)
	if err != nil || len(logins) != 2 {
		t.Fatalf("Accounts = %v, %v", logins, err)
	}
	for _, l := range logins {
		_, hash, err := db.FindUserByEmail(ctx, l.Email)
		if err != nil || !auth.CheckPassword(hash, l.Password) {
			t.Errorf("%s cannot log in with the printed password", l.Email)
		}
	}
}
