package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"lederradar/survey"
)

// FindInvitationContext returns an invitation with its round and the
// person who holds it, in one lookup: what every page a leader opens
// needs to know, after the session.
func (d *DB) FindInvitationContext(ctx context.Context, invitationID int64) (*survey.Invitation, *survey.Round, *survey.Person, error) {
	row := d.readRow(ctx, `
		SELECT i.id, i.round_id, i.person_id, i.subject_id, i.relation, i.created_at,
			r.id, r.name, r.status, r.instrument_version, r.opens_at, r.closes_at, r.created_at, r.closed_at,
			p.id, p.email, p.name, coalesce(p.department_id, 0)
		FROM invitations i
		JOIN rounds r ON r.id = i.round_id
		JOIN people p ON p.id = i.person_id
		WHERE i.id = ?`, invitationID)
	var inv survey.Invitation
	var r survey.Round
	var p survey.Person
	var rel, invCreated, status, roundCreated string
	var opens, closes, closed sql.NullString
	err := row.Scan(&inv.ID, &inv.RoundID, &inv.PersonID, &inv.SubjectID, &rel, &invCreated,
		&r.ID, &r.Name, &status, &r.InstrumentVersion, &opens, &closes, &roundCreated, &closed,
		&p.ID, &p.Email, &p.Name, &p.DepartmentID)
	if errors.Is(err, sql.ErrNoRows) {
		// The foreign keys make the round and the person exist whenever
		// the invitation does.
		return nil, nil, nil, survey.Errorf(survey.ENOTFOUND, "no invitation with id %d", invitationID)
	} else if err != nil {
		return nil, nil, nil, fmt.Errorf("data: unable to find invitation %d: %w", invitationID, err)
	}
	inv.Relation = survey.Relation(rel)
	r.Status = survey.RoundStatus(status)
	if inv.CreatedAt, err = parseTime(invCreated); err != nil {
		return nil, nil, nil, err
	}
	if r.CreatedAt, err = parseTime(roundCreated); err != nil {
		return nil, nil, nil, err
	}
	if r.Opens, err = parseNullTime(opens); err != nil {
		return nil, nil, nil, err
	}
	if r.Closes, err = parseNullTime(closes); err != nil {
		return nil, nil, nil, err
	}
	if r.ClosedAt, err = parseNullTime(closed); err != nil {
		return nil, nil, nil, err
	}
	return &inv, &r, &p, nil
}
