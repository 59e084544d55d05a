package data

import (
	"context"
	"fmt"

	"lederradar/survey"
)

// RaterRelations are the relations a 360 round's raters have, in the
// order every count of them is listed.
var RaterRelations = [3]survey.Relation{survey.Manager, survey.Peer, survey.Employee}

// RelationCounts are a group's rater links of one relation in a 360
// round: one per rater and leader rated, over the group's leaders.
type RelationCounts struct {
	// Raters and RatersSubmitted count distinct people: the anonymity
	// rule for counts (scoring.ResponseCountsShown) is about people, and
	// a manager with three links is one.
	Raters, RatersSubmitted int
	// Invited counts links (and ratings imported without one), Submitted
	// those submitted.
	Invited, Submitted int
}

// RaterProgress is how far a 360 round's raters have come, per relation
// (in the order of RaterRelations): over the organisation, and per
// department and team by the leaders rated in it. It says nothing about
// answers; which counts may be shown is for the caller's rule.
type RaterProgress struct {
	Organisation [3]RelationCounts
	Groups       map[int64][3]RelationCounts // by group id
}

// FindRaterProgress counts a round's raters' links and submissions per
// relation, over the organisation and each group of today's organisation
// (the round is open: its groups are today's).
func (d *DB) FindRaterProgress(ctx context.Context, roundID int64) (*RaterProgress, error) {
	tx, _, err := d.beginRoundRead(ctx, roundID)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	type pair struct{ rater, subject int64 }
	type state struct {
		rel       int
		submitted bool
	}
	links := map[pair]state{}
	var order []pair
	relIndex := map[string]int{"manager": 0, "peer": 1, "employee": 2}
	rows, err := tx.QueryContext(ctx, `
		SELECT person_id, subject_id, relation, 0 FROM invitations WHERE round_id = ?1 AND relation <> 'self'
		UNION ALL
		SELECT rater_id, subject_id, relation, 1 FROM responses
		WHERE round_id = ?1 AND relation <> 'self' AND submitted_at IS NOT NULL`, roundID)
	if err != nil {
		return nil, fmt.Errorf("data: unable to count raters: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p pair
		var rel string
		var submitted bool
		if err := rows.Scan(&p.rater, &p.subject, &rel, &submitted); err != nil {
			return nil, fmt.Errorf("data: unable to count raters: %w", err)
		}
		s, seen := links[p]
		if !seen {
			order = append(order, p)
			s.rel = relIndex[rel]
		}
		s.submitted = s.submitted || submitted
		links[p] = s
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: unable to count raters: %w", err)
	}
	groupsOf := map[int64][]int64{}
	if err := scanPairs(ctx, tx, `
		SELECT id, department_id FROM people WHERE rater_only = 0 AND department_id IS NOT NULL
		UNION ALL SELECT person_id, team_id FROM team_members`, nil, func(person, group int64) {
		groupsOf[person] = append(groupsOf[person], group)
	}); err != nil {
		return nil, fmt.Errorf("data: unable to count raters: %w", err)
	}

	tally := newRaterTally()
	for _, p := range order {
		s := links[p]
		tally.add(0, s.rel, p.rater, s.submitted)
		for _, g := range groupsOf[p.subject] {
			tally.add(g, s.rel, p.rater, s.submitted)
		}
	}
	out := &RaterProgress{Organisation: tally.counts[0], Groups: tally.counts}
	delete(out.Groups, 0)
	return out, nil
}

// raterTally counts links and distinct raters per group (0: the
// organisation) and relation.
type raterTally struct {
	counts    map[int64][3]RelationCounts
	seen      map[[3]int64]bool // group, relation, rater
	submitted map[[3]int64]bool
}

func newRaterTally() *raterTally {
	return &raterTally{counts: map[int64][3]RelationCounts{}, seen: map[[3]int64]bool{}, submitted: map[[3]int64]bool{}}
}

func (t *raterTally) add(group int64, rel int, rater int64, submitted bool) {
	c := t.counts[group]
	key := [3]int64{group, int64(rel), rater}
	c[rel].Invited++
	if !t.seen[key] {
		t.seen[key] = true
		c[rel].Raters++
	}
	if submitted {
		c[rel].Submitted++
		if !t.submitted[key] {
			t.submitted[key] = true
			c[rel].RatersSubmitted++
		}
	}
	t.counts[group] = c
}
