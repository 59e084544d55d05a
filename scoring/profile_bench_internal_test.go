package scoring

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"lederradar/survey"
)

// benchOrgSpecs is an in-memory organisation shaped as internal/orggen
// makes them: departments of 8–40, a team per twenty people drawn within
// an area or across it, four in five people answered.
func benchOrgSpecs(n int) (*survey.Instrument, []GroupSpec, []Respondent) {
	r := rand.New(rand.NewPCG(uint64(n), 1))
	in := &survey.Instrument{Version: "b"}
	for c := range 11 {
		comp := survey.Competence{ID: fmt.Sprintf("c%d", c)}
		for i := range 4 {
			comp.Items = append(comp.Items, survey.Item{ID: fmt.Sprintf("c%d.%d", c, i)})
		}
		in.Competences = append(in.Competences, comp)
	}
	people := make([]int64, n)
	for i := range people {
		people[i] = int64(i + 1)
	}
	groups := []GroupSpec{{Key: "organisation", Kind: survey.Organisation, Members: people}}
	for start, d := 0, 0; start < n; d++ {
		size := min(8+int(r.ExpFloat64()*7), 40, n-start)
		groups = append(groups, GroupSpec{Key: fmt.Sprintf("d%d", d), Kind: survey.Department, ID: int64(d + 1), Members: people[start : start+size]})
		start += size
	}
	for t := range n / 20 {
		seen := map[int64]bool{}
		var m []int64
		base := r.IntN(n)
		for range 6 + r.IntN(25) {
			id := people[(base+r.IntN(180))%n]
			if !seen[id] {
				seen[id] = true
				m = append(m, id)
			}
		}
		groups = append(groups, GroupSpec{Key: fmt.Sprintf("t%d", t), Kind: survey.Team, ID: int64(t + 1), Members: m})
	}
	var rs []Respondent
	for _, id := range people {
		if r.Float64() < 0.8 {
			a := survey.Answers{}
			for _, c := range in.Competences {
				for _, it := range c.Items {
					a[it.ID] = survey.Answer(r.IntN(6))
				}
			}
			rs = append(rs, Respondent{PersonID: id, Answers: a})
		}
	}
	return in, groups, rs
}

// BenchmarkProfiles compares the indexed anonymity rule with the direct
// one it replaced (naiveProfiles), from answers, on organisations of 1,000
// and 10,000 people; the direct one is quadratic in the groups and is not
// run at 100,000.
func BenchmarkProfiles(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		in, groups, rs := benchOrgSpecs(n)
		for _, engine := range []struct {
			name string
			f    func(*survey.Instrument, []GroupSpec, []Respondent, int) []GroupProfile
		}{{"naive", naiveProfiles}, {"indexed", Profiles}} {
			if engine.name == "naive" && n > 10000 {
				continue
			}
			b.Run(fmt.Sprintf("people=%d/engine=%s", n, engine.name), func(b *testing.B) {
				for range b.N {
					engine.f(in, groups, rs, DefaultMinGroup)
				}
			})
		}
	}
}
