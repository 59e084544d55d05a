package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"lederradar/internal/auth"
	"lederradar/internal/csvfile"
	"lederradar/survey"
)

// Nomination is a rater a leader nominated themself, as their page lists
// it: the address and relation, and whether the link has gone out. Never
// whether or when the rater answered.
type Nomination struct {
	InvitationID int64
	Email        string
	Relation     survey.Relation
	// LinkSent is set once the administrator has downloaded the link: the
	// nomination can no longer be removed.
	LinkSent bool
}

// nominationProblems turn the problems the raters import finds into the
// refusals a leader reads.
var nominationProblems = map[string]string{
	csvfile.ProblemRaterExists:   "nomination_exists",
	csvfile.ProblemManagerTwice:  "nomination_manager_twice",
	csvfile.ProblemLeaderUnknown: "nomination_not_leader",
}

// NominateRater adds a rater a leader chose, in one transaction that
// checks everything the raters import checks and the round's limit for
// the relation: the round must be open (ECLOSED when closed, ECONFLICT
// "nominations_not_open" when a draft) and a 360 round with a limit above
// 0 for the relation (ECONFLICT "nominations_off"); the limit counts the
// leader's own nominations (ECONFLICT "nomination_limit"). The address
// must be valid (EINVALID "email_invalid") and not the leader's own
// (EINVALID "nomination_self"); a rater who already rates the leader, or a
// second manager, is refused as the import refuses them (ECONFLICT). The
// rater's link waits for the administrator's download (IssueRaterLinks).
func (d *DB) NominateRater(ctx context.Context, roundID, subjectID int64, email string, rel survey.Relation) error {
	email = strings.ToLower(strings.TrimSpace(email))
	if err := survey.ValidateEmail(email); err != nil {
		return err
	}
	tx, r, err := d.beginOnOpenNominations(ctx, roundID)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	limits, err := findNominationLimits(ctx, tx, roundID)
	if err != nil {
		return err
	}
	limit := limits.For(rel)
	if limit == 0 {
		return survey.Errorf(survey.ECONFLICT, "leaders may not nominate a %s in round %q", rel, r.Name).WithKey("nominations_off")
	}
	var subjectEmail string
	var made int
	err = tx.QueryRowContext(ctx, `SELECT email, (SELECT count(*) FROM invitations
		WHERE round_id = ? AND subject_id = ? AND relation = ? AND nominated = 1) FROM people WHERE id = ?`,
		roundID, subjectID, string(rel), subjectID).Scan(&subjectEmail, &made)
	if errors.Is(err, sql.ErrNoRows) {
		return survey.Errorf(survey.ENOTFOUND, "no person with id %d", subjectID)
	} else if err != nil {
		return fmt.Errorf("data: unable to find leader %d: %w", subjectID, err)
	}
	if strings.EqualFold(subjectEmail, email) {
		return survey.Errorf(survey.EINVALID, "a leader cannot rate themself").WithKey("nomination_self")
	}
	if made >= limit {
		return survey.Errorf(survey.ECONFLICT, "the limit of %d is reached", limit).WithKey("nomination_limit", limit)
	}
	row := csvfile.RaterRow{Line: 1, SubjectEmail: subjectEmail, RaterEmail: email, Relation: rel}
	checked, err := checkRaterRows(ctx, tx, r, []csvfile.RaterRow{row})
	var ce *csvfile.Error
	if errors.As(err, &ce) && len(ce.Problems) > 0 {
		key := nominationProblems[ce.Problems[0].Key]
		return survey.Errorf(survey.ECONFLICT, "the rater cannot be nominated (%s)", ce.Problems[0].Key).WithKey(key, email)
	} else if err != nil {
		return err
	}
	if _, err := d.storeRaters(ctx, tx, r.ID, checked, auth.NewToken, raterMarks{nominated: true, pending: true}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("data: unable to commit the nomination: %w", err)
	}
	return nil
}

// beginOnOpenNominations begins a write transaction on a round whose
// leaders may nominate raters: open and 360.
func (d *DB) beginOnOpenNominations(ctx context.Context, roundID int64) (*sql.Tx, *survey.Round, error) {
	tx, r, err := d.beginOnUnclosedRound(ctx, roundID, "nominating")
	if err != nil {
		return nil, nil, err
	}
	switch {
	case r.Status != survey.RoundOpen:
		err = survey.Errorf(survey.ECONFLICT, "round %q is not open", r.Name).WithKey("nominations_not_open")
	case r.Kind != survey.ThreeSixty:
		err = survey.Errorf(survey.ECONFLICT, "round %q is no 360 round", r.Name).WithKey("nominations_off")
	}
	if err != nil {
		_ = tx.Rollback()
		return nil, nil, err
	}
	return tx, r, nil
}

// FindNominations returns the raters a leader nominated in a round, by
// relation and address; never the raters the administrator added.
func (d *DB) FindNominations(ctx context.Context, roundID, subjectID int64) ([]Nomination, error) {
	rows, err := d.read.QueryContext(ctx, `
		SELECT i.id, p.email, i.relation, i.link_pending = 0
		FROM invitations i JOIN people p ON p.id = i.person_id
		WHERE i.round_id = ? AND i.subject_id = ? AND i.nominated = 1
		ORDER BY CASE i.relation WHEN 'manager' THEN 0 WHEN 'peer' THEN 1 ELSE 2 END, p.email`, roundID, subjectID)
	if err != nil {
		return nil, fmt.Errorf("data: unable to find nominations: %w", err)
	}
	defer rows.Close()
	list := []Nomination{}
	for rows.Next() {
		var n Nomination
		if err := rows.Scan(&n.InvitationID, &n.Email, &n.Relation, &n.LinkSent); err != nil {
			return nil, fmt.Errorf("data: unable to find nominations: %w", err)
		}
		list = append(list, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: unable to find nominations: %w", err)
	}
	return list, nil
}

// RemoveNomination takes back a leader's nomination while its link has
// not gone out (ECONFLICT "nomination_sent" after): until then the rater
// cannot have answered, so removing it tells the leader nothing about
// answers. A rater who then rates nobody and is no leader is deleted with
// it. Another leader's or the administrator's rater is not found
// (ENOTFOUND). The round must be open and 360, as for NominateRater.
func (d *DB) RemoveNomination(ctx context.Context, roundID, subjectID, invitationID int64) error {
	tx, _, err := d.beginOnOpenNominations(ctx, roundID)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var raterID int64
	var pending bool
	err = tx.QueryRowContext(ctx, `SELECT person_id, link_pending AND NOT EXISTS (SELECT 1 FROM responses x
		WHERE x.round_id = i.round_id AND x.subject_id = i.subject_id AND x.rater_id = i.person_id)
		FROM invitations i WHERE id = ? AND round_id = ? AND subject_id = ? AND nominated = 1`,
		invitationID, roundID, subjectID).Scan(&raterID, &pending)
	if errors.Is(err, sql.ErrNoRows) {
		return survey.Errorf(survey.ENOTFOUND, "no nomination %d", invitationID)
	} else if err != nil {
		return fmt.Errorf("data: unable to find nomination %d: %w", invitationID, err)
	}
	if !pending {
		return survey.Errorf(survey.ECONFLICT, "the link of nomination %d has gone out", invitationID).WithKey("nomination_sent")
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM invitations WHERE id = ?", invitationID); err != nil {
		return fmt.Errorf("data: unable to remove nomination %d: %w", invitationID, err)
	}
	if err := deleteIdleRater(ctx, tx, raterID); err != nil {
		return fmt.Errorf("data: unable to remove the rater of nomination %d: %w", invitationID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("data: unable to commit removing nomination %d: %w", invitationID, err)
	}
	return nil
}

// deleteIdleRater deletes a person who is in the system only to rate
// (people.rater_only) once they rate nobody and have answered nothing: an
// e-mail address kept for no purpose.
func deleteIdleRater(ctx context.Context, tx *sql.Tx, id int64) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM people WHERE id = ?1 AND rater_only = 1
		AND NOT EXISTS (SELECT 1 FROM invitations WHERE person_id = ?1)
		AND NOT EXISTS (SELECT 1 FROM responses WHERE rater_id = ?1)`, id)
	return err
}
