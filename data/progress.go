package data

import (
	"context"
	"database/sql"
	"fmt"
)

// PersonProgress is how far one person has come with their
// self-assessment in a round. It says nothing about the answers.
type PersonProgress struct {
	PersonID  int64
	Invited   bool // has a link for the round
	Started   bool // has saved at least one page (or submitted)
	Submitted bool
}

// FindRoundProgress returns the progress of everyone in the organisation
// in a round, ordered by name as FindPeople is, for the response-rate
// overview.
func (d *DB) FindRoundProgress(ctx context.Context, roundID int64) ([]PersonProgress, error) {
	tx, err := d.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("data: unable to begin finding progress: %w", err)
	}
	defer tx.Rollback()
	if _, err := findRound(ctx, tx, roundID); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `
		SELECT p.id,
			EXISTS (SELECT 1 FROM invitations i
				WHERE i.round_id = ?1 AND i.person_id = p.id AND i.subject_id = p.id),
			r.id IS NOT NULL,
			r.submitted_at IS NOT NULL
		FROM people p
		LEFT JOIN responses r ON r.round_id = ?1 AND r.subject_id = p.id AND r.rater_id = p.id
		ORDER BY p.name, p.id`, roundID)
	if err != nil {
		return nil, fmt.Errorf("data: unable to find progress: %w", err)
	}
	defer rows.Close()
	out := []PersonProgress{}
	for rows.Next() {
		var p PersonProgress
		if err := rows.Scan(&p.PersonID, &p.Invited, &p.Started, &p.Submitted); err != nil {
			return nil, fmt.Errorf("data: unable to find progress: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: unable to find progress: %w", err)
	}
	return out, nil
}
