package data_test

import (
	"context"
	"testing"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/internal/csvfile"
	"lederradar/survey"
)

// nominationRound is an open 360 round where leaders may nominate one
// manager and two peers, with Ann and Bo as leaders.
func nominationRound(t *testing.T) (*data.DB, *survey.Round, *survey.Person, *survey.Person) {
	t.Helper()
	db := mustOpenDB(t)
	mustInstrument(t, db, "test-1")
	ann := mustPerson(t, db, "ann@example.dk", "Ann")
	bo := mustPerson(t, db, "bo@example.dk", "Bo")
	round := mustRound(t, db, "Forår 2027", survey.RoundOpen)
	set := data.RoundSettings{Kind: survey.ThreeSixty, Limits: survey.NominationLimits{Manager: 1, Peer: 2}}
	if err := db.SetRoundSettings(context.Background(), round.ID, set); err != nil {
		t.Fatal(err)
	}
	return db, round, ann, bo
}

func TestNominateRater(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, round, ann, bo := nominationRound(t)
	// The administrator's own rater of Ann, whom she never sees listed.
	if _, err := db.ImportRaters(ctx, round.ID, []csvfile.RaterRow{{Line: 2, SubjectEmail: "ann@example.dk", RaterEmail: "hr-chose@example.dk", Relation: survey.Peer}}, nil); err != nil {
		t.Fatal(err)
	}
	for _, n := range []struct {
		email string
		rel   survey.Relation
	}{{" Kim@Example.dk ", survey.Peer}, {"bo@example.dk", survey.Peer}, {"chef@example.dk", survey.Manager}} {
		if err := db.NominateRater(ctx, round.ID, ann.ID, n.email, n.rel); err != nil {
			t.Fatalf("nominating %s: %v", n.email, err)
		}
	}
	refusals := []struct {
		name    string
		subject int64
		email   string
		rel     survey.Relation
		code    string
		key     string
	}{
		{"the limit is reached", ann.ID, "third@example.dk", survey.Peer, survey.ECONFLICT, "nomination_limit"},
		{"a relation the round leaves to the administrator", ann.ID, "emp@example.dk", survey.Employee, survey.ECONFLICT, "nominations_off"},
		{"the leader themself", bo.ID, "BO@example.dk", survey.Peer, survey.EINVALID, "nomination_self"},
		{"the same rater twice", bo.ID, "kim@example.dk", survey.Peer, survey.ECONFLICT, ""},
		{"a bad address", bo.ID, "kim(at)example.dk", survey.Peer, survey.EINVALID, "email_invalid"},
	}
	if err := db.NominateRater(ctx, round.ID, bo.ID, "kim@example.dk", survey.Peer); err != nil {
		t.Fatal(err)
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			err := db.NominateRater(ctx, round.ID, tt.subject, tt.email, tt.rel)
			if tt.key == "" {
				err = db.NominateRater(ctx, round.ID, tt.subject, tt.email, tt.rel)
				tt.key = "nomination_exists"
			}
			wantCode(t, err, tt.code)
			if key, _ := survey.ErrorKey(err); key != tt.key {
				t.Errorf("key = %q, want %q", key, tt.key)
			}
		})
	}
	t.Run("a second manager only where the round allows it", func(t *testing.T) {
		if err := db.SetRoundSettings(ctx, round.ID, data.RoundSettings{Kind: survey.ThreeSixty, Limits: survey.NominationLimits{Manager: 2, Peer: 2}}); err != nil {
			t.Fatal(err)
		}
		err := db.NominateRater(ctx, round.ID, ann.ID, "chef2@example.dk", survey.Manager)
		if key, _ := survey.ErrorKey(err); key != "nomination_manager_twice" {
			t.Errorf("err = %v, want nomination_manager_twice", err)
		}
	})
	t.Run("an address the administrator added is refused as twice", func(t *testing.T) {
		err := db.NominateRater(ctx, round.ID, ann.ID, "hr-chose@example.dk", survey.Manager)
		if key, _ := survey.ErrorKey(err); key != "nomination_exists" {
			t.Errorf("err = %v, want nomination_exists", err)
		}
	})
	t.Run("the leader sees their own nominations only", func(t *testing.T) {
		got, err := db.FindNominations(ctx, round.ID, ann.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"manager chef@example.dk", "peer bo@example.dk", "peer kim@example.dk"}
		if len(got) != len(want) {
			t.Fatalf("nominations = %+v, want %v", got, want)
		}
		for i, n := range got {
			if s := string(n.Relation) + " " + n.Email; s != want[i] || n.LinkSent {
				t.Errorf("nomination %d = %+v, want %s, link not sent", i, n, want[i])
			}
		}
	})
	t.Run("a nominated rater who is no leader stays out of the organisation", func(t *testing.T) {
		people, err := db.FindPeople(ctx)
		if err != nil || len(people) != 2 {
			t.Errorf("people = %+v, %v; want Ann and Bo", people, err)
		}
	})
}

func TestNominationsNeedAnOpen360Round(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	mustInstrument(t, db, "test-1")
	ann := mustPerson(t, db, "ann@example.dk", "Ann")
	limits := survey.NominationLimits{Peer: 2}
	for _, tt := range []struct {
		status survey.RoundStatus
		kind   survey.RoundKind
		code   string
	}{
		{survey.RoundDraft, survey.ThreeSixty, survey.ECONFLICT},
		{survey.RoundOpen, survey.SelfOnly, survey.ECONFLICT},
		{survey.RoundClosed, survey.ThreeSixty, survey.ECLOSED},
	} {
		t.Run(string(tt.status)+" "+string(tt.kind), func(t *testing.T) {
			round := mustRound(t, db, "R "+string(tt.status)+string(tt.kind), survey.RoundDraft)
			if err := db.SetRoundSettings(ctx, round.ID, data.RoundSettings{Kind: tt.kind, Limits: limits}); err != nil {
				t.Fatal(err)
			}
			if tt.status == survey.RoundClosed {
				if err := db.CloseRound(ctx, round.ID, 5); err != nil {
					t.Fatal(err)
				}
			} else if err := db.SetRoundStatus(ctx, round.ID, tt.status); err != nil {
				t.Fatal(err)
			}
			wantCode(t, db.NominateRater(ctx, round.ID, ann.ID, "kim@example.dk", survey.Peer), tt.code)
		})
	}
}

func TestRaterLinksWaitForTheDownload(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, round, ann, _ := nominationRound(t)
	added, err := db.AddRaters(ctx, round.ID, []csvfile.RaterRow{
		{Line: 2, SubjectEmail: "bo@example.dk", RaterEmail: "ann@example.dk", Relation: survey.Peer},
		{Line: 3, SubjectEmail: "bo@example.dk", RaterEmail: "eva@example.dk", Relation: survey.Employee},
	})
	if err != nil || added != (data.RatersAdded{Links: 2, Leaders: 1}) {
		t.Fatalf("AddRaters = %+v, %v", added, err)
	}
	t.Run("an upload with a problem stores nothing", func(t *testing.T) {
		_, err := db.AddRaters(ctx, round.ID, []csvfile.RaterRow{
			{Line: 2, SubjectEmail: "ann@example.dk", RaterEmail: "new@example.dk", Relation: survey.Peer},
			{Line: 3, SubjectEmail: "nobody@example.dk", RaterEmail: "eva@example.dk", Relation: survey.Peer},
		})
		wantCode(t, err, survey.EINVALID)
		if c, _ := db.FindRaterCounts(ctx, round.ID); c.Raters != 2 {
			t.Errorf("raters = %d, want 2", c.Raters)
		}
	})
	if err := db.NominateRater(ctx, round.ID, ann.ID, "kim@example.dk", survey.Peer); err != nil {
		t.Fatal(err)
	}
	if c, err := db.FindRaterCounts(ctx, round.ID); err != nil || c != (data.RaterCounts{Raters: 3, Nominated: 1, Pending: 3}) {
		t.Fatalf("counts = %+v, %v", c, err)
	}
	links, err := db.IssueRaterLinks(ctx, round.ID, nil)
	if err != nil || len(links) != 3 {
		t.Fatalf("IssueRaterLinks = %+v, %v", links, err)
	}
	// Ann's rater first (by the leader's name), then Bo's.
	if links[0].RaterEmail != "kim@example.dk" || links[0].SubjectName != "Ann" || links[1].SubjectEmail != "bo@example.dk" {
		t.Errorf("links = %+v", links)
	}
	for _, l := range links {
		inv, err := db.FindInvitationByTokenHash(ctx, auth.HashToken(l.Token))
		if err != nil || inv.Relation != l.Relation {
			t.Errorf("link for %s: %+v, %v", l.RaterEmail, inv, err)
		}
	}
	t.Run("a link is made once", func(t *testing.T) {
		again, err := db.IssueRaterLinks(ctx, round.ID, nil)
		if err != nil || len(again) != 0 {
			t.Errorf("again = %+v, %v; want none", again, err)
		}
	})
	t.Run("a nomination whose link went out stays", func(t *testing.T) {
		list, err := db.FindNominations(ctx, round.ID, ann.ID)
		if err != nil || len(list) != 1 || !list[0].LinkSent {
			t.Fatalf("nominations = %+v, %v", list, err)
		}
		err = db.RemoveNomination(ctx, round.ID, ann.ID, list[0].InvitationID)
		wantCode(t, err, survey.ECONFLICT)
	})
}

func TestRemoveNomination(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, round, ann, bo := nominationRound(t)
	for _, e := range []string{"kim@example.dk", "bo@example.dk"} {
		if err := db.NominateRater(ctx, round.ID, ann.ID, e, survey.Peer); err != nil {
			t.Fatal(err)
		}
	}
	list, err := db.FindNominations(ctx, round.ID, ann.ID)
	if err != nil || len(list) != 2 {
		t.Fatalf("nominations = %+v, %v", list, err)
	}
	t.Run("another leader's nomination is not found", func(t *testing.T) {
		wantCode(t, db.RemoveNomination(ctx, round.ID, bo.ID, list[0].InvitationID), survey.ENOTFOUND)
	})
	for _, n := range list {
		if err := db.RemoveNomination(ctx, round.ID, ann.ID, n.InvitationID); err != nil {
			t.Fatalf("removing %s: %v", n.Email, err)
		}
	}
	t.Run("a removed rater who is no leader is gone; a leader stays", func(t *testing.T) {
		_, err := db.FindPersonByEmail(ctx, "kim@example.dk")
		wantCode(t, err, survey.ENOTFOUND)
		if _, err := db.FindPersonByEmail(ctx, "bo@example.dk"); err != nil {
			t.Error(err)
		}
	})
	t.Run("the limit counts what is left", func(t *testing.T) {
		for _, e := range []string{"a@example.dk", "b@example.dk"} {
			if err := db.NominateRater(ctx, round.ID, ann.ID, e, survey.Peer); err != nil {
				t.Fatal(err)
			}
		}
	})
}
