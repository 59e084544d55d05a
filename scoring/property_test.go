package scoring_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"lederradar/scoring"
	"lederradar/survey"
)

// randomOrg builds an organisation of 5–60 people: 1–5 departments that
// partition them, 0–6 teams drawn at random (overlapping each other and the
// departments, sometimes a copy of another group), random submission and
// random missing and don't-know answers. The organisation's place in the
// group list is random too, so the rule cannot rely on it coming first.
func randomOrg(r *rand.Rand, in *survey.Instrument) ([]scoring.GroupSpec, []scoring.Respondent) {
	n := 5 + r.IntN(56)
	people := make([]int64, n)
	for i := range people {
		people[i] = int64(100 + i)
	}
	nd := 1 + r.IntN(5)
	depts := make([][]int64, nd)
	for _, id := range people {
		d := r.IntN(nd)
		depts[d] = append(depts[d], id)
	}
	groups := []scoring.GroupSpec{org(people)}
	for d, members := range depts {
		groups = append(groups, dept(int64(d+1), members))
	}
	for t := range r.IntN(7) {
		var members []int64
		switch r.IntN(4) {
		case 0: // a copy of a department or team: identical sets
			members = append(members, groups[1+r.IntN(len(groups)-1)].Members...)
		case 1: // most of a department: nested, small differences
			src := depts[r.IntN(nd)]
			for _, id := range src {
				if r.Float64() < 0.85 {
					members = append(members, id)
				}
			}
		default: // anyone, cross-cutting
			p := 0.05 + 0.6*r.Float64()
			for _, id := range people {
				if r.Float64() < p {
					members = append(members, id)
				}
			}
		}
		groups = append(groups, team(int64(t+1), members))
	}
	r.Shuffle(len(groups), func(i, j int) { groups[i], groups[j] = groups[j], groups[i] })

	submit := 0.3 + 0.7*r.Float64()
	missing := 0.4 * r.Float64()
	dontKnow := 0.4 * r.Float64()
	var respondents []scoring.Respondent
	for _, id := range people {
		if r.Float64() >= submit {
			continue
		}
		a := survey.Answers{}
		for _, c := range in.Competences {
			for _, it := range c.Items {
				switch x := r.Float64(); {
				case x < missing:
				case x < missing+dontKnow:
					a[it.ID] = survey.DontKnow
				default:
					a[it.ID] = survey.Answer(1 + r.IntN(5))
				}
			}
		}
		respondents = append(respondents, scoring.Respondent{PersonID: id, Answers: a})
	}
	r.Shuffle(len(respondents), func(i, j int) { respondents[i], respondents[j] = respondents[j], respondents[i] })
	return groups, respondents
}

// naiveScore is the scoring rule written out again, independently of
// scoring.Person: the mean of the items answered 1–5, when at least half
// are.
func naiveScore(c survey.Competence, a survey.Answers) (float64, bool) {
	sum, n := 0, 0
	for _, it := range c.Items {
		if v, ok := a[it.ID]; ok && v >= 1 && v <= 5 {
			sum += int(v)
			n++
		}
	}
	if n == 0 || 2*n < len(c.Items) {
		return 0, false
	}
	return float64(sum) / float64(n), true
}

// TestProfilesProperties checks the anonymity rule's promises on a few
// hundred random organisations, recomputing everything from the inputs.
func TestProfilesProperties(t *testing.T) {
	in := testInstrument()
	var orgs, shownPairs, differenced, combined int
	for seed := uint64(1); seed <= 400; seed++ {
		r := rand.New(rand.NewPCG(seed, 0x1ede4))
		groups, respondents := randomOrg(r, in)
		k := 3 + r.IntN(4)
		got := scoring.Profiles(in, groups, respondents, k)
		orgs++

		fail := func(format string, args ...any) {
			t.Helper()
			t.Fatalf("seed %d, k %d: %s", seed, k, fmt.Sprintf(format, args...))
		}
		if len(got) != len(groups) {
			fail("%d profiles for %d groups", len(got), len(groups))
		}
		answers := map[int64]survey.Answers{}
		for _, rs := range respondents {
			answers[rs.PersonID] = rs.Answers
		}
		// S[g][c]: the group's respondents with a score on c.
		S := make([][]map[int64]bool, len(groups))
		for g, spec := range groups {
			p := got[g]
			members := map[int64]bool{}
			responded := map[int64]bool{}
			for _, id := range spec.Members {
				members[id] = true
				if _, ok := answers[id]; ok {
					responded[id] = true
				}
			}
			if p.Key != spec.Key || p.Kind != spec.Kind || p.Members != len(members) || p.N != len(responded) {
				fail("%s: got key %q kind %q members %d n %d, want members %d n %d", spec.Key, p.Key, p.Kind, p.Members, p.N, len(members), len(responded))
			}
			if !p.Suppressed && p.N < k {
				fail("%s shown with n %d", spec.Key, p.N)
			}
			if len(p.Competences) != len(in.Competences) {
				fail("%s has %d competences", spec.Key, len(p.Competences))
			}
			anyShown := false
			S[g] = make([]map[int64]bool, len(in.Competences))
			for c, comp := range in.Competences {
				ca := p.Competences[c]
				if ca.CompetenceID != comp.ID {
					fail("%s competence %d is %q, want %q", spec.Key, c, ca.CompetenceID, comp.ID)
				}
				S[g][c] = map[int64]bool{}
				var scores []float64
				var dist [6]int
				high := 0
				for id := range responded {
					s, ok := naiveScore(comp, answers[id])
					if !ok {
						continue
					}
					S[g][c][id] = true
					scores = append(scores, s)
					if s >= 4 {
						high++
					}
					for _, it := range comp.Items {
						if v, ok := answers[id][it.ID]; ok {
							dist[v]++
						}
					}
				}
				if ca.Suppressed {
					if ca.Aggregate != (scoring.Aggregate{}) || ca.Distribution != [6]int{} || ca.High != 0 {
						fail("%s/%s suppressed but carries %+v %v, %d high", spec.Key, comp.ID, ca.Aggregate, ca.Distribution, ca.High)
					}
					continue
				}
				anyShown = true
				if p.Suppressed {
					fail("%s suppressed but shows %s", spec.Key, comp.ID)
				}
				if ca.N < k || ca.N != len(scores) {
					fail("%s/%s shown with n %d (%d scores, k %d)", spec.Key, comp.ID, ca.N, len(scores), k)
				}
				mean, ss := 0.0, 0.0
				for _, s := range scores {
					mean += s
				}
				mean /= float64(len(scores))
				for _, s := range scores {
					ss += (s - mean) * (s - mean)
				}
				sd := math.Sqrt(ss / float64(len(scores)-1))
				if math.Abs(ca.Mean-mean) > 1e-9 || math.Abs(ca.SD-sd) > 1e-9 || ca.Distribution != dist || ca.High != high {
					fail("%s/%s = %+v %v, %d high; want mean %v sd %v %v, %d high", spec.Key, comp.ID, ca.Aggregate, ca.Distribution, ca.High, mean, sd, dist, high)
				}
			}
			if p.Suppressed == anyShown {
				fail("%s suppressed %v, but shows a competence: %v", spec.Key, p.Suppressed, anyShown)
			}
		}

		diff := func(a, b map[int64]bool) int {
			n := 0
			for id := range a {
				if !b[id] {
					n++
				}
			}
			return n
		}
		clash := func(a, b map[int64]bool) bool {
			x, y := diff(a, b), diff(b, a)
			return (x > 0 && x < k) || (y > 0 && y < k)
		}
		isOrg := func(g int) bool { return groups[g].Kind == survey.Organisation }
		// outranks: the one of a clashing pair that the rule keeps.
		kind := func(g int) int {
			switch groups[g].Kind {
			case survey.Organisation:
				return 0
			case survey.Department:
				return 1
			}
			return 2
		}
		outranks := func(h, g, c int) bool {
			if kind(h) != kind(g) {
				return kind(h) < kind(g)
			}
			if len(S[h][c]) != len(S[g][c]) {
				return len(S[h][c]) > len(S[g][c])
			}
			return h < g
		}
		for c, comp := range in.Competences {
			shown := func(g int) bool { return !got[g].Competences[c].Suppressed }
			for g := range groups {
				if isOrg(g) && len(S[g][c]) >= k && !shown(g) {
					fail("organisation not shown on %s with %d scores", comp.ID, len(S[g][c]))
				}
				for h := g + 1; h < len(groups); h++ {
					if shown(g) && shown(h) {
						shownPairs++
						if clash(S[g][c], S[h][c]) {
							fail("%s: %s and %s both shown, differ by %d and %d", comp.ID, groups[g].Key, groups[h].Key, diff(S[g][c], S[h][c]), diff(S[h][c], S[g][c]))
						}
					}
				}
				// Nothing is suppressed without cause: a group that passes
				// the thresholds but is not shown clashes with a shown
				// group that outranks it, or showing it again would let a
				// combination single out fewer than k (the combination
				// rule, checked exactly).
				if !shown(g) && got[g].N >= k && len(S[g][c]) >= k {
					differenced++
					justified := false
					for h := range groups {
						if h != g && shown(h) && clash(S[g][c], S[h][c]) && outranks(h, g, c) {
							justified = true
						}
					}
					if !justified {
						again := slices.Clone(got)
						again[g].Competences = slices.Clone(got[g].Competences)
						again[g].Competences[c].Suppressed = false
						for _, iso := range exactIsolations(in, groups, respondents, again, k) {
							if iso.competence == comp.ID {
								justified = true
								combined++
							}
						}
					}
					if !justified {
						fail("%s/%s suppressed with no shown group to clash with", groups[g].Key, comp.ID)
					}
				}
			}
		}
	}
	// The generator must reach the interesting cases, or the test proves
	// little.
	if shownPairs < 1000 || differenced < 100 {
		t.Errorf("weak coverage: %d orgs, %d shown pairs, %d differencing suppressions", orgs, shownPairs, differenced)
	}
	t.Logf("%d orgs, %d shown pairs checked, %d suppressions justified, %d of them by the combination rule", orgs, shownPairs, differenced, combined)
}
