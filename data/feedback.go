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
	tx, err := d.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("data: unable to begin finding feedback: %w", err)
	}
	defer tx.Rollback()
	r, err := findRound(ctx, tx, roundID)
	if err != nil {
		return nil, err
	}
	if r.Status != survey.RoundClosed {
		return nil, survey.Errorf(survey.ECONFLICT, "feedback is shown once round %q has closed", r.Name)
	}
	if kept, err := roundThreshold(ctx, tx, r.ID); err != nil {
		return nil, err
	} else if kept > 0 {
		minGroup = kept
	}
	in, err := d.cachedInstrument(ctx, tx, r.InstrumentVersion)
	if err != nil {
		return nil, err
	}
	ratings, err := findRatings(ctx, tx, in, r.ID, subjectID)
	if err != nil {
		return nil, err
	}
	return scoring.LeaderFeedback(in, ratings, minGroup, r.ManagerShown), nil
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
		ratings[i].Tally = in.Tally(answers[i])
	}
	return ratings, nil
}
