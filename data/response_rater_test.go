package data_test

import (
	"context"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/internal/csvfile"
	"lederradar/survey"
)

// TestRaterSavesAndSubmitsThroughTheirSession: a 360 rater's page and
// submit, posted through the session of their link, are stored as their
// response about the leader (subject ≠ rater, the invitation's relation),
// apart from the leader's own; a session of another invitation, or the
// wrong relation, stores nothing.
func TestRaterSavesAndSubmitsThroughTheirSession(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	in := mustInstrument(t, db, "test-1")
	ann := mustPerson(t, db, "ann@example.dk", "Ann")
	r := mustRound(t, db, "Forår 2027", survey.RoundOpen)
	self, _ := mustInvitation(t, db, r, ann)
	links, err := db.ImportRaters(ctx, r.ID, []csvfile.RaterRow{{Line: 2, SubjectEmail: ann.Email, RaterEmail: "bo@example.dk", Relation: survey.Peer}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	inv, err := db.FindInvitationByTokenHash(ctx, auth.HashToken(links[0].Token))
	if err != nil {
		t.Fatal(err)
	}
	session := func(invitationID int64) *data.SessionCheck {
		_, hash := auth.NewToken()
		if err := db.CreateSession(ctx, hash, invitationID, time.Hour, 2*time.Hour); err != nil {
			t.Fatal(err)
		}
		return &data.SessionCheck{TokenHash: hash, InvitationID: invitationID, Idle: time.Hour}
	}
	item := in.Competences[0].Items[0].ID
	save := func(key string, rel survey.Relation, sc *data.SessionCheck) error {
		_, err := db.SaveAnswers(ctx, data.AnswerSave{RoundID: r.ID, SubjectID: ann.ID, RaterID: inv.PersonID, Relation: rel,
			FormKey: key, Answers: survey.Answers{item: 2}, Session: sc})
		return err
	}
	wantCode(t, save("wrong-session", survey.Peer, &data.SessionCheck{TokenHash: session(self.ID).TokenHash, InvitationID: inv.ID, Idle: time.Hour}), survey.ENOTFOUND)
	wantCode(t, save("self-relation", survey.Self, session(inv.ID)), survey.EINVALID)
	if _, err := db.FindResponse(ctx, r.ID, ann.ID, inv.PersonID); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Fatalf("a refused save stored a response: %v", err)
	}
	sc := session(inv.ID)
	if err := save("page-1", survey.Peer, sc); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Submit(ctx, data.ResponseSubmit{RoundID: r.ID, SubjectID: ann.ID, RaterID: inv.PersonID, Relation: survey.Peer, FormKey: "submit", Session: sc}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, save("manager-now", survey.Manager, sc), survey.ECONFLICT)
	got, err := db.FindResponse(ctx, r.ID, ann.ID, inv.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	if got.SubjectID != ann.ID || got.RaterID == ann.ID || got.Relation != survey.Peer || !got.Submitted() || got.Answers[item] != 2 {
		t.Errorf("response %+v, want Bo's submitted peer answers about Ann", got)
	}
	if _, err := db.FindResponse(ctx, r.ID, ann.ID, ann.ID); survey.ErrorCode(err) != survey.ENOTFOUND {
		t.Errorf("Ann's own response: %v, want none", err)
	}
}
