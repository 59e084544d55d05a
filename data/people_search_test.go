package data_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"lederradar/data"
	"lederradar/survey"
)

func TestSearchPeople(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	dept := map[string]*survey.Group{}
	for _, name := range []string{"Børn og Unge", "Teknik og Miljø"} {
		g := &survey.Group{Kind: survey.Department, Name: name}
		mustSearch(t, db.CreateGroup(ctx, g))
		dept[name] = g
	}
	teamA := &survey.Group{Kind: survey.Team, Name: "Tidlig indsats"}
	teamB := &survey.Group{Kind: survey.Team, Name: "Klimatilpasning"}
	mustSearch(t, db.CreateGroup(ctx, teamA))
	mustSearch(t, db.CreateGroup(ctx, teamB))
	for _, p := range []struct{ email, name, dept string }{
		{"anne.holm@kommune.dk", "Anne Holm", "Børn og Unge"},
		{"bo.berg@kommune.dk", "Bo Berg", "Teknik og Miljø"},
		{"carl_50%@kommune.dk", "Carl Holmberg", "Teknik og Miljø"},
		{"dorte@kommune.dk", "Dorte Ærø", ""},
	} {
		person := survey.Person{Email: p.email, Name: p.name}
		if p.dept != "" {
			person.DepartmentID = dept[p.dept].ID
		}
		mustSearch(t, db.CreatePerson(ctx, &person))
		if p.name != "Dorte Ærø" {
			mustSearch(t, db.AddTeamMember(ctx, teamA.ID, person.ID))
		}
		if p.name == "Anne Holm" {
			mustSearch(t, db.AddTeamMember(ctx, teamB.ID, person.ID))
		}
	}
	names := func(ls []data.PersonListing) []string {
		var out []string
		for _, l := range ls {
			out = append(out, l.Name)
		}
		return out
	}
	for _, tt := range []struct {
		name  string
		q     data.PeopleSearch
		want  []string
		total int
	}{
		{"everyone", data.PeopleSearch{Limit: 10}, []string{"Anne Holm", "Bo Berg", "Carl Holmberg", "Dorte Ærø"}, 4},
		{"by name, any case", data.PeopleSearch{Text: "HOLM", Limit: 10}, []string{"Anne Holm", "Carl Holmberg"}, 2},
		{"by e-mail", data.PeopleSearch{Text: "bo.berg@", Limit: 10}, []string{"Bo Berg"}, 1},
		{"% and _ are letters", data.PeopleSearch{Text: "_50%", Limit: 10}, []string{"Carl Holmberg"}, 1},
		{"% alone is a letter too", data.PeopleSearch{Text: "%", Limit: 10}, []string{"Carl Holmberg"}, 1},
		{"no one", data.PeopleSearch{Text: "zz", Limit: 10}, nil, 0},
		{"a department", data.PeopleSearch{DepartmentID: dept["Teknik og Miljø"].ID, Limit: 10}, []string{"Bo Berg", "Carl Holmberg"}, 2},
		{"both", data.PeopleSearch{Text: "holm", DepartmentID: dept["Børn og Unge"].ID, Limit: 10}, []string{"Anne Holm"}, 1},
		{"a page", data.PeopleSearch{Offset: 1, Limit: 2}, []string{"Bo Berg", "Carl Holmberg"}, 4},
		{"past the end", data.PeopleSearch{Offset: 10, Limit: 2}, nil, 4},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, total, err := db.SearchPeople(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(names(got), tt.want) || total != tt.total {
				t.Errorf("got %q (%d in all), want %q (%d)", names(got), total, tt.want, tt.total)
			}
		})
	}
	t.Run("departments and teams", func(t *testing.T) {
		got, _, err := db.SearchPeople(ctx, data.PeopleSearch{Text: "anne", Limit: 1})
		if err != nil || len(got) != 1 {
			t.Fatalf("%v %v", got, err)
		}
		if got[0].Department != "Børn og Unge" || !slices.Equal(got[0].Teams, []string{"Klimatilpasning", "Tidlig indsats"}) {
			t.Errorf("Anne: %q, %q", got[0].Department, got[0].Teams)
		}
	})
	t.Run("members of a group", func(t *testing.T) {
		for g, want := range map[*survey.Group]int{teamA: 3, teamB: 1, dept["Teknik og Miljø"]: 2} {
			if n, err := db.CountGroupMembers(ctx, g); err != nil || n != want {
				t.Errorf("%s: %d members (%v), want %d", g.Name, n, err, want)
			}
		}
	})
}

// TestSearchPeopleLarge checks that a page of a search in an organisation
// of thousands takes a few milliseconds, not a person's wait.
func TestSearchPeopleLarge(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	d := survey.Group{Kind: survey.Department, Name: "Stor afdeling"}
	mustSearch(t, db.CreateGroup(ctx, &d))
	team := survey.Group{Kind: survey.Team, Name: "Stort team"}
	mustSearch(t, db.CreateGroup(ctx, &team))
	for i := range 2500 {
		p := survey.Person{Email: fmt.Sprintf("leder%04d@kommune.dk", i), Name: fmt.Sprintf("Leder %04d", i), DepartmentID: d.ID}
		mustSearch(t, db.CreatePerson(ctx, &p))
		if i%3 == 0 {
			mustSearch(t, db.AddTeamMember(ctx, team.ID, p.ID))
		}
	}
	got, total, err := db.SearchPeople(ctx, data.PeopleSearch{Text: "leder1", DepartmentID: d.ID, Offset: 50, Limit: 50})
	if err != nil || total != 1000 || len(got) != 50 || got[0].Name != "Leder 1050" {
		t.Fatalf("got %d of %d, first %v: %v", len(got), total, got[0].Name, err)
	}
}

func mustSearch(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}
