package orggen

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/survey"
)

// The demo is the generator's preset for a newcomer: a small municipality
// in which every screen has something to show at once — departments,
// cross-cutting teams, a team too small to be shown, two closed rounds
// with answers and an open one under way; the last two ask each leader's
// manager, peers and employees too (360).

// DemoLeaders is how many leaders the demo organisation has.
const DemoLeaders = 48

// The demo's shape. Its departments and teams are the first of the
// generator's areas and themes; a leader belongs to one department and, as
// boundary-crossing work goes, often to several teams.
const (
	demoDepartments = 4
	demoTeams       = 6
	// demoSmallTeam has too few members to be shown: the demo's
	// suppressed group.
	demoSmallTeam = "Strategisk ledelsesforum"
	demoDomain    = "demo.kommune.dk"
)

// DemoLink is a personal link the demo prints, for one leader in the open
// round.
type DemoLink struct {
	Name  string
	Email string
	Token string
	// State says how far the leader has come, for the printout.
	State string
	// Rater is true for a rater's link to their form about a leader.
	Rater bool
	// Team names the team whose own map the leader is on, if any
	// (seedDemoTeamMap).
	Team string
	// Share is the token of a share of the leader's result and plan
	// (seedDemoPlans), for the printout; empty for the others.
	Share string
}

// SeedDemo fills db, which must be empty, with the demo organisation, in
// one batch, then the raters of its 360 rounds (seedDemo360) and one
// team's own map (seedDemoTeamMap), and returns personal links to three
// leaders in the open round — one who has not started, one half-way, and
// one who has submitted — and a fourth to a rater of the first, who has
// not answered yet.
// rng makes the organisation reproducible; the rounds are named after
// now's year.
func SeedDemo(ctx context.Context, db *data.DB, in *survey.Instrument, rng *rand.Rand, now time.Time) ([]DemoLink, error) {
	empty, err := db.IsEmpty(ctx)
	if err != nil {
		return nil, err
	} else if !empty {
		return nil, fmt.Errorf("orggen: the database already holds an organisation")
	}
	rounds := []survey.Round{
		{Name: fmt.Sprintf("Efterår %d", now.Year()-1), Opens: now.AddDate(-1, 0, -7), Closes: now.AddDate(-1, 0, 21)},
		{Name: fmt.Sprintf("Forår %d", now.Year()), Opens: now.AddDate(0, -7, 0), Closes: now.AddDate(0, -6, 0)},
		{Name: fmt.Sprintf("Efterår %d", now.Year()), Opens: now.AddDate(0, 0, -7), Closes: now.AddDate(0, 0, 21)},
	}
	for i := range rounds {
		rounds[i].Status, rounds[i].InstrumentVersion = survey.RoundOpen, in.Version
	}
	var links []DemoLink
	var people []survey.Person
	var levels [][]float64
	err = write(ctx, db, rounds, func(b *data.Batch) error {
		var err error
		if people, err = demoPeople(b, rng); err != nil {
			return err
		}
		links, levels, err = demoAnswers(b, in, rng, now, rounds, people)
		return err
	}, func() error {
		rater, err := seedDemo360(ctx, db, in, rng, now, rounds, people, levels)
		if err == nil {
			links = append(links, *rater)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if links, err = seedDemoTeamMap(ctx, db, rounds[len(rounds)-1], people, links); err != nil || len(people) < 3 || len(links) < 3 {
		return links, err
	}
	links[2].Share, err = seedDemoPlans(ctx, db, in, rounds[1], rounds[2], people[2], now)
	return links, err
}

// demoPeople writes the demo's groups and leaders.
func demoPeople(b *data.Batch, rng *rand.Rand) ([]survey.Person, error) {
	deptIDs, err := createGroups(b, survey.Department, areas[:demoDepartments])
	if err != nil {
		return nil, err
	}
	teamIDs, err := createGroups(b, survey.Team, themes[:demoTeams])
	if err != nil {
		return nil, err
	}
	small := survey.Group{Kind: survey.Team, Name: demoSmallTeam}
	if err := b.CreateGroup(&small); err != nil {
		return nil, err
	}

	people := make([]survey.Person, 0, DemoLeaders)
	used := map[string]bool{}
	for len(people) < DemoLeaders {
		first := firstNames[rng.IntN(len(firstNames))]
		last := lastNames[rng.IntN(len(lastNames))]
		name := first + " " + last
		if used[name] {
			continue
		}
		used[name] = true
		p := survey.Person{
			Name:         name,
			Email:        ascii(first) + "." + ascii(last) + "@" + demoDomain,
			DepartmentID: deptIDs[len(people)%len(deptIDs)],
		}
		if err := b.CreatePerson(&p); err != nil {
			return nil, err
		}
		// Every leader joins one to three teams; teams end up with 10–20.
		for _, t := range rng.Perm(len(teamIDs))[:1+rng.IntN(3)] {
			if err := b.AddTeamMember(teamIDs[t], p.ID); err != nil {
				return nil, err
			}
		}
		if len(people)%12 == 4 { // four leaders meet in the forum
			if err := b.AddTeamMember(small.ID, p.ID); err != nil {
				return nil, err
			}
		}
		people = append(people, p)
	}
	return people, nil
}

// createGroups writes groups of a kind with the given names and returns
// their ids.
func createGroups(b *data.Batch, kind survey.GroupKind, names []string) ([]int64, error) {
	ids := make([]int64, len(names))
	for i, name := range names {
		g := survey.Group{Kind: kind, Name: name}
		if err := b.CreateGroup(&g); err != nil {
			return nil, err
		}
		ids[i] = g.ID
	}
	return ids, nil
}

// demoAnswers invites every leader to the three rounds and answers: most
// leaders in the closed rounds (fewer the first time), a third of them in
// the open one, and the three leaders whose links it returns as their
// states say.
func demoAnswers(b *data.Batch, in *survey.Instrument, rng *rand.Rand, now time.Time, rounds []survey.Round, people []survey.Person) ([]DemoLink, [][]float64, error) {
	// Each leader has a stable profile, so the rounds resemble each other
	// and a development between them is visible.
	levels := make([][]float64, len(people))
	for i := range people {
		levels[i] = profile(in, rng)
	}
	all := len(in.Competences)
	closed := []struct {
		skip   func(i int) bool
		growth float64
	}{
		{func(i int) bool { return i%5 == 3 }, -0.3}, // a lower response rate the first time
		{func(i int) bool { return i%7 == 6 }, 0},    // some never answered the spring round
	}
	for ri, c := range closed {
		for i, p := range people {
			if _, err := invite(b, rounds[ri].ID, p.ID); err != nil {
				return nil, nil, err
			}
			if c.skip(i) {
				continue
			}
			if err := b.SaveResponse(rounds[ri].ID, p.ID, answers(in, levels[i], c.growth, rng, all), now); err != nil {
				return nil, nil, err
			}
		}
	}

	open := rounds[len(rounds)-1].ID
	var links []DemoLink
	for i, p := range people {
		token, err := invite(b, open, p.ID)
		if err != nil {
			return nil, nil, err
		}
		state := ""
		switch {
		case i == 0:
			state = "not started"
		case i == 1:
			// Half-way: the first five competences answered.
			state = "half-way"
			err = b.SaveResponse(open, p.ID, answers(in, profile(in, rng), 0, rng, 5), time.Time{})
		case i == 2 || i%3 == 0:
			state = "submitted"
			err = b.SaveResponse(open, p.ID, answers(in, levels[i], 0.3, rng, all), now)
		}
		if err != nil {
			return nil, nil, err
		}
		if i < 3 {
			links = append(links, DemoLink{Name: p.Name, Email: p.Email, Token: token, State: state})
		}
	}
	return links, levels, nil
}

// ReissueDemoLinks gives three leaders of the newest open round new links
// (their old ones stop working), for a demo started again on its existing
// database.
func ReissueDemoLinks(ctx context.Context, db *data.DB) ([]DemoLink, error) {
	rounds, err := db.FindRounds(ctx)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(rounds, func(r survey.Round) bool { return r.Status == survey.RoundOpen })
	if i < 0 {
		return nil, survey.Errorf(survey.ENOTFOUND, "no open round to give links for")
	}
	open := rounds[i]
	people, err := db.FindPeople(ctx)
	if err != nil {
		return nil, err
	}
	// The first three leaders seeded are the ones SeedDemo printed.
	slices.SortFunc(people, func(a, b survey.Person) int { return cmp.Compare(a.ID, b.ID) })
	var links []DemoLink
	for _, p := range people[:min(3, len(people))] {
		token, hash := auth.NewToken()
		inv := survey.Invitation{RoundID: open.ID, PersonID: p.ID, SubjectID: p.ID, Relation: survey.Self}
		if err := db.CreateInvitation(ctx, &inv, p.ID, hash); err != nil {
			return nil, err
		}
		state := "not started"
		if r, err := db.FindResponse(ctx, open.ID, p.ID, p.ID); err == nil {
			state = "started"
			if r.Submitted() {
				state = "submitted"
			}
		} else if survey.ErrorCode(err) != survey.ENOTFOUND {
			return nil, err
		}
		l := DemoLink{Name: p.Name, Email: p.Email, Token: token, State: state + ", new link"}
		if _, err := db.FindPlan(ctx, open.ID, p.ID); err == nil {
			if l.Share, err = demoShare(ctx, db, open.ID, p.ID); err != nil {
				return nil, err
			}
		}
		links = append(links, l)
	}
	if err := markDemoTeamMap(ctx, db, open.ID, people[:len(links)], links); err != nil {
		return nil, err
	}
	if len(people) == 0 || open.Kind != survey.ThreeSixty {
		return links, nil
	}
	rater, err := reissueDemoRaterLink(ctx, db, open, people[0])
	if err != nil {
		return nil, err
	}
	return append(links, rater), nil
}

// reissueDemoRaterLink gives the first employee of the first leader a
// new link to their form in the open round.
func reissueDemoRaterLink(ctx context.Context, db *data.DB, open survey.Round, leader survey.Person) (DemoLink, error) {
	local, _, _ := strings.Cut(leader.Email, "@")
	email := fmt.Sprintf("medarbejder1.%s@%s", local, demoDomain)
	rater, err := db.FindPersonByEmail(ctx, email)
	if err != nil {
		return DemoLink{}, err
	}
	token, hash := auth.NewToken()
	inv := survey.Invitation{RoundID: open.ID, PersonID: rater.ID, SubjectID: leader.ID, Relation: survey.Employee}
	if err := db.CreateInvitation(ctx, &inv, leader.ID, hash); err != nil {
		return DemoLink{}, err
	}
	state := "not started"
	if r, err := db.FindResponse(ctx, open.ID, leader.ID, rater.ID); err == nil {
		state = "started"
		if r.Submitted() {
			state = "submitted"
		}
	} else if survey.ErrorCode(err) != survey.ENOTFOUND {
		return DemoLink{}, err
	}
	return DemoLink{Name: email, Email: email, Token: token, State: "rater of " + leader.Name + ", " + state + ", new link", Rater: true}, nil
}

// DemoAccounts makes sure the demo has an HR and an administrator account,
// and gives each a fresh random password to print: a demo started on a
// public address should not open with a known password.
func DemoAccounts(ctx context.Context, db *data.DB) ([]Account, error) {
	var accounts []Account
	for _, role := range []survey.Role{survey.RoleHR, survey.RoleAdmin} {
		a := Account{Role: role, Email: string(role) + "@" + demoDomain, Password: auth.NewPassword()}
		hash, err := auth.HashPassword(a.Password)
		if err != nil {
			return nil, err
		}
		u, _, err := db.FindUserByEmail(ctx, a.Email)
		switch {
		case err == nil:
			err = db.SetUserPassword(ctx, u.ID, hash)
		case survey.ErrorCode(err) == survey.ENOTFOUND:
			err = db.CreateUser(ctx, &survey.User{Email: a.Email, Role: role}, hash)
		}
		if err != nil {
			return nil, err
		}
		accounts = append(accounts, a)
	}
	return accounts, nil
}
