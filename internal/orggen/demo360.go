package orggen

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"lederradar/data"
	"lederradar/internal/csvfile"
	"lederradar/survey"
)

// The demo's 360 rounds: the spring round asked each leader's manager,
// peers and employees too, so the closed round has others' views to show
// (the leaders' feedback, HR's groups); the open round asks them again,
// with the raters still answering for two more weeks, so a newcomer can
// open a rater's form.

// demoRaterShare is the share of raters who answered: all but a few in
// the closed round, about half so far in the open one.
var demoRaterShare = [2]float64{0.9, 0.5}

// demoRatersOpenFor is how long the open round's raters still answer.
const demoRatersOpenFor = 14 * 24 * time.Hour

// demoRaters names the raters of the i-th leader: the head of their
// department as manager (the head's own manager is the municipal
// director, who only rates), colleagues of the department as peers — five
// for every other leader and three for the rest, so some leaders' peers
// are too few to be shown apart — and six employees who only rate.
func demoRaters(people []survey.Person, i int) []csvfile.RaterRow {
	leader := people[i]
	dept := []int{}
	for j := range people {
		if people[j].DepartmentID == leader.DepartmentID {
			dept = append(dept, j)
		}
	}
	manager := "direktion@" + demoDomain
	if head := dept[0]; head != i {
		manager = people[head].Email
	}
	rows := []csvfile.RaterRow{{SubjectEmail: leader.Email, RaterEmail: manager, Relation: survey.Manager}}
	peers := 3
	if i%2 == 0 {
		peers = 5
	}
	for k := 1; len(rows) < 1+peers && k < len(dept); k++ {
		// Colleagues after the leader in the department, round the end.
		j := dept[(indexOf(dept, i)+k)%len(dept)]
		if j == dept[0] || j == i {
			continue
		}
		rows = append(rows, csvfile.RaterRow{SubjectEmail: leader.Email, RaterEmail: people[j].Email, Relation: survey.Peer})
	}
	local, _, _ := strings.Cut(leader.Email, "@")
	for k := 1; k <= 6; k++ {
		rows = append(rows, csvfile.RaterRow{SubjectEmail: leader.Email, RaterEmail: fmt.Sprintf("medarbejder%d.%s@%s", k, local, demoDomain), Relation: survey.Employee})
	}
	return rows
}

func indexOf(xs []int, x int) int {
	for i, v := range xs {
		if v == x {
			return i
		}
	}
	return -1
}

// seedDemo360 adds raters to the spring round and the open one (both still
// open: write closes the spring round afterwards) and answers for most of
// them. Others see each leader a little differently from how the leader
// sees themselves, per competence, so the demo has blind spots and hidden
// strengths. It returns the link of the first leader's first employee in
// the open round, who has not answered yet.
func seedDemo360(ctx context.Context, db *data.DB, in *survey.Instrument, rng *rand.Rand, now time.Time, rounds []survey.Round, people []survey.Person, levels [][]float64) (*DemoLink, error) {
	// How others see each leader: their own level, shifted per competence.
	seen := make([][]float64, len(people))
	for i := range people {
		seen[i] = make([]float64, len(levels[i]))
		for c := range levels[i] {
			seen[i][c] = levels[i][c] + rng.NormFloat64()*0.6
		}
	}
	var raterLink *DemoLink
	for ri, round := range []*survey.Round{&rounds[1], &rounds[2]} {
		var rows []csvfile.RaterRow
		for i := range people {
			rows = append(rows, demoRaters(people, i)...)
		}
		for k := range rows {
			rows[k].Line = k + 2
		}
		links, err := db.ImportRaters(ctx, round.ID, rows, nil)
		if err != nil {
			return nil, err
		}
		var answered []csvfile.ResponseRow
		for k, r := range rows {
			i := indexOfEmail(people, r.SubjectEmail)
			first := ri == 1 && i == 0 && r.Relation == survey.Employee && raterLink == nil
			if first {
				l := links[k]
				raterLink = &DemoLink{Name: l.RaterEmail, Email: l.RaterEmail, Token: l.Token, State: "rater of " + l.SubjectName + ", not started", Rater: true}
				continue
			}
			if rng.Float64() >= demoRaterShare[ri] {
				continue
			}
			answered = append(answered, csvfile.ResponseRow{Line: len(answered) + 2, Email: r.RaterEmail, SubjectEmail: r.SubjectEmail,
				Relation: r.Relation, Answers: raterAnswers(in, seen[i], rng)})
		}
		if _, err := db.ImportResponses(ctx, round, answered); err != nil {
			return nil, err
		}
	}
	if err := db.SetRatersClose(ctx, rounds[2].ID, now.Add(demoRatersOpenFor)); err != nil {
		return nil, err
	}
	return raterLink, nil
}

// raterAnswers answers every item from how others see a leader. The
// demo's raters leave nothing out and never say "ved ikke", so that the
// statements with the largest gaps show: scoring.ItemGaps shows an item
// only when every rater answered the competence's same items.
func raterAnswers(in *survey.Instrument, level []float64, rng *rand.Rand) survey.Answers {
	a := answers(in, level, 0, rng, len(in.Competences))
	for c, comp := range in.Competences {
		for _, it := range comp.Items {
			if v, ok := a[it.ID]; !ok || v == survey.DontKnow {
				a[it.ID] = survey.Answer(max(1, min(5, math.Round(level[c]))))
			}
		}
	}
	return a
}

func indexOfEmail(people []survey.Person, email string) int {
	for i, p := range people {
		if p.Email == email {
			return i
		}
	}
	return -1
}
