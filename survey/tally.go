package survey

// Tally counts one response's answers per competence and answer value:
// Tally[c][v] is how many items of the instrument's competence c were
// answered v (0 is "ved ikke", 1–5 the scale). It is all the aggregates of a
// round need to know of a response, so a report can be built from a few
// bytes per respondent instead of every answer. Counting is no scoring
// rule; the scores themselves are scoring's.
type Tally [][6]uint16

// Tally counts a's answers to the instrument's items, in the instrument's
// competence order. Items the instrument does not have and values off the
// scale are not counted, as scoring ignores them.
func (in *Instrument) Tally(a Answers) Tally {
	t := make(Tally, len(in.Competences))
	for c, comp := range in.Competences {
		for _, it := range comp.Items {
			if v, ok := a[it.ID]; ok && v.Valid() {
				t[c][v]++
			}
		}
	}
	return t
}
