package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"lederradar/internal/csvfile"
	"lederradar/survey"
)

// ImportResult counts what ImportPeople did.
type ImportResult struct {
	Created, Updated int // people
	GroupsCreated    int // departments and teams
}

// personImport is one checked row of a people import.
type personImport struct {
	line              int
	email, name, dept string
	teams             []string
}

// ImportPeople stores a people file in one transaction: all of it or, on
// any problem, nothing. For each row the person is found by e-mail address
// (ignoring ASCII case) and has name and department updated, or is
// created; the department and teams are found by name or created; and the
// person's team memberships become exactly the row's teams. An empty
// department means none. Nothing is deleted: people and teams not in the
// file stay as they are. Importing the same file again changes nothing.
//
// Rows are checked as a whole first; their problems come back together as
// an *csvfile.Error (code EINVALID), with line numbers.
func (d *DB) ImportPeople(ctx context.Context, rows []csvfile.PersonRow) (ImportResult, error) {
	people, err := checkPeopleRows(rows)
	if err != nil {
		return ImportResult{}, err
	}

	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return ImportResult{}, fmt.Errorf("data: unable to begin importing people: %w", err)
	}
	defer tx.Rollback()

	groups, err := readGroupIndex(ctx, tx)
	if err != nil {
		return ImportResult{}, err
	}
	var res ImportResult
	for _, p := range people {
		created, err := importPerson(ctx, tx, groups, p)
		if err != nil {
			return ImportResult{}, err
		}
		if created {
			res.Created++
		} else {
			res.Updated++
		}
	}
	res.GroupsCreated = groups.created
	if err := tx.Commit(); err != nil {
		return ImportResult{}, fmt.Errorf("data: unable to commit people import: %w", err)
	}
	return res, nil
}

// importPerson stores one checked row of a people import in tx: the
// person found by e-mail address and updated, or created (created is
// true then), with their department and exactly the row's teams.
func importPerson(ctx context.Context, tx *sql.Tx, groups *groupIndex, p personImport) (created bool, err error) {
	var dept sql.NullInt64
	if p.dept != "" {
		id, err := groups.id(ctx, survey.Department, p.dept)
		if err != nil {
			return false, fmt.Errorf("line %d: %w", p.line, err)
		}
		dept = sql.NullInt64{Int64: id, Valid: true}
	}
	var id int64
	err = tx.QueryRowContext(ctx, "SELECT id FROM people WHERE email = ?", p.email).Scan(&id)
	switch {
	case err == nil:
		// A person who only rated leaders becomes one of them.
		if _, err := tx.ExecContext(ctx, "UPDATE people SET name = ?, department_id = ?, rater_only = 0 WHERE id = ?",
			p.name, dept, id); err != nil {
			return false, fmt.Errorf("data: unable to update person on line %d: %w", p.line, err)
		}
	case errors.Is(err, sql.ErrNoRows):
		if err := tx.QueryRowContext(ctx,
			insertPersonSQL,
			p.email, p.name, dept).Scan(&id); err != nil {
			return false, fmt.Errorf("data: unable to create person on line %d: %w", p.line, err)
		}
		created = true
	default:
		return false, fmt.Errorf("data: unable to find person on line %d: %w", p.line, err)
	}
	teamIDs := make([]int64, 0, len(p.teams))
	for _, name := range p.teams {
		tid, err := groups.id(ctx, survey.Team, name)
		if err != nil {
			return false, fmt.Errorf("line %d: %w", p.line, err)
		}
		teamIDs = append(teamIDs, tid)
	}
	if err := setTeams(ctx, tx, id, teamIDs); err != nil {
		return false, fmt.Errorf("line %d: %w", p.line, err)
	}
	return created, nil
}

// groupIndex finds the groups an import names, creating the missing ones
// in its transaction. Group names match ignoring case across Unicode, not
// only ASCII as the schema's NOCASE does: "ældreplan" in a file is the
// team "Ældreplan". An exact spelling wins where both exist.
type groupIndex struct {
	tx            *sql.Tx
	exact, folded map[groupKey]int64
	created       int // groups created
}

// groupKey is a group's kind and name.
type groupKey struct {
	kind survey.GroupKind
	name string
}

// readGroupIndex indexes the groups stored in tx.
func readGroupIndex(ctx context.Context, tx *sql.Tx) (*groupIndex, error) {
	existing, err := tx.QueryContext(ctx, "SELECT id, kind, name FROM groups ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("data: unable to read groups: %w", err)
	}
	gs, err := scanGroups(existing)
	if err != nil {
		return nil, fmt.Errorf("data: unable to read groups: %w", err)
	}
	gi := &groupIndex{tx: tx, exact: map[groupKey]int64{}, folded: map[groupKey]int64{}}
	for _, g := range gs {
		gi.remember(g.Kind, g.Name, g.ID)
	}
	return gi, nil
}

func (gi *groupIndex) remember(kind survey.GroupKind, name string, id int64) {
	gi.exact[groupKey{kind, name}] = id
	if _, ok := gi.folded[groupKey{kind, strings.ToLower(name)}]; !ok {
		gi.folded[groupKey{kind, strings.ToLower(name)}] = id
	}
}

// id returns the id of the group of a kind with the given name, creating
// it when missing.
func (gi *groupIndex) id(ctx context.Context, kind survey.GroupKind, name string) (int64, error) {
	if id, ok := gi.exact[groupKey{kind, name}]; ok {
		return id, nil
	}
	if id, ok := gi.folded[groupKey{kind, strings.ToLower(name)}]; ok {
		return id, nil
	}
	var id int64
	if err := gi.tx.QueryRowContext(ctx, insertGroupSQL, string(kind), name).Scan(&id); err != nil {
		return 0, fmt.Errorf("data: unable to create %s %q: %w", kind, name, err)
	}
	gi.created++
	gi.remember(kind, name, id)
	return id, nil
}

// checkPeopleRows checks every row, as csvfile.ParsePeople does for a
// file, so that rows from anywhere are held to the same rules, and returns
// them trimmed.
func checkPeopleRows(rows []csvfile.PersonRow) ([]personImport, error) {
	var ip importProblems
	if len(rows) == 0 {
		ip.add(csvfile.Problem{Key: csvfile.ProblemEmpty})
		return nil, ip.err()
	}
	seen := map[string]int{}
	out := make([]personImport, 0, len(rows))
	for i, r := range rows {
		line := rowLine(r.Line, i)
		email, ok := ip.email(line, r.Email, seen)
		p := personImport{line: line, email: email, name: strings.TrimSpace(r.Name), dept: strings.TrimSpace(r.Department)}
		switch {
		case p.name == "":
			ip.add(csvfile.Problem{Line: line, Key: csvfile.ProblemNameMissing})
			ok = false
		case tooLong(p.name, csvfile.MaxNameLength):
			ip.add(csvfile.Problem{Line: line, Key: csvfile.ProblemNameTooLong, Value: p.name})
			ok = false
		}
		if tooLong(p.dept, csvfile.MaxGroupLength) {
			ip.add(csvfile.Problem{Line: line, Key: csvfile.ProblemDepartmentTooLong, Value: p.dept})
			ok = false
		}
		teams := map[string]bool{}
		for _, t := range r.Teams {
			t = strings.TrimSpace(t)
			if t == "" || teams[strings.ToLower(t)] {
				continue
			}
			if tooLong(t, csvfile.MaxGroupLength) {
				ip.add(csvfile.Problem{Line: line, Key: csvfile.ProblemTeamTooLong, Value: t})
				ok = false
				continue
			}
			teams[strings.ToLower(t)] = true
			p.teams = append(p.teams, t)
		}
		if ok {
			out = append(out, p)
		}
	}
	if err := ip.err(); err != nil {
		return nil, err
	}
	return out, nil
}
