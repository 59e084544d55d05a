package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"lederradar/survey"
)

// A leader's result page shows their own scores in this round and in the
// previous round they took part in. Both come from the responses' tallies
// (tally.go): one small row each rather than every answer, and the
// previous round in the same statement as its response. Scores from a
// tally equal scores from the answers (scoring.TestPersonFromTally).

// FindSubmittedTally returns the tally of the submitted response of rater
// about subject in a round, counted against in, the round's instrument.
// ENOTFOUND when there is no submitted response.
func (d *DB) FindSubmittedTally(ctx context.Context, roundID, subjectID, raterID int64, in *survey.Instrument) (survey.Tally, error) {
	var responseID int64
	var tally []byte
	err := d.readRow(ctx, `
		SELECT r.id, t.tally
		FROM responses r LEFT JOIN answer_tallies t ON t.response_id = r.id
		WHERE r.round_id = ? AND r.subject_id = ? AND r.rater_id = ? AND r.submitted_at IS NOT NULL`,
		roundID, subjectID, raterID).Scan(&responseID, &tally)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.Errorf(survey.ENOTFOUND, "no submitted response")
	} else if err != nil {
		return nil, fmt.Errorf("data: unable to find response: %w", err)
	}
	return d.tallyOf(ctx, responseID, tally, in)
}

// FindPreviousSubmission returns the newest closed round created before
// round in which rater submitted a response about subject, with that
// response's tally counted against the round's own instrument.
// ENOTFOUND when there is none.
func (d *DB) FindPreviousSubmission(ctx context.Context, round *survey.Round, subjectID, raterID int64) (*survey.Round, survey.Tally, error) {
	var responseID int64
	var tally []byte
	prev, err := scanRound(withExtra{d.readRow(ctx, `
		SELECT ro.id, ro.name, ro.status, ro.instrument_version, ro.opens_at, ro.closes_at, ro.created_at, ro.closed_at,
			r.id, t.tally
		FROM responses r
		JOIN rounds ro ON ro.id = r.round_id
		LEFT JOIN answer_tallies t ON t.response_id = r.id
		WHERE r.subject_id = ? AND r.rater_id = ? AND r.submitted_at IS NOT NULL
			AND ro.status = 'closed' AND (ro.created_at, ro.id) < (?, ?)
		ORDER BY ro.created_at DESC, ro.id DESC
		LIMIT 1`, subjectID, raterID, formatTime(round.CreatedAt), round.ID), []any{&responseID, &tally}})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, survey.Errorf(survey.ENOTFOUND, "no submission before %q", round.Name)
	} else if err != nil {
		return nil, nil, fmt.Errorf("data: unable to find the previous submission: %w", err)
	}
	in, err := d.cachedInstrument(ctx, d.read, prev.InstrumentVersion)
	if err != nil {
		return nil, nil, err
	}
	t, err := d.tallyOf(ctx, responseID, tally, in)
	if err != nil {
		return nil, nil, err
	}
	return &prev, t, nil
}

// tallyOf decodes a stored tally, or counts the response's answers when it
// has none (a tally can be missing, never stale).
func (d *DB) tallyOf(ctx context.Context, responseID int64, stored []byte, in *survey.Instrument) (survey.Tally, error) {
	if stored != nil {
		t, err := survey.DecodeTally(stored)
		if err != nil {
			return nil, fmt.Errorf("data: tally of response %d: %w", responseID, err)
		}
		return t, nil
	}
	a, err := responseAnswers(ctx, d.read, responseID)
	if err != nil {
		return nil, err
	}
	return in.Tally(a), nil
}

// withExtra scans a row into a scanner's columns followed by extra ones.
type withExtra struct {
	row   rowScanner
	extra []any
}

func (w withExtra) Scan(dest ...any) error {
	return w.row.Scan(append(dest, w.extra...)...)
}
