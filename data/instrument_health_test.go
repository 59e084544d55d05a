package data_test

import (
	"context"
	"fmt"
	"testing"

	"lederradar/data"
	"lederradar/survey"
)

// TestRoundInstrumentHealth computes a closed round's instrument health
// over the organisation's submitted self-assessments only, and refuses
// once an erasure has taken one of them.
func TestRoundInstrumentHealth(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := mustOpenDB(t)
	mustInstrument(t, db, "test-1")
	round := mustRound(t, db, "Forår", survey.RoundOpen)
	var people []*survey.Person
	for i := range 7 {
		p := mustPerson(t, db, fmt.Sprintf("p%d@example.dk", i), fmt.Sprintf("P%d", i))
		people = append(people, p)
		answers := survey.Answers{"a1": survey.Answer(1 + i%5), "a2": survey.Answer(1 + i%5), "a3": survey.DontKnow, "b1": 3}
		if _, err := db.SaveAnswers(ctx, data.AnswerSave{RoundID: round.ID, SubjectID: p.ID, RaterID: p.ID, Relation: survey.Self,
			FormKey: fmt.Sprintf("k%d", i), Answers: answers}); err != nil {
			t.Fatal(err)
		}
		if i < 6 { // the seventh never submits
			if _, err := db.SubmitResponse(ctx, round.ID, p.ID, p.ID, survey.Self, fmt.Sprintf("s%d", i)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := db.SetRoundStatus(ctx, round.ID, survey.RoundClosed); err != nil {
		t.Fatal(err)
	}
	round, err := db.FindRoundByID(ctx, round.ID)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := db.RoundReport(ctx, round, 5)
	if err != nil {
		t.Fatal(err)
	}
	h, err := db.RoundInstrumentHealth(ctx, rep)
	if err != nil {
		t.Fatal(err)
	}
	a := h.Competences[0]
	if h.Respondents != 6 || h.MinGroup != 5 || a.CompetenceID != "a" || a.Items[0].N != 6 || a.Items[2].DontKnow != 1 || a.Items[2].Answered != 6 || a.Items[3].Answered != 0 {
		t.Fatalf("health = %d respondents at k=%d, %+v", h.Respondents, h.MinGroup, a)
	}
	// a1 and a2 agree fully; a3 is always "ved ikke", so nobody answered
	// every item of a on the scale and alpha has nobody to rest on.
	if a.N != 0 || a.OK || a.AlphaShown(5) {
		t.Errorf("alpha of a over %d, ok %v", a.N, a.OK)
	}

	// Erasing one who submitted leaves five, still the threshold; but the
	// figures before and after would differ by exactly their answers.
	if err := db.ErasePerson(ctx, people[0].ID, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.RoundInstrumentHealth(ctx, rep); survey.ErrorCode(err) != survey.ECONFLICT {
		t.Errorf("after an erasure: %v, want a conflict", err)
	}
}
