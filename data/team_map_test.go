package data_test

import (
	"context"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/survey"
)

// teamMapFixture is a team of five in an open round: Ada, Bo and Cy are
// invited, Ada and Bo have submitted (Ada all 5, Bo all 2), Cy has not;
// Di is on the team without an invitation; Xi is invited but on no team.
type teamMapFixture struct {
	db                 *data.DB
	clk                *clock
	in                 *survey.Instrument
	team, dept         survey.Group
	round              *survey.Round
	ada, bo, cy, di, x *survey.Person
}

func newTeamMapFixture(t *testing.T) *teamMapFixture {
	t.Helper()
	ctx := context.Background()
	f := &teamMapFixture{db: mustOpenDB(t)}
	f.clk = newClock(f.db)
	f.in = mustInstrument(t, f.db, "test-1")
	f.team = survey.Group{Kind: survey.Team, Name: "Klima på tværs"}
	f.dept = survey.Group{Kind: survey.Department, Name: "Teknik"}
	for _, g := range []*survey.Group{&f.team, &f.dept} {
		if err := f.db.CreateGroup(ctx, g); err != nil {
			t.Fatal(err)
		}
	}
	f.ada = mustPerson(t, f.db, "ada@example.dk", "Ada")
	f.bo = mustPerson(t, f.db, "bo@example.dk", "Bo")
	f.cy = mustPerson(t, f.db, "cy@example.dk", "Cy")
	f.di = mustPerson(t, f.db, "di@example.dk", "Di")
	f.x = mustPerson(t, f.db, "xi@example.dk", "Xi")
	for _, p := range []*survey.Person{f.ada, f.bo, f.cy, f.di} {
		if err := f.db.AddTeamMember(ctx, f.team.ID, p.ID); err != nil {
			t.Fatal(err)
		}
	}
	f.round = mustRound(t, f.db, "Runde", survey.RoundOpen)
	for _, p := range []*survey.Person{f.ada, f.bo, f.cy, f.x} {
		mustInvitation(t, f.db, f.round, p)
	}
	for _, a := range []struct {
		p *survey.Person
		v survey.Answer
	}{{f.ada, 5}, {f.bo, 2}} {
		answers := survey.Answers{}
		for _, c := range f.in.Competences {
			for _, it := range c.Items {
				answers[it.ID] = a.v
			}
		}
		if _, err := f.db.SaveAnswers(ctx, data.AnswerSave{RoundID: f.round.ID, SubjectID: a.p.ID, RaterID: a.p.ID, Relation: survey.Self, FormKey: "k" + a.p.Email, Answers: answers}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.db.SubmitResponse(ctx, f.round.ID, a.p.ID, a.p.ID, survey.Self, "s"+a.p.Email); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// mapOf returns the team's map as viewer sees it.
func (f *teamMapFixture) mapOf(t *testing.T, viewer *survey.Person) *data.TeamMap {
	t.Helper()
	m, err := f.db.FindTeamMap(context.Background(), f.round.ID, f.team.ID, viewer.ID, f.in)
	if err != nil {
		t.Fatalf("FindTeamMap as %s: %v", viewer.Name, err)
	}
	return m
}

func sharedNames(m *data.TeamMap) []string {
	var out []string
	for _, s := range m.Shared {
		out = append(out, s.Name)
	}
	return out
}

func TestTeamMapConsent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newTeamMapFixture(t)

	t.Run("nobody shares at first: three invited members, none named", func(t *testing.T) {
		m := f.mapOf(t, f.ada)
		if m.Members != 3 || len(m.Shared) != 0 || m.ViewerShares || m.Team.Name != "Klima på tværs" {
			t.Errorf("map = %+v, want 3 members, none shared", m)
		}
	})
	t.Run("only invited members of the team see the map", func(t *testing.T) {
		for _, p := range []*survey.Person{f.x, f.di} {
			_, err := f.db.FindTeamMap(ctx, f.round.ID, f.team.ID, p.ID, f.in)
			wantCode(t, err, survey.ENOTFOUND)
		}
		_, err := f.db.FindTeamMap(ctx, f.round.ID, f.dept.ID, f.ada.ID, f.in)
		wantCode(t, err, survey.ENOTFOUND)
		_, err = f.db.FindTeamMap(ctx, f.round.ID+99, f.team.ID, f.ada.ID, f.in)
		wantCode(t, err, survey.ENOTFOUND)
	})
	t.Run("a consent shares the submitted radar with the others", func(t *testing.T) {
		if err := f.db.GiveTeamMapConsent(ctx, f.round.ID, f.team.ID, f.bo.ID); err != nil {
			t.Fatal(err)
		}
		m := f.mapOf(t, f.ada)
		if got := sharedNames(m); len(got) != 1 || got[0] != "Bo" || m.ViewerShares {
			t.Fatalf("Ada sees %v (viewer shares %v), want Bo's radar only", got, m.ViewerShares)
		}
		if tally := m.Shared[0].Tally; len(tally) != 2 || tally[0][2] != 4 || tally[1][2] != 4 {
			t.Errorf("Bo's tally = %v, want 4 answers of 2 in each competence", tally)
		}
		bo := f.mapOf(t, f.bo)
		if !bo.ViewerShares || !bo.ViewerSince.Equal(f.clk.Now()) {
			t.Errorf("Bo's own map: shares %v since %v", bo.ViewerShares, bo.ViewerSince)
		}
	})
	t.Run("a consent without a submitted answer shows nothing yet", func(t *testing.T) {
		if err := f.db.GiveTeamMapConsent(ctx, f.round.ID, f.team.ID, f.cy.ID); err != nil {
			t.Fatal(err)
		}
		if got := sharedNames(f.mapOf(t, f.ada)); len(got) != 1 {
			t.Errorf("Ada sees %v, want Bo only: Cy has not submitted", got)
		}
	})
	t.Run("giving it again keeps the first time", func(t *testing.T) {
		first := f.clk.Now()
		f.clk.Add(time.Hour)
		if err := f.db.GiveTeamMapConsent(ctx, f.round.ID, f.team.ID, f.bo.ID); err != nil {
			t.Fatal(err)
		}
		if got := f.mapOf(t, f.bo).ViewerSince; !got.Equal(first) {
			t.Errorf("consent given at %v, want the first time %v", got, first)
		}
	})
	t.Run("outsiders cannot consent, and nothing is stored", func(t *testing.T) {
		for _, p := range []*survey.Person{f.x, f.di} {
			wantCode(t, f.db.GiveTeamMapConsent(ctx, f.round.ID, f.team.ID, p.ID), survey.ENOTFOUND)
			wantCode(t, f.db.WithdrawTeamMapConsent(ctx, f.round.ID, f.team.ID, p.ID), survey.ENOTFOUND)
		}
		wantCode(t, f.db.GiveTeamMapConsent(ctx, f.round.ID, f.dept.ID, f.ada.ID), survey.ENOTFOUND)
		if n := countRows(t, f.db, "SELECT count(*) FROM team_map_consents WHERE person_id IN (?, ?) OR team_id = ?", f.x.ID, f.di.ID, f.dept.ID); n != 0 {
			t.Errorf("%d consents of outsiders stored", n)
		}
	})
	t.Run("withdrawing removes the radar at once", func(t *testing.T) {
		if err := f.db.WithdrawTeamMapConsent(ctx, f.round.ID, f.team.ID, f.bo.ID); err != nil {
			t.Fatal(err)
		}
		if got := sharedNames(f.mapOf(t, f.ada)); len(got) != 0 {
			t.Errorf("after Bo withdrew, Ada sees %v", got)
		}
		if err := f.db.WithdrawTeamMapConsent(ctx, f.round.ID, f.team.ID, f.bo.ID); err != nil {
			t.Errorf("withdrawing twice: %v", err)
		}
	})
	t.Run("the list of teams says whether one shares", func(t *testing.T) {
		teams, err := f.db.FindTeamsOfRound(ctx, f.round.ID, f.cy.ID)
		if err != nil || len(teams) != 1 || teams[0].Team.ID != f.team.ID || !teams[0].Shares {
			t.Errorf("Cy's teams = %+v, %v; want the team, shared", teams, err)
		}
		teams, err = f.db.FindTeamsOfRound(ctx, f.round.ID, f.bo.ID)
		if err != nil || len(teams) != 1 || teams[0].Shares {
			t.Errorf("Bo's teams = %+v, %v; want the team, not shared", teams, err)
		}
		for _, p := range []*survey.Person{f.x, f.di} { // no team; no invitation
			if teams, err := f.db.FindTeamsOfRound(ctx, f.round.ID, p.ID); err != nil || len(teams) != 0 {
				t.Errorf("%s's teams = %+v, %v; want none", p.Name, teams, err)
			}
		}
	})
}

// TestTeamMapMembership: an open round's map follows the team, a closed
// round's the members it kept.
func TestTeamMapMembership(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newTeamMapFixture(t)
	for _, p := range []*survey.Person{f.ada, f.bo} {
		if err := f.db.GiveTeamMapConsent(ctx, f.round.ID, f.team.ID, p.ID); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("leaving the team in an open round withdraws the consent", func(t *testing.T) {
		if err := f.db.SetPersonTeams(ctx, f.bo.ID, nil); err != nil {
			t.Fatal(err)
		}
		_, err := f.db.FindTeamMap(ctx, f.round.ID, f.team.ID, f.bo.ID, f.in)
		wantCode(t, err, survey.ENOTFOUND)
		if err := f.db.AddTeamMember(ctx, f.team.ID, f.bo.ID); err != nil {
			t.Fatal(err)
		}
		if got := sharedNames(f.mapOf(t, f.cy)); len(got) != 1 || got[0] != "Ada" {
			t.Errorf("after Bo left and came back, Cy sees %v; want Ada only", got)
		}
		if err := f.db.GiveTeamMapConsent(ctx, f.round.ID, f.team.ID, f.bo.ID); err != nil {
			t.Fatal(err)
		}
	})
	if err := f.db.SetRoundStatus(ctx, f.round.ID, survey.RoundClosed); err != nil {
		t.Fatal(err)
	}
	t.Run("a closed round keeps its members and consents", func(t *testing.T) {
		if err := f.db.SetPersonTeams(ctx, f.bo.ID, nil); err != nil {
			t.Fatal(err)
		}
		if err := f.db.AddTeamMember(ctx, f.team.ID, f.x.ID); err != nil {
			t.Fatal(err)
		}
		m := f.mapOf(t, f.bo)
		if got := sharedNames(m); m.Members != 3 || len(got) != 2 || got[0] != "Ada" || got[1] != "Bo" {
			t.Errorf("the closed round's map = %d members, %v; want 3, Ada and Bo", m.Members, got)
		}
		_, err := f.db.FindTeamMap(ctx, f.round.ID, f.team.ID, f.x.ID, f.in)
		wantCode(t, err, survey.ENOTFOUND)
		wantCode(t, f.db.GiveTeamMapConsent(ctx, f.round.ID, f.team.ID, f.x.ID), survey.ENOTFOUND)
	})
	t.Run("a withdrawal in a closed round removes the radar at once", func(t *testing.T) {
		if err := f.db.WithdrawTeamMapConsent(ctx, f.round.ID, f.team.ID, f.ada.ID); err != nil {
			t.Fatal(err)
		}
		if got := sharedNames(f.mapOf(t, f.cy)); len(got) != 1 || got[0] != "Bo" {
			t.Errorf("Cy sees %v; want Bo only", got)
		}
	})
	t.Run("the consents are the person's data, and go with them", func(t *testing.T) {
		pd, err := f.db.FindPersonData(ctx, f.bo.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got := pd.TeamMapConsents; len(got) != 1 || got[0].TeamName != "Klima på tværs" || got[0].RoundID != f.round.ID || got[0].GivenAt.IsZero() {
			t.Errorf("Bo's consents in his data = %+v", got)
		}
		if err := f.db.ErasePerson(ctx, f.bo.ID, "user:1"); err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, f.db, "SELECT count(*) FROM team_map_consents WHERE person_id = ?", f.bo.ID); n != 0 {
			t.Errorf("%d consents of the erased person remain", n)
		}
		if m := f.mapOf(t, f.cy); m.Members != 2 || len(m.Shared) != 0 {
			t.Errorf("after the erasure Cy sees %d members, %v", m.Members, sharedNames(m))
		}
	})
	t.Run("deleting the team deletes the consents given to it", func(t *testing.T) {
		if err := f.db.GiveTeamMapConsent(ctx, f.round.ID, f.team.ID, f.cy.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.db.DeleteGroup(ctx, f.team.ID); err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, f.db, "SELECT count(*) FROM team_map_consents"); n != 0 {
			t.Errorf("%d consents outlive their team", n)
		}
	})
}
