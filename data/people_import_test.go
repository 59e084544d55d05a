package data_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"lederradar/data"
	"lederradar/internal/csvfile"
	"lederradar/survey"
)

// orgState is the organisation as one comparable value: each person's
// name, department and teams by e-mail, and how many groups exist.
type orgState struct {
	people map[string]string // email → "name|department|team,team"
	groups int
}

func readOrg(t *testing.T, db *data.DB) orgState {
	t.Helper()
	ctx := context.Background()
	people, err := db.FindPeople(ctx)
	if err != nil {
		t.Fatal(err)
	}
	groups, err := db.FindGroups(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	names := map[int64]string{}
	for _, g := range groups {
		names[g.ID] = g.Name
	}
	s := orgState{people: map[string]string{}, groups: len(groups)}
	for _, p := range people {
		teams, err := db.FindTeamsOfPerson(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		var ts []string
		for _, g := range teams {
			ts = append(ts, g.Name)
		}
		s.people[p.Email] = p.Name + "|" + names[p.DepartmentID] + "|" + joinComma(ts)
	}
	return s
}

func joinComma(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += ","
		}
		out += s
	}
	return out
}

func (s orgState) equal(o orgState) bool {
	if s.groups != o.groups || len(s.people) != len(o.people) {
		return false
	}
	for k, v := range s.people {
		if o.people[k] != v {
			return false
		}
	}
	return true
}

func TestImportPeople(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)

	rows := []csvfile.PersonRow{
		{Line: 2, Email: "ann@example.dk", Name: "Ann", Department: "Sundhed", Teams: []string{"Ældreplan", "Byudvikling"}},
		{Line: 3, Email: "bo@example.dk", Name: "Bo", Department: "Sundhed", Teams: []string{"Ældreplan"}},
		{Line: 4, Email: "cy@example.dk", Name: "Cy", Department: "", Teams: nil},
	}

	t.Run("first import creates people and groups", func(t *testing.T) {
		got, err := db.ImportPeople(ctx, rows)
		if err != nil {
			t.Fatal(err)
		}
		if want := (data.ImportResult{Created: 3, Updated: 0, GroupsCreated: 3}); got != want {
			t.Errorf("ImportPeople = %+v, want %+v", got, want)
		}
		want := orgState{groups: 3, people: map[string]string{
			"ann@example.dk": "Ann|Sundhed|Byudvikling,Ældreplan",
			"bo@example.dk":  "Bo|Sundhed|Ældreplan",
			"cy@example.dk":  "Cy||",
		}}
		if got := readOrg(t, db); !got.equal(want) {
			t.Errorf("organisation = %+v, want %+v", got, want)
		}
		dept, err := db.FindGroupByName(ctx, survey.Department, "Sundhed")
		if err != nil {
			t.Errorf("department not created as a department: %v", err)
		} else if dept.Kind != survey.Department {
			t.Errorf("Sundhed kind = %s, want department", dept.Kind)
		}
	})

	t.Run("same file again changes nothing", func(t *testing.T) {
		before := readOrg(t, db)
		got, err := db.ImportPeople(ctx, rows)
		if err != nil {
			t.Fatal(err)
		}
		if want := (data.ImportResult{Created: 0, Updated: 3, GroupsCreated: 0}); got != want {
			t.Errorf("second ImportPeople = %+v, want %+v", got, want)
		}
		if after := readOrg(t, db); !after.equal(before) {
			t.Errorf("organisation after second import = %+v, want %+v", after, before)
		}
	})

	t.Run("memberships replaced, names updated, existing groups matched ignoring case", func(t *testing.T) {
		got, err := db.ImportPeople(ctx, []csvfile.PersonRow{
			{Line: 2, Email: "ANN@example.dk", Name: "Ann Berg", Department: "sundhed", Teams: []string{"Klima"}},
			{Line: 3, Email: "cy@example.dk", Name: "Cy", Department: "Kultur", Teams: []string{"ældreplan"}},
			{Line: 4, Email: "dan@example.dk", Name: "Dan", Department: "Kultur"},
		})
		if err != nil {
			t.Fatal(err)
		}
		if want := (data.ImportResult{Created: 1, Updated: 2, GroupsCreated: 2}); got != want {
			t.Errorf("ImportPeople = %+v, want %+v", got, want)
		}
		want := orgState{groups: 5, people: map[string]string{
			"ann@example.dk": "Ann Berg|Sundhed|Klima",
			"bo@example.dk":  "Bo|Sundhed|Ældreplan", // not in the file: untouched
			"cy@example.dk":  "Cy|Kultur|Ældreplan",
			"dan@example.dk": "Dan|Kultur|",
		}}
		if got := readOrg(t, db); !got.equal(want) {
			t.Errorf("organisation = %+v, want %+v", got, want)
		}
	})

	t.Run("a bad row stores nothing", func(t *testing.T) {
		before := readOrg(t, db)
		_, err := db.ImportPeople(ctx, []csvfile.PersonRow{
			{Line: 2, Email: "eva@example.dk", Name: "Eva", Department: "Ny afdeling", Teams: []string{"Nyt team"}},
			{Line: 3, Email: "not an address", Name: "X"},
			{Line: 4, Email: "fie@example.dk", Name: ""},
			{Line: 5, Email: "EVA@example.dk", Name: "Eva igen"},
		})
		wantCode(t, err, survey.EINVALID)
		var ie *csvfile.Error
		if !errors.As(err, &ie) {
			t.Fatalf("error %v is not an *csvfile.Error", err)
		}
		var got []string
		for _, p := range ie.Problems {
			got = append(got, p.Key)
		}
		want := []string{csvfile.ProblemEmailInvalid, csvfile.ProblemNameMissing, csvfile.ProblemEmailDuplicate}
		if !slices.Equal(got, want) {
			t.Errorf("problems = %v, want %v", got, want)
		}
		if lines := []int{ie.Problems[0].Line, ie.Problems[1].Line, ie.Problems[2].Line}; !slices.Equal(lines, []int{3, 4, 5}) {
			t.Errorf("problem lines = %v, want [3 4 5]", lines)
		}
		if after := readOrg(t, db); !after.equal(before) {
			t.Errorf("organisation after a refused import = %+v, want %+v", after, before)
		}
	})

	t.Run("no rows", func(t *testing.T) {
		_, err := db.ImportPeople(ctx, nil)
		wantCode(t, err, survey.EINVALID)
	})
}

func TestOrganisationEditing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	dept := &survey.Group{Kind: survey.Department, Name: "Sundhed"}
	dept2 := &survey.Group{Kind: survey.Department, Name: "Kultur"}
	team := &survey.Group{Kind: survey.Team, Name: "Ældreplan"}
	team2 := &survey.Group{Kind: survey.Team, Name: "Klima"}
	empty := &survey.Group{Kind: survey.Team, Name: "Tom"}
	for _, g := range []*survey.Group{dept, dept2, team, team2, empty} {
		if err := db.CreateGroup(ctx, g); err != nil {
			t.Fatal(err)
		}
	}
	ann := &survey.Person{Email: "ann@example.dk", Name: "Ann", DepartmentID: dept.ID}
	if err := db.CreatePerson(ctx, ann); err != nil {
		t.Fatal(err)
	}
	bo := mustPerson(t, db, "bo@example.dk", "Bo")

	t.Run("find group by id", func(t *testing.T) {
		got, err := db.FindGroupByID(ctx, team.ID)
		if err != nil {
			t.Fatal(err)
		}
		if *got != *team {
			t.Errorf("FindGroupByID = %+v, want %+v", *got, *team)
		}
		_, err = db.FindGroupByID(ctx, 9999)
		wantCode(t, err, survey.ENOTFOUND)
	})

	t.Run("update person", func(t *testing.T) {
		p := survey.Person{ID: bo.ID, Email: "bo.berg@example.dk", Name: "Bo Berg", DepartmentID: dept2.ID}
		if err := db.UpdatePerson(ctx, &p); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindPersonByID(ctx, bo.ID)
		if err != nil {
			t.Fatal(err)
		}
		if *got != p {
			t.Errorf("person = %+v, want %+v", *got, p)
		}
		for _, tc := range []struct {
			name string
			p    survey.Person
			want string
		}{
			{"e-mail of another", survey.Person{ID: bo.ID, Email: "ANN@example.dk", Name: "Bo"}, survey.ECONFLICT},
			{"team as department", survey.Person{ID: bo.ID, Email: "bo@example.dk", Name: "Bo", DepartmentID: team.ID}, survey.EINVALID},
			{"unknown department", survey.Person{ID: bo.ID, Email: "bo@example.dk", Name: "Bo", DepartmentID: 9999}, survey.ENOTFOUND},
			{"unknown person", survey.Person{ID: 9999, Email: "x@example.dk", Name: "X"}, survey.ENOTFOUND},
			{"no name", survey.Person{ID: bo.ID, Email: "bo@example.dk"}, survey.EINVALID},
		} {
			t.Run(tc.name, func(t *testing.T) {
				wantCode(t, db.UpdatePerson(ctx, &tc.p), tc.want)
			})
		}
	})

	teamIDs := func(t *testing.T, personID int64) []int64 {
		t.Helper()
		gs, err := db.FindTeamsOfPerson(ctx, personID)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, g := range gs {
			ids = append(ids, g.ID)
		}
		slices.Sort(ids)
		return ids
	}

	t.Run("set person teams", func(t *testing.T) {
		if err := db.SetPersonTeams(ctx, ann.ID, []int64{team.ID, team2.ID, team.ID}); err != nil {
			t.Fatal(err)
		}
		want := []int64{team.ID, team2.ID}
		slices.Sort(want)
		if got := teamIDs(t, ann.ID); !slices.Equal(got, want) {
			t.Errorf("teams = %v, want %v", got, want)
		}
		if err := db.SetPersonTeams(ctx, ann.ID, []int64{team2.ID}); err != nil {
			t.Fatal(err)
		}
		if got, want := teamIDs(t, ann.ID), []int64{team2.ID}; !slices.Equal(got, want) {
			t.Errorf("teams after replace = %v, want %v", got, want)
		}
		wantCode(t, db.SetPersonTeams(ctx, ann.ID, []int64{dept.ID}), survey.EINVALID)
		wantCode(t, db.SetPersonTeams(ctx, ann.ID, []int64{9999}), survey.ENOTFOUND)
		wantCode(t, db.SetPersonTeams(ctx, 9999, nil), survey.ENOTFOUND)
		if got, want := teamIDs(t, ann.ID), []int64{team2.ID}; !slices.Equal(got, want) {
			t.Errorf("teams after refusals = %v, want %v", got, want)
		}
		if err := db.SetPersonTeams(ctx, bo.ID, []int64{team2.ID}); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("group members", func(t *testing.T) {
		got, err := db.FindGroupMembers(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := map[int64][]int64{
			dept.ID:  {ann.ID},
			dept2.ID: {bo.ID},
			team.ID:  {},
			team2.ID: {ann.ID, bo.ID},
			empty.ID: {},
		}
		if len(got) != len(want) {
			t.Fatalf("FindGroupMembers = %v, want %v", got, want)
		}
		for id, w := range want {
			if g, ok := got[id]; !ok || g == nil || !slices.Equal(g, w) {
				t.Errorf("members of group %d = %#v, want %v", id, g, w)
			}
		}
	})

	t.Run("rename group", func(t *testing.T) {
		if err := db.RenameGroup(ctx, team.ID, "  Ældreplan 2030 "); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindGroupByID(ctx, team.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "Ældreplan 2030" {
			t.Errorf("name = %q, want %q", got.Name, "Ældreplan 2030")
		}
		wantCode(t, db.RenameGroup(ctx, team.ID, "KLIMA"), survey.ECONFLICT)
		wantCode(t, db.RenameGroup(ctx, team.ID, " "), survey.EINVALID)
		wantCode(t, db.RenameGroup(ctx, 9999, "X"), survey.ENOTFOUND)
		// A team may be named like a department.
		if err := db.RenameGroup(ctx, team.ID, "Sundhed"); err != nil {
			t.Errorf("team named like a department: %v", err)
		}
	})

	t.Run("delete group", func(t *testing.T) {
		if err := db.DeleteGroup(ctx, dept.ID); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindPersonByID(ctx, ann.ID)
		if err != nil {
			t.Fatalf("person of a deleted department: %v", err)
		}
		if got.DepartmentID != 0 {
			t.Errorf("DepartmentID = %d, want 0", got.DepartmentID)
		}
		if err := db.DeleteGroup(ctx, team2.ID); err != nil {
			t.Fatal(err)
		}
		if got := teamIDs(t, ann.ID); len(got) != 0 {
			t.Errorf("teams after deleting the team = %v, want none", got)
		}
		wantCode(t, db.DeleteGroup(ctx, dept.ID), survey.ENOTFOUND)
		_, err = db.FindGroupByID(ctx, dept.ID)
		wantCode(t, err, survey.ENOTFOUND)
	})
}
