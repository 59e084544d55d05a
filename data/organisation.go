package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"lederradar/survey"
)

// CreateGroup stores a new department or team and sets g.ID. Names are
// unique per kind, ignoring ASCII case.
func (d *DB) CreateGroup(ctx context.Context, g *survey.Group) error {
	if err := g.Validate(); err != nil {
		return err
	}
	var id int64
	err := d.write.QueryRowContext(ctx, insertGroupSQL, string(g.Kind), g.Name).Scan(&id)
	if isUniqueViolation(err) {
		return survey.Errorf(survey.ECONFLICT, "a %s named %q already exists", g.Kind, g.Name).WithKey(string(g.Kind)+"_exists", g.Name)
	} else if err != nil {
		return fmt.Errorf("data: unable to create group: %w", err)
	}
	g.ID = id
	return nil
}

// validKind checks a kind given to a Find; "" means every kind.
func validKind(kind survey.GroupKind) error {
	switch kind {
	case "", survey.Department, survey.Team:
		return nil
	}
	return survey.Errorf(survey.EINVALID, "group kind must be department or team, not %q", kind)
}

// FindGroups returns the groups of a kind, or of every kind when kind is
// "", ordered by kind and name.
func (d *DB) FindGroups(ctx context.Context, kind survey.GroupKind) ([]survey.Group, error) {
	if err := validKind(kind); err != nil {
		return nil, err
	}
	rows, err := d.read.QueryContext(ctx, `
		SELECT id, kind, name FROM groups
		WHERE ? = '' OR kind = ?
		ORDER BY kind, name, id`, string(kind), string(kind))
	if err != nil {
		return nil, fmt.Errorf("data: unable to find groups: %w", err)
	}
	gs, err := scanGroups(rows)
	if err != nil {
		return nil, fmt.Errorf("data: unable to find groups: %w", err)
	}
	return gs, nil
}

func scanGroups(rows *sql.Rows) ([]survey.Group, error) {
	defer rows.Close()
	gs := []survey.Group{}
	for rows.Next() {
		var g survey.Group
		var kind string
		if err := rows.Scan(&g.ID, &kind, &g.Name); err != nil {
			return nil, err
		}
		g.Kind = survey.GroupKind(kind)
		gs = append(gs, g)
	}
	return gs, rows.Err()
}

// FindGroupByName returns the group of a kind with the given name,
// ignoring ASCII case.
func (d *DB) FindGroupByName(ctx context.Context, kind survey.GroupKind, name string) (*survey.Group, error) {
	if kind != survey.Department && kind != survey.Team {
		return nil, survey.Errorf(survey.EINVALID, "group kind must be department or team, not %q", kind)
	}
	g := survey.Group{Kind: kind}
	err := d.read.QueryRowContext(ctx,
		"SELECT id, name FROM groups WHERE kind = ? AND name = ?", string(kind), name).Scan(&g.ID, &g.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.Errorf(survey.ENOTFOUND, "no %s named %q", kind, name)
	} else if err != nil {
		return nil, fmt.Errorf("data: unable to find group: %w", err)
	}
	return &g, nil
}

// groupKind returns the kind of the group with the given id.
func groupKind(ctx context.Context, q queryer, id int64) (survey.GroupKind, error) {
	var kind string
	err := q.QueryRowContext(ctx, "SELECT kind FROM groups WHERE id = ?", id).Scan(&kind)
	if errors.Is(err, sql.ErrNoRows) {
		return "", survey.Errorf(survey.ENOTFOUND, "no group with id %d", id)
	} else if err != nil {
		return "", fmt.Errorf("data: unable to find group %d: %w", id, err)
	}
	return survey.GroupKind(kind), nil
}

// insertGroupSQL creates a group (kind, name) with an id above every id a
// group has had (migration 0007): a closed round's deleted group, and its
// audit trail, never pass their id to a new group.
const insertGroupSQL = `INSERT INTO groups (id, kind, name)
	VALUES (max(coalesce((SELECT max(id) FROM groups), 0), (SELECT id FROM groups_id_floor)) + 1, ?, ?)
	RETURNING id`

// insertPersonSQL creates a person (email, name, department) with an id
// above every id a person has had (migration 0005): an erased person's id
// and audit trail never pass to somebody else.
const insertPersonSQL = `INSERT INTO people (id, email, name, department_id)
	VALUES (max(coalesce((SELECT max(id) FROM people), 0), (SELECT id FROM people_id_floor)) + 1, ?, ?, ?)
	RETURNING id`

// departmentOf returns p's department for the people table: NULL for
// none, or its id after checking that the group is a department.
func departmentOf(ctx context.Context, tx *sql.Tx, p *survey.Person) (sql.NullInt64, error) {
	dept := sql.NullInt64{Int64: p.DepartmentID, Valid: p.DepartmentID != 0}
	if dept.Valid {
		kind, err := groupKind(ctx, tx, p.DepartmentID)
		if err != nil {
			return dept, err
		}
		if kind != survey.Department {
			return dept, survey.Errorf(survey.EINVALID, "group %d is a %s, not a department", p.DepartmentID, kind)
		}
	}
	return dept, nil
}

// CreatePerson stores a new person and sets p.ID. E-mail addresses are
// unique, ignoring ASCII case; DepartmentID, when set, must name a
// department.
func (d *DB) CreatePerson(ctx context.Context, p *survey.Person) error {
	if err := p.Validate(); err != nil {
		return err
	}
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("data: unable to begin creating person: %w", err)
	}
	defer tx.Rollback()

	dept, err := departmentOf(ctx, tx, p)
	if err != nil {
		return err
	}
	var id int64
	err = tx.QueryRowContext(ctx,
		insertPersonSQL,
		p.Email, p.Name, dept).Scan(&id)
	if isUniqueViolation(err) {
		return survey.Errorf(survey.ECONFLICT, "a person with e-mail %s already exists", p.Email).WithKey("person_exists", p.Email)
	} else if err != nil {
		return fmt.Errorf("data: unable to create person: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("data: unable to commit person: %w", err)
	}
	p.ID = id
	return nil
}

const personColumns = "id, email, name, coalesce(department_id, 0)"

func scanPerson(row interface{ Scan(...any) error }) (survey.Person, error) {
	var p survey.Person
	err := row.Scan(&p.ID, &p.Email, &p.Name, &p.DepartmentID)
	return p, err
}

// FindPersonByID returns the person with the given id.
func (d *DB) FindPersonByID(ctx context.Context, id int64) (*survey.Person, error) {
	p, err := scanPerson(d.readRow(ctx, "SELECT "+personColumns+" FROM people WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.Errorf(survey.ENOTFOUND, "no person with id %d", id)
	} else if err != nil {
		return nil, fmt.Errorf("data: unable to find person %d: %w", id, err)
	}
	return &p, nil
}

// FindPersonByEmail returns the person with the given e-mail address,
// ignoring ASCII case.
func (d *DB) FindPersonByEmail(ctx context.Context, email string) (*survey.Person, error) {
	p, err := scanPerson(d.read.QueryRowContext(ctx, "SELECT "+personColumns+" FROM people WHERE email = ?", email))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.Errorf(survey.ENOTFOUND, "no person with e-mail %s", email)
	} else if err != nil {
		return nil, fmt.Errorf("data: unable to find person by e-mail: %w", err)
	}
	return &p, nil
}

// FindPeople returns the organisation's people, ordered by name: everyone
// but those who only rate leaders in 360 rounds.
func (d *DB) FindPeople(ctx context.Context) ([]survey.Person, error) {
	return findAll(ctx, d, "people", "SELECT "+personColumns+" FROM people WHERE rater_only = 0 ORDER BY name, id", scanPerson)
}

// AddTeamMember puts a person on a team. Adding a member twice is a no-op.
// Departments are not joined this way: a person's department is a field
// of the person.
func (d *DB) AddTeamMember(ctx context.Context, teamID, personID int64) error {
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("data: unable to begin adding team member: %w", err)
	}
	defer tx.Rollback()

	kind, err := groupKind(ctx, tx, teamID)
	if err != nil {
		return err
	}
	if kind != survey.Team {
		return survey.Errorf(survey.EINVALID, "group %d is a %s, not a team", teamID, kind)
	}
	if ok, err := exists(ctx, tx, "SELECT 1 FROM people WHERE id = ?", personID); err != nil {
		return fmt.Errorf("data: unable to find person %d: %w", personID, err)
	} else if !ok {
		return survey.Errorf(survey.ENOTFOUND, "no person with id %d", personID)
	}
	if _, err := tx.ExecContext(ctx,
		"INSERT INTO team_members (team_id, person_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
		teamID, personID); err != nil {
		return fmt.Errorf("data: unable to add team member: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("data: unable to commit team member: %w", err)
	}
	return nil
}

// FindTeamsOfPerson returns the teams a person is on, ordered by name.
func (d *DB) FindTeamsOfPerson(ctx context.Context, personID int64) ([]survey.Group, error) {
	tx, err := d.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("data: unable to begin finding teams: %w", err)
	}
	defer tx.Rollback()
	if ok, err := exists(ctx, tx, "SELECT 1 FROM people WHERE id = ?", personID); err != nil {
		return nil, fmt.Errorf("data: unable to find person %d: %w", personID, err)
	} else if !ok {
		return nil, survey.Errorf(survey.ENOTFOUND, "no person with id %d", personID)
	}
	return teamsOf(ctx, tx, personID)
}

// teamsOf returns the teams a person is on, ordered by name.
func teamsOf(ctx context.Context, q queryer, personID int64) ([]survey.Group, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT g.id, g.kind, g.name
		FROM team_members m JOIN groups g ON g.id = m.team_id
		WHERE m.person_id = ?
		ORDER BY g.name, g.id`, personID)
	if err != nil {
		return nil, fmt.Errorf("data: unable to find teams of person %d: %w", personID, err)
	}
	gs, err := scanGroups(rows)
	if err != nil {
		return nil, fmt.Errorf("data: unable to find teams of person %d: %w", personID, err)
	}
	return gs, nil
}
