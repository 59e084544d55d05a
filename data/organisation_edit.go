package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"lederradar/survey"
)

// FindGroupByID returns the group with the given id.
func (d *DB) FindGroupByID(ctx context.Context, id int64) (*survey.Group, error) {
	g := survey.Group{ID: id}
	var kind string
	err := d.read.QueryRowContext(ctx, "SELECT kind, name FROM groups WHERE id = ?", id).Scan(&kind, &g.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.Errorf(survey.ENOTFOUND, "no group with id %d", id)
	} else if err != nil {
		return nil, fmt.Errorf("data: unable to find group %d: %w", id, err)
	}
	g.Kind = survey.GroupKind(kind)
	return &g, nil
}

// CountGroupMembers returns how many people a group holds: a team's
// members, or the people in a department. The administrator is told the
// number before a group is deleted.
func (d *DB) CountGroupMembers(ctx context.Context, g *survey.Group) (int, error) {
	query := "SELECT COUNT(*) FROM team_members WHERE team_id = ?"
	if g.Kind == survey.Department {
		query = "SELECT COUNT(*) FROM people WHERE department_id = ?"
	}
	var n int
	if err := d.read.QueryRowContext(ctx, query, g.ID).Scan(&n); err != nil {
		return 0, fmt.Errorf("data: unable to count members of group %d: %w", g.ID, err)
	}
	return n, nil
}

// RenameGroup gives a department or team a new name, unique among its
// kind ignoring ASCII case.
func (d *DB) RenameGroup(ctx context.Context, id int64, name string) error {
	name = strings.TrimSpace(name)
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("data: unable to begin renaming group: %w", err)
	}
	defer tx.Rollback()
	kind, err := groupKind(ctx, tx, id)
	if err != nil {
		return err
	}
	g := survey.Group{ID: id, Kind: kind, Name: name}
	if err := g.Validate(); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "UPDATE groups SET name = ? WHERE id = ?", name, id)
	if isUniqueViolation(err) {
		return survey.Errorf(survey.ECONFLICT, "a %s named %q already exists", kind, name).WithKey(string(kind)+"_exists", name)
	} else if err != nil {
		return fmt.Errorf("data: unable to rename group: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("data: unable to commit group name: %w", err)
	}
	return nil
}

// DeleteGroup deletes a department or team. Its people stay: members of a
// deleted department have no department, members of a deleted team lose
// that membership. Answers are not touched.
func (d *DB) DeleteGroup(ctx context.Context, id int64) error {
	res, err := d.write.ExecContext(ctx, "DELETE FROM groups WHERE id = ?", id)
	if err != nil {
		return fmt.Errorf("data: unable to delete group: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("data: unable to delete group: %w", err)
	} else if n == 0 {
		return survey.Errorf(survey.ENOTFOUND, "no group with id %d", id)
	}
	return nil
}

// UpdatePerson stores a person's name, e-mail address and department (0
// for none). The e-mail address stays unique, ignoring ASCII case.
func (d *DB) UpdatePerson(ctx context.Context, p *survey.Person) error {
	if err := p.Validate(); err != nil {
		return err
	}
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("data: unable to begin updating person: %w", err)
	}
	defer tx.Rollback()

	dept, err := departmentOf(ctx, tx, p)
	if err != nil {
		return err
	}
	res, err := tx.ExecContext(ctx,
		"UPDATE people SET email = ?, name = ?, department_id = ? WHERE id = ?",
		p.Email, p.Name, dept, p.ID)
	if isUniqueViolation(err) {
		return survey.Errorf(survey.ECONFLICT, "a person with e-mail %s already exists", p.Email).WithKey("person_exists", p.Email)
	} else if err != nil {
		return fmt.Errorf("data: unable to update person: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("data: unable to update person: %w", err)
	} else if n == 0 {
		return survey.Errorf(survey.ENOTFOUND, "no person with id %d", p.ID)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("data: unable to commit person: %w", err)
	}
	return nil
}

// SetPersonTeams makes a person's team memberships exactly teamIDs, each
// of which must be a team. An empty list takes the person off every team.
func (d *DB) SetPersonTeams(ctx context.Context, personID int64, teamIDs []int64) error {
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("data: unable to begin setting teams: %w", err)
	}
	defer tx.Rollback()
	if ok, err := exists(ctx, tx, "SELECT 1 FROM people WHERE id = ?", personID); err != nil {
		return fmt.Errorf("data: unable to find person %d: %w", personID, err)
	} else if !ok {
		return survey.Errorf(survey.ENOTFOUND, "no person with id %d", personID)
	}
	for _, id := range teamIDs {
		kind, err := groupKind(ctx, tx, id)
		if err != nil {
			return err
		}
		if kind != survey.Team {
			return survey.Errorf(survey.EINVALID, "group %d is a %s, not a team", id, kind)
		}
	}
	if err := setTeams(ctx, tx, personID, teamIDs); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("data: unable to commit teams: %w", err)
	}
	return nil
}

// setTeams replaces a person's team memberships with teamIDs, which the
// caller has checked are teams.
func setTeams(ctx context.Context, q queryer, personID int64, teamIDs []int64) error {
	ids := slices.Clone(teamIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if ids == nil {
		ids = []int64{}
	}
	// The list goes in as one JSON parameter, not as SQL text.
	list, err := json.Marshal(ids)
	if err != nil {
		return fmt.Errorf("data: unable to encode team list: %w", err)
	}
	if _, err := q.ExecContext(ctx, `
		DELETE FROM team_members
		WHERE person_id = ? AND team_id NOT IN (SELECT value FROM json_each(?))`,
		personID, string(list)); err != nil {
		return fmt.Errorf("data: unable to remove team memberships: %w", err)
	}
	for _, id := range ids {
		if _, err := q.ExecContext(ctx,
			"INSERT INTO team_members (team_id, person_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
			id, personID); err != nil {
			return fmt.Errorf("data: unable to add team membership: %w", err)
		}
	}
	return nil
}

// FindGroupMembers returns, for every department and team, the ids of its
// members in ascending order: a department's through people.department_id,
// a team's through its memberships. A group without members maps to an
// empty list. This is what the differencing rule of anonymity works on.
func (d *DB) FindGroupMembers(ctx context.Context) (map[int64][]int64, error) {
	// One snapshot, so the groups and the memberships agree.
	tx, err := d.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("data: unable to begin finding group members: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `
		SELECT g.id, m.person_id FROM groups g
		LEFT JOIN (
			SELECT department_id AS group_id, id AS person_id FROM people WHERE department_id IS NOT NULL
			UNION ALL
			SELECT team_id, person_id FROM team_members
		) m ON m.group_id = g.id
		ORDER BY g.id, m.person_id`)
	if err != nil {
		return nil, fmt.Errorf("data: unable to find group members: %w", err)
	}
	defer rows.Close()
	out := map[int64][]int64{}
	for rows.Next() {
		var group int64
		var person sql.NullInt64
		if err := rows.Scan(&group, &person); err != nil {
			return nil, fmt.Errorf("data: unable to find group members: %w", err)
		}
		if _, ok := out[group]; !ok {
			out[group] = []int64{}
		}
		if person.Valid {
			out[group] = append(out[group], person.Int64)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: unable to find group members: %w", err)
	}
	return out, nil
}
