package scoring

import "math"

// CompareMeans counts the competences on which a group's mean in one
// round (this) is higher, lower or the same as in another (other), both
// in the instrument's order. The difference counts as the page shows it,
// to one decimal, so that one shown as 0,0 is "the same"; a competence
// either round hides is not counted.
func CompareMeans(this, other []CompetenceAggregate) (higher, lower, same int) {
	for i := range min(len(this), len(other)) {
		t, o := this[i], other[i]
		if t.Suppressed || o.Suppressed {
			continue
		}
		switch d := math.Round((t.Mean-o.Mean)*10) / 10; {
		case d > 0:
			higher++
		case d < 0:
			lower++
		default:
			same++
		}
	}
	return higher, lower, same
}
