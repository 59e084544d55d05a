// Package orggen generates believable organisations straight into a
// database: of any size — a municipality's departments, cross-cutting
// teams that overlap them and each other, three rounds with answers — for
// benchmarks and the load generator (cmd/lrload) with Generate, and the
// demo organisation that `lederradar demo` shows a newcomer with
// SeedDemo. The same seed gives the same organisation and answers; only
// the link tokens are fresh each time.
package orggen

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"lederradar/data"
	"lederradar/internal/auth"
	"lederradar/scoring"
	"lederradar/survey"
)

// Config says what to generate.
type Config struct {
	// People is the number of respondents (leaders).
	People int
	// Seed makes the organisation and its answers reproducible.
	Seed uint64
	// Now is the time the open round is running at; zero means time.Now.
	Now time.Time
	// HR, when set, is an HR account to create, so that a load test can
	// sign in.
	HR *Account
	// ThreeSixty makes the newest closed round and the open one 360
	// rounds with five raters per leader (raters.go); otherwise every
	// round is self-only.
	ThreeSixty bool
}

// Account is an HR or administrator log-in.
type Account struct {
	// Role is what the account may do; Config.HR is an HR account
	// whatever it says.
	Role     survey.Role
	Email    string
	Password string
}

// Org describes what Generate wrote.
type Org struct {
	People       int
	Departments  int
	Teams        int
	Memberships  int // team memberships
	ClosedRounds []survey.Round
	OpenRound    survey.Round
	// Submitted counts the submitted self-assessments per round id.
	Submitted map[int64]int
	// Links are the personal links of the open round, by person: the only
	// copy of their tokens.
	Links []Link
	// RatersSubmitted counts the raters' submitted answers per 360 round
	// id, and RaterLinks are the open round's raters' links, the only copy
	// of their tokens (Config.ThreeSixty; empty otherwise).
	RatersSubmitted map[int64]int
	RaterLinks      []RaterLink
}

// Link is one person's personal link token for the open round.
type Link struct {
	PersonID int64
	Token    string
	// State is how far the person had come when the organisation was
	// generated.
	State State
}

// State is how far a leader has come in the open round.
type State string

// The states of a leader in the open round.
const (
	NotStarted State = "not-started"
	Started    State = "started"
	Submitted  State = "submitted"
)

// Shape of the organisation: departments of 8–40 (mean about 15), about
// one team per 20 people, half of the people on one team or more.
const (
	minDepartment = 8
	maxDepartment = 40
	peoplePerTeam = 20
	areaSize      = 12 // departments per area (forvaltning)
)

// Generate writes an organisation of cfg.People leaders into db, which
// should hold no organisation yet, with in as the rounds' instrument (it is
// stored if it is not). Two rounds are closed with answers from most
// leaders; a third is open, with some leaders submitted, some half-way
// and most not started, and every leader invited: their link tokens come
// back in Org.Links.
func Generate(ctx context.Context, db *data.DB, in *survey.Instrument, raw []byte, cfg Config) (*Org, error) {
	if cfg.People < minDepartment {
		return nil, fmt.Errorf("orggen: at least %d people, not %d", minDepartment, cfg.People)
	}
	now := cfg.Now
	if now.IsZero() {
		now = time.Now()
	}
	if err := db.EnsureInstrument(ctx, in, raw); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x0e6a)) // #nosec G404 -- made-up test organisations, reproducible from the seed
	org := &Org{People: cfg.People, Submitted: map[int64]int{}, RatersSubmitted: map[int64]int{}}

	// Rounds first, open, so answers can go in; two are closed at the end.
	specs := []struct {
		name    string
		created time.Time
	}{
		{fmt.Sprintf("Forår %d", now.Year()-1), now.AddDate(-1, 0, 0)},
		{fmt.Sprintf("Efterår %d", now.Year()-1), now.AddDate(0, -6, 0)},
		{fmt.Sprintf("Forår %d", now.Year()), now.AddDate(0, 0, -7)},
	}
	rounds := make([]survey.Round, len(specs))
	for i, sp := range specs {
		rounds[i] = survey.Round{Name: sp.name, Status: survey.RoundOpen, InstrumentVersion: in.Version,
			Opens: sp.created, Closes: sp.created.AddDate(0, 0, 28), CreatedAt: sp.created}
	}

	var st *staff
	var levels [][]float64
	err := write(ctx, db, rounds, func(l *data.Batch) error {
		var err error
		if st, err = organisation(l, rng, cfg.People, org); err != nil {
			return err
		}
		levels = make([][]float64, len(st.ids))
		for i := range st.ids {
			levels[i] = profile(in, rng)
		}
		for ri := range rounds {
			if err := answerRound(l, in, rng, rounds, ri, st.ids, levels, org); err != nil {
				return err
			}
		}
		if cfg.HR != nil {
			// The account goes in with the rest, so a failed load leaves
			// no half-made organisation behind.
			hash, err := auth.HashPassword(cfg.HR.Password)
			if err != nil {
				return err
			}
			if err := l.CreateUser(&survey.User{Email: cfg.HR.Email, Role: survey.RoleHR}, hash); err != nil {
				return err
			}
		}
		return nil
	}, func() error {
		if !cfg.ThreeSixty {
			return nil
		}
		return add360(ctx, db, in, rng, rounds[1:], st, levels, org)
	})
	if err != nil {
		return nil, err
	}
	org.ClosedRounds = rounds[:len(rounds)-1]
	org.OpenRound = rounds[len(rounds)-1]
	// A 360 round closed the usual way (DB.CloseRound) keeps its raters'
	// report at the close; the first HR view would otherwise build it,
	// longer than a request may take.
	for i := range org.ClosedRounds {
		if r := &org.ClosedRounds[i]; r.Kind == survey.ThreeSixty {
			if _, err := db.RoundOthersReport(ctx, r, scoring.DefaultMinGroup); err != nil {
				return nil, err
			}
		}
	}
	return org, nil
}

// write creates rounds, open so that answers can go in, runs fill in one
// batch (all of it or nothing), then beforeClose (when not nil), and
// closes every round but the last: the course of both Generate and
// SeedDemo.
func write(ctx context.Context, db *data.DB, rounds []survey.Round, fill func(*data.Batch) error, beforeClose func() error) error {
	for i := range rounds {
		if err := db.CreateRound(ctx, &rounds[i]); err != nil {
			return err
		}
	}
	if err := db.WriteBatch(ctx, fill); err != nil {
		return err
	}
	if beforeClose != nil {
		if err := beforeClose(); err != nil {
			return err
		}
	}
	for i := range rounds[:len(rounds)-1] {
		if err := db.SetRoundStatus(ctx, rounds[i].ID, survey.RoundClosed); err != nil {
			return err
		}
		rounds[i].Status = survey.RoundClosed
	}
	return nil
}

// invite gives a person a link to a round and returns its token, the only
// copy there is.
func invite(b *data.Batch, roundID, personID int64) (string, error) {
	token, hash := auth.NewToken()
	if err := b.Invite(roundID, personID, hash); err != nil {
		return "", err
	}
	return token, nil
}

// answerRound invites every person to rounds[ri] and answers for those
// who came far enough (drawState), with the growth of the ri-th round,
// counting the submitted in org and keeping the open round's links there.
func answerRound(b *data.Batch, in *survey.Instrument, rng *rand.Rand, rounds []survey.Round, ri int, people []int64, levels [][]float64, org *Org) error {
	r := rounds[ri]
	open := ri == len(rounds)-1
	for i, id := range people {
		token, err := invite(b, r.ID, id)
		if err != nil {
			return err
		}
		state := drawState(rng, open)
		growth := 0.15 * float64(ri)
		switch state {
		case Submitted:
			at := r.Opens.Add(time.Duration(rng.IntN(27*24)) * time.Hour)
			if err := b.SaveResponse(r.ID, id, answers(in, levels[i], growth, rng, len(in.Competences)), at); err != nil {
				return err
			}
			org.Submitted[r.ID]++
		case Started:
			pages := 1 + rng.IntN(len(in.Competences)-1)
			if err := b.SaveResponse(r.ID, id, answers(in, levels[i], growth, rng, pages), time.Time{}); err != nil {
				return err
			}
		}
		if open {
			org.Links = append(org.Links, Link{PersonID: id, Token: token, State: state})
		}
	}
	return nil
}

// drawState draws how far a leader came: in a closed round four in five
// submitted and a few stopped half-way; in the open round a quarter have
// submitted and one in ten is half-way.
func drawState(rng *rand.Rand, open bool) State {
	x := rng.Float64()
	if open {
		switch {
		case x < 0.25:
			return Submitted
		case x < 0.35:
			return Started
		}
		return NotStarted
	}
	switch {
	case x < 0.8:
		return Submitted
	case x < 0.85:
		return Started
	}
	return NotStarted
}

// staff are the people Generate wrote, in the order written, department
// by department.
type staff struct {
	ids    []int64
	emails []string
	dept   []int // each person's department, an index into starts
	// starts are where each department's people start, and end, in ids:
	// department d is ids[starts[d]:starts[d+1]].
	starts []int
}

// organisation writes the departments, people and teams and returns the
// people.
func organisation(l *data.Batch, rng *rand.Rand, n int, org *Org) (*staff, error) {
	// Department sizes: 8–40, skewed towards the small end, mean about 15.
	var sizes []int
	for left := n; left > 0; {
		s := minDepartment + int(rng.ExpFloat64()*7)
		s = min(s, maxDepartment, left)
		if left-s < minDepartment {
			s = left // the rest; may exceed 40 by a few in the last one
		}
		sizes = append(sizes, s)
		left -= s
	}
	depts := make([]int64, len(sizes))
	for i := range sizes {
		name := fmt.Sprintf("%s %s %d", areas[(i/areaSize)%len(areas)], units[i%len(units)], i/areaSize+1)
		g := survey.Group{Kind: survey.Department, Name: name}
		if err := l.CreateGroup(&g); err != nil {
			return nil, err
		}
		depts[i] = g.ID
	}
	org.Departments = len(depts)

	people := make([]int64, 0, n)
	st := &staff{emails: make([]string, 0, n), dept: make([]int, 0, n), starts: make([]int, 0, len(sizes)+1)}
	for d, size := range sizes {
		st.starts = append(st.starts, len(people))
		for range size {
			first := firstNames[rng.IntN(len(firstNames))]
			last := lastNames[rng.IntN(len(lastNames))]
			p := survey.Person{
				Name:         first + " " + last,
				Email:        fmt.Sprintf("%s.%s.%d@orggen.example", ascii(first), ascii(last), len(people)+1),
				DepartmentID: depts[d],
			}
			if err := l.CreatePerson(&p); err != nil {
				return nil, err
			}
			people = append(people, p.ID)
			st.emails, st.dept = append(st.emails, p.Email), append(st.dept, d)
		}
	}
	st.starts, st.ids = append(st.starts, len(people)), people
	if err := createTeams(l, rng, sizes, people, org); err != nil {
		return nil, err
	}
	return st, nil
}

// createTeams writes the teams over people, who are written department by
// department in sizes. Most teams cut across the departments of one area,
// some across the whole organisation, and some are a sub-team of another
// team, a few people smaller — the overlaps the anonymity rule has to
// untangle.
func createTeams(l *data.Batch, rng *rand.Rand, sizes []int, people []int64, org *Org) error {
	n := len(people)
	// Where each department's people start in people.
	starts := make([]int, len(sizes)+1)
	for d, s := range sizes {
		starts[d+1] = starts[d] + s
	}
	nTeams := max(1, n/peoplePerTeam)
	var teams [][]int // member indexes into people
	for t := range nTeams {
		var members []int
		switch x := rng.Float64(); {
		case x < 0.1 && len(teams) > 0:
			parent := teams[rng.IntN(len(teams))]
			drop := 1 + rng.IntN(3)
			for _, m := range parent {
				if drop > 0 && rng.IntN(len(parent)) < 3 {
					drop--
					continue
				}
				members = append(members, m)
			}
		case x < 0.3:
			for range 5 + rng.IntN(21) {
				members = append(members, rng.IntN(n))
			}
		default:
			area := rng.IntN((len(sizes) + areaSize - 1) / areaSize)
			from, to := starts[area*areaSize], starts[min(len(sizes), (area+1)*areaSize)]
			for range 6 + rng.IntN(25) {
				members = append(members, from+rng.IntN(to-from))
			}
		}
		name := fmt.Sprintf("%s %d", themes[t%len(themes)], t/len(themes)+1)
		g := survey.Group{Kind: survey.Team, Name: name}
		if err := l.CreateGroup(&g); err != nil {
			return err
		}
		seen := map[int]bool{}
		var kept []int
		for _, m := range members {
			if seen[m] {
				continue
			}
			seen[m] = true
			kept = append(kept, m)
			if err := l.AddTeamMember(g.ID, people[m]); err != nil {
				return err
			}
		}
		org.Memberships += len(kept)
		teams = append(teams, kept)
	}
	org.Teams = len(teams)
	return nil
}

// profile draws a leader's true level per competence: a personal level, a
// tendency per competence shared by everyone, and individual variation.
func profile(in *survey.Instrument, rng *rand.Rand) []float64 {
	level := 3.6 + rng.NormFloat64()*0.35
	out := make([]float64, len(in.Competences))
	for i := range out {
		out[i] = level + 0.35*math.Cos(float64(i)*1.7) + rng.NormFloat64()*0.45
	}
	return out
}

// answers answers the first pages competences from a profile, shifted by
// growth: now and then an item is left out or answered "ved ikke".
func answers(in *survey.Instrument, level []float64, growth float64, rng *rand.Rand, pages int) survey.Answers {
	a := make(survey.Answers, 4*pages)
	for c, comp := range in.Competences[:pages] {
		for _, it := range comp.Items {
			switch x := rng.Float64(); {
			case x < 0.03:
			case x < 0.08:
				a[it.ID] = survey.DontKnow
			default:
				v := math.Round(level[c] + growth*rng.Float64() + rng.NormFloat64()*0.6)
				a[it.ID] = survey.Answer(max(1, min(5, v)))
			}
		}
	}
	return a
}
