package scoring

// This file keeps the first, direct implementation of Profiles, from before
// the indexed one: it compares every shown group with every other and keeps
// a set of respondents per group and competence. It is the reference the
// fast path is proved equal to (TestProfilesEqualsNaive).

import (
	"cmp"
	"slices"

	"lederradar/survey"
)

func naiveProfiles(in *survey.Instrument, groups []GroupSpec, respondents []Respondent, minGroup int) []GroupProfile {
	return naive(in, groups, respondents, minGroup, true)
}

func naive(in *survey.Instrument, groups []GroupSpec, respondents []Respondent, minGroup int, combinations bool) []GroupProfile {
	k := ClampMinGroup(minGroup)
	answers := naiveLatestAnswers(respondents)
	scored := make(map[int64]PersonProfile, len(answers))
	for id, a := range answers {
		scored[id] = Person(in, a)
	}

	nc := len(in.Competences)
	var ids []int64
	for id := range answers {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	index := map[int64]int32{}
	for i, id := range ids {
		index[id] = int32(i) // #nosec G115 -- a test's respondents
	}
	out := make([]GroupProfile, len(groups))
	// scorers[g][c] is S: the group's respondents with a score on c.
	scorers := make([][]map[int64]bool, len(groups))
	for g, spec := range groups {
		members := naiveDistinct(spec.Members)
		var responded []int64
		for _, id := range members {
			if _, ok := answers[id]; ok {
				responded = append(responded, id)
			}
		}
		out[g] = GroupProfile{
			Key: spec.Key, Name: spec.Name, Kind: spec.Kind, ID: spec.ID,
			Members: len(members), N: len(responded),
			Competences: make([]CompetenceAggregate, nc),
		}
		scorers[g] = make([]map[int64]bool, nc)
		for c, comp := range in.Competences {
			s := map[int64]bool{}
			var scores []float64
			var dist [6]int
			high := 0
			for _, id := range responded {
				cs := scored[id].Competences[c]
				if !cs.HasScore {
					continue
				}
				s[id] = true
				scores = append(scores, cs.Score)
				if cs.Score >= 4 {
					high++
				}
				for _, it := range comp.Items {
					if a, ok := answers[id][it.ID]; ok && a.Valid() {
						dist[a]++
					}
				}
			}
			sum := Summarise(scores)
			out[g].Competences[c] = CompetenceAggregate{
				CompetenceID: comp.ID,
				Aggregate:    Aggregate{Mean: sum.Mean, SD: sum.SD, N: sum.N},
				Distribution: dist,
				High:         high,
			}
			scorers[g][c] = s
		}
	}

	for c := range nc {
		// Thresholds first: a group or competence below k is never shown.
		shown := make([]bool, len(groups))
		for g := range groups {
			shown[g] = out[g].N >= k && len(scorers[g][c]) >= k
		}
		// Differencing, from the highest-ranked group down: the
		// organisation, then larger S, then earlier in the input.
		order := make([]int, len(groups))
		for g := range order {
			order[g] = g
		}
		slices.SortStableFunc(order, func(a, b int) int {
			if ka, kb := kindRank(groups[a].Kind), kindRank(groups[b].Kind); ka != kb {
				return cmp.Compare(ka, kb)
			}
			return cmp.Compare(len(scorers[b][c]), len(scorers[a][c]))
		})
		var kept []int
		for _, g := range order {
			if !shown[g] {
				continue
			}
			for _, h := range kept {
				if naiveDiffers(scorers[g][c], scorers[h][c], k) {
					shown[g] = false
					break
				}
			}
			if shown[g] {
				kept = append(kept, g)
			}
		}
		// The combination rule is shared with the indexed path: its own
		// exact check is exactIsolations, in combination_test.go. It
		// numbers respondents as Profiles does: by first listing, each
		// group's in member order.
		sets := make([][]int32, len(groups))
		for g, spec := range groups {
			for _, id := range naiveDistinct(spec.Members) {
				if scorers[g][c][id] {
					sets[g] = append(sets[g], index[id])
				}
			}
		}
		if combinations {
			var heldBack []int
			for _, g := range order {
				if !shown[g] && out[g].N >= k && len(scorers[g][c]) >= k {
					heldBack = append(heldBack, g)
				}
			}
			applyCombinationRule(len(index), sets, shown, order, k, heldBack, func(g int) bool {
				for h := range groups {
					if h != g && shown[h] && naiveDiffers(scorers[g][c], scorers[h][c], k) {
						return true
					}
				}
				return false
			})
		}
		for g := range groups {
			if !shown[g] {
				out[g].Competences[c] = CompetenceAggregate{CompetenceID: in.Competences[c].ID, Suppressed: true}
			}
		}
	}

	for g := range out {
		out[g].Suppressed = true
		for _, ca := range out[g].Competences {
			if !ca.Suppressed {
				out[g].Suppressed = false
			}
		}
	}
	return out
}

// differs reports whether two sets of respondents differ, on either side,
// by more than 0 and fewer than k people: showing aggregates of both would
// then let a reader subtract one from the other and learn about those few.
func naiveDiffers(a, b map[int64]bool, k int) bool {
	few := func(x, y map[int64]bool) bool {
		n := 0
		for id := range x {
			if !y[id] {
				n++
			}
		}
		return n > 0 && n < k
	}
	return few(a, b) || few(b, a)
}

// latestAnswers returns each respondent's answers, the last listed winning.
func naiveLatestAnswers(respondents []Respondent) map[int64]survey.Answers {
	m := make(map[int64]survey.Answers, len(respondents))
	for _, r := range respondents {
		m[r.PersonID] = r.Answers
	}
	return m
}

// distinct returns ids without repeats, in first-seen order.
func naiveDistinct(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
