package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"lederradar/survey"
)

// Development plans (DESIGN C8, migration 0017): the leader's own. Only
// the leader's pages, their share links and their data download read
// them.

// dayLayout stores a plan's revisit day.
const dayLayout = "2006-01-02"

// SavePlan stores the leader's plan for a round in place of the one
// before, after checking it against the round's instrument (EINVALID with
// a key naming the problem). Its time is set here.
func (d *DB) SavePlan(ctx context.Context, p survey.Plan, in *survey.Instrument) error {
	p.Normalize()
	if err := p.Validate(in); err != nil {
		return err
	}
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("data: unable to begin saving a plan: %w", err)
	}
	defer tx.Rollback()
	var revisit sql.NullString
	if !p.RevisitOn.IsZero() {
		revisit = sql.NullString{String: p.RevisitOn.Format(dayLayout), Valid: true}
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO plans (round_id, person_id, revisit_on, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (round_id, person_id) DO UPDATE SET revisit_on = excluded.revisit_on, updated_at = excluded.updated_at`,
		p.RoundID, p.PersonID, revisit, formatTime(d.now()))
	if isForeignKeyViolation(err) {
		return survey.Errorf(survey.ENOTFOUND, "no round %d or person %d", p.RoundID, p.PersonID)
	} else if err != nil {
		return fmt.Errorf("data: unable to save the plan of person %d: %w", p.PersonID, err)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM plan_focuses WHERE round_id = ? AND person_id = ?", p.RoundID, p.PersonID); err != nil {
		return fmt.Errorf("data: unable to replace the plan's focuses: %w", err)
	}
	for i, f := range p.Focuses {
		_, err := tx.ExecContext(ctx, `INSERT INTO plan_focuses (round_id, person_id, seq, competence_id, actions, involve)
			VALUES (?, ?, ?, ?, ?, ?)`, p.RoundID, p.PersonID, i+1, f.CompetenceID, f.Actions, f.Involve)
		if err != nil {
			return fmt.Errorf("data: unable to save a focus of the plan: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("data: unable to commit the plan of person %d: %w", p.PersonID, err)
	}
	return nil
}

// FindPlan returns the person's plan for a round; ENOTFOUND when they
// have made none.
func (d *DB) FindPlan(ctx context.Context, roundID, personID int64) (*survey.Plan, error) {
	return findPlan(ctx, d.read, "WHERE p.round_id = ? AND p.person_id = ?", roundID, personID)
}

// FindPreviousPlan returns the person's plan of the latest round before
// the given one (by the rounds' creation) in which they made one, with
// that round; ENOTFOUND when there is none.
func (d *DB) FindPreviousPlan(ctx context.Context, round *survey.Round, personID int64) (*survey.Plan, *survey.Round, error) {
	var prevID int64
	err := d.readRow(ctx, `SELECT r.id FROM plans p JOIN rounds r ON r.id = p.round_id
		WHERE p.person_id = ? AND (r.created_at, r.id) < (?, ?)
		ORDER BY r.created_at DESC, r.id DESC LIMIT 1`, personID, formatTime(round.CreatedAt), round.ID).Scan(&prevID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, survey.Errorf(survey.ENOTFOUND, "no plan before round %d", round.ID)
	} else if err != nil {
		return nil, nil, fmt.Errorf("data: unable to find an earlier plan: %w", err)
	}
	prev, err := d.FindRoundByID(ctx, prevID)
	if err != nil {
		return nil, nil, err
	}
	p, err := d.FindPlan(ctx, prevID, personID)
	return p, prev, err
}

// findPlans returns the plans the where clause (over plans p) selects,
// with their focuses, oldest round first.
func findPlans(ctx context.Context, q queryer, where string, args ...any) ([]survey.Plan, error) {
	rows, err := q.QueryContext(ctx, `SELECT p.round_id, p.person_id, p.revisit_on, p.updated_at,
			coalesce(f.competence_id, ''), coalesce(f.actions, ''), coalesce(f.involve, '')
		FROM plans p LEFT JOIN plan_focuses f ON f.round_id = p.round_id AND f.person_id = p.person_id
		`+where+` ORDER BY p.round_id, p.person_id, f.seq`, args...)
	if err != nil {
		return nil, fmt.Errorf("data: unable to read plans: %w", err)
	}
	defer rows.Close()
	plans := []survey.Plan{}
	for rows.Next() {
		var p survey.Plan
		var revisit sql.NullString
		var updated string
		var f survey.Focus
		if err := rows.Scan(&p.RoundID, &p.PersonID, &revisit, &updated, &f.CompetenceID, &f.Actions, &f.Involve); err != nil {
			return nil, fmt.Errorf("data: unable to read a plan: %w", err)
		}
		if n := len(plans); n == 0 || plans[n-1].RoundID != p.RoundID || plans[n-1].PersonID != p.PersonID {
			if p.UpdatedAt, err = parseTime(updated); err != nil {
				return nil, err
			}
			if revisit.Valid {
				if p.RevisitOn, err = time.Parse(dayLayout, revisit.String); err != nil {
					return nil, fmt.Errorf("data: unable to read a revisit day: %w", err)
				}
			}
			plans = append(plans, p)
		}
		if f.CompetenceID != "" {
			last := &plans[len(plans)-1]
			last.Focuses = append(last.Focuses, f)
		}
	}
	return plans, rows.Err()
}

// findPlan returns the one plan the where clause selects; ENOTFOUND when
// none.
func findPlan(ctx context.Context, q queryer, where string, args ...any) (*survey.Plan, error) {
	plans, err := findPlans(ctx, q, where, args...)
	if err != nil {
		return nil, err
	}
	if len(plans) == 0 {
		return nil, survey.Errorf(survey.ENOTFOUND, "no plan")
	}
	return &plans[0], nil
}
