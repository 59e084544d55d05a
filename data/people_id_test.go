package data_test

import (
	"bytes"
	"context"
	"testing"

	"lederradar/data"
	"lederradar/internal/csvfile"
	"lederradar/survey"
)

// TestPersonIDsNeverReused checks that an erased person's id, which the
// audit log still names, is not given to the next person, whichever way
// people are created: one by one, by the bulk loader or by a CSV import.
func TestPersonIDsNeverReused(t *testing.T) {
	t.Parallel()
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
	err := db.WriteBatch(ctx, func(l *data.Batch) error {
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
	rows, err := csvfile.ParsePeople(bytes.NewReader([]byte("email,name,department,teams\ney@example.dk,Ey,,\n")))
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

// TestGroupIDsNeverReused deletes the newest group before each of the
// three ways groups are created — one at a time, the bulk loader, the
// people import — and checks that none hands out the deleted group's id,
// which a closed round and the audit log still name.
func TestGroupIDsNeverReused(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	newest := func(kind survey.GroupKind, name string) int64 {
		t.Helper()
		g, err := db.FindGroupByName(ctx, kind, name)
		if err != nil {
			t.Fatal(err)
		}
		return g.ID
	}
	drop := func(id int64) {
		t.Helper()
		if err := db.DeleteGroup(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	a := survey.Group{Kind: survey.Team, Name: "A"}
	if err := db.CreateGroup(ctx, &a); err != nil {
		t.Fatal(err)
	}
	drop(a.ID)
	b := survey.Group{Kind: survey.Team, Name: "B"}
	if err := db.CreateGroup(ctx, &b); err != nil {
		t.Fatal(err)
	}
	if b.ID <= a.ID {
		t.Fatalf("after deleting group %d, the next group got id %d", a.ID, b.ID)
	}
	drop(b.ID)
	c := survey.Group{Kind: survey.Department, Name: "C"}
	if err := db.WriteBatch(ctx, func(l *data.Batch) error { return l.CreateGroup(&c) }); err != nil {
		t.Fatal(err)
	}
	if c.ID <= b.ID {
		t.Fatalf("after deleting group %d, the bulk loader gave id %d", b.ID, c.ID)
	}
	drop(c.ID)
	rows, err := csvfile.ParsePeople(bytes.NewReader([]byte("email,name,department,teams\nann@example.dk,Ann,D,\n")))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportPeople(ctx, rows); err != nil {
		t.Fatal(err)
	}
	if d := newest(survey.Department, "D"); d <= c.ID {
		t.Fatalf("after deleting group %d, the people import gave id %d", c.ID, d)
	}
}
