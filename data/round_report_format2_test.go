package data

// This file keeps the encoder of format 2, the kept report's format before
// the counts of high scores (format 3), as it was released: reports kept
// by it are final and are read, never built again, so the tests prove
// that bodies it wrote still read.

// EncodeReportFormat2 writes r as a report kept in format 2 was written.
func EncodeReportFormat2(r *RoundReport) []byte {
	e := reportEncoder{b: nil, words: map[string]int{}}
	e.n(r.MinGroup)
	e.n(r.Invited)
	e.n(r.Started)
	e.n(r.Answered)
	e.count(r.Groups == nil, len(r.Groups))
	for i := range r.Groups {
		g := &r.Groups[i]
		e.spec(g.Spec)
		e.n(g.Members)
		e.n(g.Invited)
		e.n(g.Started)
		e.n(g.Submitted)
		if g.Profile == nil {
			e.n(0)
			continue
		}
		e.n(1)
		p := g.Profile
		e.str(p.Key)
		e.str(p.Name)
		e.word(string(p.Kind))
		e.int(p.ID)
		e.n(p.Members)
		e.n(p.N)
		e.bool(p.Suppressed)
		e.count(p.Competences == nil, len(p.Competences))
		for _, c := range p.Competences {
			e.word(c.CompetenceID)
			e.bool(c.Suppressed)
			e.float(c.Mean)
			e.float(c.SD)
			e.n(c.N)
			for _, n := range c.Distribution {
				e.n(n)
			}
		}
	}
	return e.b
}
