package orggen

import (
	"context"
	"fmt"
	"slices"

	"lederradar/data"
	"lederradar/survey"
)

// demoTeamMapSharers is how many members of the demo's team share their
// radar with it in the open round: enough to compare, few enough for one
// radar to hold them all.
const demoTeamMapSharers = 4

// seedDemoTeamMap gives one cross-cutting team a map of its own in the
// open round (DESIGN C14): the submitted leader whose link the demo
// prints (people[2]) and three more members who submitted share their
// radar with the team; the half-way leader (people[1]) joins the team
// without sharing, so both printed links show the map, one of them the
// form to share. It returns the links, marked with the team.
func seedDemoTeamMap(ctx context.Context, db *data.DB, open survey.Round, people []survey.Person, links []DemoLink) ([]DemoLink, error) {
	if len(people) < 3 || len(links) < 3 {
		return links, nil
	}
	sharer, joiner := people[2], people[1]
	teams, err := db.FindTeamsOfPerson(ctx, sharer.ID)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(teams, func(g survey.Group) bool { return g.Name != demoSmallTeam })
	if i < 0 {
		return nil, fmt.Errorf("orggen: the demo's leader %s is on no team", sharer.Name)
	}
	team := teams[i]
	if err := db.AddTeamMember(ctx, team.ID, joiner.ID); err != nil {
		return nil, err
	}
	members, err := db.FindGroupMembers(ctx)
	if err != nil {
		return nil, err
	}
	// The printed leader shares first, then the members demoAnswers had
	// submit in the open round, in the order they were made.
	sharers := []int64{sharer.ID}
	for k, p := range people {
		if len(sharers) < demoTeamMapSharers && k >= 3 && k%3 == 0 && slices.Contains(members[team.ID], p.ID) {
			sharers = append(sharers, p.ID)
		}
	}
	for _, id := range sharers {
		if err := db.GiveTeamMapConsent(ctx, open.ID, team.ID, id); err != nil {
			return nil, err
		}
	}
	links[1].Team, links[2].Team = team.Name, team.Name
	return links, nil
}

// markDemoTeamMap marks, on a new start, the links of the leaders on the
// team one of them shares their radar with in the open round, as
// seedDemoTeamMap marked them when it made the map.
func markDemoTeamMap(ctx context.Context, db *data.DB, roundID int64, people []survey.Person, links []DemoLink) error {
	teams := make([][]data.RoundTeam, len(people))
	var shared string
	for i, p := range people {
		var err error
		if teams[i], err = db.FindTeamsOfRound(ctx, roundID, p.ID); err != nil {
			return err
		}
		for _, t := range teams[i] {
			if t.Shares && shared == "" {
				shared = t.Team.Name
			}
		}
	}
	for i := range people {
		if shared != "" && slices.ContainsFunc(teams[i], func(t data.RoundTeam) bool { return t.Team.Name == shared }) {
			links[i].Team = shared
		}
	}
	return nil
}
