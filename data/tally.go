package data

import (
	"context"
	"fmt"

	"lederradar/survey"
)

// Tallies (migration 0004) hold, per response, the counts of its answers
// per competence and value. They are derived data, kept inside the write
// transactions that change answers: the triggers of 0004 drop a
// response's tally whenever its answers change, and the code below writes
// the new one. A reader that meets a submitted response without a tally
// (written by an older version, or by a path that does not keep tallies)
// counts its answers instead, so a missing tally costs time, never
// correctness.

const storeTallySQL = `INSERT INTO answer_tallies (response_id, tally) VALUES (?, ?)
		ON CONFLICT (response_id) DO UPDATE SET tally = excluded.tally`

// storeTally writes the tally of a response.
func storeTally(ctx context.Context, q queryer, responseID int64, t survey.Tally) error {
	if _, err := q.ExecContext(ctx, storeTallySQL, responseID, t.AppendBinary(nil)); err != nil {
		return fmt.Errorf("data: unable to store tally: %w", err)
	}
	return nil
}

// retally counts a response's answers as they stand in q (a write
// transaction) against the round's instrument and stores the tally.
func retally(ctx context.Context, q queryer, in *survey.Instrument, responseID int64) error {
	a, err := responseAnswers(ctx, q, responseID)
	if err != nil {
		return err
	}
	return storeTally(ctx, q, responseID, in.Tally(a))
}

// responseAnswers reads the answers of one response.
func responseAnswers(ctx context.Context, q queryer, responseID int64) (survey.Answers, error) {
	rows, err := q.QueryContext(ctx, readAnswersSQL, responseID)
	if err != nil {
		return nil, fmt.Errorf("data: unable to read answers: %w", err)
	}
	defer rows.Close()
	a := survey.Answers{}
	for rows.Next() {
		var item string
		var v int
		if err := rows.Scan(&item, &v); err != nil {
			return nil, fmt.Errorf("data: unable to read answers: %w", err)
		}
		a[item] = survey.Answer(v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: unable to read answers: %w", err)
	}
	return a, nil
}
