package data_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/survey"
)

func TestFindPersonData(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	clk := newClock(db)
	mustInstrument(t, db, "test-1")
	dept := survey.Group{Kind: survey.Department, Name: "Teknik"}
	teamB := survey.Group{Kind: survey.Team, Name: "B-team"}
	teamA := survey.Group{Kind: survey.Team, Name: "A-team"}
	for _, g := range []*survey.Group{&dept, &teamB, &teamA} {
		if err := db.CreateGroup(ctx, g); err != nil {
			t.Fatal(err)
		}
	}
	ada := &survey.Person{Email: "ada@example.dk", Name: "Ada", DepartmentID: dept.ID}
	if err := db.CreatePerson(ctx, ada); err != nil {
		t.Fatal(err)
	}
	bo := mustPerson(t, db, "bo@example.dk", "Bo")
	for _, g := range []survey.Group{teamB, teamA} {
		if err := db.AddTeamMember(ctx, g.ID, ada.ID); err != nil {
			t.Fatal(err)
		}
	}
	first := mustRound(t, db, "Første", survey.RoundOpen)
	clk.Add(time.Hour)
	second := mustRound(t, db, "Anden", survey.RoundOpen)
	mustRound(t, db, "Ikke inviteret", survey.RoundOpen)
	mustInvitation(t, db, first, ada)
	mustInvitation(t, db, second, ada)
	mustInvitation(t, db, first, bo)
	save := func(r *survey.Round, p *survey.Person, key string, a survey.Answers) {
		t.Helper()
		if _, err := db.SaveAnswers(ctx, data.AnswerSave{RoundID: r.ID, SubjectID: p.ID, RaterID: p.ID, Relation: survey.Self, FormKey: key, Answers: a}); err != nil {
			t.Fatal(err)
		}
	}
	save(first, ada, "k1", survey.Answers{"a1": 4, "a2": 0})
	save(first, bo, "k2", survey.Answers{"a1": 1})
	if _, err := db.SubmitResponse(ctx, first.ID, ada.ID, ada.ID, survey.Self, "s1"); err != nil {
		t.Fatal(err)
	}

	pd, err := db.FindPersonData(ctx, ada.ID)
	if err != nil {
		t.Fatal(err)
	}
	if pd.Person != *ada {
		t.Errorf("person = %+v, want %+v", pd.Person, *ada)
	}
	if pd.Department == nil || pd.Department.Name != "Teknik" {
		t.Errorf("department = %+v", pd.Department)
	}
	if len(pd.Teams) != 2 || pd.Teams[0].Name != "A-team" || pd.Teams[1].Name != "B-team" {
		t.Errorf("teams = %+v, want A-team, B-team", pd.Teams)
	}
	if len(pd.Rounds) != 2 || pd.Rounds[0].Round.Name != "Første" || pd.Rounds[1].Round.Name != "Anden" {
		t.Fatalf("rounds = %+v, want Første, Anden", pd.Rounds)
	}
	if pd.Rounds[0].InvitedAt.IsZero() {
		t.Error("no invitation time")
	}
	resp := pd.Rounds[0].Responses
	if len(resp) != 1 || !resp[0].Submitted() || len(resp[0].Answers) != 2 || resp[0].Answers["a1"] != 4 || resp[0].Answers["a2"] != 0 {
		t.Errorf("responses of the first round = %+v", resp)
	}
	if len(pd.Rounds[1].Responses) != 0 {
		t.Errorf("responses of the second round = %+v, want none", pd.Rounds[1].Responses)
	}

	t.Run("nobody else's data", func(t *testing.T) {
		pd, err := db.FindPersonData(ctx, bo.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(pd.Rounds) != 1 || pd.Department != nil || len(pd.Teams) != 0 {
			t.Errorf("Bo's data = %+v", pd)
		}
		if a := pd.Rounds[0].Responses[0].Answers; len(a) != 1 || a["a1"] != 1 {
			t.Errorf("Bo's answers = %v", a)
		}
	})
	t.Run("unknown person", func(t *testing.T) {
		_, err := db.FindPersonData(ctx, 9999)
		wantCode(t, err, survey.ENOTFOUND)
	})
}

func TestErasePerson(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	newClock(db)
	mustInstrument(t, db, "test-1")
	ada := mustPerson(t, db, "ada@example.dk", "Ada Lovelace")
	bo := mustPerson(t, db, "bo@example.dk", "Bo")
	r := mustRound(t, db, "Runde", survey.RoundOpen)
	inv, token := mustInvitation(t, db, r, ada)
	mustInvitation(t, db, r, bo)
	_, sessionHash := auth.NewToken()
	if err := db.CreateSession(ctx, sessionHash, inv.ID, time.Hour, time.Hour); err != nil {
		t.Fatal(err)
	}
	for _, p := range []*survey.Person{ada, bo} {
		if _, err := db.SaveAnswers(ctx, data.AnswerSave{RoundID: r.ID, SubjectID: p.ID, RaterID: p.ID, Relation: survey.Self, FormKey: "k" + p.Email, Answers: survey.Answers{"a1": 5}}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SubmitResponse(ctx, r.ID, p.ID, p.ID, survey.Self, "s"+p.Email); err != nil {
			t.Fatal(err)
		}
	}

	if err := db.ErasePerson(ctx, ada.ID, "user:7"); err != nil {
		t.Fatal(err)
	}

	t.Run("the person and everything about them are gone", func(t *testing.T) {
		_, err := db.FindPersonByID(ctx, ada.ID)
		wantCode(t, err, survey.ENOTFOUND)
		_, err = db.FindInvitationByTokenHash(ctx, auth.HashToken(token))
		wantCode(t, err, survey.ENOTFOUND)
		_, _, _, _, err = db.FindLeaderSession(ctx, sessionHash, time.Hour)
		wantCode(t, err, survey.ENOTFOUND)
		_, err = db.FindResponse(ctx, r.ID, ada.ID, ada.ID)
		wantCode(t, err, survey.ENOTFOUND)
		// A form key of hers can be used again: it is gone too.
		if _, err := db.SaveAnswers(ctx, data.AnswerSave{RoundID: r.ID, SubjectID: bo.ID, RaterID: bo.ID, Relation: survey.Self, FormKey: "k" + ada.Email, Answers: survey.Answers{"a2": 1}}); err != nil {
			t.Errorf("her form key still blocks: %v", err)
		}
	})
	t.Run("aggregates no longer include them", func(t *testing.T) {
		resps, err := db.FindSubmittedResponses(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(resps) != 1 || resps[0].SubjectID != bo.ID {
			t.Errorf("submitted responses = %+v, want Bo's only", resps)
		}
	})
	t.Run("the audit entry names the id only", func(t *testing.T) {
		es, err := db.FindAudit(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != 1 {
			t.Fatalf("audit = %+v", es)
		}
		e := es[0]
		if e.Actor != "user:7" || e.Action != "person.erase" || e.Target != "person:"+itoa(ada.ID) {
			t.Errorf("audit entry = %+v", e)
		}
		all := e.Actor + e.Action + e.Target + e.Detail
		if strings.Contains(all, "Ada") || strings.Contains(all, "ada@") {
			t.Errorf("audit entry holds erased data: %+v", e)
		}
	})
	t.Run("twice is not found", func(t *testing.T) {
		wantCode(t, db.ErasePerson(ctx, ada.ID, "user:7"), survey.ENOTFOUND)
	})
	t.Run("an actor is required, and then nothing is erased", func(t *testing.T) {
		wantCode(t, db.ErasePerson(ctx, bo.ID, ""), survey.EINVALID)
		if _, err := db.FindPersonByID(ctx, bo.ID); err != nil {
			t.Errorf("Bo after a refused erasure: %v", err)
		}
		if _, err := db.FindResponse(ctx, r.ID, bo.ID, bo.ID); err != nil {
			t.Errorf("Bo's response after a refused erasure: %v", err)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestClosedAt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	clk := newClock(db)
	mustInstrument(t, db, "test-1")
	r := mustRound(t, db, "Runde", survey.RoundDraft)
	if !r.ClosedAt.IsZero() {
		t.Errorf("a new draft has ClosedAt %v", r.ClosedAt)
	}
	if err := db.SetRoundStatus(ctx, r.ID, survey.RoundOpen); err != nil {
		t.Fatal(err)
	}
	clk.Add(48 * time.Hour)
	if err := db.SetRoundStatus(ctx, r.ID, survey.RoundClosed); err != nil {
		t.Fatal(err)
	}
	got, err := db.FindRoundByID(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.ClosedAt.Equal(clk.Now()) {
		t.Errorf("ClosedAt = %v, want %v", got.ClosedAt, clk.Now())
	}
	// Closing again is a no-op and keeps the first time.
	clk.Add(time.Hour)
	if err := db.SetRoundStatus(ctx, r.ID, survey.RoundClosed); err != nil {
		t.Fatal(err)
	}
	if again, _ := db.FindRoundByID(ctx, r.ID); !again.ClosedAt.Equal(got.ClosedAt) {
		t.Errorf("ClosedAt after closing twice = %v, want %v", again.ClosedAt, got.ClosedAt)
	}
	made := mustRound(t, db, "Lukket fra start", survey.RoundClosed)
	if !made.ClosedAt.Equal(clk.Now()) {
		t.Errorf("a round made closed has ClosedAt %v, want %v", made.ClosedAt, clk.Now())
	}
}

func TestRetention(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	clk := newClock(db) // 2 March 2026
	mustInstrument(t, db, "test-1")
	ada := mustPerson(t, db, "ada@example.dk", "Ada")
	retention := survey.Retention{Months: 36}

	old := mustRound(t, db, "Gammel", survey.RoundOpen)
	_, oldToken := mustInvitation(t, db, old, ada)
	if _, err := db.SaveAnswers(ctx, data.AnswerSave{RoundID: old.ID, SubjectID: ada.ID, RaterID: ada.ID, Relation: survey.Self, FormKey: "k", Answers: survey.Answers{"a1": 3}}); err != nil {
		t.Fatal(err)
	}
	if err := db.SetRoundStatus(ctx, old.ID, survey.RoundClosed); err != nil {
		t.Fatal(err)
	}
	oldClosed := clk.Now()
	stillOpen := mustRound(t, db, "Stadig åben", survey.RoundOpen)
	draft := mustRound(t, db, "Kladde", survey.RoundDraft)
	clk.Add(200 * 24 * time.Hour)
	recent := mustRound(t, db, "Nyere", survey.RoundOpen)
	if err := db.SetRoundStatus(ctx, recent.ID, survey.RoundClosed); err != nil {
		t.Fatal(err)
	}

	t.Run("nothing is due before the period has passed", func(t *testing.T) {
		n, err := db.DeleteExpiredRounds(ctx, retention.Cutoff(oldClosed.AddDate(3, 0, -1)))
		if err != nil || n != 0 {
			t.Errorf("DeleteExpiredRounds = %d, %v; want 0", n, err)
		}
	})

	t.Run("the notice finds the round 30 days ahead", func(t *testing.T) {
		now := oldClosed.AddDate(3, 0, -20) // 20 days before it expires
		rs, err := db.FindRoundsExpiringBefore(ctx, retention.Cutoff(now.AddDate(0, 0, 30)))
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != 1 || rs[0].ID != old.ID || !rs[0].ClosedAt.Equal(oldClosed) {
			t.Fatalf("expiring = %+v, want %q closed %v", rs, old.Name, oldClosed)
		}
		if got, want := retention.Expires(rs[0].ClosedAt), oldClosed.AddDate(3, 0, 0); !got.Equal(want) {
			t.Errorf("expires %v, want %v", got, want)
		}
		rs, err = db.FindRoundsExpiringBefore(ctx, retention.Cutoff(oldClosed.AddDate(3, 0, -40).AddDate(0, 0, 30)))
		if err != nil || len(rs) != 0 {
			t.Errorf("40 days ahead: %+v, %v; want none", rs, err)
		}
		rs, err = db.FindRoundsExpiringBefore(ctx, survey.Retention{}.Cutoff(now))
		if err != nil || len(rs) != 0 {
			t.Errorf("retention off: %+v, %v; want none", rs, err)
		}
	})

	t.Run("an expired round goes with everything in it", func(t *testing.T) {
		db.Now = func() time.Time { return oldClosed.AddDate(3, 0, 1) }
		defer func() { db.Now = clk.Now }()
		n, err := db.DeleteExpiredRounds(ctx, retention.Cutoff(db.Now()))
		if err != nil || n != 1 {
			t.Fatalf("DeleteExpiredRounds = %d, %v; want 1", n, err)
		}
		_, err = db.FindRoundByID(ctx, old.ID)
		wantCode(t, err, survey.ENOTFOUND)
		_, err = db.FindInvitationByTokenHash(ctx, auth.HashToken(oldToken))
		wantCode(t, err, survey.ENOTFOUND)
		_, err = db.FindResponse(ctx, old.ID, ada.ID, ada.ID)
		wantCode(t, err, survey.ENOTFOUND)
		for _, r := range []*survey.Round{stillOpen, draft, recent} {
			if _, err := db.FindRoundByID(ctx, r.ID); err != nil {
				t.Errorf("round %s: %v", r.Name, err)
			}
		}
		if _, err := db.FindPersonByID(ctx, ada.ID); err != nil {
			t.Errorf("the person went with the round: %v", err)
		}
		es, err := db.FindAudit(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != 1 || es[0].Actor != "system" || es[0].Action != "retention.delete" || es[0].Target != "round:"+itoa(old.ID) {
			t.Errorf("audit = %+v", es)
		}
		n, err = db.DeleteExpiredRounds(ctx, retention.Cutoff(db.Now()))
		if err != nil || n != 0 {
			t.Errorf("second run = %d, %v; want 0", n, err)
		}
	})

	t.Run("retention off deletes nothing", func(t *testing.T) {
		n, err := db.DeleteExpiredRounds(ctx, survey.Retention{}.Cutoff(clk.Now().AddDate(50, 0, 0)))
		if err != nil || n != 0 {
			t.Errorf("= %d, %v; want 0", n, err)
		}
	})
}
