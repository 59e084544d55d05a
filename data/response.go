package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"lederradar/survey"
)

// MaxFormKeyLength is the longest idempotency key a posted form may carry.
const MaxFormKeyLength = 64

// AnswerSave is one posted page of the questionnaire: some answers of one
// rater about one subject in one round. FormKey identifies the form
// instance, so that the same post arriving twice is stored once.
type AnswerSave struct {
	RoundID, SubjectID, RaterID int64
	Relation                    survey.Relation
	FormKey                     string
	Answers                     survey.Answers
	// Session, when set, is checked inside the save's own transaction.
	Session *SessionCheck
}

// ResponseSubmit is the posted submit of a response; see SubmitResponse.
type ResponseSubmit struct {
	RoundID, SubjectID, RaterID int64
	Relation                    survey.Relation
	FormKey                     string
	// Session, when set, is checked inside the submit's own transaction.
	Session *SessionCheck
}

// SessionCheck names the leader's session a form is posted through. A
// form that carries one is stored only if, inside the form's transaction,
// that session is still there for that invitation and has not expired
// under the rules of FindLeaderSession (ENOTFOUND otherwise); its last use
// is recorded there too, at most once per minute. So the server may post a
// form on what it knows of the session from an earlier page, without
// reading the session again first, and no form is ever stored through a
// session that ended before its transaction began.
type SessionCheck struct {
	TokenHash    string
	InvitationID int64
	// Idle is the idle time the session is held to, as FindLeaderSession's.
	Idle time.Duration
}

// SaveAnswers stores a page of answers and returns once they are committed
// (durable: synchronous=FULL). Items absent from s.Answers keep what they
// had. If s.FormKey has been seen before for this response, nothing changes
// and duplicate is true. The round must be open (ECLOSED otherwise), and
// the answers must fit the round's instrument.
func (d *DB) SaveAnswers(ctx context.Context, s AnswerSave) (duplicate bool, err error) {
	for id, v := range s.Answers {
		if !v.Valid() {
			return false, survey.Errorf(survey.EINVALID, "answer %d to item %q is not on the scale", v, id)
		}
	}
	return d.postForm(ctx, s.Session, s.RoundID, s.SubjectID, s.RaterID, s.Relation, s.FormKey,
		func(ctx context.Context, tx *sql.Tx, r *survey.Round, resp *responseRow) (bool, error) {
			in, err := d.cachedInstrument(ctx, tx, r.InstrumentVersion)
			if err != nil {
				return false, err
			}
			if err := in.ValidateAnswers(s.Answers); err != nil {
				return false, err
			}
			ids := make([]string, 0, len(s.Answers))
			for id := range s.Answers {
				ids = append(ids, id)
			}
			sort.Strings(ids)
			q := preparedTx{d, tx}
			for _, id := range ids {
				if _, err := q.ExecContext(ctx, saveAnswerSQL, resp.id, id, int(s.Answers[id])); err != nil {
					return false, fmt.Errorf("data: unable to save answer: %w", err)
				}
			}
			// A submitted response counts in aggregates: keep its tally.
			if resp.submitted {
				if err := retally(ctx, q, in, resp.id); err != nil {
					return false, err
				}
			}
			return true, nil
		})
}

// SubmitResponse marks a response submitted, creating it (empty) when
// missing. Only the first submission counts: its time is kept, and a later
// one changes nothing and reports duplicate, as does a repeated formKey.
// The round must be open (ECLOSED otherwise).
func (d *DB) SubmitResponse(ctx context.Context, roundID, subjectID, raterID int64, relation survey.Relation, formKey string) (duplicate bool, err error) {
	return d.Submit(ctx, ResponseSubmit{RoundID: roundID, SubjectID: subjectID, RaterID: raterID, Relation: relation, FormKey: formKey})
}

// Submit is SubmitResponse with the submit's fields in one value, and an
// optional session to check.
func (d *DB) Submit(ctx context.Context, s ResponseSubmit) (duplicate bool, err error) {
	return d.postForm(ctx, s.Session, s.RoundID, s.SubjectID, s.RaterID, s.Relation, s.FormKey,
		func(ctx context.Context, tx *sql.Tx, r *survey.Round, resp *responseRow) (bool, error) {
			if resp.submitted {
				return false, nil
			}
			q := preparedTx{d, tx}
			if _, err := q.ExecContext(ctx, submitSQL, formatTime(d.now()), resp.id); err != nil {
				return false, fmt.Errorf("data: unable to submit response: %w", err)
			}
			// From now on the response counts in aggregates, through its
			// tally.
			in, err := d.cachedInstrument(ctx, tx, r.InstrumentVersion)
			if err != nil {
				return false, err
			}
			if err := retally(ctx, q, in, resp.id); err != nil {
				return false, err
			}
			return true, nil
		})
}

// The statements of the forms that are run through preparedTx.
const (
	saveAnswerSQL = `INSERT INTO answers (response_id, item_id, value) VALUES (?, ?, ?)
		ON CONFLICT (response_id, item_id) DO UPDATE SET value = excluded.value`
	submitSQL = "UPDATE responses SET submitted_at = ? WHERE id = ? AND submitted_at IS NULL"

	findResponseSQL = `SELECT id, relation, submitted_at FROM responses
		WHERE round_id = ? AND subject_id = ? AND rater_id = ?`
	findFormKeySQL    = "SELECT response_id FROM form_keys WHERE key = ?"
	personExistsSQL   = "SELECT 1 FROM people WHERE id = ?"
	createResponseSQL = `INSERT INTO responses (round_id, subject_id, rater_id, relation)
		VALUES (?, ?, ?, ?) RETURNING id`
	insertFormKeySQL = "INSERT INTO form_keys (key, response_id) VALUES (?, ?)"
	findRoundSQL     = "SELECT " + roundColumns + " FROM rounds WHERE id = ?"
	checkSessionSQL  = `SELECT last_seen_at, expires_at, idle_seconds FROM sessions
		WHERE token_hash = ? AND invitation_id = ? AND user_id IS NULL`
	touchSessionSQL = "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?"
	readAnswersSQL  = "SELECT item_id, value FROM answers WHERE response_id = ?"
)

// checkSession is a SessionCheck, inside a form's transaction.
func (d *DB) checkSession(ctx context.Context, tx *sql.Tx, sc *SessionCheck) error {
	q := preparedTx{d, tx}
	var lastSeen, expires string
	var idleSeconds int64
	err := q.QueryRowContext(ctx, checkSessionSQL, sc.TokenHash, sc.InvitationID).Scan(&lastSeen, &expires, &idleSeconds)
	if errors.Is(err, sql.ErrNoRows) {
		return survey.Errorf(survey.ENOTFOUND, "no session")
	} else if err != nil {
		return fmt.Errorf("data: unable to check session: %w", err)
	}
	last, err := parseTime(lastSeen)
	if err != nil {
		return err
	}
	end, err := parseTime(expires)
	if err != nil {
		return err
	}
	now := d.now()
	expired, touch := sessionUse(now, last, end, sessionIdle(time.Duration(idleSeconds)*time.Second, sc.Idle))
	if expired {
		// Left for the next page view or the sweep to delete: this
		// transaction may be shared with other forms.
		return survey.Errorf(survey.ENOTFOUND, "the session has expired")
	}
	if touch {
		if _, err := q.ExecContext(ctx, touchSessionSQL, formatTime(now), sc.TokenHash); err != nil {
			return fmt.Errorf("data: unable to touch session: %w", err)
		}
	}
	return nil
}

// responseRow is what postForm knows of the response a form posts to.
type responseRow struct {
	id        int64
	submitted bool
}

// postForm runs change for a posted form in an IMMEDIATE transaction: it
// treats a form key seen before as a repeat (duplicate, nothing changed),
// checks that the round is open, creates the response when missing,
// records the key, and commits when change reports that it changed
// something. With group commit (groupcommit.go) the transaction is shared
// with the other forms posted at the same time, each in its own
// savepoint; either way postForm returns only after the COMMIT.
func (d *DB) postForm(ctx context.Context, session *SessionCheck, roundID, subjectID, raterID int64, relation survey.Relation, formKey string,
	change func(context.Context, *sql.Tx, *survey.Round, *responseRow) (bool, error)) (duplicate bool, err error) {
	if formKey == "" {
		return false, survey.Errorf(survey.EINVALID, "the form has no key; reload the page and try again")
	}
	if len(formKey) > MaxFormKeyLength {
		return false, survey.Errorf(survey.EINVALID, "the form key is longer than %d characters", MaxFormKeyLength)
	}
	if err := validRelation(relation, raterID, subjectID); err != nil {
		return false, err
	}
	form := func(ctx context.Context, tx *sql.Tx) (bool, error) {
		if session != nil {
			if err := d.checkSession(ctx, tx, session); err != nil {
				return false, err
			}
		}
		return d.runForm(ctx, tx, roundID, subjectID, raterID, relation, formKey, change)
	}
	if d.writer != nil {
		return d.writer.do(ctx, form)
	}

	// One transaction and one commit for this form alone.
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("data: unable to begin saving: %w", err)
	}
	defer tx.Rollback()
	duplicate, err = form(ctx, tx)
	if err != nil || duplicate {
		return duplicate, err
	}
	if err := tx.Commit(); err != nil {
		return false, fmt.Errorf("data: unable to commit: %w", err)
	}
	return false, nil
}

// runForm is the body of postForm inside its transaction. It reports a
// repeat as duplicate; the caller commits only when it reports neither
// that nor an error.
func (d *DB) runForm(ctx context.Context, tx *sql.Tx, roundID, subjectID, raterID int64, relation survey.Relation, formKey string,
	change func(context.Context, *sql.Tx, *survey.Round, *responseRow) (bool, error)) (bool, error) {
	q := preparedTx{d, tx}
	r, err := findRound(ctx, q, roundID)
	if err != nil {
		return false, err
	}
	resp := &responseRow{}
	var rel string
	var submitted sql.NullString
	err = q.QueryRowContext(ctx, findResponseSQL, roundID, subjectID, raterID).Scan(&resp.id, &rel, &submitted)
	found := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("data: unable to find response: %w", err)
	}
	if found && survey.Relation(rel) != relation {
		return false, survey.Errorf(survey.ECONFLICT, "the response is stored with relation %s, not %s", rel, relation)
	}
	resp.submitted = submitted.Valid

	var keyResponse int64
	err = q.QueryRowContext(ctx, findFormKeySQL, formKey).Scan(&keyResponse)
	switch {
	case err == nil:
		if found && keyResponse == resp.id {
			return true, nil
		}
		return false, survey.Errorf(survey.ECONFLICT, "this form was already sent for another questionnaire; reload the page and try again")
	case !errors.Is(err, sql.ErrNoRows):
		return false, fmt.Errorf("data: unable to check form key: %w", err)
	}

	// Only now the round's status: a repeat of a post that was stored
	// before the round closed reports "duplicate", which is the truth.
	switch r.Status {
	case survey.RoundOpen:
	case survey.RoundDraft:
		return false, survey.Errorf(survey.ECLOSED, "the round is not open yet")
	default:
		return false, survey.Errorf(survey.ECLOSED, "the round is closed")
	}
	// A rater answers until the round's raters close: from then on the
	// leader may see what they said, which must not change.
	if relation != survey.Self && !r.RatersAnswer(d.now()) {
		return false, survey.Errorf(survey.ECLOSED, "the raters of the round have finished")
	}

	if !found {
		for _, id := range []int64{subjectID, raterID} {
			if ok, err := exists(ctx, q, personExistsSQL, id); err != nil {
				return false, fmt.Errorf("data: unable to find person %d: %w", id, err)
			} else if !ok {
				return false, survey.Errorf(survey.ENOTFOUND, "no person with id %d", id)
			}
		}
		if err := q.QueryRowContext(ctx, createResponseSQL,
			roundID, subjectID, raterID, string(relation)).Scan(&resp.id); err != nil {
			return false, fmt.Errorf("data: unable to create response: %w", err)
		}
	}

	changed, err := change(ctx, tx, r, resp)
	if err != nil {
		return false, err
	}
	if !changed {
		// Already done (a second submission): change nothing, not even
		// the key.
		return true, nil
	}
	if _, err := q.ExecContext(ctx, insertFormKeySQL, formKey, resp.id); err != nil {
		return false, fmt.Errorf("data: unable to record form key: %w", err)
	}
	return false, nil
}

// FindResponse returns a rater's response about a subject in a round, with
// its answers.
func (d *DB) FindResponse(ctx context.Context, roundID, subjectID, raterID int64) (*survey.Response, error) {
	// One statement, so the answers belong to the row read; prepared once,
	// as every page of the questionnaire asks.
	rows, err := d.readRows(ctx, `
		SELECT r.id, r.relation, r.submitted_at, a.item_id, a.value
		FROM responses r LEFT JOIN answers a ON a.response_id = r.id
		WHERE r.round_id = ? AND r.subject_id = ? AND r.rater_id = ?`,
		roundID, subjectID, raterID)
	if err != nil {
		return nil, fmt.Errorf("data: unable to find response: %w", err)
	}
	defer rows.Close()
	var resp *survey.Response
	for rows.Next() {
		var id int64
		var rel string
		var submitted, item sql.NullString
		var value sql.NullInt64
		if err := rows.Scan(&id, &rel, &submitted, &item, &value); err != nil {
			return nil, fmt.Errorf("data: unable to find response: %w", err)
		}
		if resp == nil {
			resp = &survey.Response{ID: id, RoundID: roundID, SubjectID: subjectID, RaterID: raterID,
				Relation: survey.Relation(rel), Answers: survey.Answers{}}
			if resp.SubmittedAt, err = parseNullTime(submitted); err != nil {
				return nil, err
			}
		}
		if item.Valid {
			resp.Answers[item.String] = survey.Answer(value.Int64)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: unable to find response: %w", err)
	}
	if resp == nil {
		return nil, survey.Errorf(survey.ENOTFOUND, "no response yet")
	}
	return resp, nil
}

// FindSubmittedResponses returns the submitted self-assessments of a round
// with their answers, ordered by subject: the input of every aggregate.
// Unsubmitted responses never count.
func (d *DB) FindSubmittedResponses(ctx context.Context, roundID int64) ([]survey.Response, error) {
	tx, err := d.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("data: unable to begin finding responses: %w", err)
	}
	defer tx.Rollback()
	if _, err := findRound(ctx, tx, roundID); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `
		SELECT r.id, r.subject_id, r.rater_id, r.relation, r.submitted_at, a.item_id, a.value
		FROM responses r LEFT JOIN answers a ON a.response_id = r.id
		WHERE r.round_id = ? AND r.relation = 'self' AND r.submitted_at IS NOT NULL
		ORDER BY r.subject_id, r.id, a.item_id`, roundID)
	if err != nil {
		return nil, fmt.Errorf("data: unable to find responses: %w", err)
	}
	defer rows.Close()
	out := []survey.Response{}
	for rows.Next() {
		var id, subject, rater int64
		var rel, submitted string
		var item sql.NullString
		var value sql.NullInt64
		if err := rows.Scan(&id, &subject, &rater, &rel, &submitted, &item, &value); err != nil {
			return nil, fmt.Errorf("data: unable to find responses: %w", err)
		}
		if len(out) == 0 || out[len(out)-1].ID != id {
			at, err := parseTime(submitted)
			if err != nil {
				return nil, err
			}
			out = append(out, survey.Response{
				ID: id, RoundID: roundID, SubjectID: subject, RaterID: rater,
				Relation: survey.Relation(rel), Answers: survey.Answers{}, SubmittedAt: at,
			})
		}
		if item.Valid {
			out[len(out)-1].Answers[item.String] = survey.Answer(value.Int64)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: unable to find responses: %w", err)
	}
	return out, nil
}
