package data

import (
	"context"
	"database/sql"
	"fmt"

	"lederradar/scoring"
	"lederradar/survey"
)

// LeaderFeedback is what a leader may see of their raters' submitted
// answers in a closed 360 round: scoring.LeaderFeedback under the round's
// own threshold (the one its report keeps; minGroup for a round closed
// without one) and its choice to show the manager alone.
//
// Only a closed round has feedback (ECONFLICT otherwise): while raters
// still answer, two views of the pooled mean a day apart would tell the
// leader what the rater in between said.
func (d *DB) LeaderFeedback(ctx context.Context, roundID, subjectID int64, minGroup int) ([]scoring.Feedback, error) {
	var fb []scoring.Feedback
	err := d.withRatings(ctx, roundID, subjectID, minGroup, func(_ *sql.Tx, r rated) error {
		fb = scoring.LeaderFeedback(r.in, r.ratings, r.minGroup, r.round.ManagerShown)
		return nil
	})
	return fb, err
}

// SelfOthers is a leader's 360 result in a closed round: how their raters
// see them, and the items on which the leader's own answer and others'
// mean differ most.
type SelfOthers struct {
	Feedback []scoring.Feedback
	// Items are at most ItemGapCount items, the largest gap first, under
	// the rule of scoring.ItemGaps.
	Items []scoring.ItemGap
	// MinGroup is the threshold the feedback was built with, so a page can
	// say "fewer than N".
	MinGroup int
}

// ItemGapCount is how many items with the largest gaps a 360 result
// shows: a few to talk about, not a second table.
const ItemGapCount = 3

// LeaderSelfOthers is LeaderFeedback with the items on which the
// leader's own submitted answers (as subjectID's self-assessment) and
// others' means differ most. A leader without a submitted
// self-assessment has no item gaps.
func (d *DB) LeaderSelfOthers(ctx context.Context, roundID, subjectID int64, minGroup int) (SelfOthers, error) {
	var out SelfOthers
	err := d.withRatings(ctx, roundID, subjectID, minGroup, func(tx *sql.Tx, r rated) error {
		out.Feedback = scoring.LeaderFeedback(r.in, r.ratings, r.minGroup, r.round.ManagerShown)
		out.MinGroup = scoring.ClampMinGroup(r.minGroup)
		self, err := findSelfAnswers(ctx, tx, r.round.ID, subjectID)
		if err != nil {
			return err
		}
		out.Items = scoring.ItemGaps(r.in, self, r.ratings, out.Feedback, ItemGapCount)
		return nil
	})
	return out, err
}

// rated is what a leader's feedback is built from.
type rated struct {
	round    *survey.Round
	in       *survey.Instrument
	ratings  []scoring.Rating
	minGroup int
}

// withRatings calls f, in one read snapshot, with a closed round's ratings
// of subjectID and the threshold the round keeps (minGroup for a round
// closed without one). Only a closed round has feedback (ECONFLICT
// otherwise): while raters still answer, two views of the pooled mean a
// day apart would tell the leader what the rater in between said.
func (d *DB) withRatings(ctx context.Context, roundID, subjectID int64, minGroup int, f func(*sql.Tx, rated) error) error {
	tx, err := d.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("data: unable to begin finding feedback: %w", err)
	}
	defer tx.Rollback()
	r, err := findRound(ctx, tx, roundID)
	if err != nil {
		return err
	}
	if r.Status != survey.RoundClosed {
		return survey.Errorf(survey.ECONFLICT, "feedback is shown once round %q has closed", r.Name)
	}
	if kept, err := roundThreshold(ctx, tx, r.ID); err != nil {
		return err
	} else if kept > 0 {
		minGroup = kept
	}
	in, err := d.cachedInstrument(ctx, tx, r.InstrumentVersion)
	if err != nil {
		return err
	}
	ratings, err := findRatings(ctx, tx, in, r.ID, subjectID)
	if err != nil {
		return err
	}
	return f(tx, rated{round: r, in: in, ratings: ratings, minGroup: minGroup})
}

// findSelfAnswers reads a leader's submitted self-assessment in a round;
// none when they did not submit one.
func findSelfAnswers(ctx context.Context, tx *sql.Tx, roundID, subjectID int64) (survey.Answers, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT a.item_id, a.value
		FROM responses r JOIN answers a ON a.response_id = r.id
		WHERE r.round_id = ? AND r.subject_id = ? AND r.rater_id = ? AND r.relation = 'self' AND r.submitted_at IS NOT NULL`,
		roundID, subjectID, subjectID)
	if err != nil {
		return nil, fmt.Errorf("data: unable to find self-assessment: %w", err)
	}
	defer rows.Close()
	out := survey.Answers{}
	for rows.Next() {
		var item string
		var value int64
		if err := rows.Scan(&item, &value); err != nil {
			return nil, fmt.Errorf("data: unable to find self-assessment: %w", err)
		}
		out[item] = survey.Answer(value)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: unable to find self-assessment: %w", err)
	}
	return out, nil
}

// findRatings reads the submitted answers of a leader's raters in a
// round, tallied.
func findRatings(ctx context.Context, tx *sql.Tx, in *survey.Instrument, roundID, subjectID int64) ([]scoring.Rating, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT r.id, r.rater_id, r.relation, a.item_id, a.value
		FROM responses r JOIN answers a ON a.response_id = r.id
		WHERE r.round_id = ? AND r.subject_id = ? AND r.relation <> 'self' AND r.submitted_at IS NOT NULL
		ORDER BY r.id`, roundID, subjectID)
	if err != nil {
		return nil, fmt.Errorf("data: unable to find ratings: %w", err)
	}
	defer rows.Close()
	var ratings []scoring.Rating
	var answers []survey.Answers
	last := int64(0)
	for rows.Next() {
		var id, rater int64
		var rel, item string
		var value int64
		if err := rows.Scan(&id, &rater, &rel, &item, &value); err != nil {
			return nil, fmt.Errorf("data: unable to find ratings: %w", err)
		}
		if id != last {
			last = id
			ratings = append(ratings, scoring.Rating{RaterID: rater, Relation: survey.Relation(rel)})
			answers = append(answers, survey.Answers{})
		}
		answers[len(answers)-1][item] = survey.Answer(value)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: unable to find ratings: %w", err)
	}
	for i := range ratings {
		ratings[i].Tally, ratings[i].Answers = in.Tally(answers[i]), answers[i]
	}
	return ratings, nil
}
