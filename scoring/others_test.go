package scoring_test

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"lederradar/scoring"
	"lederradar/survey"
)

// rated makes one rating by rater of subject, every item answered with
// value.
func rated(in *survey.Instrument, subject, rater int64, rel survey.Relation, value survey.Answer) scoring.SubjectRating {
	a := survey.Answers{}
	for _, comp := range in.Competences {
		for _, it := range comp.Items {
			a[it.ID] = value
		}
	}
	return scoring.SubjectRating{SubjectID: subject, Rating: scoring.Rating{RaterID: rater, Relation: rel, Tally: in.Tally(a)}}
}

// ratedBy makes ratings of subject by raters first..first+n−1.
func ratedBy(in *survey.Instrument, subject, first int64, n int, value survey.Answer) []scoring.SubjectRating {
	var out []scoring.SubjectRating
	for i := range n {
		out = append(out, rated(in, subject, first+int64(i), survey.Peer, value))
	}
	return out
}

func TestOthersProfiles(t *testing.T) {
	in := testInstrument()
	cat := func(sets ...[]scoring.SubjectRating) (out []scoring.SubjectRating) {
		for _, s := range sets {
			out = append(out, s...)
		}
		return out
	}
	tests := []struct {
		name    string
		groups  []scoring.GroupSpec
		ratings []scoring.SubjectRating
		// by group: shown, distinct raters, mean where shown
		shown []bool
		n     []int
		mean  []float64
	}{{
		name:    "five raters of one leader",
		groups:  []scoring.GroupSpec{org(span(1, 3))},
		ratings: ratedBy(in, 1, 100, 5, 4),
		shown:   []bool{true}, n: []int{5}, mean: []float64{4},
	}, {
		name:    "four raters: too few",
		groups:  []scoring.GroupSpec{org(span(1, 3))},
		ratings: ratedBy(in, 1, 100, 4, 4),
		shown:   []bool{false}, n: []int{4},
	}, {
		// One manager rating two leaders counts once: three raters and
		// the manager are four, whatever the four ratings.
		name:   "a rater of two leaders counts once",
		groups: []scoring.GroupSpec{org(span(1, 2))},
		ratings: cat(ratedBy(in, 1, 100, 2, 4), ratedBy(in, 2, 102, 1, 4),
			[]scoring.SubjectRating{rated(in, 1, 200, survey.Manager, 2), rated(in, 2, 200, survey.Manager, 2)}),
		shown: []bool{false}, n: []int{4},
	}, {
		// The mean is over ratings: the manager's two ratings weigh two.
		name:   "the mean is over ratings",
		groups: []scoring.GroupSpec{org(span(1, 2))},
		ratings: cat(ratedBy(in, 1, 100, 2, 4), ratedBy(in, 2, 102, 2, 4),
			[]scoring.SubjectRating{rated(in, 1, 200, survey.Manager, 1), rated(in, 2, 200, survey.Manager, 1)}),
		shown: []bool{true}, n: []int{5}, mean: []float64{(4*4 + 2*1) / 6.0},
	}, {
		// Department 2's leader has four raters of their own: the
		// organisation less department 1 would give them away.
		name:   "organisation less a department",
		groups: []scoring.GroupSpec{org(span(1, 3)), dept(1, span(1, 2)), dept(2, span(3, 3))},
		ratings: cat(ratedBy(in, 1, 100, 5, 4), ratedBy(in, 2, 110, 5, 3),
			ratedBy(in, 3, 120, 4, 1)),
		shown: []bool{true, false, false}, n: []int{14, 10, 4}, mean: []float64{(20 + 15 + 4) / 14.0},
	}, {
		// A peer rating a leader in each department is in both small
		// parts of the team, which a combination could not split: the
		// rule hides the team (the more cautious side of exact).
		name: "a rater in two small atoms",
		groups: []scoring.GroupSpec{org(span(1, 4)), dept(1, span(1, 2)), dept(2, span(3, 4)),
			team(1, []int64{2, 3})},
		ratings: cat(ratedBy(in, 1, 100, 5, 4), ratedBy(in, 2, 110, 2, 3), ratedBy(in, 3, 120, 2, 3),
			ratedBy(in, 4, 130, 5, 2), []scoring.SubjectRating{rated(in, 2, 300, survey.Peer, 5), rated(in, 3, 300, survey.Peer, 5)}),
		shown: []bool{true, true, true, false}, n: []int{15, 8, 8, 5},
		mean: []float64{(20 + 6 + 6 + 10 + 10) / 16.0, (20 + 6 + 5) / 8.0, (6 + 10 + 5) / 8.0},
	}, {
		name:    "self-ratings and a leader's rating of themselves are no one's",
		groups:  []scoring.GroupSpec{org(span(1, 1))},
		ratings: cat(ratedBy(in, 1, 100, 4, 4), []scoring.SubjectRating{rated(in, 1, 1, survey.Peer, 5), {SubjectID: 1, Rating: scoring.Rating{RaterID: 9, Relation: survey.Self}}}),
		shown:   []bool{false}, n: []int{4},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := scoring.OthersProfiles(in, tt.groups, tt.ratings, 5)
			for g, p := range got {
				checkZeroWhenSuppressed(t, p)
				if p.Suppressed == tt.shown[g] || p.N != tt.n[g] {
					t.Errorf("%s: suppressed=%v n=%d, want shown=%v n=%d", p.Key, p.Suppressed, p.N, tt.shown[g], tt.n[g])
				}
				if tt.shown[g] && !near(p.Competences[0].Mean, tt.mean[g]) {
					t.Errorf("%s: mean %v, want %v", p.Key, p.Competences[0].Mean, tt.mean[g])
				}
			}
		})
	}
}

// TestOthersProfilesIsolateNoRater checks the rule of OthersProfiles on
// random organisations and rater sets with the exact checker: no union
// of the ratings' atoms that a rational combination of shown groups
// yields comes from 1 to k−1 distinct raters.
func TestOthersProfilesIsolateNoRater(t *testing.T) {
	in := testInstrument()
	shown, total := 0, 0
	for seed := uint64(1); seed <= 300; seed++ {
		r := rand.New(rand.NewPCG(seed, 0x360))
		groups, _ := randomOrg(r, in)
		leaders := groups[slices.IndexFunc(groups, func(g scoring.GroupSpec) bool { return g.Kind == survey.Organisation })].Members
		if len(leaders) > 25 {
			leaders = leaders[:25] // the others are led by no one rated
		}
		ratings := randomRatings(r, in, leaders)
		k := 3 + r.IntN(3)
		got := scoring.OthersProfiles(in, groups, ratings, k)
		for c := range in.Competences {
			if msg := othersIsolation(in, groups, ratings, got, c, k); msg != "" {
				t.Fatalf("seed %d, k %d, competence %s: %s\ngroups %s", seed, k, in.Competences[c].ID, msg, describe(groups, got))
			}
		}
		for _, p := range got {
			checkZeroWhenSuppressed(t, p)
			for _, c := range p.Competences {
				total++
				if !c.Suppressed {
					shown++
				}
			}
		}
	}
	t.Logf("group-competences shown: %d of %d", shown, total)
	if shown == 0 {
		t.Fatal("nothing was ever shown: the check proved nothing")
	}
}

// randomRatings gives each leader 0–8 raters from a pool shared by all,
// so that raters rate several leaders across groups, with random don't
// know and missing answers and an occasional repeated rating.
func randomRatings(r *rand.Rand, in *survey.Instrument, leaders []int64) []scoring.SubjectRating {
	pool := 5 + r.IntN(30)
	missing := 0.3 * r.Float64()
	rels := []survey.Relation{survey.Manager, survey.Peer, survey.Employee}
	var out []scoring.SubjectRating
	for _, s := range leaders {
		for range r.IntN(9) {
			a := survey.Answers{}
			for _, comp := range in.Competences {
				for _, it := range comp.Items {
					switch x := r.Float64(); {
					case x < missing:
					case x < missing+0.1:
						a[it.ID] = survey.DontKnow
					default:
						a[it.ID] = survey.Answer(1 + r.IntN(5))
					}
				}
			}
			out = append(out, scoring.SubjectRating{SubjectID: s,
				Rating: scoring.Rating{RaterID: int64(1000 + r.IntN(pool)), Relation: rels[r.IntN(3)], Tally: in.Tally(a)}})
		}
	}
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// othersIsolation is the exact checker of OthersProfiles on competence
// c, on its own code path: each shown group's n is its distinct raters
// with a score (at least k) and its mean the mean of their ratings; the
// ratings with a score fall into atoms by the shown groups their leader
// is in; and every union of atoms whose raters number 1 to k−1 is tried
// for membership of the rational row space of the shown groups × atoms
// matrix. It returns what is wrong, or "".
func othersIsolation(in *survey.Instrument, groups []scoring.GroupSpec, ratings []scoring.SubjectRating, got []scoring.GroupProfile, c, k int) string {
	type pair struct{ subject, rater int64 }
	last := map[pair]survey.Tally{}
	for _, rt := range ratings {
		if rt.Relation != survey.Self && rt.RaterID != rt.SubjectID {
			last[pair{rt.SubjectID, rt.RaterID}] = rt.Tally
		}
	}
	score := map[pair]float64{}
	for p, tally := range last {
		if v, ok := naiveScore(in.Competences[c], answersOf(in, tally)); ok {
			score[p] = v
		}
	}
	// Each shown group's figures, and each scored rating's shown groups.
	member := map[pair][]int{}
	var shownGroups []int
	for g, spec := range groups {
		ca := got[g].Competences[c]
		if ca.Suppressed {
			continue
		}
		shownGroups = append(shownGroups, g)
		in := map[int64]bool{}
		for _, id := range spec.Members {
			in[id] = true
		}
		raters := map[int64]bool{}
		sum, n := 0.0, 0
		for p, v := range score {
			if in[p.subject] {
				raters[p.rater] = true
				sum += v
				n++
				member[p] = append(member[p], g)
			}
		}
		if len(raters) < k || ca.N != len(raters) || math.Abs(ca.Mean-sum/float64(n)) > 1e-9 {
			return fmt.Sprintf("%s shows n=%d mean=%v; its %d raters' %d ratings have mean %v", spec.Key, ca.N, ca.Mean, len(raters), n, sum/float64(n))
		}
	}
	// Atoms: ratings with the same shown groups; each with its raters.
	byKey := map[string]map[int64]bool{}
	keyGroups := map[string][]int{}
	for p, gs := range member {
		slices.Sort(gs)
		key := fmt.Sprint(gs)
		if byKey[key] == nil {
			byKey[key] = map[int64]bool{}
		}
		byKey[key][p.rater] = true
		keyGroups[key] = gs
	}
	keys := make([]string, 0, len(byKey))
	for key := range byKey {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	var rows [][]*big.Rat
	for _, g := range shownGroups {
		row := make([]*big.Rat, len(keys))
		for a, key := range keys {
			row[a] = new(big.Rat)
			if slices.Contains(keyGroups[key], g) {
				row[a].SetInt64(1)
			}
		}
		rows = append(rows, row)
	}
	basis, pivots := rref(rows, len(keys))
	var light []int
	for a, key := range keys {
		if len(byKey[key]) < k {
			light = append(light, a)
		}
	}
	// Every union of light atoms with fewer than k raters; adding an
	// atom never takes a rater away, so a union of k stops the search.
	var found string
	var try func(from int, chosen []int, raters map[int64]bool) bool
	try = func(from int, chosen []int, raters map[int64]bool) bool {
		if len(chosen) > 0 && inRowSpace(basis, pivots, chosen, len(keys)) {
			found = fmt.Sprintf("the atoms %v are computable and hold %d raters", chosen, len(raters))
			return true
		}
		for i := from; i < len(light); i++ {
			more := map[int64]bool{}
			for id := range raters {
				more[id] = true
			}
			for id := range byKey[keys[light[i]]] {
				more[id] = true
			}
			if len(more) >= k {
				continue
			}
			if try(i+1, append(slices.Clone(chosen), light[i]), more) {
				return true
			}
		}
		return false
	}
	try(0, nil, map[int64]bool{})
	return found
}
