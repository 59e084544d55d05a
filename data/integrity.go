package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"lederradar/survey"
)

// IntegrityCheck runs SQLite's PRAGMA integrity_check over the whole file
// and returns what it says: "ok" for a sound database, else its findings,
// one a line. The durability tests and the restore drill run it on the
// database after a crash and on every backup.
func (d *DB) IntegrityCheck(ctx context.Context) (string, error) {
	rows, err := d.read.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return "", fmt.Errorf("data: unable to check integrity: %w", err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return "", fmt.Errorf("data: unable to check integrity: %w", err)
		}
		lines = append(lines, line)
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("data: unable to check integrity: %w", err)
	}
	return strings.Join(lines, "\n"), nil
}

// FindFormKey returns the id of the response a posted form's key was
// recorded for, or ENOTFOUND when no post with that key was ever stored.
// A stored key is the proof that its post was applied, once.
func (d *DB) FindFormKey(ctx context.Context, key string) (int64, error) {
	var id int64
	err := d.read.QueryRowContext(ctx, "SELECT response_id FROM form_keys WHERE key = ?", key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, survey.Errorf(survey.ENOTFOUND, "no form with that key was stored")
	} else if err != nil {
		return 0, fmt.Errorf("data: unable to find form key: %w", err)
	}
	return id, nil
}
