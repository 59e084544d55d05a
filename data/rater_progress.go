package data

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

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

// FindRaterProgress returns a round's raters' links and submissions per
// relation, over the organisation and each of groups (departments and
// teams of today's organisation: the round is open, and its leaders
// count where they are now). The counts are kept by migration 0015's
// triggers; a group with none is left out.
func (d *DB) FindRaterProgress(ctx context.Context, roundID int64, groups []int64) (*RaterProgress, error) {
	tx, _, err := d.beginRoundRead(ctx, roundID)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	ids, err := json.Marshal(append([]int64{0}, groups...))
	if err != nil {
		return nil, fmt.Errorf("data: unable to count raters: %w", err)
	}
	rows, err := tx.QueryContext(ctx, `
		SELECT group_id, relation, raters, raters_submitted, invited, submitted FROM rater_counts
		WHERE round_id = ? AND group_id IN (SELECT value FROM json_each(?))`, roundID, string(ids))
	if err != nil {
		return nil, fmt.Errorf("data: unable to count raters: %w", err)
	}
	defer rows.Close()
	out := &RaterProgress{Groups: map[int64][3]RelationCounts{}}
	for rows.Next() {
		var group int64
		var rel survey.Relation
		var n RelationCounts
		if err := rows.Scan(&group, &rel, &n.Raters, &n.RatersSubmitted, &n.Invited, &n.Submitted); err != nil {
			return nil, fmt.Errorf("data: unable to count raters: %w", err)
		}
		i := slices.Index(RaterRelations[:], rel)
		if i < 0 || n == (RelationCounts{}) {
			continue
		}
		if group == 0 {
			out.Organisation[i] = n
			continue
		}
		c := out.Groups[group]
		c[i] = n
		out.Groups[group] = c
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: unable to count raters: %w", err)
	}
	return out, nil
}
