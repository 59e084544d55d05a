package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"lederradar/internal/auth"
	"lederradar/internal/csvfile"
	"lederradar/survey"
)

// RaterLink is a rater's personal link for one leader in a round, as an
// import made it: the token exists here and in the link alone.
type RaterLink struct {
	RaterEmail   string
	SubjectEmail string
	SubjectName  string
	Relation     survey.Relation
	Token        string
}

// raterImport is one row of a raters import, its people found.
type raterImport struct {
	csvfile.RaterRow
	subjectID   int64
	subjectName string
	raterID     int64 // 0 for a rater the import creates
}

// ImportRaters adds raters to a round, in one transaction: all rows or,
// on any problem, nothing; the problems come back together as an
// *csvfile.Error. Each row gives its rater a personal link for its leader,
// returned for the mail merge, and the round becomes a 360 round.
//
// A leader must be a person of the organisation (ProblemLeaderUnknown); a
// rater may be anyone, and one not yet known becomes a person who only
// rates (people.rater_only). A rater who already rates the leader in the
// round is a problem (ProblemRaterExists), as is a second manager of a
// leader unless the round allows several (ProblemManagerTwice). The round
// must not be closed (ECLOSED), and its instrument must have every item's
// third-person form (EINVALID, naming the item). newToken makes each token and its hash
// (auth.NewToken when nil).
func (d *DB) ImportRaters(ctx context.Context, roundID int64, rows []csvfile.RaterRow, newToken func() (token, hash string)) ([]RaterLink, error) {
	if newToken == nil {
		newToken = auth.NewToken
	}
	if len(rows) == 0 {
		return nil, &csvfile.Error{Problems: []csvfile.Problem{{Key: csvfile.ProblemEmpty}}}
	}
	tx, r, err := d.beginOnUnclosedRound(ctx, roundID, "importing raters")
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	// Raters answer the items in the third person: a round frozen to a
	// file without them (survey.ParseStoredInstrument) cannot ask them.
	in, err := d.cachedInstrument(ctx, tx, r.InstrumentVersion)
	if err != nil {
		return nil, err
	}
	if err := in.ThirdPersonComplete(); err != nil {
		return nil, err
	}
	checked, err := checkRaterRows(ctx, tx, r, rows)
	if err != nil {
		return nil, err
	}
	links, err := d.storeRaters(ctx, tx, r.ID, checked, newToken, raterMarks{})
	if err != nil {
		return nil, err
	}
	return links, commitRaters(ctx, tx, r.ID)
}

// commitRaters makes the round a 360 round and commits the raters added.
func commitRaters(ctx context.Context, tx *sql.Tx, roundID int64) error {
	if _, err := tx.ExecContext(ctx, "UPDATE rounds SET kind = '360' WHERE id = ?", roundID); err != nil {
		return fmt.Errorf("data: unable to make round %d a 360 round: %w", roundID, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("data: unable to commit raters: %w", err)
	}
	return nil
}

// checkRaterRows finds the people of every row and checks the rows
// against what the round holds; all problems come back together.
func checkRaterRows(ctx context.Context, tx *sql.Tx, r *survey.Round, rows []csvfile.RaterRow) ([]raterImport, error) {
	var ip importProblems
	checked := make([]raterImport, 0, len(rows))
	managers := map[int64]int{} // leader → line of the file's first manager
	for i, row := range rows {
		row.Line = rowLine(row.Line, i)
		ri := raterImport{RaterRow: row}
		var raterOnly bool
		err := tx.QueryRowContext(ctx, "SELECT id, name, rater_only FROM people WHERE email = ?", row.SubjectEmail).Scan(&ri.subjectID, &ri.subjectName, &raterOnly)
		if errors.Is(err, sql.ErrNoRows) || raterOnly {
			ip.add(csvfile.Problem{Line: row.Line, Key: csvfile.ProblemLeaderUnknown, Value: row.SubjectEmail})
			continue
		} else if err != nil {
			return nil, fmt.Errorf("data: unable to find leader on line %d: %w", row.Line, err)
		}
		err = tx.QueryRowContext(ctx, "SELECT id FROM people WHERE email = ?", row.RaterEmail).Scan(&ri.raterID)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("data: unable to find rater on line %d: %w", row.Line, err)
		}
		if ri.raterID != 0 {
			if ok, err := exists(ctx, tx, "SELECT 1 FROM invitations WHERE round_id = ? AND person_id = ? AND subject_id = ?", r.ID, ri.raterID, ri.subjectID); err != nil {
				return nil, fmt.Errorf("data: unable to find rater on line %d: %w", row.Line, err)
			} else if ok {
				ip.add(csvfile.Problem{Line: row.Line, Key: csvfile.ProblemRaterExists, Value: row.RaterEmail})
				continue
			}
		}
		if row.Relation == survey.Manager && !r.SeveralManagers {
			if p, err := managerProblem(ctx, tx, r.ID, ri, managers); err != nil {
				return nil, err
			} else if p != nil {
				ip.add(*p)
				continue
			}
		}
		checked = append(checked, ri)
	}
	if err := ip.err(); err != nil {
		return nil, err
	}
	return checked, nil
}

// managerProblem is the problem of a row that gives its leader a second
// manager, in the file (managers) or in the round, or nil.
func managerProblem(ctx context.Context, tx *sql.Tx, roundID int64, ri raterImport, managers map[int64]int) (*csvfile.Problem, error) {
	if first, ok := managers[ri.subjectID]; ok {
		return &csvfile.Problem{Line: ri.Line, Key: csvfile.ProblemManagerTwice, Value: ri.SubjectEmail, Other: first}, nil
	}
	stored, err := exists(ctx, tx, "SELECT 1 FROM invitations WHERE round_id = ? AND subject_id = ? AND relation = 'manager'", roundID, ri.subjectID)
	if err != nil {
		return nil, fmt.Errorf("data: unable to find the manager on line %d: %w", ri.Line, err)
	}
	if stored {
		return &csvfile.Problem{Line: ri.Line, Key: csvfile.ProblemManagerTwice, Value: ri.SubjectEmail}, nil
	}
	managers[ri.subjectID] = ri.Line
	return nil, nil
}

// raterMarks are how storeRaters marks the invitations it makes
// (migration 0013): nominated by their leader, and with the link still
// to be made (IssueRaterLinks).
type raterMarks struct {
	nominated, pending bool
}

// storeRaters creates the raters not yet known, as people who only rate,
// and gives each row's rater a link for its leader.
func (d *DB) storeRaters(ctx context.Context, tx *sql.Tx, roundID int64, checked []raterImport, newToken func() (string, string), marks raterMarks) ([]RaterLink, error) {
	created := formatTime(d.now())
	// Prepared once: an import has a row per rater and leader.
	insert, err := tx.PrepareContext(ctx, `
		INSERT INTO invitations (round_id, person_id, subject_id, relation, token_hash, created_at, nominated, link_pending)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, fmt.Errorf("data: unable to store raters: %w", err)
	}
	defer insert.Close()
	made := map[string]int64{} // raters this import created, by address
	links := make([]RaterLink, 0, len(checked))
	for _, ri := range checked {
		if ri.raterID == 0 {
			ri.raterID = made[ri.RaterEmail]
		}
		if ri.raterID == 0 {
			id, err := createRater(ctx, tx, ri.RaterEmail)
			if err != nil {
				return nil, fmt.Errorf("data: unable to create rater on line %d: %w", ri.Line, err)
			}
			ri.raterID, made[ri.RaterEmail] = id, id
		}
		token, hash := newToken()
		if !validTokenHash(hash) {
			return nil, survey.Errorf(survey.EINVALID, "token hash must be the hex SHA-256 of the token")
		}
		_, err := insert.ExecContext(ctx, roundID, ri.raterID, ri.subjectID, string(ri.Relation), hash, created, marks.nominated, marks.pending)
		if isUniqueViolation(err) {
			return nil, survey.Errorf(survey.ECONFLICT, "the token is already in use")
		} else if err != nil {
			return nil, fmt.Errorf("data: unable to store rater on line %d: %w", ri.Line, err)
		}
		links = append(links, RaterLink{RaterEmail: ri.RaterEmail, SubjectEmail: ri.SubjectEmail, SubjectName: ri.subjectName, Relation: ri.Relation, Token: token})
	}
	return links, nil
}

// createRater makes a person who only rates leaders, known by their
// address alone, and returns their id.
func createRater(ctx context.Context, tx *sql.Tx, email string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `
		INSERT INTO people (id, email, name, rater_only)
		VALUES (max(coalesce((SELECT max(id) FROM people), 0), (SELECT id FROM people_id_floor)) + 1, ?, '', 1)
		RETURNING id`, email).Scan(&id)
	return id, err
}
