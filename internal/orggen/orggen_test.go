package orggen_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/internal/orggen"
	"lederradar/survey"
)

// TestGenerate checks the shape of a small generated organisation: every
// leader in a department of 8–40, teams that cross departments, two
// closed rounds with most answered, an open one under way with a link
// for everyone that opens their invitation.
func TestGenerate(t *testing.T) {
	ctx := context.Background()
	db, err := data.Open(filepath.Join(t.TempDir(), "gen.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	in, err := survey.DefaultInstrument()
	if err != nil {
		t.Fatal(err)
	}
	const n = 400
	org, err := orggen.Generate(ctx, db, in, survey.DefaultInstrumentFile(), orggen.Config{People: n, Seed: 3, Now: time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	people, err := db.FindPeople(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(people) != n || org.People != n {
		t.Fatalf("%d people, want %d", len(people), n)
	}
	members, err := db.FindGroupMembers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	depts, err := db.FindGroups(ctx, survey.Department)
	if err != nil {
		t.Fatal(err)
	}
	for i, g := range depts {
		if size := len(members[g.ID]); size < 8 || (size > 40 && i != len(depts)-1) {
			t.Errorf("department %q has %d people", g.Name, size)
		}
	}
	deptOf := map[int64]int64{}
	for _, p := range people {
		if p.DepartmentID == 0 {
			t.Errorf("%s has no department", p.Name)
		}
		deptOf[p.ID] = p.DepartmentID
	}
	teams, err := db.FindGroups(ctx, survey.Team)
	if err != nil {
		t.Fatal(err)
	}
	crossing := 0
	for _, g := range teams {
		seen := map[int64]bool{}
		for _, id := range members[g.ID] {
			seen[deptOf[id]] = true
		}
		if len(seen) > 1 {
			crossing++
		}
	}
	if len(teams) != n/20 || crossing < len(teams)/2 {
		t.Errorf("%d teams, %d crossing departments", len(teams), crossing)
	}
	if len(org.ClosedRounds) != 2 || org.OpenRound.Status != survey.RoundOpen {
		t.Fatalf("rounds: %+v, open %+v", org.ClosedRounds, org.OpenRound)
	}
	for _, r := range org.ClosedRounds {
		got, err := db.FindSubmittedResponses(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != org.Submitted[r.ID] || len(got) < n*7/10 || len(got) > n*9/10 {
			t.Errorf("round %s: %d submitted (org says %d)", r.Name, len(got), org.Submitted[r.ID])
		}
	}
	if len(org.Links) != n {
		t.Fatalf("%d links, want %d", len(org.Links), n)
	}
	states := map[orggen.State]int{}
	for _, l := range org.Links {
		states[l.State]++
		inv, err := db.FindInvitationByTokenHash(ctx, auth.HashToken(l.Token))
		if err != nil || inv.PersonID != l.PersonID || inv.RoundID != org.OpenRound.ID {
			t.Fatalf("link of person %d: %+v, %v", l.PersonID, inv, err)
		}
	}
	if states[orggen.NotStarted] == 0 || states[orggen.Started] == 0 || states[orggen.Submitted] == 0 {
		t.Errorf("open round states %v: want some of each", states)
	}
	if _, err := orggen.Generate(ctx, db, in, survey.DefaultInstrumentFile(), orggen.Config{People: 3}); err == nil {
		t.Error("an organisation of 3 was generated")
	}
}

func TestLinksFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "links")
	want := []orggen.Link{{PersonID: 1, Token: "abc", State: orggen.Started}, {PersonID: 22, Token: "d-e_f", State: orggen.NotStarted}}
	if err := orggen.WriteLinks(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := orggen.ReadLinks(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("ReadLinks = %+v, want %+v", got, want)
	}
}
