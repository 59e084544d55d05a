package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"lederradar/internal/csvfile"
	"lederradar/survey"
)

// responseImport is one checked row of a responses import.
type responseImport struct {
	line     int
	email    string
	personID int64 // the rater: 0 for one the import creates
	answers  survey.Answers
	// For a rater's answers about a leader: the leader, and how the
	// rater knows them. Empty for a self-assessment.
	subjectEmail string
	subjectID    int64
	relation     survey.Relation
}

// ImportResponses stores self-assessments collected elsewhere (on paper,
// in an earlier tool) in one transaction: all rows or, on any problem,
// nothing. It returns how many responses it stored.
//
// The round is found by round.Name, ignoring ASCII case, and *round is
// filled in from what is stored. A missing round is created, open, with
// round.InstrumentVersion (which must be stored) and round.Opens and
// Closes; an existing one must be open (ECLOSED otherwise), and its own
// instrument version governs whatever round.InstrumentVersion says.
//
// Every row's e-mail address must belong to a person and its answers must
// fit the round's instrument; all problems come back together as an
// *csvfile.Error (code EINVALID), unknown people under
// ProblemPersonUnknown. Each row's self-assessment is created or has its
// answers replaced entirely by the row's, and is submitted; a response
// submitted before keeps its submission time.
//
// A row that names a leader (SubjectEmail, Relation) is instead its
// rater's answers about that leader, who must be a leader
// (csvfile.ProblemLeaderUnknown); a rater not yet known becomes a person
// who only rates, as ImportRaters makes them, and the round a 360 round.
func (d *DB) ImportResponses(ctx context.Context, round *survey.Round, rows []csvfile.ResponseRow) (int, error) {
	if round == nil || strings.TrimSpace(round.Name) == "" {
		return 0, survey.Errorf(survey.EINVALID, "round name is required")
	}
	checked, err := checkResponseRows(rows)
	if err != nil {
		return 0, err
	}

	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("data: unable to begin importing responses: %w", err)
	}
	defer tx.Rollback()

	r, err := d.findOrCreateOpenRound(ctx, tx, round)
	if err != nil {
		return 0, err
	}
	in, err := d.cachedInstrument(ctx, tx, r.InstrumentVersion)
	if err != nil {
		return 0, err
	}
	if err := findResponders(ctx, tx, in, checked); err != nil {
		return 0, err
	}
	submitted := formatTime(d.now())
	st := &importStatements{tx: tx, answers: map[int]*sql.Stmt{}}
	defer st.close()
	for _, row := range checked {
		if row.subjectID != 0 {
			if err := d.storeImportedRating(ctx, tx, r, &row); err != nil {
				return 0, err
			}
		}
		if err := st.storeResponse(ctx, in, r.ID, row, submitted); err != nil {
			return 0, err
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("data: unable to commit responses import: %w", err)
	}
	*round = *r
	return len(checked), nil
}

// checkResponseRows checks what a responses import can check without the
// database: an address and some answers on every row, no address twice.
func checkResponseRows(rows []csvfile.ResponseRow) ([]responseImport, error) {
	var ip importProblems
	if len(rows) == 0 {
		ip.add(csvfile.Problem{Key: csvfile.ProblemEmpty})
		return nil, ip.err()
	}
	seen := map[string]int{}
	checked := make([]responseImport, 0, len(rows))
	for i, r := range rows {
		line := rowLine(r.Line, i)
		key := seen
		if r.SubjectEmail != "" {
			key = map[string]int{} // a rater's rows: one per leader, as ParseResponses checks
		}
		email, ok := ip.email(line, r.Email, key)
		if len(r.Answers) == 0 {
			ip.add(csvfile.Problem{Line: line, Key: csvfile.ProblemAnswersMissing})
			ok = false
		}
		if ok {
			checked = append(checked, responseImport{line: line, email: email, answers: r.Answers,
				subjectEmail: strings.ToLower(r.SubjectEmail), relation: r.Relation})
		}
	}
	if err := ip.err(); err != nil {
		return nil, err
	}
	return checked, nil
}

// findResponders sets the person of every row from its address in tx, and
// checks its answers against the round's instrument; all problems come
// back together.
func findResponders(ctx context.Context, tx *sql.Tx, in *survey.Instrument, checked []responseImport) error {
	var ip importProblems
	unknownItems := map[string]bool{}
	for i := range checked {
		row := &checked[i]
		if err := findResponder(ctx, tx, row, &ip); err != nil {
			return err
		}
		for _, id := range sortedItems(row.answers) {
			switch v := row.answers[id]; {
			case !in.HasItem(id):
				// An unknown item is a column of the file: say it once.
				if !unknownItems[id] {
					unknownItems[id] = true
					ip.add(csvfile.Problem{Key: csvfile.ProblemColumnUnknown, Value: id})
				}
			case !v.Valid():
				ip.add(csvfile.Problem{Line: row.line, Key: csvfile.ProblemValueInvalid, Value: fmt.Sprintf("%s=%d", id, v)})
			}
		}
	}
	return ip.err()
}

// importStatements are the statements an import runs for every row,
// each prepared once: parsing SQL is most of what storing a row costs,
// and an import has thousands of rows of the same shape. The answers'
// insert is one statement per number of answers on a row.
type importStatements struct {
	tx                       *sql.Tx
	response, clear, tallies *sql.Stmt
	answers                  map[int]*sql.Stmt
}

// prepared returns the statement of query, preparing it into *stmt on
// first use.
func (st *importStatements) prepared(ctx context.Context, stmt **sql.Stmt, query string) (*sql.Stmt, error) {
	if *stmt == nil {
		s, err := st.tx.PrepareContext(ctx, query)
		if err != nil {
			return nil, err
		}
		*stmt = s
	}
	return *stmt, nil
}

func (st *importStatements) close() {
	for _, s := range append([]*sql.Stmt{st.response, st.clear, st.tallies}, slices.Collect(maps.Values(st.answers))...) {
		if s != nil {
			_ = s.Close()
		}
	}
}

// storeResponse stores a row's self-assessment in a round, or their
// rating of the row's subject, submitted, replacing any response of
// theirs, with its tally.
func (st *importStatements) storeResponse(ctx context.Context, in *survey.Instrument, roundID int64, row responseImport, submitted string) error {
	subject, relation := row.personID, survey.Self
	if row.subjectID != 0 {
		subject, relation = row.subjectID, row.relation
	}
	upsert, err := st.prepared(ctx, &st.response, `
		INSERT INTO responses (round_id, subject_id, rater_id, relation, submitted_at)
		VALUES (?1, ?2, ?3, ?4, ?5)
		ON CONFLICT (round_id, subject_id, rater_id)
		DO UPDATE SET submitted_at = coalesce(submitted_at, excluded.submitted_at)
		RETURNING id`)
	var respID int64
	if err == nil {
		err = upsert.QueryRowContext(ctx, roundID, subject, row.personID, string(relation), submitted).Scan(&respID)
	}
	if err != nil {
		return fmt.Errorf("data: unable to store response on line %d: %w", row.line, err)
	}
	clear, err := st.prepared(ctx, &st.clear, "DELETE FROM answers WHERE response_id = ?")
	if err == nil {
		_, err = clear.ExecContext(ctx, respID)
	}
	if err != nil {
		return fmt.Errorf("data: unable to replace answers on line %d: %w", row.line, err)
	}
	if n := len(row.answers); n > 0 {
		insert := st.answers[n]
		if _, err = st.prepared(ctx, &insert, "INSERT INTO answers (response_id, item_id, value) VALUES "+
			strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", n), ", ")); err == nil {
			st.answers[n] = insert
			args := make([]any, 0, 3*n)
			for _, id := range sortedItems(row.answers) {
				args = append(args, respID, id, int(row.answers[id]))
			}
			_, err = insert.ExecContext(ctx, args...)
		}
		if err != nil {
			return fmt.Errorf("data: unable to store the answers on line %d: %w", row.line, err)
		}
	}
	// The response is submitted, so it counts in aggregates through its
	// tally.
	tally, err := st.prepared(ctx, &st.tallies, storeTallySQL)
	if err == nil {
		_, err = tally.ExecContext(ctx, respID, appendTally(nil, in.Tally(row.answers)))
	}
	if err != nil {
		return fmt.Errorf("data: unable to store the tally on line %d: %w", row.line, err)
	}
	return nil
}

// findOrCreateOpenRound returns the round named like want, creating it
// open when missing; an existing round that is not open is ECLOSED.
func (d *DB) findOrCreateOpenRound(ctx context.Context, tx *sql.Tx, want *survey.Round) (*survey.Round, error) {
	name := strings.TrimSpace(want.Name)
	r, err := scanRound(tx.QueryRowContext(ctx, "SELECT "+roundColumns+" FROM rounds WHERE name = ?", name))
	switch {
	case err == nil:
		switch r.Status {
		case survey.RoundOpen:
			return &r, nil
		case survey.RoundDraft:
			return nil, survey.Errorf(survey.ECLOSED, "round %q is not open yet", r.Name)
		}
		return nil, survey.Errorf(survey.ECLOSED, "round %q is closed", r.Name)
	case !errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("data: unable to find round by name: %w", err)
	}

	r = survey.Round{
		Name:              name,
		Status:            survey.RoundOpen,
		Kind:              survey.SelfOnly,
		InstrumentVersion: want.InstrumentVersion,
		Opens:             nullableUTC(want.Opens),
		Closes:            nullableUTC(want.Closes),
		CreatedAt:         d.now(),
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	if ok, err := exists(ctx, tx, "SELECT 1 FROM instruments WHERE version = ?", r.InstrumentVersion); err != nil {
		return nil, fmt.Errorf("data: unable to find instrument %s: %w", r.InstrumentVersion, err)
	} else if !ok {
		return nil, survey.Errorf(survey.EINVALID, "instrument version %s is not stored", r.InstrumentVersion)
	}
	err = tx.QueryRowContext(ctx, `
		INSERT INTO rounds (name, status, instrument_version, opens_at, closes_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		r.Name, string(r.Status), r.InstrumentVersion,
		nullTime(r.Opens), nullTime(r.Closes), formatTime(r.CreatedAt)).Scan(&r.ID)
	if err != nil {
		return nil, fmt.Errorf("data: unable to create round: %w", err)
	}
	return &r, nil
}

// nullableUTC returns t as it is stored (UTC, whole seconds), keeping the
// zero time zero.
func nullableUTC(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC().Truncate(time.Second)
}

// sortedItems returns the item ids of a, sorted, so writes and problems
// come in a stable order.
func sortedItems(a survey.Answers) []string {
	ids := make([]string, 0, len(a))
	for id := range a {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// findResponder sets the people of a row from their addresses in tx: the
// one who answered and, for a rater's row, the leader rated. Problems go
// to ip.
func findResponder(ctx context.Context, tx *sql.Tx, row *responseImport, ip *importProblems) error {
	var onlyRates bool
	err := tx.QueryRowContext(ctx, "SELECT id, rater_only FROM people WHERE email = ?", row.email).Scan(&row.personID, &onlyRates)
	switch {
	case (errors.Is(err, sql.ErrNoRows) || onlyRates) && row.subjectEmail == "":
		// A self-assessment is a leader's.
		ip.add(csvfile.Problem{Line: row.line, Key: ProblemPersonUnknown, Value: row.email})
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("data: unable to find person on line %d: %w", row.line, err)
	}
	if row.subjectEmail == "" {
		return nil
	}
	var raterOnly bool
	err = tx.QueryRowContext(ctx, "SELECT id, rater_only FROM people WHERE email = ?", row.subjectEmail).Scan(&row.subjectID, &raterOnly)
	if errors.Is(err, sql.ErrNoRows) || raterOnly {
		ip.add(csvfile.Problem{Line: row.line, Key: csvfile.ProblemLeaderUnknown, Value: row.subjectEmail})
	} else if err != nil {
		return fmt.Errorf("data: unable to find leader on line %d: %w", row.line, err)
	}
	return nil
}

// storeImportedRating prepares a rater's row: the rater made a person who
// only rates when unknown, the round made a 360 round.
func (d *DB) storeImportedRating(ctx context.Context, tx *sql.Tx, r *survey.Round, row *responseImport) error {
	if row.personID == 0 {
		// An earlier row of the import may have made them.
		err := tx.QueryRowContext(ctx, "SELECT id FROM people WHERE email = ?", row.email).Scan(&row.personID)
		if errors.Is(err, sql.ErrNoRows) {
			row.personID, err = createRater(ctx, tx, row.email)
		}
		if err != nil {
			return fmt.Errorf("data: unable to find or create rater on line %d: %w", row.line, err)
		}
	}
	if _, err := tx.ExecContext(ctx, "UPDATE rounds SET kind = '360' WHERE id = ?", r.ID); err != nil {
		return fmt.Errorf("data: unable to make round %d a 360 round: %w", r.ID, err)
	}
	r.Kind = survey.ThreeSixty
	return nil
}
