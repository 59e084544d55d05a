package web_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/survey"
)

// TestTeamMapOrMeans: in a round, a leader is shown others' radars on a
// team map or the groups' means on their result, never both — whichever
// came first. Six on a team all submitted; four share their radars. Were
// Ada shown the four radars and the team's mean over six, the mean less
// the radars (and her own) would be the sixth member's scores.
func TestTeamMapOrMeans(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	team := survey.Group{Kind: survey.Team, Name: "Klimatilpasning"}
	must(t, e.db.CreateGroup(ctx, &team))
	round := survey.Round{Name: "Vinter 2026", Status: survey.RoundOpen, InstrumentVersion: e.in.Version}
	must(t, e.db.CreateRound(ctx, &round))
	must(t, e.db.AddTeamMember(ctx, team.ID, e.person.ID))
	people := []survey.Person{e.person}
	cookies := []*http.Cookie{e.login(e.invite(round.ID))}
	for i := 1; i < 6; i++ {
		p := survey.Person{Email: fmt.Sprintf("kollega%d@example.dk", i), Name: fmt.Sprintf("Kollega Nummer%d", i)}
		must(t, e.db.CreatePerson(ctx, &p))
		must(t, e.db.AddTeamMember(ctx, team.ID, p.ID))
		token, hash := auth.NewToken()
		inv := survey.Invitation{RoundID: round.ID, PersonID: p.ID, SubjectID: p.ID, Relation: survey.Self}
		must(t, e.db.CreateInvitation(ctx, &inv, p.ID, hash))
		cookies = append(cookies, e.login(token))
		people = append(people, p)
	}
	for i, p := range people {
		answers := survey.Answers{}
		for _, c := range e.in.Competences {
			for _, it := range c.Items {
				answers[it.ID] = survey.Answer(1 + i%5)
			}
		}
		_, err := e.db.SaveAnswers(ctx, data.AnswerSave{RoundID: round.ID, SubjectID: p.ID, RaterID: p.ID, Relation: survey.Self, FormKey: fmt.Sprintf("v-%d", i), Answers: answers})
		must(t, err)
		_, err = e.db.SubmitResponse(ctx, round.ID, p.ID, p.ID, survey.Self, fmt.Sprintf("v-submit-%d", i))
		must(t, err)
		if i >= 2 {
			must(t, e.db.GiveTeamMapConsent(ctx, round.ID, team.ID, p.ID))
		}
	}
	must(t, e.db.CloseRound(ctx, round.ID, 5))
	mapURL := fmt.Sprintf("/teams/%d", team.ID)
	ada, kollega1 := cookies[0], cookies[1]
	sharers := []string{people[2].Name, people[3].Name, people[4].Name, people[5].Name}
	teamMean := "Team: Klimatilpasning"

	steps := []scenario{
		// Ada looks at the map first: the radars, and from then on no means.
		{name: "Ada sees the radars", req: request{path: mapURL, cookies: []*http.Cookie{ada}}, wantStatus: 200,
			want: sharers, notWant: []string{"Du har set gruppernes gennemsnit"}},
		{name: "then Ada's result has no means", req: request{path: "/result", cookies: []*http.Cookie{ada}}, wantStatus: 200,
			want: []string{"Du har set kollegers radarer på et teamkort i denne runde."}, notWant: []string{teamMean, "Sammenlign med"}},
		{name: "nor when Ada asks for the team", req: request{path: fmt.Sprintf("/result?compare=team-%d", team.ID), cookies: []*http.Cookie{ada}}, wantStatus: 200,
			notWant: []string{teamMean, "Hele organisationen"}},
		// Kollega 1 looks at the result first: the means, and then no radars.
		{name: "Kollega 1 sees the means", req: request{path: "/result", cookies: []*http.Cookie{kollega1}}, wantStatus: 200,
			want: []string{"Sammenlign med"}},
		{name: "Kollega 1's packet has no means", req: request{path: "/plan/packet", cookies: []*http.Cookie{kollega1}}, wantStatus: 200,
			want: []string{"Forberedelse til LUS-samtalen"}, notWant: []string{teamMean, "Hele organisationen"}},
		{name: "then Kollega 1's map has no radars", req: request{path: mapURL, cookies: []*http.Cookie{kollega1}}, wantStatus: 200,
			want: []string{"Du har set gruppernes gennemsnit for denne runde på dit resultat.", "4 af 6"}, notWant: sharers},
	}
	for _, tt := range steps {
		t.Run(tt.name, func(t *testing.T) { tt.check(t, e.do(tt.req)) })
	}
}
