// Package demo fills an empty database with a believable municipal
// organisation — departments, cross-cutting teams, leaders, a closed round
// with answers and an open round under way — so a newcomer sees every screen
// at once.
package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/survey"
)

// Link is a personal link the demo prints, for one leader in the open round.
type Link struct {
	Name  string
	Email string
	Token string
	// State says how far the leader has come, for the printout.
	State string
}

// Departments and teams of the demo municipality. A leader belongs to one
// department and, as boundary-crossing work goes, often to several teams.
var departments = []string{
	"Børn og Unge", "Social og Sundhed", "Teknik og Miljø", "Kultur, Fritid og Borgerservice",
}

var teams = []string{
	"Sammenhængende ungeindsats", "Klimatilpasning", "Det nære sundhedsvæsen", "Digital borgerservice", "Tidlig indsats", "Byudvikling og fællesskaber",
}

// smallTeam has too few members to be shown: the demo's suppressed group.
const smallTeam = "Strategisk ledelsesforum"

var firstNames = []string{
	"Anne", "Mette", "Hanne", "Susanne", "Lene", "Marianne", "Camilla", "Louise", "Pia", "Karen", "Tina", "Maria", "Helle", "Charlotte", "Rikke", "Sofie", "Ida", "Birgitte", "Line", "Nanna",
	"Peter", "Jens", "Lars", "Søren", "Henrik", "Thomas", "Michael", "Niels", "Anders", "Rasmus", "Martin", "Jesper", "Morten", "Christian", "Kasper", "Jakob", "Mads", "Frederik", "Bo", "Ole",
}

var lastNames = []string{
	"Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen", "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Poulsen", "Johansen", "Møller", "Mortensen", "Østergaard",
}

// Leaders is how many leaders the demo organisation has.
const Leaders = 48

// Seed fills db, which must be empty, and returns personal links to three
// leaders in the open round: one who has not started, one half-way, and one
// who has submitted. rng makes the organisation reproducible.
func Seed(ctx context.Context, db *data.DB, in *survey.Instrument, rng *rand.Rand, now time.Time) ([]Link, error) {
	empty, err := db.IsEmpty(ctx)
	if err != nil {
		return nil, err
	} else if !empty {
		return nil, fmt.Errorf("demo: the database already holds an organisation")
	}

	deptIDs := make([]int64, len(departments))
	for i, name := range departments {
		g := survey.Group{Kind: survey.Department, Name: name}
		if err := db.CreateGroup(ctx, &g); err != nil {
			return nil, err
		}
		deptIDs[i] = g.ID
	}
	teamIDs := make([]int64, len(teams))
	for i, name := range teams {
		g := survey.Group{Kind: survey.Team, Name: name}
		if err := db.CreateGroup(ctx, &g); err != nil {
			return nil, err
		}
		teamIDs[i] = g.ID
	}

	small := survey.Group{Kind: survey.Team, Name: smallTeam}
	if err := db.CreateGroup(ctx, &small); err != nil {
		return nil, err
	}

	people := make([]survey.Person, 0, Leaders)
	used := map[string]bool{}
	for len(people) < Leaders {
		first := firstNames[rng.IntN(len(firstNames))]
		last := lastNames[rng.IntN(len(lastNames))]
		name := first + " " + last
		if used[name] {
			continue
		}
		used[name] = true
		p := survey.Person{
			Name:         name,
			Email:        emailOf(first, last),
			DepartmentID: deptIDs[len(people)%len(deptIDs)],
		}
		if err := db.CreatePerson(ctx, &p); err != nil {
			return nil, err
		}
		// Every leader joins one to three teams; teams end up with 10–20.
		for _, t := range rng.Perm(len(teamIDs))[:1+rng.IntN(3)] {
			if err := db.AddTeamMember(ctx, teamIDs[t], p.ID); err != nil {
				return nil, err
			}
		}
		if len(people)%12 == 4 { // four leaders meet in the forum
			if err := db.AddTeamMember(ctx, small.ID, p.ID); err != nil {
				return nil, err
			}
		}
		people = append(people, p)
	}

	earlier := survey.Round{Name: fmt.Sprintf("Efterår %d", now.Year()-1), Status: survey.RoundOpen, InstrumentVersion: in.Version,
		Opens: now.AddDate(-1, 0, -7), Closes: now.AddDate(-1, 0, 21)}
	if err := db.CreateRound(ctx, &earlier); err != nil {
		return nil, err
	}
	spring := survey.Round{Name: fmt.Sprintf("Forår %d", now.Year()), Status: survey.RoundOpen, InstrumentVersion: in.Version,
		Opens: now.AddDate(0, -7, 0), Closes: now.AddDate(0, -6, 0)}
	if err := db.CreateRound(ctx, &spring); err != nil {
		return nil, err
	}
	autumn := survey.Round{Name: fmt.Sprintf("Efterår %d", now.Year()), Status: survey.RoundOpen, InstrumentVersion: in.Version,
		Opens: now.AddDate(0, 0, -7), Closes: now.AddDate(0, 0, 21)}
	if err := db.CreateRound(ctx, &autumn); err != nil {
		return nil, err
	}

	// Each leader has a stable profile, so the two rounds resemble each other
	// and a development between them is visible.
	profiles := make([]map[string]float64, len(people))
	for i := range people {
		profiles[i] = profile(in, rng)
	}

	for i, p := range people {
		if _, err := invite(ctx, db, earlier.ID, p.ID); err != nil {
			return nil, err
		}
		if i%5 == 3 { // a lower response rate the first time
			continue
		}
		if err := answer(ctx, db, in, earlier.ID, p.ID, profiles[i], -0.3, rng, true); err != nil {
			return nil, err
		}
	}
	if err := db.SetRoundStatus(ctx, earlier.ID, survey.RoundClosed); err != nil {
		return nil, err
	}

	for i, p := range people {
		if _, err := invite(ctx, db, spring.ID, p.ID); err != nil {
			return nil, err
		}
		if i%7 == 6 { // some never answered the spring round
			continue
		}
		if err := answer(ctx, db, in, spring.ID, p.ID, profiles[i], 0, rng, true); err != nil {
			return nil, err
		}
	}
	if err := db.SetRoundStatus(ctx, spring.ID, survey.RoundClosed); err != nil {
		return nil, err
	}

	var links []Link
	for i, p := range people {
		token, err := invite(ctx, db, autumn.ID, p.ID)
		if err != nil {
			return nil, err
		}
		switch {
		case i == 0:
			links = append(links, Link{Name: p.Name, Email: p.Email, Token: token, State: "not started"})
		case i == 1:
			// Half-way: the first five competences answered.
			partial := profile(in, rng)
			if err := answerPages(ctx, db, in, autumn.ID, p.ID, partial, rng, 5); err != nil {
				return nil, err
			}
			links = append(links, Link{Name: p.Name, Email: p.Email, Token: token, State: "half-way"})
		case i == 2:
			if err := answer(ctx, db, in, autumn.ID, p.ID, profiles[i], 0.3, rng, true); err != nil {
				return nil, err
			}
			links = append(links, Link{Name: p.Name, Email: p.Email, Token: token, State: "submitted"})
		case i%3 == 0:
			if err := answer(ctx, db, in, autumn.ID, p.ID, profiles[i], 0.3, rng, true); err != nil {
				return nil, err
			}
		}
	}
	return links, nil
}

// Reissue gives three leaders of the newest open round new links (their old
// ones stop working), for a demo started again on its existing database.
func Reissue(ctx context.Context, db *data.DB) ([]Link, error) {
	rounds, err := db.FindRounds(ctx)
	if err != nil {
		return nil, err
	}
	var open *survey.Round
	for i := range rounds {
		if rounds[i].Status == survey.RoundOpen {
			open = &rounds[i]
			break
		}
	}
	if open == nil {
		return nil, survey.Errorf(survey.ENOTFOUND, "no open round to give links for")
	}
	people, err := db.FindPeople(ctx)
	if err != nil {
		return nil, err
	}
	// The first three leaders seeded are the ones Seed printed.
	sort.Slice(people, func(i, j int) bool { return people[i].ID < people[j].ID })
	var links []Link
	for _, p := range people[:min(3, len(people))] {
		token, err := invite(ctx, db, open.ID, p.ID)
		if err != nil {
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
		links = append(links, Link{Name: p.Name, Email: p.Email, Token: token, State: state + ", new link"})
	}
	return links, nil
}

func invite(ctx context.Context, db *data.DB, roundID, personID int64) (string, error) {
	token, hash := auth.NewToken()
	inv := survey.Invitation{RoundID: roundID, PersonID: personID, SubjectID: personID, Relation: survey.Self}
	if err := db.CreateInvitation(ctx, &inv, personID, hash); err != nil {
		return "", err
	}
	return token, nil
}

// profile draws a leader's true level per competence: a personal level, a
// per-competence tendency shared by everyone (some competences are harder),
// and individual variation.
func profile(in *survey.Instrument, rng *rand.Rand) map[string]float64 {
	level := 3.6 + rng.NormFloat64()*0.35
	out := map[string]float64{}
	for i, c := range in.Competences {
		tendency := 0.35 * math.Cos(float64(i)*1.7)
		out[c.ID] = level + tendency + rng.NormFloat64()*0.45
	}
	return out
}

// answer answers every page of the questionnaire from a profile, shifted by
// growth, and submits.
func answer(ctx context.Context, db *data.DB, in *survey.Instrument, roundID, personID int64, prof map[string]float64, growth float64, rng *rand.Rand, submit bool) error {
	shifted := map[string]float64{}
	for k, v := range prof {
		shifted[k] = v + growth*rng.Float64()
	}
	if err := answerPages(ctx, db, in, roundID, personID, shifted, rng, len(in.Competences)); err != nil {
		return err
	}
	if !submit {
		return nil
	}
	key, _ := auth.NewToken()
	_, err := db.SubmitResponse(ctx, roundID, personID, personID, survey.Self, key)
	return err
}

func answerPages(ctx context.Context, db *data.DB, in *survey.Instrument, roundID, personID int64, prof map[string]float64, rng *rand.Rand, pages int) error {
	for _, c := range in.Competences[:pages] {
		answers := survey.Answers{}
		for _, it := range c.Items {
			switch r := rng.Float64(); {
			case r < 0.03: // left unanswered
				continue
			case r < 0.08:
				answers[it.ID] = survey.DontKnow
			default:
				v := math.Round(prof[c.ID] + rng.NormFloat64()*0.6)
				answers[it.ID] = survey.Answer(max(1, min(5, v)))
			}
		}
		key, _ := auth.NewToken()
		if _, err := db.SaveAnswers(ctx, data.AnswerSave{RoundID: roundID, SubjectID: personID, RaterID: personID, Relation: survey.Self, FormKey: key, Answers: answers}); err != nil {
			return err
		}
	}
	return nil
}

func emailOf(first, last string) string {
	r := strings.NewReplacer("æ", "ae", "ø", "oe", "å", "aa", "Æ", "ae", "Ø", "oe", "Å", "aa")
	return strings.ToLower(r.Replace(first)+"."+r.Replace(last)) + "@demo.kommune.dk"
}

// Login is a demo account the demo prints.
type Login struct {
	Role     survey.Role
	Email    string
	Password string
}

// Accounts makes sure the demo has an HR and an administrator account, and
// gives each a fresh random password to print: a demo started on a public
// address should not open with a known password.
func Accounts(ctx context.Context, db *data.DB) ([]Login, error) {
	var logins []Login
	for _, role := range []survey.Role{survey.RoleHR, survey.RoleAdmin} {
		l := Login{Role: role, Email: string(role) + "@demo.kommune.dk", Password: auth.NewPassword()}
		hash, err := auth.HashPassword(l.Password)
		if err != nil {
			return nil, err
		}
		u, _, err := db.FindUserByEmail(ctx, l.Email)
		switch {
		case err == nil:
			err = db.SetUserPassword(ctx, u.ID, hash)
		case survey.ErrorCode(err) == survey.ENOTFOUND:
			err = db.CreateUser(ctx, &survey.User{Email: l.Email, Role: role}, hash)
		}
		if err != nil {
			return nil, err
		}
		logins = append(logins, l)
	}
	return logins, nil
}
