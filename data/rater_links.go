package data

import (
	"context"
	"fmt"

	"lederradar/internal/auth"
	"lederradar/internal/csvfile"
	"lederradar/survey"
)

// RatersAdded is what an upload of raters made: links and leaders, as
// counts for the page that says so.
type RatersAdded struct {
	Links   int
	Leaders int
}

// AddRaters is ImportRaters for the round's page: the same checks and
// all or nothing, but no link leaves with the answer. The raters' links
// wait (link_pending) until the administrator downloads them with
// IssueRaterLinks, an export of its own, so that no link is ever shown
// on a page.
func (d *DB) AddRaters(ctx context.Context, roundID int64, rows []csvfile.RaterRow) (RatersAdded, error) {
	if len(rows) == 0 {
		return RatersAdded{}, &csvfile.Error{Problems: []csvfile.Problem{{Key: csvfile.ProblemEmpty}}}
	}
	tx, r, err := d.beginOnUnclosedRound(ctx, roundID, "adding raters")
	if err != nil {
		return RatersAdded{}, err
	}
	defer tx.Rollback()
	checked, err := checkRaterRows(ctx, tx, r, rows)
	if err != nil {
		return RatersAdded{}, err
	}
	if _, err := d.storeRaters(ctx, tx, r.ID, checked, auth.NewToken, raterMarks{pending: true}); err != nil {
		return RatersAdded{}, err
	}
	leaders := map[int64]bool{}
	for _, ri := range checked {
		leaders[ri.subjectID] = true
	}
	return RatersAdded{Links: len(checked), Leaders: len(leaders)}, commitRaters(ctx, tx, r.ID)
}

// RaterCounts are a round's raters as the administrator's page counts
// them: all of them, those their leaders nominated, and those whose link
// waits to be downloaded; and whether any rater has begun answering,
// which fixes what raters were told (RoundSettings.ManagerShown); and
// whether a leader has seen their feedback, which fixes when raters stop
// answering (RoundSettings.RatersClose).
type RaterCounts struct {
	Raters        int
	Nominated     int
	Pending       int
	Answered      bool
	FeedbackShown bool
}

// FindRaterCounts counts a round's raters (one per rater and leader).
func (d *DB) FindRaterCounts(ctx context.Context, roundID int64) (RaterCounts, error) {
	var c RaterCounts
	err := d.read.QueryRowContext(ctx, `
		SELECT count(*), coalesce(sum(nominated), 0), coalesce(sum(link_pending), 0),
			EXISTS (SELECT 1 FROM responses WHERE round_id = ?1 AND relation != 'self'),
			EXISTS (SELECT 1 FROM kept_feedback WHERE round_id = ?1)
		FROM invitations WHERE round_id = ?1 AND relation != 'self'`, roundID).Scan(&c.Raters, &c.Nominated, &c.Pending, &c.Answered, &c.FeedbackShown)
	if err != nil {
		return c, fmt.Errorf("data: unable to count the raters of round %d: %w", roundID, err)
	}
	return c, nil
}

// IssueRaterLinks makes the links of every rater in a round whose link
// waits (added on the round's page or nominated by their leader), in one
// transaction, and returns them for the mail merge: the only time they
// exist outside the links. No link made before changes. The round must
// not be closed (ECLOSED); an empty list means none waited. newToken
// makes each token and its hash (auth.NewToken when nil).
func (d *DB) IssueRaterLinks(ctx context.Context, roundID int64, newToken func() (token, hash string)) ([]RaterLink, error) {
	if newToken == nil {
		newToken = auth.NewToken
	}
	tx, _, err := d.beginOnUnclosedRound(ctx, roundID, "issuing rater links")
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `
		SELECT i.id, r.email, s.email, s.name, i.relation
		FROM invitations i JOIN people r ON r.id = i.person_id JOIN people s ON s.id = i.subject_id
		WHERE i.round_id = ? AND i.link_pending = 1
		ORDER BY s.name, s.id, i.relation, r.email`, roundID)
	if err != nil {
		return nil, fmt.Errorf("data: unable to find waiting rater links: %w", err)
	}
	var ids []int64
	links := []RaterLink{}
	for rows.Next() {
		var id int64
		var l RaterLink
		if err := rows.Scan(&id, &l.RaterEmail, &l.SubjectEmail, &l.SubjectName, &l.Relation); err != nil {
			_ = rows.Close() // the scan's error is the one to report
			return nil, fmt.Errorf("data: unable to find waiting rater links: %w", err)
		}
		ids, links = append(ids, id), append(links, l)
	}
	// Closed before the updates below, which need the connection.
	if err := rows.Close(); err != nil {
		return nil, fmt.Errorf("data: unable to find waiting rater links: %w", err)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: unable to find waiting rater links: %w", err)
	}
	for i, id := range ids {
		token, hash := newToken()
		if !validTokenHash(hash) {
			return nil, survey.Errorf(survey.EINVALID, "token hash must be the hex SHA-256 of the token")
		}
		_, err := tx.ExecContext(ctx, "UPDATE invitations SET token_hash = ?, link_pending = 0, link_serial = NULL WHERE id = ?", hash, id)
		if isUniqueViolation(err) {
			return nil, survey.Errorf(survey.ECONFLICT, "the token is already in use")
		} else if err != nil {
			return nil, fmt.Errorf("data: unable to issue a rater link: %w", err)
		}
		links[i].Token = token
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("data: unable to commit rater links: %w", err)
	}
	return links, nil
}
