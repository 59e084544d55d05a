package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"lederradar/scoring"
	"lederradar/survey"
)

// LeaderFeedback is what a leader may see of their raters' submitted
// answers in a 360 round: scoring.LeaderFeedback under the round's
// threshold (the one its report keeps once closed; minGroup before) and
// its choice to show the manager alone.
//
// It exists once no rater's answer can change it (survey.Round.
// FeedbackReady; ECONFLICT before): while raters still answer, two views
// of the pooled mean a day apart would tell the leader what the rater in
// between said. The first look keeps it (kept_feedback, migration 0012)
// and every later one reads what was kept, so it stays final: erasing a
// rater or changing the threshold afterwards changes nothing the leader
// could subtract.
func (d *DB) LeaderFeedback(ctx context.Context, roundID, subjectID int64, minGroup int) ([]scoring.Feedback, error) {
	k, err := d.keepFeedback(ctx, roundID, subjectID, minGroup)
	return k.Feedback, err
}

// SelfOthers is a leader's 360 result: how their raters see them, and
// the items on which the leader's own answer and others' mean differ
// most.
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
// others' means differ most. Others' item means are kept with the
// feedback; the leader's own answers are read as they are now. A leader
// without a submitted self-assessment has no item gaps.
func (d *DB) LeaderSelfOthers(ctx context.Context, roundID, subjectID int64, minGroup int) (SelfOthers, error) {
	k, err := d.keepFeedback(ctx, roundID, subjectID, minGroup)
	if err != nil {
		return SelfOthers{}, err
	}
	tx, err := d.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return SelfOthers{}, fmt.Errorf("data: unable to begin finding a self-assessment: %w", err)
	}
	defer tx.Rollback()
	self, err := findSelfAnswers(ctx, tx, roundID, subjectID)
	if err != nil {
		return SelfOthers{}, err
	}
	return SelfOthers{Feedback: k.Feedback, Items: scoring.GapsFromMeans(k.Items, self, ItemGapCount), MinGroup: k.MinGroup}, nil
}

// keptFeedback is what kept_feedback holds of a leader's raters: the
// aggregates the leader may see, never an answer.
type keptFeedback struct {
	Feedback []scoring.Feedback
	// Items are others' means on the items scoring.OthersItemMeans lets
	// a leader see.
	Items    []scoring.ItemGap
	MinGroup int
}

// keepFeedback returns the feedback kept for a leader in a round, keeping
// it first if it is ready and not kept yet.
func (d *DB) keepFeedback(ctx context.Context, roundID, subjectID int64, minGroup int) (keptFeedback, error) {
	if k, ok, err := readKeptFeedback(ctx, d.read, roundID, subjectID); err != nil || ok {
		return k, err
	}
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return keptFeedback{}, fmt.Errorf("data: unable to begin keeping feedback: %w", err)
	}
	defer tx.Rollback()
	// Another request may have kept it between the two looks.
	if k, ok, err := readKeptFeedback(ctx, tx, roundID, subjectID); err != nil || ok {
		return k, err
	}
	r, err := findRound(ctx, tx, roundID)
	if err != nil {
		return keptFeedback{}, err
	}
	if !r.FeedbackReady(d.now()) {
		return keptFeedback{}, survey.Errorf(survey.ECONFLICT, "feedback is shown once the raters of round %q have answered", r.Name)
	}
	if kept, err := roundThreshold(ctx, tx, r.ID); err != nil {
		return keptFeedback{}, err
	} else if kept > 0 {
		minGroup = kept
	}
	in, err := d.cachedInstrument(ctx, tx, r.InstrumentVersion)
	if err != nil {
		return keptFeedback{}, err
	}
	ratings, err := findRatings(ctx, tx, in, r.ID, subjectID)
	if err != nil {
		return keptFeedback{}, err
	}
	k := keptFeedback{Feedback: scoring.LeaderFeedback(in, ratings, minGroup, r.ManagerShown), MinGroup: scoring.ClampMinGroup(minGroup)}
	k.Items = scoring.OthersItemMeans(in, ratings, k.Feedback)
	body, err := json.Marshal(k)
	if err != nil {
		return keptFeedback{}, fmt.Errorf("data: unable to encode feedback: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO kept_feedback (round_id, subject_id, body) VALUES (?, ?, ?)", r.ID, subjectID, string(body)); err != nil {
		return keptFeedback{}, fmt.Errorf("data: unable to keep feedback: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return keptFeedback{}, fmt.Errorf("data: unable to commit feedback: %w", err)
	}
	return k, nil
}

// readKeptFeedback reads the feedback kept for a leader in a round; false
// when none is.
func readKeptFeedback(ctx context.Context, q queryer, roundID, subjectID int64) (keptFeedback, bool, error) {
	var body string
	err := q.QueryRowContext(ctx, "SELECT body FROM kept_feedback WHERE round_id = ? AND subject_id = ?", roundID, subjectID).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return keptFeedback{}, false, nil
	} else if err != nil {
		return keptFeedback{}, false, fmt.Errorf("data: unable to read kept feedback: %w", err)
	}
	var k keptFeedback
	if err := json.Unmarshal([]byte(body), &k); err != nil {
		return keptFeedback{}, false, fmt.Errorf("data: unable to decode kept feedback: %w", err)
	}
	return k, true, nil
}

// SetRatersClose sets when the raters of a round stop answering (zero:
// when the round closes), by the rule of RoundSettings.RatersClose: only
// while the round is a draft or open (ECLOSED), no later than the day it
// closes, and not once a leader has been shown feedback, since what they
// saw must stay final (ECONFLICT).
func (d *DB) SetRatersClose(ctx context.Context, roundID int64, at time.Time) error {
	tx, r, err := d.beginOnUnclosedRound(ctx, roundID, "setting the raters' close")
	if err != nil {
		return err
	}
	defer tx.Rollback()
	at = at.UTC().Truncate(time.Second)
	if err := checkRatersClose(ctx, tx, r, at); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "UPDATE rounds SET raters_close = ? WHERE id = ?", nullTime(at), roundID); err != nil {
		return fmt.Errorf("data: unable to set the raters' close: %w", err)
	}
	return tx.Commit()
}

// checkRatersClose checks at, when raters of round r are to stop: no
// later than the day r closes (EINVALID "raters_after_close"), and, if
// it moves, not once a leader has seen how others see them (ECONFLICT
// "feedback_shown"): what they saw stays.
func checkRatersClose(ctx context.Context, tx *sql.Tx, r *survey.Round, at time.Time) error {
	if !at.IsZero() && !r.Closes.IsZero() && at.After(r.Closes.AddDate(0, 0, 1)) {
		return survey.Errorf(survey.EINVALID, "raters of round %q cannot answer after it closes", r.Name).WithKey("raters_after_close")
	}
	if at.Equal(r.RatersClose) {
		return nil
	}
	if shown, err := exists(ctx, tx, "SELECT 1 FROM kept_feedback WHERE round_id = ?", r.ID); err != nil {
		return fmt.Errorf("data: unable to find kept feedback: %w", err)
	} else if shown {
		return survey.Errorf(survey.ECONFLICT, "leaders of round %q have seen their feedback", r.Name).WithKey("feedback_shown", r.Name)
	}
	return nil
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
