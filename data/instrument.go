package data

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"

	"lederradar/survey"
)

// EnsureInstrument stores raw, the file in was parsed from, under
// in.Version. Storing the same bytes again is a no-op; other bytes under a
// stored version are refused, because rounds that used that version must
// keep reading against what they asked.
func (d *DB) EnsureInstrument(ctx context.Context, in *survey.Instrument, raw []byte) error {
	if in == nil || in.Version == "" {
		return survey.Errorf(survey.EINVALID, "instrument version is required")
	}
	if len(raw) == 0 {
		return survey.Errorf(survey.EINVALID, "instrument %s: the file is empty", in.Version)
	}
	// FindInstrument will parse these bytes for every later reader, so
	// they must be a valid file of this very version.
	parsed, err := survey.ParseInstrument(raw)
	if err != nil {
		return err
	}
	if parsed.Version != in.Version {
		return survey.Errorf(survey.EINVALID, "instrument file has version %s, not %s", parsed.Version, in.Version)
	}
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("data: unable to begin storing instrument: %w", err)
	}
	defer tx.Rollback()

	var stored []byte
	err = tx.QueryRowContext(ctx, "SELECT body FROM instruments WHERE version = ?", in.Version).Scan(&stored)
	switch {
	case err == nil:
		if !bytes.Equal(stored, raw) {
			return survey.Errorf(survey.EINVALID, "instrument version %s is already stored with different content; give the changed file a new version", in.Version)
		}
		return nil
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("data: unable to read instrument %s: %w", in.Version, err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO instruments (version, body) VALUES (?, ?)", in.Version, raw); err != nil {
		return fmt.Errorf("data: unable to store instrument %s: %w", in.Version, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("data: unable to commit instrument %s: %w", in.Version, err)
	}
	return nil
}

// FindInstrument returns the stored instrument of the given version,
// parsed afresh so the caller may change its copy.
func (d *DB) FindInstrument(ctx context.Context, version string) (*survey.Instrument, error) {
	raw, err := d.instrumentFile(ctx, d.read, version)
	if err != nil {
		return nil, err
	}
	in, err := survey.ParseStoredInstrument(raw)
	if err != nil {
		return nil, fmt.Errorf("data: unable to parse stored instrument %s: %w", version, err)
	}
	return in, nil
}

func (d *DB) instrumentFile(ctx context.Context, q queryer, version string) ([]byte, error) {
	var raw []byte
	err := q.QueryRowContext(ctx, "SELECT body FROM instruments WHERE version = ?", version).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.Errorf(survey.ENOTFOUND, "instrument version %s is not stored", version)
	} else if err != nil {
		return nil, fmt.Errorf("data: unable to read instrument %s: %w", version, err)
	}
	return raw, nil
}

// CachedInstrument returns the instrument of a version as the rounds
// that froze it read it: parsed once and then shared by every caller, so
// a caller must never change it (FindInstrument gives a copy to change).
// A stored version never changes, so the parse stays right.
func (d *DB) CachedInstrument(ctx context.Context, version string) (*survey.Instrument, error) {
	return d.cachedInstrument(ctx, d.read, version)
}

// cachedInstrument is CachedInstrument through q: the read pool, or a
// write transaction that must not wait for another connection.
func (d *DB) cachedInstrument(ctx context.Context, q queryer, version string) (*survey.Instrument, error) {
	d.mu.Lock()
	in, ok := d.instruments[version]
	d.mu.Unlock()
	if ok {
		return in, nil
	}
	raw, err := d.instrumentFile(ctx, q, version)
	if err != nil {
		return nil, err
	}
	in, err = survey.ParseStoredInstrument(raw)
	if err != nil {
		return nil, fmt.Errorf("data: unable to parse stored instrument %s: %w", version, err)
	}
	d.mu.Lock()
	d.instruments[version] = in
	d.mu.Unlock()
	return in, nil
}
