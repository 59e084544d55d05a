package data

import (
	"context"
	"encoding/binary"
	"errors"
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
	if _, err := q.ExecContext(ctx, storeTallySQL, responseID, appendTally(nil, t)); err != nil {
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

// tallyFormat is the first byte of an encoded tally, so that a later
// format can be told apart.
const tallyFormat = 1

// appendTally appends a tally's compact encoding, the form
// answer_tallies keeps it in, to b: a format byte, the number of
// competences, then the six counts of each as unsigned varints. An
// instrument's 44 answers take 68 bytes.
func appendTally(b []byte, t survey.Tally) []byte {
	b = append(b, tallyFormat)
	b = binary.AppendUvarint(b, uint64(len(t)))
	for _, counts := range t {
		for _, n := range counts {
			b = binary.AppendUvarint(b, uint64(n))
		}
	}
	return b
}

// decodeTally reads a tally that appendTally wrote.
func decodeTally(b []byte) (survey.Tally, error) {
	return appendDecodedTally(nil, b)
}

// appendDecodedTally decodes a tally that appendTally wrote and appends
// its competences to dst, so that many tallies can share one allocation:
// the tally is the returned slice from len(dst) on.
func appendDecodedTally(dst survey.Tally, b []byte) (survey.Tally, error) {
	if len(b) == 0 || b[0] != tallyFormat {
		return dst, errors.New("data: unknown tally format")
	}
	b = b[1:]
	n, w := binary.Uvarint(b)
	if w <= 0 || n > 1<<12 {
		return dst, errors.New("data: bad tally length")
	}
	b = b[w:]
	start := len(dst)
	if n == 0 && dst == nil {
		dst = survey.Tally{}
	}
	for range n {
		var counts [6]uint16
		for v := range counts {
			x, w := binary.Uvarint(b)
			if w <= 0 || x > 1<<16-1 {
				return dst[:start], errors.New("data: bad tally count")
			}
			counts[v] = uint16(x)
			b = b[w:]
		}
		dst = append(dst, counts)
	}
	if len(b) != 0 {
		return dst[:start], errors.New("data: trailing bytes after tally")
	}
	return dst, nil
}
