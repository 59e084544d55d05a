package data

import (
	"context"
	"database/sql"
	"fmt"

	"lederradar/survey"
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
	tx, _, err := d.beginRoundRead(ctx, roundID)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `
		SELECT p.id,
			EXISTS (SELECT 1 FROM invitations i
				WHERE i.round_id = ?1 AND i.person_id = p.id AND i.subject_id = p.id),
			r.id IS NOT NULL,
			r.submitted_at IS NOT NULL
		FROM people p
		LEFT JOIN responses r ON r.round_id = ?1 AND r.subject_id = p.id AND r.rater_id = p.id
		WHERE p.rater_only = 0
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

// beginRoundRead begins a read transaction in which the round exists
// (ENOTFOUND otherwise), for the lookups that read several things of one
// round at one moment. The caller rolls it back.
func (d *DB) beginRoundRead(ctx context.Context, roundID int64) (*sql.Tx, *survey.Round, error) {
	tx, err := d.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, nil, fmt.Errorf("data: unable to begin reading round %d: %w", roundID, err)
	}
	r, err := findRound(ctx, tx, roundID)
	if err != nil {
		_ = tx.Rollback() // read-only: the lookup's error is the one to report
		return nil, nil, err
	}
	return tx, r, nil
}

// RoundCounts are a round's response-rate figures for a group: how many of
// its members have a link, have started and have submitted their
// self-assessment.
type RoundCounts struct {
	Invited, Started, Submitted int
}

// organisationCountsSQL ends a query for the organisation's kept counts in
// round ?1: group_id 0 of progress_counts (migration 0006), zeros when the
// round has none yet.
const organisationCountsSQL = `coalesce(sum(invited), 0), coalesce(sum(started), 0), coalesce(sum(submitted), 0)
	FROM progress_counts WHERE round_id = ?1 AND group_id = 0`

// CountRoundProgress counts who in the organisation has a link for a
// round, has started and has submitted their self-assessment: the totals
// of FindRoundProgress, read from the counts the triggers of migration
// 0006 keep rather than counted.
func (d *DB) CountRoundProgress(ctx context.Context, roundID int64) (RoundCounts, error) {
	var c RoundCounts
	var found int
	err := d.read.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM rounds WHERE id = ?1), "+organisationCountsSQL,
		roundID).Scan(&found, &c.Invited, &c.Started, &c.Submitted)
	if err != nil {
		return c, fmt.Errorf("data: unable to count progress: %w", err)
	}
	if found == 0 {
		return c, survey.Errorf(survey.ENOTFOUND, "no round with id %d", roundID)
	}
	return c, nil
}

// GroupProgress is one row of a round's response-rate overview.
type GroupProgress struct {
	// Group is a department or a team, or for the organisation as a whole
	// Kind survey.Organisation, ID 0 and no name.
	Group   survey.Group
	Members int
	RoundCounts
}

// CountGroupRows is how many rows a round's response-rate overview has:
// the organisation and every department and team.
func (d *DB) CountGroupRows(ctx context.Context) (int, error) {
	var n int
	if err := d.read.QueryRowContext(ctx, "SELECT 1 + count(*) FROM groups").Scan(&n); err != nil {
		return 0, fmt.Errorf("data: unable to count groups: %w", err)
	}
	return n, nil
}

// FindGroupProgress returns rows [offset, offset+limit) of a round's
// response-rate overview: the organisation first, then the departments and
// then the teams, each by name in byte order as a round's report lists
// them (index groups_report_order). It reads the counts the triggers of
// migration 0006 keep, and counts only the members of the groups on the
// page (and, on the first page, everyone), along indexes.
func (d *DB) FindGroupProgress(ctx context.Context, roundID int64, offset, limit int) ([]GroupProgress, error) {
	if offset < 0 || limit < 0 {
		return nil, survey.Errorf(survey.EINVALID, "offset %d and limit %d must not be negative", offset, limit)
	}
	tx, _, err := d.beginRoundRead(ctx, roundID)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	out := []GroupProgress{}
	if offset == 0 && limit > 0 {
		org := GroupProgress{Group: survey.Group{Kind: survey.Organisation}}
		err := tx.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM people WHERE rater_only = 0), "+organisationCountsSQL,
			roundID).Scan(&org.Members, &org.Invited, &org.Started, &org.Submitted)
		if err != nil {
			return nil, fmt.Errorf("data: unable to find progress: %w", err)
		}
		out = append(out, org)
		limit--
	} else if offset > 0 {
		offset-- // the organisation's row is before the groups
	}
	if limit == 0 {
		return out, nil
	}
	rows, err := tx.QueryContext(ctx, `
		SELECT g.id, g.kind, g.name,
			iif(g.kind = 'department',
				(SELECT count(*) FROM people WHERE department_id = g.id),
				(SELECT count(*) FROM team_members WHERE team_id = g.id)),
			coalesce(c.invited, 0), coalesce(c.started, 0), coalesce(c.submitted, 0)
		FROM groups g
		LEFT JOIN progress_counts c ON c.round_id = ?1 AND c.group_id = g.id
		WHERE (g.kind, g.name COLLATE BINARY, g.id) >= (
			-- The page's first group, found along the index alone, so
			-- that the groups before it are skipped without their counts.
			SELECT kind, name COLLATE BINARY, id FROM groups
			ORDER BY kind, name COLLATE BINARY, id LIMIT 1 OFFSET ?3)
		ORDER BY g.kind, g.name COLLATE BINARY, g.id
		LIMIT ?2`, roundID, limit, offset)
	if err != nil {
		return nil, fmt.Errorf("data: unable to find progress: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var g GroupProgress
		var kind string
		if err := rows.Scan(&g.Group.ID, &kind, &g.Group.Name, &g.Members, &g.Invited, &g.Started, &g.Submitted); err != nil {
			return nil, fmt.Errorf("data: unable to find progress: %w", err)
		}
		g.Group.Kind = survey.GroupKind(kind)
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: unable to find progress: %w", err)
	}
	return out, nil
}
