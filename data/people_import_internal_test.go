package data

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"lederradar/internal/csvfile"
)

// TestImportPeopleRollsBack makes the database refuse a row half-way
// through the transaction, after earlier rows, their department and their
// teams were written, and checks that none of it stays.
func TestImportPeopleRollsBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, err := Open(filepath.Join(t.TempDir(), "r.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.ImportPeople(ctx, []csvfile.PersonRow{
		{Line: 2, Email: "old@example.dk", Name: "Old", Department: "Gammel", Teams: []string{"Gammelt team"}},
	}); err != nil {
		t.Fatal(err)
	}

	// A temporary trigger lives on the one write connection, where the
	// import runs; it makes the third row fail inside the transaction.
	if _, err := d.write.ExecContext(ctx, `
		CREATE TEMP TRIGGER refuse_boom BEFORE INSERT ON people
		WHEN NEW.email = 'boom@example.dk'
		BEGIN SELECT RAISE(ABORT, 'boom'); END`); err != nil {
		t.Fatal(err)
	}
	defer d.write.ExecContext(ctx, "DROP TRIGGER temp.refuse_boom")

	_, err = d.ImportPeople(ctx, []csvfile.PersonRow{
		{Line: 2, Email: "old@example.dk", Name: "Renamed", Department: "Ny", Teams: []string{"Nyt team"}},
		{Line: 3, Email: "new@example.dk", Name: "New", Department: "Ny", Teams: []string{"Andet team"}},
		{Line: 4, Email: "boom@example.dk", Name: "Boom"},
	})
	if err == nil || !strings.Contains(err.Error(), "line 4") {
		t.Fatalf("ImportPeople = %v, want an error naming line 4", err)
	}

	people, err := d.FindPeople(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(people) != 1 || people[0].Name != "Old" {
		t.Errorf("people after a failed import = %+v, want only Old, unchanged", people)
	}
	groups, err := d.FindGroups(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, g := range groups {
		names = append(names, g.Name)
	}
	if got, want := strings.Join(names, ","), "Gammel,Gammelt team"; got != want {
		t.Errorf("groups after a failed import = %s, want %s", got, want)
	}
	teams, err := d.FindTeamsOfPerson(ctx, people[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(teams) != 1 || teams[0].Name != "Gammelt team" {
		t.Errorf("Old's teams after a failed import = %+v, want [Gammelt team]", teams)
	}
}
