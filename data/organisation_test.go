package data_test

import (
	"context"
	"testing"

	"lederradar/survey"
)

func TestInstrument(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	raw := instrumentFile("v1", "Første")
	in, err := survey.ParseInstrument(raw)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("store and find", func(t *testing.T) {
		if err := db.EnsureInstrument(ctx, in, raw); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindInstrument(ctx, "v1")
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != "v1" || got.Title.Da != "Første" || got.ItemCount() != 8 {
			t.Errorf("FindInstrument = %s %q with %d items, want v1 \"Første\" with 8", got.Version, got.Title.Da, got.ItemCount())
		}
	})

	t.Run("same bytes again is a no-op", func(t *testing.T) {
		if err := db.EnsureInstrument(ctx, in, raw); err != nil {
			t.Errorf("EnsureInstrument again: %v", err)
		}
	})

	t.Run("same version, different bytes refused", func(t *testing.T) {
		changed := instrumentFile("v1", "Ændret")
		in2, err := survey.ParseInstrument(changed)
		if err != nil {
			t.Fatal(err)
		}
		err = db.EnsureInstrument(ctx, in2, changed)
		wantCode(t, err, survey.EINVALID)
		if got, want := survey.ErrorMessage(err), "instrument version v1 is already stored with different content; give the changed file a new version"; got != want {
			t.Errorf("message = %q, want %q", got, want)
		}
		got, err := db.FindInstrument(ctx, "v1")
		if err != nil {
			t.Fatal(err)
		}
		if got.Title.Da != "Første" {
			t.Errorf("stored title = %q, want the original", got.Title.Da)
		}
	})

	t.Run("file of another version refused", func(t *testing.T) {
		err := db.EnsureInstrument(ctx, &survey.Instrument{Version: "v2"}, raw)
		wantCode(t, err, survey.EINVALID)
	})

	t.Run("unknown version", func(t *testing.T) {
		_, err := db.FindInstrument(ctx, "nope")
		wantCode(t, err, survey.ENOTFOUND)
	})
}

func TestGroupsAndPeople(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)

	dept := &survey.Group{Kind: survey.Department, Name: "Sundhed"}
	team := &survey.Group{Kind: survey.Team, Name: "Ældreplan"}
	team2 := &survey.Group{Kind: survey.Team, Name: "Byudvikling"}
	for _, g := range []*survey.Group{dept, team, team2} {
		if err := db.CreateGroup(ctx, g); err != nil {
			t.Fatalf("CreateGroup(%s): %v", g.Name, err)
		}
		if g.ID == 0 {
			t.Fatalf("CreateGroup(%s) set no id", g.Name)
		}
	}

	t.Run("groups", func(t *testing.T) {
		err := db.CreateGroup(ctx, &survey.Group{Kind: survey.Team, Name: "BYUDVIKLING"})
		wantCode(t, err, survey.ECONFLICT)
		err = db.CreateGroup(ctx, &survey.Group{Kind: survey.Organisation, Name: "X"})
		wantCode(t, err, survey.EINVALID)
		// The same name may be a department and a team.
		if err := db.CreateGroup(ctx, &survey.Group{Kind: survey.Department, Name: "Byudvikling"}); err != nil {
			t.Errorf("department named like a team: %v", err)
		}

		teams, err := db.FindGroups(ctx, survey.Team)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(teams), 2; got != want {
			t.Errorf("len(FindGroups(team)) = %d, want %d", got, want)
		}
		all, err := db.FindGroups(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(all), 4; got != want {
			t.Errorf("len(FindGroups(\"\")) = %d, want %d", got, want)
		}
		_, err = db.FindGroups(ctx, survey.Organisation)
		wantCode(t, err, survey.EINVALID)

		got, err := db.FindGroupByName(ctx, survey.Department, "sundhed")
		if err != nil {
			t.Fatal(err)
		}
		if *got != *dept {
			t.Errorf("FindGroupByName = %+v, want %+v", *got, *dept)
		}
		_, err = db.FindGroupByName(ctx, survey.Team, "Sundhed")
		wantCode(t, err, survey.ENOTFOUND)
	})

	t.Run("people", func(t *testing.T) {
		bo := &survey.Person{Email: "bo@example.dk", Name: "Bo", DepartmentID: dept.ID}
		if err := db.CreatePerson(ctx, bo); err != nil {
			t.Fatal(err)
		}
		ann := mustPerson(t, db, "ann@example.dk", "Ann")

		err := db.CreatePerson(ctx, &survey.Person{Email: "BO@example.dk", Name: "Bo igen"})
		wantCode(t, err, survey.ECONFLICT)
		err = db.CreatePerson(ctx, &survey.Person{Email: "not an address", Name: "X"})
		wantCode(t, err, survey.EINVALID)
		err = db.CreatePerson(ctx, &survey.Person{Email: "x@example.dk", Name: "X", DepartmentID: team.ID})
		wantCode(t, err, survey.EINVALID)
		err = db.CreatePerson(ctx, &survey.Person{Email: "y@example.dk", Name: "Y", DepartmentID: 9999})
		wantCode(t, err, survey.ENOTFOUND)

		got, err := db.FindPersonByID(ctx, bo.ID)
		if err != nil {
			t.Fatal(err)
		}
		if *got != *bo {
			t.Errorf("FindPersonByID = %+v, want %+v", *got, *bo)
		}
		got, err = db.FindPersonByEmail(ctx, "Ann@Example.dk")
		if err != nil {
			t.Fatal(err)
		}
		if *got != *ann {
			t.Errorf("FindPersonByEmail = %+v, want %+v", *got, *ann)
		}
		_, err = db.FindPersonByID(ctx, 9999)
		wantCode(t, err, survey.ENOTFOUND)
		_, err = db.FindPersonByEmail(ctx, "nobody@example.dk")
		wantCode(t, err, survey.ENOTFOUND)

		people, err := db.FindPeople(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, p := range people {
			names = append(names, p.Name)
		}
		if got, want := len(names), 2; got != want || names[0] != "Ann" || names[1] != "Bo" {
			t.Errorf("FindPeople names = %v, want [Ann Bo]", names)
		}
	})

	t.Run("team members", func(t *testing.T) {
		cy := mustPerson(t, db, "cy@example.dk", "Cy")
		for range 2 { // idempotent
			if err := db.AddTeamMember(ctx, team.ID, cy.ID); err != nil {
				t.Fatalf("AddTeamMember: %v", err)
			}
		}
		if err := db.AddTeamMember(ctx, team2.ID, cy.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, db.AddTeamMember(ctx, dept.ID, cy.ID), survey.EINVALID)
		wantCode(t, db.AddTeamMember(ctx, team.ID, 9999), survey.ENOTFOUND)
		wantCode(t, db.AddTeamMember(ctx, 9999, cy.ID), survey.ENOTFOUND)

		teams, err := db.FindTeamsOfPerson(ctx, cy.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(teams), 2; got != want {
			t.Fatalf("len(FindTeamsOfPerson) = %d, want %d", got, want)
		}
		if teams[0] != *team2 || teams[1] != *team {
			t.Errorf("FindTeamsOfPerson = %+v, want [%+v %+v] (by name)", teams, *team2, *team)
		}
		_, err = db.FindTeamsOfPerson(ctx, 9999)
		wantCode(t, err, survey.ENOTFOUND)
	})
}
