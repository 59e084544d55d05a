package scoring

import (
	"cmp"
	"fmt"
	"slices"

	"lederradar/survey"
)

// GroupKey names a group in URLs, exports and the API: "organisation",
// or the kind and id ("department-3", "team-5"), so that a key stays the
// same when the group is renamed.
func GroupKey(kind survey.GroupKind, id int64) string {
	if kind == survey.Organisation {
		return "organisation"
	}
	return fmt.Sprintf("%s-%d", kind, id)
}

// ReportGroups lists a round's groups in the order every view of its
// report shows them: the organisation (everyone) first, then the
// departments, then the teams, each by name in byte order (ties by id), as
// the response-rate overview pages through them. members holds each
// group's member ids by group id. groups is left as it was.
func ReportGroups(everyone []int64, groups []survey.Group, members map[int64][]int64) []GroupSpec {
	sorted := slices.Clone(groups)
	slices.SortFunc(sorted, func(a, b survey.Group) int {
		if a.Kind != b.Kind {
			if a.Kind == survey.Department {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
	})
	specs := make([]GroupSpec, 0, 1+len(sorted))
	specs = append(specs, GroupSpec{Key: GroupKey(survey.Organisation, 0), Kind: survey.Organisation, Members: everyone})
	for _, g := range sorted {
		specs = append(specs, GroupSpec{Key: GroupKey(g.Kind, g.ID), Kind: g.Kind, ID: g.ID, Name: g.Name, Members: members[g.ID]})
	}
	return specs
}
