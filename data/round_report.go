package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"lederradar/survey"
)

// StoredReport is a closed round's report as it was kept (migration 0008):
// its body in the encoding Format names, built with the anonymity
// threshold MinGroup.
type StoredReport struct {
	MinGroup int
	Format   int
	Body     []byte
}

// StoreRoundReport keeps a closed round's built report, replacing any
// kept before. It keeps it only if nothing it was built from has changed
// since: epoch must be the Epoch of the ReportInputs it was built from,
// and the round must still be closed. stored tells whether it was kept.
func (d *DB) StoreRoundReport(ctx context.Context, roundID, epoch int64, r StoredReport) (stored bool, err error) {
	res, err := d.write.ExecContext(ctx, `
		INSERT OR REPLACE INTO round_reports (round_id, min_group, format, body)
		SELECT ?1, ?2, ?3, ?4
		WHERE (SELECT n FROM report_epoch) = ?5
			AND EXISTS (SELECT 1 FROM rounds WHERE id = ?1 AND status = 'closed')`,
		roundID, r.MinGroup, r.Format, r.Body, epoch)
	if err != nil {
		return false, fmt.Errorf("data: unable to keep the report of round %d: %w", roundID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("data: unable to keep the report of round %d: %w", roundID, err)
	}
	return n > 0, nil
}

// FindRoundReport returns the kept report of a closed round, or an
// ENOTFOUND error when none is kept.
func (d *DB) FindRoundReport(ctx context.Context, roundID int64) (*StoredReport, error) {
	var r StoredReport
	err := d.read.QueryRowContext(ctx, "SELECT min_group, format, body FROM round_reports WHERE round_id = ?", roundID).
		Scan(&r.MinGroup, &r.Format, &r.Body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.Errorf(survey.ENOTFOUND, "no kept report of round %d", roundID)
	}
	if err != nil {
		return nil, fmt.Errorf("data: unable to find the report of round %d: %w", roundID, err)
	}
	return &r, nil
}
