package orggen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"

	"lederradar/data"
	"lederradar/internal/csvfile"
	"lederradar/survey"
)

// A generated organisation's 360 rounds (Config.ThreeSixty): the newest
// closed round and the open one ask five raters about each leader — the
// manager, two peers and two employees — through the same imports an
// administrator uses, and the raters answer as the leaders do: in the
// closed round four in five submitted, in the open one a quarter so far
// and one in ten half-way.

// RaterLink is one rater's personal link for one leader in the open round.
type RaterLink struct {
	SubjectID int64
	Relation  survey.Relation
	Token     string
	// State is how far the rater had come when the organisation was
	// generated.
	State State
}

// directorEmail is the municipal director, who only rates: the manager of
// the heads of the first department of each area.
const directorEmail = "direktion@orggen.example"

// raters names leader i's five raters. A leader's manager is the head of
// their department (its first person); a head's is the head of their
// area's first department, and that head's the director. A leader's peers
// are the colleagues after them in the department, a head's the heads of
// the next departments; a leader's employees are two people who only
// rate, a head's two people of their department.
func (st *staff) raters(i int) []csvfile.RaterRow {
	d := st.dept[i]
	from, to := st.starts[d], st.starts[d+1]
	subject := st.emails[i]
	rows := make([]csvfile.RaterRow, 0, 5)
	add := func(email string, rel survey.Relation) bool {
		if email == subject {
			return false
		}
		for _, r := range rows {
			if r.RaterEmail == email {
				return false
			}
		}
		rows = append(rows, csvfile.RaterRow{SubjectEmail: subject, RaterEmail: email, Relation: rel})
		return true
	}
	// colleagues adds up to want people of the department after i, round
	// the end.
	colleagues := func(rel survey.Relation, want int) {
		for k := 1; k < to-from && want > 0; k++ {
			if add(st.emails[from+(i-from+k)%(to-from)], rel) {
				want--
			}
		}
	}
	manager := directorEmail
	if i != from {
		manager = st.emails[from]
	} else if head := st.starts[d/areaSize*areaSize]; head != i {
		manager = st.emails[head]
	}
	add(manager, survey.Manager)
	if i != from {
		colleagues(survey.Peer, 2)
		for k := 1; k <= 2; k++ {
			add(fmt.Sprintf("medarbejder%d.%d@orggen.example", k, i+1), survey.Employee)
		}
		return rows
	}
	depts := len(st.starts) - 1
	for k := 1; k < depts && len(rows) < 3; k++ {
		add(st.emails[st.starts[(d+k)%depts]], survey.Peer)
	}
	colleagues(survey.Peer, 3-len(rows)) // an organisation of one or two departments
	colleagues(survey.Employee, 2)
	return rows
}

// add360 makes rounds — the newest closed round, still open, and the open
// one — 360 rounds and answers for their raters. Raters see a leader a
// little differently from how the leader sees themselves, per competence,
// so self and others differ. It keeps the open round's raters' links in
// org.
func add360(ctx context.Context, db *data.DB, in *survey.Instrument, rng *rand.Rand, rounds []survey.Round, st *staff, levels [][]float64, org *Org) error {
	seen := make([][]float64, len(levels))
	for i := range levels {
		seen[i] = make([]float64, len(levels[i]))
		for c := range levels[i] {
			seen[i][c] = levels[i][c] + rng.NormFloat64()*0.5
		}
	}
	rows := make([]csvfile.RaterRow, 0, 5*len(st.ids))
	leader := make([]int, 0, 5*len(st.ids)) // of each row, an index into st
	for i := range st.ids {
		for _, r := range st.raters(i) {
			r.Line = len(rows) + 2
			rows, leader = append(rows, r), append(leader, i)
		}
	}
	for ri := range rounds {
		r := &rounds[ri]
		open := ri == len(rounds)-1
		links, err := db.ImportRaters(ctx, r.ID, rows, nil)
		if err != nil {
			return err
		}
		growth := 0.15 * float64(ri+1)
		var submitted []csvfile.ResponseRow
		var started []raterSave
		for k, row := range rows {
			i := leader[k]
			state := drawState(rng, open)
			switch state {
			case Submitted:
				submitted = append(submitted, csvfile.ResponseRow{Line: len(submitted) + 2, Email: row.RaterEmail,
					SubjectEmail: row.SubjectEmail, Relation: row.Relation, Answers: answers(in, seen[i], growth, rng, len(in.Competences))})
			case Started:
				pages := 1 + rng.IntN(len(in.Competences)-1)
				started = append(started, raterSave{email: row.RaterEmail, AnswerSave: data.AnswerSave{RoundID: r.ID, SubjectID: st.ids[i],
					Relation: row.Relation, FormKey: fmt.Sprintf("orggen-%d-%d", r.ID, k), Answers: answers(in, seen[i], growth, rng, pages)}})
			}
			if open {
				org.RaterLinks = append(org.RaterLinks, RaterLink{SubjectID: st.ids[i], Relation: row.Relation, Token: links[k].Token, State: state})
			}
		}
		if _, err := db.ImportResponses(ctx, r, submitted); err != nil {
			return err
		}
		org.RatersSubmitted[r.ID] = len(submitted)
		if err := saveStarted(ctx, db, started); err != nil {
			return err
		}
	}
	return nil
}

// raterSave is a half-way rater's answers, the rater known by address.
type raterSave struct {
	data.AnswerSave
	email string
}

// saveStarted saves the half-way raters' answers, many at once so that
// the database commits them together (group commit) rather than one
// commit each.
func saveStarted(ctx context.Context, db *data.DB, saves []raterSave) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	work := make(chan *raterSave)
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			for s := range work {
				p, err := db.FindPersonByEmail(ctx, s.email)
				if err == nil {
					s.RaterID = p.ID
					_, err = db.SaveAnswers(ctx, s.AnswerSave)
				}
				if err != nil {
					cancel(err)
				}
			}
		})
	}
	for i := range saves {
		if ctx.Err() != nil {
			break
		}
		work <- &saves[i]
	}
	close(work)
	wg.Wait()
	return context.Cause(ctx)
}
