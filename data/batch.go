package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"lederradar/survey"
)

// Batch writes a whole organisation — groups, people, memberships,
// invitations, responses, accounts — inside one write transaction with
// prepared statements, for the organisation generator (internal/orggen)
// behind the demo, benchmarks and load tests: a transaction per row, as
// the single-row methods make, would take an hour for 100,000 people and
// their answers, and a demo that failed half-way would be left half made.
// It writes the same tables under the same constraints and checks what
// those methods check; only the transactions are fewer.
type Batch struct {
	d     *DB
	ctx   context.Context
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
	// rounds caches the rounds written to, for their status and
	// instrument.
	rounds map[int64]*survey.Round
}

// WriteBatch runs fill with a Batch and commits what it wrote, all or
// nothing: if fill returns an error, nothing is stored.
func (d *DB) WriteBatch(ctx context.Context, fill func(*Batch) error) error {
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("data: unable to begin a batch: %w", err)
	}
	defer tx.Rollback()
	b := &Batch{d: d, ctx: ctx, tx: tx, stmts: map[string]*sql.Stmt{}, rounds: map[int64]*survey.Round{}}
	defer func() {
		for _, s := range b.stmts {
			_ = s.Close() // the transaction's own error, if any, is the one to report
		}
	}()
	if err := fill(b); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("data: unable to commit a batch: %w", err)
	}
	return nil
}

// stmt returns the prepared statement for query, preparing it once.
func (b *Batch) stmt(query string) (*sql.Stmt, error) {
	if s, ok := b.stmts[query]; ok {
		return s, nil
	}
	s, err := b.tx.PrepareContext(b.ctx, query)
	if err != nil {
		return nil, fmt.Errorf("data: unable to prepare a batch: %w", err)
	}
	b.stmts[query] = s
	return s, nil
}

// CreateGroup stores a new department or team and sets g.ID.
func (b *Batch) CreateGroup(g *survey.Group) error {
	if err := g.Validate(); err != nil {
		return err
	}
	s, err := b.stmt(insertGroupSQL)
	if err != nil {
		return err
	}
	err = s.QueryRowContext(b.ctx, string(g.Kind), g.Name).Scan(&g.ID)
	if isUniqueViolation(err) {
		return survey.Errorf(survey.ECONFLICT, "a %s named %q already exists", g.Kind, g.Name).WithKey(string(g.Kind)+"_exists", g.Name)
	} else if err != nil {
		return fmt.Errorf("data: unable to create group: %w", err)
	}
	return nil
}

// groupKind returns the kind of a group, as the single-row methods check
// it.
func (b *Batch) groupKind(id int64) (survey.GroupKind, error) {
	s, err := b.stmt("SELECT kind FROM groups WHERE id = ?")
	if err != nil {
		return "", err
	}
	var kind string
	err = s.QueryRowContext(b.ctx, id).Scan(&kind)
	if errors.Is(err, sql.ErrNoRows) {
		return "", survey.Errorf(survey.ENOTFOUND, "no group with id %d", id)
	} else if err != nil {
		return "", fmt.Errorf("data: unable to find group %d: %w", id, err)
	}
	return survey.GroupKind(kind), nil
}

// CreatePerson stores a new person and sets p.ID; DepartmentID, when set,
// must name a department.
func (b *Batch) CreatePerson(p *survey.Person) error {
	if err := p.Validate(); err != nil {
		return err
	}
	dept := sql.NullInt64{Int64: p.DepartmentID, Valid: p.DepartmentID != 0}
	if dept.Valid {
		kind, err := b.groupKind(p.DepartmentID)
		if err != nil {
			return err
		}
		if kind != survey.Department {
			return survey.Errorf(survey.EINVALID, "group %d is a %s, not a department", p.DepartmentID, kind)
		}
	}
	s, err := b.stmt(insertPersonSQL)
	if err != nil {
		return err
	}
	err = s.QueryRowContext(b.ctx, p.Email, p.Name, dept).Scan(&p.ID)
	if isUniqueViolation(err) {
		return survey.Errorf(survey.ECONFLICT, "a person with e-mail %s already exists", p.Email).WithKey("person_exists", p.Email)
	} else if err != nil {
		return fmt.Errorf("data: unable to create person: %w", err)
	}
	return nil
}

// AddTeamMember puts a person on a team; adding a member twice is a
// no-op.
func (b *Batch) AddTeamMember(teamID, personID int64) error {
	kind, err := b.groupKind(teamID)
	if err != nil {
		return err
	}
	if kind != survey.Team {
		return survey.Errorf(survey.EINVALID, "group %d is a %s, not a team", teamID, kind)
	}
	s, err := b.stmt("INSERT INTO team_members (team_id, person_id) VALUES (?, ?) ON CONFLICT DO NOTHING")
	if err != nil {
		return err
	}
	if _, err := s.ExecContext(b.ctx, teamID, personID); isForeignKeyViolation(err) {
		return survey.Errorf(survey.ENOTFOUND, "no person with id %d", personID)
	} else if err != nil {
		return fmt.Errorf("data: unable to add team member: %w", err)
	}
	return nil
}

// round returns a round written to, read once.
func (b *Batch) round(id int64) (*survey.Round, error) {
	if r, ok := b.rounds[id]; ok {
		return r, nil
	}
	r, err := findRound(b.ctx, b.tx, id)
	if err != nil {
		return nil, err
	}
	b.rounds[id] = r
	return r, nil
}

// Invite stores a self-assessment link for a person in a round under the
// hash of its token (auth.HashToken). The round must not be closed, and
// the person must not have a link for it yet.
func (b *Batch) Invite(roundID, personID int64, tokenHash string) error {
	if !validTokenHash(tokenHash) {
		return survey.Errorf(survey.EINVALID, "token hash must be the hex SHA-256 of the token")
	}
	r, err := b.round(roundID)
	if err != nil {
		return err
	}
	if r.Status == survey.RoundClosed {
		return survey.Errorf(survey.ECLOSED, "round %q is closed", r.Name).WithKey("round_closed", r.Name)
	}
	s, err := b.stmt(`
		INSERT INTO invitations (round_id, person_id, subject_id, relation, token_hash, created_at)
		VALUES (?, ?, ?, 'self', ?, ?)`)
	if err != nil {
		return err
	}
	_, err = s.ExecContext(b.ctx, roundID, personID, personID, tokenHash, formatTime(b.d.now()))
	switch {
	case isUniqueViolation(err):
		return survey.Errorf(survey.ECONFLICT, "person %d already has a link for round %d, or the token is in use", personID, roundID)
	case isForeignKeyViolation(err):
		return survey.Errorf(survey.ENOTFOUND, "no person with id %d", personID)
	case err != nil:
		return fmt.Errorf("data: unable to create invitation: %w", err)
	}
	return nil
}

// SaveResponse stores a person's self-assessment in an open round with the
// given answers, submitted at submittedAt, or not submitted when that is
// zero. The answers must fit the round's instrument; the person must have
// no response in the round yet.
func (b *Batch) SaveResponse(roundID, personID int64, answers survey.Answers, submittedAt time.Time) error {
	r, err := b.round(roundID)
	if err != nil {
		return err
	}
	if r.Status != survey.RoundOpen {
		return survey.Errorf(survey.ECLOSED, "round %q is not open", r.Name)
	}
	in, err := b.d.cachedInstrument(b.ctx, b.tx, r.InstrumentVersion)
	if err != nil {
		return err
	}
	if err := in.ValidateAnswers(answers); err != nil {
		return err
	}
	s, err := b.stmt(`
		INSERT INTO responses (round_id, subject_id, rater_id, relation, submitted_at)
		VALUES (?1, ?2, ?2, 'self', ?3) RETURNING id`)
	if err != nil {
		return err
	}
	var id int64
	err = s.QueryRowContext(b.ctx, roundID, personID, nullTime(submittedAt)).Scan(&id)
	switch {
	case isUniqueViolation(err):
		return survey.Errorf(survey.ECONFLICT, "person %d already has a response in round %d", personID, roundID)
	case isForeignKeyViolation(err):
		return survey.Errorf(survey.ENOTFOUND, "no person with id %d", personID)
	case err != nil:
		return fmt.Errorf("data: unable to create response: %w", err)
	}
	// One statement for all of a response's answers: a row per Exec
	// would spend most of the time getting in and out of SQLite.
	ids := make([]string, 0, len(answers))
	for item := range answers {
		ids = append(ids, item)
	}
	sort.Strings(ids)
	if len(ids) > 0 {
		ins, err := b.stmt("INSERT INTO answers (response_id, item_id, value) VALUES " +
			strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", len(ids)), ", "))
		if err != nil {
			return err
		}
		args := make([]any, 0, 3*len(ids))
		for _, item := range ids {
			args = append(args, id, item, int(answers[item]))
		}
		if _, err := ins.ExecContext(b.ctx, args...); err != nil {
			return fmt.Errorf("data: unable to save answers: %w", err)
		}
	}
	tally, err := b.stmt("INSERT INTO answer_tallies (response_id, tally) VALUES (?, ?)")
	if err != nil {
		return err
	}
	if _, err := tally.ExecContext(b.ctx, id, appendTally(nil, in.Tally(answers))); err != nil {
		return fmt.Errorf("data: unable to store tally: %w", err)
	}
	return nil
}

// CreateUser stores an HR or administrator account with a password hash
// (auth.HashPassword), as DB.CreateUser does.
func (b *Batch) CreateUser(u *survey.User, passwordHash string) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if !validPasswordHash(passwordHash) {
		return survey.Errorf(survey.EINVALID, "the password must be stored as a hash")
	}
	created := b.d.now()
	s, err := b.stmt(`
		INSERT INTO users (email, role, password_hash, created_at, disabled)
		VALUES (?, ?, ?, ?, ?) RETURNING id`)
	if err != nil {
		return err
	}
	err = s.QueryRowContext(b.ctx, u.Email, string(u.Role), passwordHash, formatTime(created), u.Disabled).Scan(&u.ID)
	if isUniqueViolation(err) {
		return survey.Errorf(survey.ECONFLICT, "a user with e-mail %s already exists", u.Email)
	} else if err != nil {
		return fmt.Errorf("data: unable to create user: %w", err)
	}
	u.CreatedAt = created
	return nil
}
