package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"lederradar/survey"
)

// validRelation checks a relation of rater to subject.
func validRelation(rel survey.Relation, raterID, subjectID int64) error {
	switch rel {
	case survey.Self, survey.Manager, survey.Peer, survey.Employee:
	default:
		return survey.Errorf(survey.EINVALID, "relation %q is not self, manager, peer or employee", rel)
	}
	if raterID <= 0 || subjectID <= 0 {
		return survey.Errorf(survey.EINVALID, "rater and subject are required")
	}
	if (rel == survey.Self) != (raterID == subjectID) {
		return survey.Errorf(survey.EINVALID, "relation %s does not fit rater %d and subject %d: self means the same person", rel, raterID, subjectID)
	}
	return nil
}

// CreateInvitation stores the hash of a new personal link for inv.PersonID
// (the rater) to assess subjectID in inv.RoundID, and fills in inv's ID,
// SubjectID and CreatedAt. A subjectID of 0 means inv.PersonID: a
// self-assessment. Only tokenHash (auth.HashToken of the link's token) is
// stored.
//
// If the rater already has a link for that subject and round, it is
// reissued: the new hash replaces the old and the old link's sessions are
// deleted, in one transaction, so neither the old link nor a browser
// signed in through it works any more. Answers are kept.
func (d *DB) CreateInvitation(ctx context.Context, inv *survey.Invitation, subjectID int64, tokenHash string) error {
	if subjectID == 0 {
		subjectID = inv.PersonID
	}
	if err := validRelation(inv.Relation, inv.PersonID, subjectID); err != nil {
		return err
	}
	if !validTokenHash(tokenHash) {
		return survey.Errorf(survey.EINVALID, "token hash must be the hex SHA-256 of the token")
	}
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("data: unable to begin creating invitation: %w", err)
	}
	defer tx.Rollback()

	if _, err := findRound(ctx, tx, inv.RoundID); err != nil {
		return err
	}
	for _, id := range []int64{inv.PersonID, subjectID} {
		if ok, err := exists(ctx, tx, "SELECT 1 FROM people WHERE id = ?", id); err != nil {
			return fmt.Errorf("data: unable to find person %d: %w", id, err)
		} else if !ok {
			return survey.Errorf(survey.ENOTFOUND, "no person with id %d", id)
		}
	}

	var id int64
	var rel, created string
	err = tx.QueryRowContext(ctx, `
		SELECT id, relation, created_at FROM invitations
		WHERE round_id = ? AND person_id = ? AND subject_id = ?`,
		inv.RoundID, inv.PersonID, subjectID).Scan(&id, &rel, &created)
	switch {
	case err == nil:
		if survey.Relation(rel) != inv.Relation {
			return survey.Errorf(survey.ECONFLICT, "person %d is already invited to assess person %d as %s, not %s", inv.PersonID, subjectID, rel, inv.Relation)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE invitations SET token_hash = ?, link_serial = NULL WHERE id = ?", tokenHash, id); err != nil {
			if isUniqueViolation(err) {
				return survey.Errorf(survey.ECONFLICT, "the token is already in use")
			}
			return fmt.Errorf("data: unable to reissue invitation: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE invitation_id = ?", id); err != nil {
			return fmt.Errorf("data: unable to end sessions of reissued invitation: %w", err)
		}
	case errors.Is(err, sql.ErrNoRows):
		created = formatTime(d.now())
		err = tx.QueryRowContext(ctx, `
			INSERT INTO invitations (round_id, person_id, subject_id, relation, token_hash, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			inv.RoundID, inv.PersonID, subjectID, string(inv.Relation), tokenHash, created).Scan(&id)
		if isUniqueViolation(err) {
			return survey.Errorf(survey.ECONFLICT, "the token is already in use")
		} else if err != nil {
			return fmt.Errorf("data: unable to create invitation: %w", err)
		}
	default:
		return fmt.Errorf("data: unable to find invitation: %w", err)
	}
	createdAt, err := parseTime(created)
	if err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("data: unable to commit invitation: %w", err)
	}
	inv.ID = id
	inv.SubjectID = subjectID
	inv.CreatedAt = createdAt
	return nil
}

const invitationColumns = "id, round_id, person_id, subject_id, relation, created_at"

func scanInvitation(row interface{ Scan(...any) error }) (survey.Invitation, error) {
	var inv survey.Invitation
	var rel, created string
	if err := row.Scan(&inv.ID, &inv.RoundID, &inv.PersonID, &inv.SubjectID, &rel, &created); err != nil {
		return inv, err
	}
	inv.Relation = survey.Relation(rel)
	var err error
	inv.CreatedAt, err = parseTime(created)
	return inv, err
}

// FindInvitationByTokenHash returns the invitation whose link has the given
// token hash. A reissued link's old hash is not found.
func (d *DB) FindInvitationByTokenHash(ctx context.Context, hash string) (*survey.Invitation, error) {
	inv, err := scanInvitation(d.readRow(ctx,
		"SELECT "+invitationColumns+" FROM invitations WHERE token_hash = ?", hash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.Errorf(survey.ENOTFOUND, "no invitation for this link")
	} else if err != nil {
		return nil, fmt.Errorf("data: unable to find invitation: %w", err)
	}
	return &inv, nil
}

// FindInvitationByID returns the invitation with the given id, as a
// session names it.
func (d *DB) FindInvitationByID(ctx context.Context, id int64) (*survey.Invitation, error) {
	inv, err := scanInvitation(d.readRow(ctx,
		"SELECT "+invitationColumns+" FROM invitations WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.Errorf(survey.ENOTFOUND, "no invitation with id %d", id)
	} else if err != nil {
		return nil, fmt.Errorf("data: unable to find invitation %d: %w", id, err)
	}
	return &inv, nil
}
