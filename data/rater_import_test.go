package data_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/internal/csvfile"
	"lederradar/scoring"
	"lederradar/survey"
)

// raterRows makes rows of raters of one leader, lines from 2.
func raterRows(subject string, raters map[string]survey.Relation, order ...string) []csvfile.RaterRow {
	var rows []csvfile.RaterRow
	for i, email := range order {
		rows = append(rows, csvfile.RaterRow{Line: i + 2, SubjectEmail: subject, RaterEmail: email, Relation: raters[email]})
	}
	return rows
}

func TestImportRaters(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	mustInstrument(t, db, "test-1")
	ann := mustPerson(t, db, "ann@example.dk", "Ann")
	bo := mustPerson(t, db, "bo@example.dk", "Bo")
	round := mustRound(t, db, "Forår 2027", survey.RoundOpen)

	links, err := db.ImportRaters(ctx, round.ID, []csvfile.RaterRow{
		{Line: 2, SubjectEmail: "ann@example.dk", RaterEmail: "bo@example.dk", Relation: survey.Peer},
		{Line: 3, SubjectEmail: "ann@example.dk", RaterEmail: "chef@example.dk", Relation: survey.Manager},
		{Line: 4, SubjectEmail: "bo@example.dk", RaterEmail: "chef@example.dk", Relation: survey.Manager},
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(links) != 3 || links[1].RaterEmail != "chef@example.dk" || links[1].Relation != survey.Manager || !auth.WellFormedToken(links[1].Token) {
		t.Fatalf("links = %+v", links)
	}
	t.Run("the round is a 360 round", func(t *testing.T) {
		r, err := db.FindRoundByID(ctx, round.ID)
		if err != nil || r.Kind != survey.ThreeSixty {
			t.Fatalf("round = %+v, %v; want kind 360", r, err)
		}
	})
	t.Run("a rater who is no leader stays out of the organisation", func(t *testing.T) {
		people, err := db.FindPeople(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(people) != 2 || people[0].ID != ann.ID || people[1].ID != bo.ID {
			t.Errorf("people = %+v, want Ann and Bo only", people)
		}
		chef, err := db.FindPersonByEmail(ctx, "chef@example.dk")
		if err != nil {
			t.Fatal(err)
		}
		_, err = db.IssueInvitations(ctx, round.ID, []int64{chef.ID}, nil)
		wantCode(t, err, survey.ENOTFOUND)
		rows, err := db.FindGroupProgress(ctx, round.ID, 0, 1)
		if err != nil || rows[0].Members != 2 {
			t.Errorf("organisation's members = %+v, %v; want 2", rows, err)
		}
		if found, total, err := db.SearchPeople(ctx, data.PeopleSearch{Text: "example.dk", Limit: 10}); err != nil || total != 2 || len(found) != 2 {
			t.Errorf("search found %d of %d, %v; want Ann and Bo", len(found), total, err)
		}
	})
	t.Run("each link opens the rater's form for the leader", func(t *testing.T) {
		inv, err := db.FindInvitationByTokenHash(ctx, auth.HashToken(links[2].Token))
		if err != nil {
			t.Fatal(err)
		}
		if inv.SubjectID != bo.ID || inv.Relation != survey.Manager || inv.PersonID == bo.ID {
			t.Errorf("invitation = %+v, want the manager's of Bo", inv)
		}
	})
	t.Run("importing the rater as a leader makes them one", func(t *testing.T) {
		if _, err := db.ImportPeople(ctx, []csvfile.PersonRow{{Line: 2, Email: "chef@example.dk", Name: "Chef"}}); err != nil {
			t.Fatal(err)
		}
		people, err := db.FindPeople(ctx)
		if err != nil || len(people) != 3 {
			t.Errorf("people = %+v, %v; want three", people, err)
		}
	})
}

func TestImportRatersProblems(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	mustInstrument(t, db, "test-1")
	mustPerson(t, db, "ann@example.dk", "Ann")
	mustPerson(t, db, "bo@example.dk", "Bo")
	round := mustRound(t, db, "Forår 2027", survey.RoundOpen)
	if _, err := db.ImportRaters(ctx, round.ID, []csvfile.RaterRow{
		{Line: 2, SubjectEmail: "ann@example.dk", RaterEmail: "chef@example.dk", Relation: survey.Manager},
		{Line: 3, SubjectEmail: "ann@example.dk", RaterEmail: "bo@example.dk", Relation: survey.Peer},
	}, nil); err != nil {
		t.Fatal(err)
	}
	before, err := db.FindInvitations(ctx, round.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, err = db.ImportRaters(ctx, round.ID, []csvfile.RaterRow{
		{Line: 2, SubjectEmail: "bo@example.dk", RaterEmail: "ny@example.dk", Relation: survey.Employee}, // fine alone
		{Line: 3, SubjectEmail: "ukendt@example.dk", RaterEmail: "bo@example.dk", Relation: survey.Peer},
		{Line: 4, SubjectEmail: "chef@example.dk", RaterEmail: "bo@example.dk", Relation: survey.Employee}, // a rater is no leader
		{Line: 5, SubjectEmail: "ann@example.dk", RaterEmail: "bo@example.dk", Relation: survey.Peer},
		{Line: 6, SubjectEmail: "ann@example.dk", RaterEmail: "chef2@example.dk", Relation: survey.Manager},
		{Line: 7, SubjectEmail: "bo@example.dk", RaterEmail: "chef@example.dk", Relation: survey.Manager},
		{Line: 8, SubjectEmail: "bo@example.dk", RaterEmail: "chef2@example.dk", Relation: survey.Manager},
	}, nil)
	var ce *csvfile.Error
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want a *csvfile.Error", err)
	}
	want := []csvfile.Problem{
		{Line: 3, Key: csvfile.ProblemLeaderUnknown, Value: "ukendt@example.dk"},
		{Line: 4, Key: csvfile.ProblemLeaderUnknown, Value: "chef@example.dk"},
		{Line: 5, Key: csvfile.ProblemRaterExists, Value: "bo@example.dk"},
		{Line: 6, Key: csvfile.ProblemManagerTwice, Value: "ann@example.dk"},
		{Line: 8, Key: csvfile.ProblemManagerTwice, Value: "bo@example.dk", Other: 7},
	}
	if !reflect.DeepEqual(ce.Problems, want) {
		t.Errorf("problems = %+v\nwant %+v", ce.Problems, want)
	}
	after, err := db.FindInvitations(ctx, round.ID)
	if err != nil || !reflect.DeepEqual(after, before) {
		t.Errorf("invitations changed: %v", err)
	}
	if _, err := db.FindPersonByEmail(ctx, "ny@example.dk"); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("the rater of line 2 was stored: %v", err)
	}

	t.Run("a round that allows several managers takes a second", func(t *testing.T) {
		several := &survey.Round{Name: "Efterår 2027", Status: survey.RoundDraft, InstrumentVersion: "test-1", SeveralManagers: true}
		if err := db.CreateRound(ctx, several); err != nil {
			t.Fatal(err)
		}
		if _, err := db.ImportRaters(ctx, several.ID, []csvfile.RaterRow{
			{Line: 2, SubjectEmail: "ann@example.dk", RaterEmail: "chef@example.dk", Relation: survey.Manager},
			{Line: 3, SubjectEmail: "ann@example.dk", RaterEmail: "chef2@example.dk", Relation: survey.Manager},
		}, nil); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a closed round takes no raters", func(t *testing.T) {
		closed := mustRound(t, db, "Forår 2026", survey.RoundClosed)
		_, err := db.ImportRaters(ctx, closed.ID, raterRows("ann@example.dk", map[string]survey.Relation{"x@example.dk": survey.Peer}, "x@example.dk"), nil)
		wantCode(t, err, survey.ECLOSED)
	})
	t.Run("an empty file", func(t *testing.T) {
		_, err := db.ImportRaters(ctx, round.ID, nil, nil)
		wantCode(t, err, survey.EINVALID)
	})
}

// TestLeaderFeedback follows a 360 round from import to the leader's
// feedback: raters answer, the round closes, the leader sees others
// pooled and the relations the rule allows; erasing a rater takes their
// answers out.
func TestLeaderFeedback(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	in := mustInstrument(t, db, "test-1")
	ann := mustPerson(t, db, "ann@example.dk", "Ann")
	round := mustRound(t, db, "Forår 2027", survey.RoundOpen)
	raters := map[string]survey.Relation{"chef@example.dk": survey.Manager}
	order := []string{"chef@example.dk"}
	for i := range 5 {
		e := fmt.Sprintf("peer%d@example.dk", i)
		raters[e], order = survey.Peer, append(order, e)
	}
	for i := range 5 {
		e := fmt.Sprintf("emp%d@example.dk", i)
		raters[e], order = survey.Employee, append(order, e)
	}
	if _, err := db.ImportRaters(ctx, round.ID, raterRows("ann@example.dk", raters, order...), nil); err != nil {
		t.Fatal(err)
	}
	value := map[survey.Relation]survey.Answer{survey.Manager: 5, survey.Peer: 4, survey.Employee: 2}
	for _, email := range order {
		p, err := db.FindPersonByEmail(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		a := survey.Answers{}
		for _, comp := range in.Competences {
			for _, it := range comp.Items {
				a[it.ID] = value[raters[email]]
			}
		}
		save := data.AnswerSave{RoundID: round.ID, SubjectID: ann.ID, RaterID: p.ID, Relation: raters[email], FormKey: auth.HashToken(email), Answers: a}
		if _, err := db.SaveAnswers(ctx, save); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SubmitResponse(ctx, round.ID, ann.ID, p.ID, raters[email], auth.HashToken(email+"/submit")); err != nil {
			t.Fatal(err)
		}
	}
	// Ann's own answers, all 1, are no rater's.
	mustInvitation(t, db, round, ann)
	own := survey.Answers{}
	for _, comp := range in.Competences {
		for _, it := range comp.Items {
			own[it.ID] = 1
		}
	}
	if _, err := db.SaveAnswers(ctx, data.AnswerSave{RoundID: round.ID, SubjectID: ann.ID, RaterID: ann.ID, Relation: survey.Self, FormKey: auth.HashToken("ann"), Answers: own}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SubmitResponse(ctx, round.ID, ann.ID, ann.ID, survey.Self, auth.HashToken("ann/submit")); err != nil {
		t.Fatal(err)
	}
	_, err := db.LeaderFeedback(ctx, round.ID, ann.ID, 5)
	wantCode(t, err, survey.ECONFLICT)
	if err := db.CloseRound(ctx, round.ID, 5); err != nil {
		t.Fatal(err)
	}
	shown := func(fb []scoring.Feedback) string {
		s := ""
		for _, f := range fb {
			s += fmt.Sprintf("%s n=%d shown=%v", f.Relation, f.N, !f.Suppressed)
			if !f.Suppressed {
				s += fmt.Sprintf(" mean=%.3f", f.Competences[0].Mean)
			}
			s += "; "
		}
		return s
	}
	fb, err := db.LeaderFeedback(ctx, round.ID, ann.ID, 5)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := shown(fb), "others n=11 shown=true mean=3.182; manager n=1 shown=false; peer n=5 shown=true mean=4.000; employee n=5 shown=false; "; got != want {
		t.Errorf("feedback = %s\nwant %s", got, want)
	}
	t.Run("erasing a rater takes their answers, not what Ann saw", func(t *testing.T) {
		p, err := db.FindPersonByEmail(ctx, "peer0@example.dk")
		if err != nil {
			t.Fatal(err)
		}
		if err := db.ErasePerson(ctx, p.ID, "test"); err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, db, "SELECT count(*) FROM responses WHERE rater_id = ?", p.ID); n != 0 {
			t.Errorf("%d responses of the erased rater left", n)
		}
		again, err := db.LeaderFeedback(ctx, round.ID, ann.ID, 3)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := shown(again), shown(fb); got != want {
			t.Errorf("after the erasure Ann sees %s\nwant what she saw: %s", got, want)
		}
	})
	t.Run("erasing Ann takes what was kept of her", func(t *testing.T) {
		if err := db.ErasePerson(ctx, ann.ID, "test"); err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, db, "SELECT count(*) FROM kept_feedback WHERE subject_id = ?", ann.ID); n != 0 {
			t.Errorf("%d kept feedback rows of the erased leader left", n)
		}
	})
}

// TestRatersClose follows a round whose raters stop answering before it
// closes: no feedback before that time, feedback while the round is still
// open after it, and the time fixed once a leader has looked.
func TestRatersClose(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	in := mustInstrument(t, db, "test-1")
	clock := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return clock }
	ann := mustPerson(t, db, "ann@example.dk", "Ann")
	round := mustRound(t, db, "Forår 2027", survey.RoundOpen)
	raters, order := map[string]survey.Relation{}, []string{}
	for i := range 5 {
		e := fmt.Sprintf("peer%d@example.dk", i)
		raters[e], order = survey.Peer, append(order, e)
	}
	if _, err := db.ImportRaters(ctx, round.ID, raterRows("ann@example.dk", raters, order...), nil); err != nil {
		t.Fatal(err)
	}
	for _, email := range order {
		p, err := db.FindPersonByEmail(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		a := survey.Answers{}
		for _, it := range in.Competences[0].Items {
			a[it.ID] = 4
		}
		if _, err := db.SaveAnswers(ctx, data.AnswerSave{RoundID: round.ID, SubjectID: ann.ID, RaterID: p.ID, Relation: survey.Peer, FormKey: auth.HashToken(email), Answers: a}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SubmitResponse(ctx, round.ID, ann.ID, p.ID, survey.Peer, auth.HashToken(email+"/submit")); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.SetRatersClose(ctx, round.ID, clock.Add(48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	r, err := db.FindRoundByID(ctx, round.ID)
	if err != nil || !r.RatersClose.Equal(clock.Add(48*time.Hour)) {
		t.Fatalf("round = %+v, %v; want the raters' close kept", r, err)
	}
	if !r.RatersAnswer(clock) || r.FeedbackReady(clock) {
		t.Errorf("before the raters' close: answer %v, feedback %v; want true, false", r.RatersAnswer(clock), r.FeedbackReady(clock))
	}
	_, err = db.LeaderFeedback(ctx, round.ID, ann.ID, 5)
	wantCode(t, err, survey.ECONFLICT)

	clock = clock.Add(48 * time.Hour)
	fb, err := db.LeaderFeedback(ctx, round.ID, ann.ID, 5)
	if err != nil {
		t.Fatal(err)
	}
	if fb[0].N != 5 || fb[0].Suppressed || fb[0].Competences[0].Mean != 4 {
		t.Errorf("feedback in the open round = %+v, want five peers shown", fb[0])
	}
	if r.RatersAnswer(clock) {
		t.Error("raters still answer after their close")
	}
	err = db.SetRatersClose(ctx, round.ID, clock.Add(24*time.Hour))
	wantCode(t, err, survey.ECONFLICT)
	set := data.RoundSettings{Kind: survey.ThreeSixty, RatersClose: clock.Add(24 * time.Hour)}
	err = db.SetRoundSettings(ctx, round.ID, set)
	wantCode(t, err, survey.ECONFLICT)
	if key, _ := survey.ErrorKey(err); key != "feedback_shown" {
		t.Errorf("moving the raters' close on the round's page: key %q, want feedback_shown", key)
	}
	set.RatersClose, set.Limits = r.RatersClose, survey.NominationLimits{Peer: 1}
	if err := db.SetRoundSettings(ctx, round.ID, set); err != nil {
		t.Errorf("other settings with the raters' close kept: %v", err)
	}
	if err := db.CloseRound(ctx, round.ID, 7); err != nil {
		t.Fatal(err)
	}
	again, err := db.LeaderFeedback(ctx, round.ID, ann.ID, 7)
	if err != nil || !reflect.DeepEqual(again, fb) {
		t.Errorf("after close Ann sees %+v, %v; want what she saw before", again, err)
	}
}

// TestImportRatersResponses imports answers collected elsewhere, a
// leader's own and their raters', and reads them back as feedback.
func TestImportRatersResponses(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	mustInstrument(t, db, "test-1")
	ann := mustPerson(t, db, "ann@example.dk", "Ann")
	mustPerson(t, db, "bo@example.dk", "Bo")
	rows := []csvfile.ResponseRow{{Line: 2, Email: "ann@example.dk", Answers: survey.Answers{"a1": 1}}}
	for i := range 5 {
		rows = append(rows, csvfile.ResponseRow{Line: 3 + i, Email: fmt.Sprintf("k%d@example.dk", i), SubjectEmail: "ann@example.dk", Relation: survey.Peer, Answers: survey.Answers{"a1": 4, "a2": 4}})
	}
	// One new rater of two leaders.
	rows = append(rows, csvfile.ResponseRow{Line: 8, Email: "k0@example.dk", SubjectEmail: "bo@example.dk", Relation: survey.Peer, Answers: survey.Answers{"a1": 2}})
	round := survey.Round{Name: "Papir 2027", InstrumentVersion: "test-1"}
	n, err := db.ImportResponses(ctx, &round, rows)
	if err != nil {
		t.Fatal(err)
	}
	if n != 7 || round.Kind != survey.ThreeSixty {
		t.Errorf("imported %d into %+v, want 7 into a 360 round", n, round)
	}
	if people, err := db.FindPeople(ctx); err != nil || len(people) != 2 {
		t.Errorf("people = %v, %v; want Ann and Bo", people, err)
	}
	if err := db.CloseRound(ctx, round.ID, 5); err != nil {
		t.Fatal(err)
	}
	fb, err := db.LeaderFeedback(ctx, round.ID, ann.ID, 5)
	if err != nil {
		t.Fatal(err)
	}
	if fb[0].N != 5 || fb[0].Suppressed || fb[0].Competences[0].Mean != 4 || fb[2].Suppressed {
		t.Errorf("feedback = %+v, want five peers shown", fb[:3])
	}
	so, err := db.LeaderSelfOthers(ctx, round.ID, ann.ID, 3)
	if err != nil {
		t.Fatal(err)
	}
	// Ann's own 1 on a1 beside the peers' 4; the round keeps 5, not 3.
	if got, want := fmt.Sprintf("%+v k=%d", so.Items, so.MinGroup), "[{CompetenceID:a ItemID:a1 Self:1 Others:4 N:5 Diff:-3}] k=5"; got != want {
		t.Errorf("self and others = %s, want %s", got, want)
	}
	if fmt.Sprint(so.Feedback) != fmt.Sprint(fb) {
		t.Errorf("feedback %+v, want LeaderFeedback's %+v", so.Feedback, fb)
	}

	t.Run("problems", func(t *testing.T) {
		_, err := db.ImportResponses(ctx, &survey.Round{Name: "Papir 2028", InstrumentVersion: "test-1"}, []csvfile.ResponseRow{
			{Line: 2, Email: "k1@example.dk", Answers: survey.Answers{"a1": 3}}, // a rater's self-assessment
			{Line: 3, Email: "k1@example.dk", SubjectEmail: "k2@example.dk", Relation: survey.Peer, Answers: survey.Answers{"a1": 3}},
			{Line: 4, Email: "new@example.dk", SubjectEmail: "nobody@example.dk", Relation: survey.Peer, Answers: survey.Answers{"a1": 3}},
		})
		var ce *csvfile.Error
		if !errors.As(err, &ce) {
			t.Fatalf("err = %v", err)
		}
		want := []csvfile.Problem{
			{Line: 2, Key: data.ProblemPersonUnknown, Value: "k1@example.dk"},
			{Line: 3, Key: csvfile.ProblemLeaderUnknown, Value: "k2@example.dk"},
			{Line: 4, Key: csvfile.ProblemLeaderUnknown, Value: "nobody@example.dk"},
		}
		if !reflect.DeepEqual(ce.Problems, want) {
			t.Errorf("problems %+v\nwant %+v", ce.Problems, want)
		}
		if _, err := db.FindRoundByName(ctx, "Papir 2028"); survey.ErrorCode(err) != survey.ENOTFOUND {
			t.Errorf("the round was made: %v", err)
		}
	})
}
