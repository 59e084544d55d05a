package scoring

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSplitCheckOnlyRefusesViolations proves that what splitCheck refuses
// the full rule refuses too, so that it changes no result: on random
// rater sets, for every hidden group it says would split a person,
// showing that group leaves a violation (findViolations), both over the
// groups it took its atoms from and after more groups were shown.
func TestSplitCheckOnlyRefusesViolations(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 360))
	refused := 0
	for trial := range 300 {
		leaders, raters, k := 10+rng.IntN(30), 8+rng.IntN(40), 2+rng.IntN(4)
		var raterOf, subjectOf []int32
		ofLeader := make([][]int32, leaders)
		for l := range leaders {
			for _, r := range rng.Perm(raters)[:1+rng.IntN(6)] {
				ofLeader[l] = append(ofLeader[l], int32(len(raterOf)))
				raterOf = append(raterOf, int32(r))
				subjectOf = append(subjectOf, int32(l))
			}
		}
		groups := 4 + rng.IntN(14)
		sets := make([][]int32, groups)
		for g := range sets {
			for _, l := range rng.Perm(leaders)[:2+rng.IntN(leaders-2)] {
				for _, u := range ofLeader[l] {
					if rng.IntN(8) > 0 { // some ratings have no score
						sets[g] = append(sets[g], u)
					}
				}
			}
			slices.Sort(sets[g])
		}
		people := []*personIndex{newPersonIndex(raterOf), newPersonIndex(subjectOf)}
		order := make([]int, groups)
		shown := make([]bool, groups)
		for g := range groups {
			order[g] = g
			shown[g] = rng.IntN(2) == 0
		}
		check := splitCheck{people: people, k: k}
		for round := range 2 {
			if round == 1 { // more groups shown than the atoms were taken from
				for g := range shown {
					shown[g] = shown[g] || rng.IntN(3) == 0
				}
			}
			for g := range groups {
				if shown[g] || !check.splits(g, shown, sets) {
					continue
				}
				refused++
				shown[g] = true
				if len(findViolations(len(raterOf), people, shown, sets, order, k)) == 0 {
					t.Fatalf("trial %d: group %d refused, but showing it leaves no violation", trial, g)
				}
				shown[g] = false
			}
		}
	}
	if refused < 100 {
		t.Fatalf("only %d refusals checked; the trials miss the case", refused)
	}
}
