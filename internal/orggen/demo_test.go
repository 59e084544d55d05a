package orggen_test

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/internal/orggen"
	"lederradar/survey"
)

func TestSeedDemo(t *testing.T) {
	ctx := context.Background()
	db, err := data.Open(filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	in, err := survey.DefaultInstrument()
	if err != nil {
		t.Fatal(err)
	}
	if err := db.EnsureInstrument(ctx, in, survey.DefaultInstrumentFile()); err != nil {
		t.Fatal(err)
	}
	links, err := orggen.SeedDemo(ctx, db, in, rand.New(rand.NewPCG(1, 2)), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(links) != 3 {
		t.Fatalf("%d links, want 3", len(links))
	}
	for _, l := range links {
		if _, err := db.FindInvitationByTokenHash(ctx, auth.HashToken(l.Token)); err != nil {
			t.Errorf("link of %s does not work: %v", l.Name, err)
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
	if _, err := orggen.SeedDemo(ctx, db, in, rand.New(rand.NewPCG(1, 2)), time.Now()); err == nil {
		t.Error("seeding a second time succeeded")
	}
	again, err := orggen.ReissueDemoLinks(ctx, db)
	if err != nil || len(again) != 3 || again[0].Token == links[0].Token {
		t.Errorf("Reissue = %v, %v", again, err)
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
