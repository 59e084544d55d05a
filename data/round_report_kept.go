package data

import (
	"context"
	"database/sql"
	"fmt"

	"lederradar/survey"
)

// StoredReport is a closed round's report as it was kept (migrations
// 0008 and 0009): its body in the encoding Format names, built with the
// round's anonymity threshold MinGroup. It holds counts and profiles
// after the anonymity rule, never a person's id.
type StoredReport struct {
	MinGroup int
	Format   int
	Body     []byte
}

// reportPart is the most of a kept report's body one row holds
// (migration 0008).
const reportPart = 256 << 10

// StoreRoundReport keeps the report of a closed round that has none kept
// in r's format yet: a round closed before its report was kept with it
// (migration 0009), or one kept in an older format. A report in r's format
// is final and is never replaced: then stored is false, and the caller
// reads the kept one (FindRoundReport). RoundReport keeps one only where
// none is kept in a format it reads (reportFormat). The round keeps r's
// threshold as its own if it had none.
func (d *DB) StoreRoundReport(ctx context.Context, roundID int64, r StoredReport) (stored bool, err error) {
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("data: unable to keep the report of round %d: %w", roundID, err)
	}
	defer tx.Rollback()
	if ok, err := exists(ctx, tx, "SELECT 1 FROM rounds WHERE id = ? AND status = 'closed'", roundID); err != nil {
		return false, fmt.Errorf("data: unable to keep the report of round %d: %w", roundID, err)
	} else if !ok {
		return false, nil
	}
	if ok, err := exists(ctx, tx, "SELECT 1 FROM round_reports WHERE round_id = ? AND format = ?", roundID, r.Format); err != nil {
		return false, fmt.Errorf("data: unable to keep the report of round %d: %w", roundID, err)
	} else if ok {
		return false, nil // final
	}
	if err := storeReport(ctx, tx, roundID, r); err != nil {
		return false, err
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("data: unable to keep the report of round %d: %w", roundID, err)
	}
	return true, nil
}

// storeReport writes a round's report through tx, in parts, in place of
// any kept before in another format, and sets the round's threshold to
// the report's where it had none.
func storeReport(ctx context.Context, tx queryer, roundID int64, r StoredReport) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM round_reports WHERE round_id = ?", roundID); err != nil {
		return fmt.Errorf("data: unable to keep the report of round %d: %w", roundID, err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE rounds SET min_group = ? WHERE id = ? AND min_group IS NULL", r.MinGroup, roundID); err != nil {
		return fmt.Errorf("data: unable to keep the report of round %d: %w", roundID, err)
	}
	body := r.Body
	if body == nil {
		body = []byte{}
	}
	for part := 0; part == 0 || len(body) > 0; part++ {
		n := min(len(body), reportPart)
		if _, err := tx.ExecContext(ctx, "INSERT INTO round_reports (round_id, part, min_group, format, body) VALUES (?, ?, ?, ?, ?)",
			roundID, part, r.MinGroup, r.Format, body[:n:n]); err != nil {
			return fmt.Errorf("data: unable to keep the report of round %d: %w", roundID, err)
		}
		body = body[n:]
	}
	return nil
}

// FindRoundReport returns the kept report of a closed round, or an
// ENOTFOUND error when none is kept.
func (d *DB) FindRoundReport(ctx context.Context, roundID int64) (*StoredReport, error) {
	rows, err := d.read.QueryContext(ctx, `
		SELECT min_group, format, body, sum(length(body)) OVER ()
		FROM round_reports WHERE round_id = ? ORDER BY part`, roundID)
	if err != nil {
		return nil, fmt.Errorf("data: unable to find the report of round %d: %w", roundID, err)
	}
	defer rows.Close()
	var r *StoredReport
	for rows.Next() {
		var minGroup, format, size int
		var part sql.RawBytes
		if err := rows.Scan(&minGroup, &format, &part, &size); err != nil {
			return nil, fmt.Errorf("data: unable to find the report of round %d: %w", roundID, err)
		}
		if r == nil {
			// The whole body's size with the first part: one allocation.
			r = &StoredReport{MinGroup: minGroup, Format: format, Body: make([]byte, 0, size)}
		}
		r.Body = append(r.Body, part...)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: unable to find the report of round %d: %w", roundID, err)
	}
	if r == nil {
		return nil, survey.Errorf(survey.ENOTFOUND, "no kept report of round %d", roundID)
	}
	return r, nil
}
