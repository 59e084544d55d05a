package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"lederradar/internal/auth"
	"lederradar/survey"
)

// FindInvitations returns every invitation of a round, self and 360
// alike, ordered by rater and subject. Tokens are never stored, so none
// come back.
func (d *DB) FindInvitations(ctx context.Context, roundID int64) ([]survey.Invitation, error) {
	tx, err := d.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("data: unable to begin finding invitations: %w", err)
	}
	defer tx.Rollback()
	if _, err := findRound(ctx, tx, roundID); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, "SELECT "+invitationColumns+` FROM invitations
		WHERE round_id = ? ORDER BY person_id, subject_id, id`, roundID)
	if err != nil {
		return nil, fmt.Errorf("data: unable to find invitations: %w", err)
	}
	defer rows.Close()
	invs := []survey.Invitation{}
	for rows.Next() {
		inv, err := scanInvitation(rows)
		if err != nil {
			return nil, fmt.Errorf("data: unable to find invitations: %w", err)
		}
		invs = append(invs, inv)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: unable to find invitations: %w", err)
	}
	return invs, nil
}

// IssueInvitations gives each of the listed people a new personal link
// for a self-assessment in a round, in one transaction, and returns the
// tokens by person id: the only time they exist outside the links, for
// the caller to turn into links (mail merge) at once. A person who already
// has a link gets a new one: the old link and every browser signed in
// through it stop working; answers are kept.
//
// newToken makes each token and its hash (auth.NewToken when nil). The
// round must not be closed (ECLOSED); a draft round may be prepared.
func (d *DB) IssueInvitations(ctx context.Context, roundID int64, personIDs []int64, newToken func() (token, hash string)) (map[int64]string, error) {
	if newToken == nil {
		newToken = auth.NewToken
	}
	ids := slices.Clone(personIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) == 0 {
		return nil, survey.Errorf(survey.EINVALID, "choose the people to invite").WithKey("invitations_none")
	}

	tx, _, err := d.beginOnUnclosedRound(ctx, roundID, "issuing invitations")
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var missing []string
	for _, id := range ids {
		if ok, err := exists(ctx, tx, "SELECT 1 FROM people WHERE id = ? AND rater_only = 0", id); err != nil {
			return nil, fmt.Errorf("data: unable to find person %d: %w", id, err)
		} else if !ok {
			missing = append(missing, strconv.FormatInt(id, 10))
		}
	}
	if len(missing) > 0 {
		return nil, survey.Errorf(survey.ENOTFOUND, "no person with id %s", strings.Join(missing, ", "))
	}

	created := formatTime(d.now())
	tokens := make(map[int64]string, len(ids))
	for _, id := range ids {
		token, hash := newToken()
		if !validTokenHash(hash) {
			return nil, survey.Errorf(survey.EINVALID, "token hash must be the hex SHA-256 of the token")
		}
		var invID int64
		err := tx.QueryRowContext(ctx, `
			SELECT id FROM invitations WHERE round_id = ? AND person_id = ? AND subject_id = ?`,
			roundID, id, id).Scan(&invID)
		switch {
		case err == nil:
			_, err = tx.ExecContext(ctx, "UPDATE invitations SET token_hash = ?, link_serial = NULL WHERE id = ?", hash, invID)
			if err == nil {
				_, err = tx.ExecContext(ctx, "DELETE FROM sessions WHERE invitation_id = ?", invID)
			}
		case errors.Is(err, sql.ErrNoRows):
			_, err = tx.ExecContext(ctx, `
				INSERT INTO invitations (round_id, person_id, subject_id, relation, token_hash, created_at)
				VALUES (?, ?, ?, 'self', ?, ?)`,
				roundID, id, id, hash, created)
		}
		if isUniqueViolation(err) {
			return nil, survey.Errorf(survey.ECONFLICT, "the token is already in use")
		} else if err != nil {
			return nil, fmt.Errorf("data: unable to issue invitation to person %d: %w", id, err)
		}
		tokens[id] = token
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("data: unable to commit invitations: %w", err)
	}
	return tokens, nil
}

// beginOnUnclosedRound begins a write transaction on a round that is not
// closed (ECLOSED otherwise), for what it says it is doing. The caller
// rolls the transaction back or commits it.
func (d *DB) beginOnUnclosedRound(ctx context.Context, roundID int64, doing string) (*sql.Tx, *survey.Round, error) {
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("data: unable to begin %s: %w", doing, err)
	}
	r, err := findRound(ctx, tx, roundID)
	if err == nil && r.Status == survey.RoundClosed {
		err = survey.Errorf(survey.ECLOSED, "round %q is closed", r.Name).WithKey("round_closed", r.Name)
	}
	if err != nil {
		_ = tx.Rollback()
		return nil, nil, err
	}
	return tx, r, nil
}
