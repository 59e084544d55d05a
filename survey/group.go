package survey

import "strings"

// GroupKind says what a group is: the whole organisation, a department (a
// line unit; each person in at most one) or a team (cross-cutting; a person
// may be in many).
type GroupKind string

// The kinds of groups.
const (
	Organisation GroupKind = "organisation"
	Department   GroupKind = "department"
	Team         GroupKind = "team"
)

// Group is a department or a cross-cutting team.
type Group struct {
	ID   int64
	Kind GroupKind
	Name string
}

// Validate checks a group's own fields.
func (g *Group) Validate() error {
	if g.Kind != Department && g.Kind != Team {
		return Errorf(EINVALID, "group kind must be department or team")
	}
	if strings.TrimSpace(g.Name) == "" {
		return Errorf(EINVALID, "group name is required").WithKey("group_name_required")
	}
	return nil
}
