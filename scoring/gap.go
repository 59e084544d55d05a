package scoring

// Gap is the leader's own score minus a comparison group's mean on one
// competence: the "gap per competence" of the personal result page, which
// shows where the leader sees themself above or below their team or the
// organisation.
type Gap struct {
	CompetenceID string
	Self         float64
	Other        float64
	Diff         float64 // Self − Other
	// OK is true only when the leader has a score and the comparison
	// group's competence is shown; otherwise every number is zero, so a
	// suppressed mean cannot leak through a gap.
	OK bool
}

// Gaps returns the gap per competence in the order of self's competences.
// A competence is compared only where self has a score and other shows it
// under the anonymity rule.
func Gaps(self PersonProfile, other GroupProfile) []Gap {
	shown := map[string]Aggregate{}
	if !other.Suppressed {
		for _, c := range other.Competences {
			if !c.Suppressed && c.N > 0 {
				shown[c.CompetenceID] = c.Aggregate
			}
		}
	}
	out := make([]Gap, 0, len(self.Competences))
	for _, cs := range self.Competences {
		g := Gap{CompetenceID: cs.CompetenceID}
		if agg, ok := shown[cs.CompetenceID]; ok && cs.HasScore {
			g = Gap{CompetenceID: cs.CompetenceID, Self: cs.Score, Other: agg.Mean, Diff: cs.Score - agg.Mean, OK: true}
		}
		out = append(out, g)
	}
	return out
}
