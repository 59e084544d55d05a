package data

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"lederradar/internal/auth"
	"lederradar/internal/csvfile"
	"lederradar/survey"
)

// storedTally returns the stored tally of a response, and false when it
// has none.
func storedTally(t *testing.T, d *DB, responseID int64) (survey.Tally, bool) {
	t.Helper()
	var blob []byte
	err := d.read.QueryRowContext(context.Background(), "SELECT tally FROM answer_tallies WHERE response_id = ?", responseID).Scan(&blob)
	if err != nil {
		return nil, false
	}
	tl, err := decodeTally(blob)
	if err != nil {
		t.Fatal(err)
	}
	return tl, true
}

// TestTallies checks that every path that changes a submitted response's
// answers leaves its tally right or missing, never stale.
func TestTallies(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, open, _, people := testOrg(t, Options{}, 4)
	in, err := d.FindInstrument(ctx, "gc-1")
	if err != nil {
		t.Fatal(err)
	}
	save := func(p int64, key string, a survey.Answers) {
		t.Helper()
		if _, err := d.SaveAnswers(ctx, AnswerSave{RoundID: open.ID, SubjectID: p, RaterID: p, Relation: survey.Self, FormKey: key, Answers: a}); err != nil {
			t.Fatal(err)
		}
	}
	response := func(p int64) *survey.Response {
		t.Helper()
		r, err := d.FindResponse(ctx, open.ID, p, p)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	ann := people[0]
	save(ann, "k1", survey.Answers{"a1": 5, "a2": 4, "b1": 0})
	if _, ok := storedTally(t, d, response(ann).ID); ok {
		t.Error("an unsubmitted response has a tally")
	}

	t.Run("submit writes it", func(t *testing.T) {
		if _, err := d.SubmitResponse(ctx, open.ID, ann, ann, survey.Self, "s1"); err != nil {
			t.Fatal(err)
		}
		r := response(ann)
		got, ok := storedTally(t, d, r.ID)
		if want := in.Tally(r.Answers); !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("tally = %v (%v), want %v", got, ok, want)
		}
	})

	t.Run("a change after submitting rewrites it", func(t *testing.T) {
		save(ann, "k2", survey.Answers{"a1": 1, "b2": 3})
		r := response(ann)
		got, ok := storedTally(t, d, r.ID)
		if want := in.Tally(r.Answers); !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("tally = %v (%v), want %v", got, ok, want)
		}
	})

	t.Run("any other change of answers drops it", func(t *testing.T) {
		r := response(ann)
		for _, q := range []string{
			"UPDATE answers SET value = 2 WHERE response_id = ? AND item_id = 'a1'",
			"DELETE FROM answers WHERE response_id = ? AND item_id = 'b2'",
			"INSERT INTO answers (response_id, item_id, value) VALUES (?, 'a4', 3)",
		} {
			if err := storeTally(ctx, d.write, r.ID, in.Tally(r.Answers)); err != nil {
				t.Fatal(err)
			}
			if _, err := d.write.ExecContext(ctx, q, r.ID); err != nil {
				t.Fatal(err)
			}
			if _, ok := storedTally(t, d, r.ID); ok {
				t.Errorf("%s left the tally in place", q)
			}
		}
	})

	t.Run("import writes it", func(t *testing.T) {
		round := &survey.Round{Name: open.Name}
		rows := []csvfile.ResponseRow{{Line: 2, Email: "p001@example.dk", Answers: survey.Answers{"a1": 3, "a3": 3, "b4": 0}}}
		if _, err := d.ImportResponses(ctx, round, rows); err != nil {
			t.Fatal(err)
		}
		r := response(people[1])
		got, ok := storedTally(t, d, r.ID)
		if want := in.Tally(rows[0].Answers); !ok || !reflect.DeepEqual(got, want) {
			t.Errorf("tally = %v (%v), want %v", got, ok, want)
		}
	})

	t.Run("erasure removes it", func(t *testing.T) {
		r := response(people[1])
		if err := d.ErasePerson(ctx, people[1], "test"); err != nil {
			t.Fatal(err)
		}
		if _, ok := storedTally(t, d, r.ID); ok {
			t.Error("the erased person's tally is still stored")
		}
	})
}

// TestFindReportInputs compares the one-snapshot report inputs with what
// the single finders return, including a submitted response whose tally is
// missing (as in a database from before migration 0004).
func TestFindReportInputs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, open, _, people := testOrg(t, Options{}, 12)
	in, err := d.FindInstrument(ctx, "gc-1")
	if err != nil {
		t.Fatal(err)
	}
	var depts, teams []int64
	for i := range 3 {
		g := &survey.Group{Kind: survey.Department, Name: fmt.Sprintf("Afdeling %c", 'C'-i)}
		if err := d.CreateGroup(ctx, g); err != nil {
			t.Fatal(err)
		}
		depts = append(depts, g.ID)
		tm := &survey.Group{Kind: survey.Team, Name: fmt.Sprintf("team %d", i)}
		if err := d.CreateGroup(ctx, tm); err != nil {
			t.Fatal(err)
		}
		teams = append(teams, tm.ID)
	}
	empty := &survey.Group{Kind: survey.Team, Name: "tomt"}
	if err := d.CreateGroup(ctx, empty); err != nil {
		t.Fatal(err)
	}
	for i, p := range people {
		if i%4 != 3 {
			person, err := d.FindPersonByID(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			person.DepartmentID = depts[i%3]
			if err := d.UpdatePerson(ctx, person); err != nil {
				t.Fatal(err)
			}
		}
		for j, tm := range teams {
			if (i+j)%3 == 0 {
				if err := d.AddTeamMember(ctx, tm, p); err != nil {
					t.Fatal(err)
				}
			}
		}
		if i%5 != 4 {
			_, hash := auth.NewToken()
			inv := &survey.Invitation{RoundID: open.ID, PersonID: p, Relation: survey.Self}
			if err := d.CreateInvitation(ctx, inv, p, hash); err != nil {
				t.Fatal(err)
			}
		}
		if i%3 != 2 {
			a := survey.Answers{"a1": survey.Answer(1 + i%5), "a2": survey.Answer(i % 6), "b3": 4}
			if _, err := d.SaveAnswers(ctx, AnswerSave{RoundID: open.ID, SubjectID: p, RaterID: p, Relation: survey.Self, FormKey: fmt.Sprintf("k%d", i), Answers: a}); err != nil {
				t.Fatal(err)
			}
		}
		if i%2 == 0 {
			if _, err := d.SubmitResponse(ctx, open.ID, p, p, survey.Self, fmt.Sprintf("s%d", i)); err != nil {
				t.Fatal(err)
			}
		}
	}
	// A tally lost, as in an old database.
	if _, err := d.write.ExecContext(ctx, "DELETE FROM answer_tallies WHERE response_id = (SELECT min(response_id) FROM answer_tallies)"); err != nil {
		t.Fatal(err)
	}

	got, err := d.FindReportInputs(ctx, open.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	all, err := d.FindPeople(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var wantPeople []int64
	for _, p := range all {
		wantPeople = append(wantPeople, p.ID)
	}
	if !reflect.DeepEqual(got.People, wantPeople) {
		t.Errorf("People = %v, want %v", got.People, wantPeople)
	}
	if want, _ := d.FindGroups(ctx, ""); !reflect.DeepEqual(got.Groups, want) {
		t.Errorf("Groups = %v, want %v", got.Groups, want)
	}
	if want, _ := d.FindGroupMembers(ctx); !reflect.DeepEqual(got.Members, want) {
		t.Errorf("Members = %v, want %v", got.Members, want)
	}
	progress, err := d.FindRoundProgress(ctx, open.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range progress {
		f := got.Progress[p.PersonID]
		if f&Invited != 0 != p.Invited || f&Started != 0 != p.Started || f&Submitted != 0 != p.Submitted {
			t.Errorf("progress of %d = %03b, want %+v", p.PersonID, f, p)
		}
	}
	var wantCounts RoundCounts
	for _, p := range progress {
		if p.Invited {
			wantCounts.Invited++
		}
		if p.Started {
			wantCounts.Started++
		}
		if p.Submitted {
			wantCounts.Submitted++
		}
	}
	if counts, err := d.CountRoundProgress(ctx, open.ID); err != nil || counts != wantCounts {
		t.Errorf("CountRoundProgress = %+v, %v; want %+v", counts, err, wantCounts)
	}
	if _, err := d.CountRoundProgress(ctx, 9999); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("CountRoundProgress of an unknown round: %v, want ENOTFOUND", err)
	}
	responses, err := d.FindSubmittedResponses(ctx, open.ID)
	if err != nil {
		t.Fatal(err)
	}
	var want []SubmittedTally
	for _, r := range responses {
		want = append(want, SubmittedTally{SubjectID: r.SubjectID, Tally: in.Tally(r.Answers)})
	}
	if !reflect.DeepEqual(got.Tallies, want) {
		t.Errorf("Tallies = %v, want %v", got.Tallies, want)
	}
	if without, err := d.FindReportInputs(ctx, open.ID, false); err != nil || without.Tallies != nil {
		t.Errorf("without tallies: %v, %v", without.Tallies, err)
	}
	if _, err := d.FindReportInputs(ctx, 9999, true); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("unknown round: %v, want ENOTFOUND", err)
	}
}

// TestWriteBatch checks that a batch keeps the constraints of the
// single-row methods, and stores nothing when it fails.
func TestWriteBatch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, open, closed, _ := testOrg(t, Options{}, 0)
	in, err := d.FindInstrument(ctx, "gc-1")
	if err != nil {
		t.Fatal(err)
	}
	var ann survey.Person
	err = d.WriteBatch(ctx, func(l *Batch) error {
		dept := survey.Group{Kind: survey.Department, Name: "Afdeling"}
		team := survey.Group{Kind: survey.Team, Name: "Team"}
		for _, g := range []*survey.Group{&dept, &team} {
			if err := l.CreateGroup(g); err != nil {
				return err
			}
		}
		ann = survey.Person{Email: "ann@example.dk", Name: "Ann", DepartmentID: dept.ID}
		if err := l.CreatePerson(&ann); err != nil {
			return err
		}
		if err := l.AddTeamMember(team.ID, ann.ID); err != nil {
			return err
		}
		_, hash := auth.NewToken()
		if err := l.Invite(open.ID, ann.ID, hash); err != nil {
			return err
		}
		return l.SaveResponse(open.ID, ann.ID, survey.Answers{"a1": 4, "b2": 0}, time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC))
	})
	if err != nil {
		t.Fatal(err)
	}
	r, err := d.FindResponse(ctx, open.ID, ann.ID, ann.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Submitted() || len(r.Answers) != 2 {
		t.Errorf("loaded response = %+v", r)
	}
	if got, ok := storedTally(t, d, r.ID); !ok || !reflect.DeepEqual(got, in.Tally(r.Answers)) {
		t.Errorf("loaded tally = %v, %v", got, ok)
	}

	for _, tc := range []struct {
		name string
		fill func(l *Batch) error
		want string
	}{
		{"duplicate e-mail", func(l *Batch) error {
			return l.CreatePerson(&survey.Person{Email: "ANN@example.dk", Name: "Ann again"})
		}, survey.ECONFLICT},
		{"team as department", func(l *Batch) error {
			teams, _ := d.FindGroups(ctx, survey.Team)
			return l.CreatePerson(&survey.Person{Email: "bo@example.dk", Name: "Bo", DepartmentID: teams[0].ID})
		}, survey.EINVALID},
		{"department as team", func(l *Batch) error {
			depts, _ := d.FindGroups(ctx, survey.Department)
			return l.AddTeamMember(depts[0].ID, ann.ID)
		}, survey.EINVALID},
		{"answers to a closed round", func(l *Batch) error {
			return l.SaveResponse(closed.ID, ann.ID, survey.Answers{"a1": 1}, time.Time{})
		}, survey.ECLOSED},
		{"unknown item", func(l *Batch) error {
			return l.SaveResponse(open.ID, ann.ID, survey.Answers{"zz": 1}, time.Time{})
		}, survey.EINVALID},
		{"second response", func(l *Batch) error {
			return l.SaveResponse(open.ID, ann.ID, survey.Answers{"a1": 1}, time.Time{})
		}, survey.ECONFLICT},
		{"unknown person", func(l *Batch) error {
			return l.SaveResponse(open.ID, 9999, survey.Answers{"a1": 1}, time.Time{})
		}, survey.ENOTFOUND},
		{"raw token", func(l *Batch) error {
			return l.Invite(open.ID, ann.ID, "not-a-hash")
		}, survey.EINVALID},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := d.WriteBatch(ctx, func(l *Batch) error {
				// Something good first, which must not survive the failure.
				if err := l.CreateGroup(&survey.Group{Kind: survey.Team, Name: "Ephemeral"}); err != nil {
					return err
				}
				return tc.fill(l)
			})
			if got := survey.ErrorCode(err); got != tc.want {
				t.Errorf("error = %v (%s), want %s", err, got, tc.want)
			}
			if _, err := d.FindGroupByName(ctx, survey.Team, "Ephemeral"); survey.ErrorCode(err) != survey.ENOTFOUND {
				t.Errorf("a failed load left rows behind: %v", err)
			}
		})
	}
}

// TestFindLeaderSession checks the one-lookup leader context against the
// finders of its parts.
func TestFindLeaderSession(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	d, open, closed, people := testOrg(t, Options{}, 2)
	for _, r := range []*survey.Round{open, closed} {
		_, hash := auth.NewToken()
		inv := &survey.Invitation{RoundID: r.ID, PersonID: people[1], Relation: survey.Self}
		if r.Status == survey.RoundClosed {
			// Invitations to a closed round exist from before it closed.
			if _, err := d.write.ExecContext(ctx, `INSERT INTO invitations (round_id, person_id, subject_id, relation, token_hash, created_at)
				VALUES (?, ?, ?, 'self', ?, '2026-01-01T00:00:00Z')`, r.ID, people[1], people[1], hash); err != nil {
				t.Fatal(err)
			}
			if err := d.read.QueryRowContext(ctx, "SELECT id FROM invitations WHERE token_hash = ?", hash).Scan(&inv.ID); err != nil {
				t.Fatal(err)
			}
		} else if err := d.CreateInvitation(ctx, inv, people[1], hash); err != nil {
			t.Fatal(err)
		}
		wantInv, _ := d.FindInvitationByID(ctx, inv.ID)
		wantRound, _ := d.FindRoundByID(ctx, r.ID)
		wantPerson, _ := d.FindPersonByID(ctx, people[1])
		_, sessionHash := auth.NewToken()
		if err := d.CreateSession(ctx, sessionHash, inv.ID, time.Hour, time.Hour); err != nil {
			t.Fatal(err)
		}
		sess, gotInv, gotRound, gotPerson, err := d.FindLeaderSession(ctx, sessionHash, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if sess.InvitationID != inv.ID || !reflect.DeepEqual(gotInv, wantInv) || !reflect.DeepEqual(gotRound, wantRound) || !reflect.DeepEqual(gotPerson, wantPerson) {
			t.Errorf("round %s, FindLeaderSession: got %+v %+v %+v\nwant %+v %+v %+v", r.Name, gotInv, gotRound, gotPerson, wantInv, wantRound, wantPerson)
		}
	}
	_, unknown := auth.NewToken()
	if _, _, _, _, err := d.FindLeaderSession(ctx, unknown, time.Hour); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("unknown session: %v, want ENOTFOUND", err)
	}
	// A staff session is never a leader's.
	u := &survey.User{Email: "hr@example.dk", Role: survey.RoleHR}
	pw, err := auth.HashPassword("a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	if err := d.CreateUser(ctx, u, pw); err != nil {
		t.Fatal(err)
	}
	_, staffHash := auth.NewToken()
	if err := d.CreateUserSession(ctx, staffHash, u.ID, time.Hour, time.Hour); err != nil {
		t.Fatal(err)
	}
	if _, _, _, _, err := d.FindLeaderSession(ctx, staffHash, time.Hour); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("a staff session as a leader's: %v, want ENOTFOUND", err)
	}
}
