package scoring

import (
	"slices"

	"lederradar/survey"
)

// MayOverlay reports whether a leader may lay group g's means over their
// own result: the anonymity rule shows g, and g is the organisation or a
// department or team the closed round kept the leader in (kept, by id).
// A group the leader was not in would say nothing about their own
// surroundings; one the rule hides has no means to show.
func MayOverlay(g *GroupProfile, kept []int64) bool {
	if g == nil || g.Suppressed {
		return false
	}
	return g.Kind == survey.Organisation || slices.Contains(kept, g.ID)
}

// ChooseOverlay returns the index, in groups (those a leader may overlay,
// in report order), of the one their result is shown against: the one
// whose key the leader chose, else their department, else the first (the
// organisation, which comes first). It returns -1 when groups is empty.
func ChooseOverlay(groups []*GroupProfile, chosen string) int {
	if len(groups) == 0 {
		return -1
	}
	for i, g := range groups {
		if g.Key == chosen {
			return i
		}
	}
	pick := 0
	for i, g := range groups {
		if g.Kind == survey.Department {
			pick = i
		}
	}
	return pick
}
