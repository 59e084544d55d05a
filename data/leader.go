package data

import (
	"context"
	"database/sql"
	"time"

	"lederradar/survey"
)

// FindLeaderSession returns the live leader's session with the given token
// hash, with its invitation, the invitation's round and the person who
// holds it, in one lookup: the first thing every page and every saved page
// of the questionnaire does. ENOTFOUND when there is none or it has
// expired: unused for idle (or the idle time it was created with, if
// shorter) or past its hard end. An expired session is deleted; a live one
// has its last use recorded, at most once per minute.
func (d *DB) FindLeaderSession(ctx context.Context, tokenHash string, idle time.Duration) (*Session, *survey.Invitation, *survey.Round, *survey.Person, error) {
	var sc invitationScan
	// user_id IS NULL as well, although the schema already allows only one
	// of the two: an HR session must never pass for a leader's.
	s, err := d.findSession(ctx, `
		SELECT s.invitation_id, 0, s.created_at, s.last_seen_at, s.expires_at, s.idle_seconds, `+invitationContextColumns+`
		FROM sessions s JOIN invitations i ON i.id = s.invitation_id `+invitationContextJoin+`
		WHERE s.token_hash = ? AND s.invitation_id IS NOT NULL AND s.user_id IS NULL`,
		tokenHash, idle, sc.dest()...)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	inv, r, p, err := sc.finish()
	if err != nil {
		return nil, nil, nil, nil, err
	}
	return s, inv, r, p, nil
}

// The columns and tables of an invitation's context.
const (
	invitationContextColumns = `i.id, i.round_id, i.person_id, i.subject_id, i.relation, i.created_at,
		r.id, r.name, r.status, r.instrument_version, r.opens_at, r.closes_at, r.created_at, r.closed_at,
		r.kind, r.manager_shown, r.several_managers, r.raters_close,
		p.id, p.email, p.name, coalesce(p.department_id, 0)`
	invitationContextJoin = `
		JOIN rounds r ON r.id = i.round_id
		JOIN people p ON p.id = i.person_id`
)

// invitationScan reads invitationContextColumns.
type invitationScan struct {
	inv                                         survey.Invitation
	r                                           survey.Round
	p                                           survey.Person
	rel, invCreated, status, roundCreated, kind string
	opens, closes, closed, ratersClose          sql.NullString
}

func (sc *invitationScan) dest() []any {
	return []any{&sc.inv.ID, &sc.inv.RoundID, &sc.inv.PersonID, &sc.inv.SubjectID, &sc.rel, &sc.invCreated,
		&sc.r.ID, &sc.r.Name, &sc.status, &sc.r.InstrumentVersion, &sc.opens, &sc.closes, &sc.roundCreated, &sc.closed,
		&sc.kind, &sc.r.ManagerShown, &sc.r.SeveralManagers, &sc.ratersClose,
		&sc.p.ID, &sc.p.Email, &sc.p.Name, &sc.p.DepartmentID}
}

// finish converts what was scanned.
func (sc *invitationScan) finish() (*survey.Invitation, *survey.Round, *survey.Person, error) {
	var err error
	sc.inv.Relation = survey.Relation(sc.rel)
	sc.r.Status, sc.r.Kind = survey.RoundStatus(sc.status), survey.RoundKind(sc.kind)
	if sc.inv.CreatedAt, err = parseTime(sc.invCreated); err != nil {
		return nil, nil, nil, err
	}
	if sc.r.CreatedAt, err = parseTime(sc.roundCreated); err != nil {
		return nil, nil, nil, err
	}
	if sc.r.Opens, err = parseNullTime(sc.opens); err != nil {
		return nil, nil, nil, err
	}
	if sc.r.Closes, err = parseNullTime(sc.closes); err != nil {
		return nil, nil, nil, err
	}
	if sc.r.RatersClose, err = parseNullTime(sc.ratersClose); err != nil {
		return nil, nil, nil, err
	}
	if sc.r.ClosedAt, err = parseNullTime(sc.closed); err != nil {
		return nil, nil, nil, err
	}
	return &sc.inv, &sc.r, &sc.p, nil
}
