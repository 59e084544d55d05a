package data_test

import (
	"bytes"
	"context"
	"testing"

	"lederradar/data"
	"lederradar/survey"
)

// TestPersonIDsNeverReused checks that an erased person's id, which the
// audit log still names, is not given to the next person, whichever way
// people are created: one by one, by the bulk loader or by a CSV import.
func TestPersonIDsNeverReused(t *testing.T) {
	ctx := context.Background()
	db := mustOpenDB(t)
	ann := mustPerson(t, db, "ann@example.dk", "Ann")
	newest := mustPerson(t, db, "bo@example.dk", "Bo")
	erase := func(p *survey.Person) {
		t.Helper()
		if err := db.ErasePerson(ctx, p.ID, "test"); err != nil {
			t.Fatal(err)
		}
	}
	erase(newest)
	cy := mustPerson(t, db, "cy@example.dk", "Cy")
	if cy.ID <= newest.ID {
		t.Fatalf("after erasing person %d, the next person got id %d", newest.ID, cy.ID)
	}

	erase(cy)
	var loaded survey.Person
	err := db.Load(ctx, func(l *data.Loader) error {
		loaded = survey.Person{Email: "dy@example.dk", Name: "Dy"}
		return l.CreatePerson(&loaded)
	})
	if err != nil {
		t.Fatal(err)
	}
	if loaded.ID <= cy.ID {
		t.Fatalf("after erasing person %d, the bulk loader gave id %d", cy.ID, loaded.ID)
	}

	erase(&loaded)
	rows, err := survey.ParsePeopleCSV(bytes.NewReader([]byte("email,name,department,teams\ney@example.dk,Ey,,\n")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportPeople(ctx, rows); err != nil {
		t.Fatal(err)
	}
	ey, err := db.FindPersonByEmail(ctx, "ey@example.dk")
	if err != nil {
		t.Fatal(err)
	}
	if ey.ID <= loaded.ID {
		t.Fatalf("after erasing person %d, the import gave id %d", loaded.ID, ey.ID)
	}
	if got, err := db.FindPersonByID(ctx, ann.ID); err != nil || got.Email != ann.Email {
		t.Errorf("Ann after all that: %+v, %v", got, err)
	}
}
