package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"lederradar/survey"
)

// RoundSettings are what an administrator sets of a round besides its
// name and dates: whether others rate its leaders, how, and how many
// raters leaders may nominate themselves.
type RoundSettings struct {
	Kind            survey.RoundKind
	ManagerShown    bool
	SeveralManagers bool
	Limits          survey.NominationLimits
	// RatersClose is when raters stop answering and leaders see how
	// others see them while the round stays open; zero: when it closes.
	RatersClose time.Time
}

// FindNominationLimits returns how many raters of each relation a leader
// may nominate in a round.
func (d *DB) FindNominationLimits(ctx context.Context, roundID int64) (survey.NominationLimits, error) {
	return findNominationLimits(ctx, d.read, roundID)
}

func findNominationLimits(ctx context.Context, q queryer, roundID int64) (survey.NominationLimits, error) {
	var l survey.NominationLimits
	err := q.QueryRowContext(ctx, "SELECT nominate_manager, nominate_peer, nominate_employee FROM rounds WHERE id = ?", roundID).
		Scan(&l.Manager, &l.Peer, &l.Employee)
	if errors.Is(err, sql.ErrNoRows) {
		return l, survey.Errorf(survey.ENOTFOUND, "no round with id %d", roundID)
	} else if err != nil {
		return l, fmt.Errorf("data: unable to find the nomination limits of round %d: %w", roundID, err)
	}
	return l, nil
}

// SetRoundSettings stores a round's settings, in one transaction that
// checks them against what the round holds. A closed round keeps its
// settings (ECLOSED): its report is final. A round with raters stays a
// 360 round (ECONFLICT "round_has_raters"). Whether the manager is shown
// alone may change only while no rater has begun answering (ECONFLICT
// "manager_shown_answered"): raters are told which holds before their
// first answer. A round where a leader has two managers keeps allowing
// several (ECONFLICT "several_managers_in_use"). When raters stop
// answering may change only until a leader has seen their feedback
// (ECONFLICT "feedback_shown"), and not to after the day the round
// closes (EINVALID "raters_after_close").
func (d *DB) SetRoundSettings(ctx context.Context, roundID int64, set RoundSettings) error {
	if set.Kind != survey.SelfOnly && set.Kind != survey.ThreeSixty {
		return survey.Errorf(survey.EINVALID, "a round is self or 360, not %q", set.Kind)
	}
	if err := set.Limits.Validate(); err != nil {
		return err
	}
	set.RatersClose = set.RatersClose.UTC().Truncate(time.Second)
	tx, r, err := d.beginOnUnclosedRound(ctx, roundID, "setting the round")
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := checkRatersClose(ctx, tx, r, set.RatersClose); err != nil {
		return err
	}
	checks := []struct {
		when  bool
		query string
		key   string
	}{
		{set.Kind == survey.SelfOnly, "SELECT 1 FROM invitations WHERE round_id = ? AND relation != 'self'", "round_has_raters"},
		{set.ManagerShown != r.ManagerShown, "SELECT 1 FROM responses WHERE round_id = ? AND relation != 'self'", "manager_shown_answered"},
		{!set.SeveralManagers, `SELECT 1 FROM invitations WHERE round_id = ? AND relation = 'manager'
			GROUP BY subject_id HAVING count(*) > 1`, "several_managers_in_use"},
	}
	for _, c := range checks {
		if !c.when {
			continue
		}
		if found, err := exists(ctx, tx, c.query, roundID); err != nil {
			return fmt.Errorf("data: unable to check round %d's settings: %w", roundID, err)
		} else if found {
			return survey.Errorf(survey.ECONFLICT, "round %q cannot take these settings (%s)", r.Name, c.key).WithKey(c.key)
		}
	}
	_, err = tx.ExecContext(ctx, `
		UPDATE rounds SET kind = ?, manager_shown = ?, several_managers = ?,
			nominate_manager = ?, nominate_peer = ?, nominate_employee = ?, raters_close = ?
		WHERE id = ?`, string(set.Kind), set.ManagerShown, set.SeveralManagers,
		set.Limits.Manager, set.Limits.Peer, set.Limits.Employee, nullTime(set.RatersClose), roundID)
	if err != nil {
		return fmt.Errorf("data: unable to set round %d: %w", roundID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("data: unable to commit round %d's settings: %w", roundID, err)
	}
	return nil
}
