package data

import (
	"context"
	"fmt"
	"strings"

	"lederradar/survey"
)

// PeopleSearch asks for a page of the people list: those whose name or
// e-mail address contains Text (ignoring case), in one department when
// DepartmentID is set, Limit of them from Offset, ordered by name. An
// organisation of thousands of leaders is found in this way, not scrolled.
type PeopleSearch struct {
	Text         string
	DepartmentID int64
	Offset       int
	Limit        int
}

// PersonListing is one person of the people list with the names of their
// department and teams.
type PersonListing struct {
	survey.Person
	Department string
	Teams      []string
}

// teamSeparator joins team names in one column; no name holds it.
const teamSeparator = "\x1f"

// SearchPeople returns the page of the organisation's people (not those
// who only rate) the search asks for and how many match in all.
func (d *DB) SearchPeople(ctx context.Context, s PeopleSearch) ([]PersonListing, int, error) {
	where := `WHERE p.rater_only = 0 AND (?1 = '' OR p.name LIKE ?2 ESCAPE '\' OR p.email LIKE ?2 ESCAPE '\')
		AND (?3 = 0 OR p.department_id = ?3)`
	text := strings.TrimSpace(s.Text)
	pattern := "%" + strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(text) + "%"
	var total int
	if err := d.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM people p "+where, text, pattern, s.DepartmentID).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("data: unable to count people: %w", err)
	}
	rows, err := d.read.QueryContext(ctx, `
		SELECT p.id, p.email, p.name, COALESCE(p.department_id, 0), COALESCE(dep.name, ''),
			COALESCE((SELECT group_concat(name, ?4) FROM (
				SELECT g.name FROM team_members tm JOIN groups g ON g.id = tm.team_id
				WHERE tm.person_id = p.id ORDER BY g.name)), '')
		FROM people p LEFT JOIN groups dep ON dep.id = p.department_id
		`+where+`
		ORDER BY p.name, p.id LIMIT ?5 OFFSET ?6`,
		text, pattern, s.DepartmentID, teamSeparator, s.Limit, s.Offset)
	if err != nil {
		return nil, 0, fmt.Errorf("data: unable to search people: %w", err)
	}
	defer rows.Close()
	var out []PersonListing
	for rows.Next() {
		var l PersonListing
		var teams string
		if err := rows.Scan(&l.ID, &l.Email, &l.Name, &l.DepartmentID, &l.Department, &teams); err != nil {
			return nil, 0, fmt.Errorf("data: unable to read people: %w", err)
		}
		if teams != "" {
			l.Teams = strings.Split(teams, teamSeparator)
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("data: unable to read people: %w", err)
	}
	return out, total, nil
}
