package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"lederradar/scoring"
	"lederradar/survey"
)

// CreateRound stores a new round and sets r.ID, and r.CreatedAt when it is
// zero. The round's instrument version must already be stored
// (EnsureInstrument), so the round is frozen to it.
func (d *DB) CreateRound(ctx context.Context, r *survey.Round) error {
	if err := r.Validate(); err != nil {
		return err
	}
	created := r.CreatedAt
	if created.IsZero() {
		created = d.now()
	}
	created = created.UTC().Truncate(time.Second)

	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("data: unable to begin creating round: %w", err)
	}
	defer tx.Rollback()
	if ok, err := exists(ctx, tx, "SELECT 1 FROM instruments WHERE version = ?", r.InstrumentVersion); err != nil {
		return fmt.Errorf("data: unable to find instrument %s: %w", r.InstrumentVersion, err)
	} else if !ok {
		return survey.Errorf(survey.EINVALID, "instrument version %s is not stored", r.InstrumentVersion)
	}
	if r.Kind == "" {
		r.Kind = survey.SelfOnly
	}
	// A round made closed was closed when it was made.
	var closed time.Time
	if r.Status == survey.RoundClosed {
		closed = created
	}
	var id int64
	err = tx.QueryRowContext(ctx, `
		INSERT INTO rounds (name, status, instrument_version, opens_at, closes_at, created_at, closed_at, kind, manager_shown, several_managers, raters_close)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		r.Name, string(r.Status), r.InstrumentVersion,
		nullTime(r.Opens), nullTime(r.Closes), formatTime(created), nullTime(closed),
		string(r.Kind), r.ManagerShown, r.SeveralManagers, nullTime(r.RatersClose)).Scan(&id)
	if isUniqueViolation(err) {
		return survey.Errorf(survey.ECONFLICT, "a round named %q already exists", r.Name).WithKey("round_exists", r.Name)
	} else if err != nil {
		return fmt.Errorf("data: unable to create round: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("data: unable to commit round: %w", err)
	}
	r.ID = id
	r.CreatedAt = created
	r.ClosedAt = closed
	r.Opens = r.Opens.UTC().Truncate(time.Second)
	r.Closes = r.Closes.UTC().Truncate(time.Second)
	r.RatersClose = r.RatersClose.UTC().Truncate(time.Second)
	return nil
}

const roundColumns = "id, name, status, instrument_version, opens_at, closes_at, created_at, closed_at, kind, manager_shown, several_managers, raters_close"

func scanRound(row interface{ Scan(...any) error }) (survey.Round, error) {
	var r survey.Round
	var status, created, kind string
	var opens, closes, closedAt, ratersClose sql.NullString
	if err := row.Scan(&r.ID, &r.Name, &status, &r.InstrumentVersion, &opens, &closes, &created, &closedAt,
		&kind, &r.ManagerShown, &r.SeveralManagers, &ratersClose); err != nil {
		return r, err
	}
	r.Status, r.Kind = survey.RoundStatus(status), survey.RoundKind(kind)
	var err error
	if r.Opens, err = parseNullTime(opens); err != nil {
		return r, err
	}
	if r.Closes, err = parseNullTime(closes); err != nil {
		return r, err
	}
	if r.ClosedAt, err = parseNullTime(closedAt); err != nil {
		return r, err
	}
	if r.RatersClose, err = parseNullTime(ratersClose); err != nil {
		return r, err
	}
	r.CreatedAt, err = parseTime(created)
	return r, err
}

func findRound(ctx context.Context, q queryer, id int64) (*survey.Round, error) {
	r, err := scanRound(q.QueryRowContext(ctx, findRoundSQL, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.Errorf(survey.ENOTFOUND, "no round with id %d", id)
	} else if err != nil {
		return nil, fmt.Errorf("data: unable to find round %d: %w", id, err)
	}
	return &r, nil
}

// FindRoundByID returns the round with the given id.
func (d *DB) FindRoundByID(ctx context.Context, id int64) (*survey.Round, error) {
	// As findRound, through the prepared statement: every leader's page
	// asks.
	r, err := scanRound(d.readRow(ctx, "SELECT "+roundColumns+" FROM rounds WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.Errorf(survey.ENOTFOUND, "no round with id %d", id)
	} else if err != nil {
		return nil, fmt.Errorf("data: unable to find round %d: %w", id, err)
	}
	return &r, nil
}

// FindRoundByName returns the round with the given name, ignoring ASCII
// case.
func (d *DB) FindRoundByName(ctx context.Context, name string) (*survey.Round, error) {
	r, err := scanRound(d.read.QueryRowContext(ctx, "SELECT "+roundColumns+" FROM rounds WHERE name = ?", name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.Errorf(survey.ENOTFOUND, "no round named %q", name)
	} else if err != nil {
		return nil, fmt.Errorf("data: unable to find round by name: %w", err)
	}
	return &r, nil
}

// FindRounds returns every round, the newest first.
func (d *DB) FindRounds(ctx context.Context) ([]survey.Round, error) {
	return findAll(ctx, d, "rounds", "SELECT "+roundColumns+" FROM rounds ORDER BY created_at DESC, id DESC", scanRound)
}

// SetRoundStatus moves a round on: draft → open → closed (or draft →
// closed). Closing records when, which the retention period counts from.
// Setting the status it has is a no-op. A round never goes back:
// HR sees profiles once a round has closed, and reopening it would let one
// new answer change a profile already seen, which can reveal that answer.
// A round closed so has no threshold and no kept report: its report is
// kept the first time it is read (RoundReport). CloseRound keeps it at
// the close.
func (d *DB) SetRoundStatus(ctx context.Context, id int64, status survey.RoundStatus) error {
	_, err := d.setRoundStatus(ctx, id, status, 0)
	return err
}

// CloseRound closes a round as SetRoundStatus does and, in the same
// transaction, gives it the anonymity threshold minGroup and builds and
// keeps its report with that threshold from what the round closed with.
// That report is final (migration 0009): so no view ever finds the round
// closed and its report not yet built, and no later change makes another;
// it is held in memory from the commit on (RoundReport). A failing build
// fails the close, which then changes nothing. It holds the writer while
// the report is built: about half a second more at 100,000 people.
func (d *DB) CloseRound(ctx context.Context, id int64, minGroup int) error {
	if minGroup < scoring.MinGroupFloor {
		return survey.Errorf(survey.EINVALID, "a round closes with an anonymity threshold of at least %d, not %d", scoring.MinGroupFloor, minGroup)
	}
	rep, err := d.setRoundStatus(ctx, id, survey.RoundClosed, minGroup)
	if rep != nil {
		d.reports.put(id, rep)
	}
	return err
}

// setRoundStatus sets a round's status and, when it closes with the
// threshold minGroup (not 0), builds and keeps its report in the same
// transaction and returns it.
func (d *DB) setRoundStatus(ctx context.Context, id int64, status survey.RoundStatus, minGroup int) (*RoundReport, error) {
	switch status {
	case survey.RoundDraft, survey.RoundOpen, survey.RoundClosed:
	default:
		return nil, survey.Errorf(survey.EINVALID, "round status %q is not draft, open or closed", status)
	}
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("data: unable to begin setting round status: %w", err)
	}
	defer tx.Rollback()
	r, err := findRound(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if r.Status == status {
		return nil, nil
	}
	rank := map[survey.RoundStatus]int{survey.RoundDraft: 0, survey.RoundOpen: 1, survey.RoundClosed: 2}
	if rank[status] < rank[r.Status] {
		return nil, survey.Errorf(survey.ECONFLICT, "round %q is %s and cannot become %s again", r.Name, r.Status, status).WithKey("round_status_back", r.Name)
	}
	var closed time.Time
	if status == survey.RoundClosed {
		closed = d.now()
	}
	var threshold sql.NullInt64
	if minGroup > 0 {
		threshold = sql.NullInt64{Int64: int64(minGroup), Valid: true}
	}
	if _, err := tx.ExecContext(ctx, "UPDATE rounds SET status = ?, closed_at = ?, min_group = ? WHERE id = ?",
		string(status), nullTime(closed), threshold, id); err != nil {
		return nil, fmt.Errorf("data: unable to set round status: %w", err)
	}
	if status == survey.RoundClosed {
		// The thank-yous go with the close, in its transaction.
		if err := queueThanks(ctx, tx, id, closed); err != nil {
			return nil, err
		}
	}
	var rep *RoundReport
	if status == survey.RoundClosed && minGroup > 0 {
		if rep, err = d.closingReport(ctx, tx, id); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("data: unable to commit round status: %w", err)
	}
	return rep, nil
}
