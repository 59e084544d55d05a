package scoring_test

import (
	"fmt"
	"maps"
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

func TestOthersProfiles(t *testing.T) {
	in := testInstrument()
	cat := func(sets ...[]scoring.SubjectRating) (out []scoring.SubjectRating) {
		for _, s := range sets {
			out = append(out, s...)
		}
		return out
	}
	// each rates leaders from..to, one rater each, raters from first.
	each := func(from, to, first int64, value survey.Answer) (out []scoring.SubjectRating) {
		for s := from; s <= to; s++ {
			out = append(out, rated(in, s, first+s-from, survey.Employee, value))
		}
		return out
	}
	// by rates leaders from..to by one rater.
	by := func(rater, from, to int64, value survey.Answer) (out []scoring.SubjectRating) {
		for s := from; s <= to; s++ {
			out = append(out, rated(in, s, rater, survey.Peer, value))
		}
		return out
	}
	tests := []struct {
		name    string
		groups  []scoring.GroupSpec
		ratings []scoring.SubjectRating
		// by group: shown, distinct raters, mean where shown (nil: not
		// checked)
		shown []bool
		n     []int
		mean  []float64
	}{{
		name:    "five leaders, a rater each",
		groups:  []scoring.GroupSpec{org(span(1, 6))},
		ratings: each(1, 5, 100, 4),
		shown:   []bool{true}, n: []int{5}, mean: []float64{4},
	}, {
		// Four leaders' own 360 result is theirs: too few to pool.
		name:    "four leaders rated: too few",
		groups:  []scoring.GroupSpec{org(span(1, 5))},
		ratings: cat(each(1, 4, 100, 4), each(1, 4, 200, 4)),
		shown:   []bool{false}, n: []int{8},
	}, {
		// One rater of two leaders counts once: four raters.
		name:    "a rater of two leaders counts once",
		groups:  []scoring.GroupSpec{org(span(1, 5))},
		ratings: cat(each(1, 4, 100, 4), by(100, 5, 5, 4)),
		shown:   []bool{false}, n: []int{4},
	}, {
		// The mean is over ratings: the manager's two ratings weigh two.
		name:    "the mean is over ratings",
		groups:  []scoring.GroupSpec{org(span(1, 5))},
		ratings: cat(each(1, 5, 100, 4), by(200, 1, 2, 1)),
		shown:   []bool{true}, n: []int{6}, mean: []float64{(5*4 + 2*1) / 7.0},
	}, {
		// Department 2's four leaders are too few; the organisation less
		// department 1 would give their result away, so department 1 goes.
		name:    "organisation less a department: leaders",
		groups:  []scoring.GroupSpec{org(span(1, 9)), dept(1, span(1, 5)), dept(2, span(6, 9))},
		ratings: cat(each(1, 5, 100, 4), each(1, 5, 110, 4), each(6, 9, 200, 2), each(6, 9, 210, 2)),
		shown:   []bool{true, false, false}, n: []int{18, 10, 8}, mean: []float64{(40 + 16) / 18.0},
	}, {
		// Department 2's five leaders have four raters; the organisation
		// less department 1 would give those raters' answers away.
		name:   "organisation less a department: raters",
		groups: []scoring.GroupSpec{org(span(1, 10)), dept(1, span(1, 5)), dept(2, span(6, 10))},
		ratings: cat(each(1, 5, 100, 4), each(1, 5, 110, 4),
			by(300, 6, 7, 1), by(301, 8, 8, 1), by(302, 9, 9, 1), by(303, 10, 10, 1)),
		shown: []bool{true, false, false}, n: []int{14, 10, 4}, mean: []float64{(40 + 5) / 15.0},
	}, {
		// Rater 409 rates leaders in both small parts of the team, which
		// no combination could split: the rule hides the team all the
		// same (the cautious side of exact).
		name: "a rater in two small atoms",
		groups: []scoring.GroupSpec{org(span(1, 20)), dept(1, span(1, 10)), dept(2, span(11, 20)),
			team(1, span(6, 15))},
		ratings: cat(each(1, 5, 100, 4), each(6, 8, 400, 3), by(409, 9, 10, 3),
			each(11, 13, 403, 3), by(409, 14, 15, 3), each(16, 20, 110, 2)),
		shown: []bool{true, true, true, false}, n: []int{17, 9, 9, 7},
	}, {
		name:    "self-ratings and a leader's rating of themselves are no one's",
		groups:  []scoring.GroupSpec{org(span(1, 5))},
		ratings: cat(each(1, 4, 100, 4), by(100, 5, 5, 4), by(1, 1, 1, 5), []scoring.SubjectRating{{SubjectID: 2, Rating: scoring.Rating{RaterID: 9, Relation: survey.Self}}}),
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
				if tt.shown[g] && g < len(tt.mean) && !near(p.Competences[0].Mean, tt.mean[g]) {
					t.Errorf("%s: mean %v, want %v", p.Key, p.Competences[0].Mean, tt.mean[g])
				}
				for _, ca := range p.Competences {
					if ca.High != 0 || ca.Distribution != [6]int{} {
						t.Errorf("%s/%s: %d high, distribution %v; the raters' view counts neither", p.Key, ca.CompetenceID, ca.High, ca.Distribution)
					}
				}
			}
		})
	}
}

// TestOthersProfilesIsolateNoOne checks the rule of OthersProfiles on
// random organisations and rater sets with the exact checker: no union
// of the ratings' atoms that a rational combination of shown groups
// yields comes from 1 to k−1 distinct raters, or is about 1 to k−1
// leaders.
func TestOthersProfilesIsolateNoOne(t *testing.T) {
	in := testInstrument()
	shown, total := 0, 0
	for seed := uint64(1); seed <= 500; seed++ {
		r := rand.New(rand.NewPCG(seed, 0x360))
		groups, _ := randomOrg(r, in)
		leaders := groups[slices.IndexFunc(groups, func(g scoring.GroupSpec) bool { return g.Kind == survey.Organisation })].Members
		if r.IntN(2) == 0 && len(leaders) > 25 {
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

// randomRatings gives each leader 0–8 raters from a pool shared by all
// (sometimes of only a few), so that raters rate several leaders across
// groups, with random don't know and missing answers and an occasional
// repeated rating.
func randomRatings(r *rand.Rand, in *survey.Instrument, leaders []int64) []scoring.SubjectRating {
	pool := 5 + r.IntN(30)
	if r.IntN(3) == 0 {
		pool = 3 + r.IntN(5)
	}
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
// with a score (at least k, about at least k leaders) and its mean the
// mean of their ratings; the ratings with a score fall into atoms by the
// shown groups their leader is in; and every union of atoms whose raters
// or leaders number 1 to k−1 is tried for membership of the rational row
// space of the shown groups × atoms matrix. It returns what is wrong, or
// "".
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
		raters, leaders := map[int64]bool{}, map[int64]bool{}
		sum, n := 0.0, 0
		for p, v := range score {
			if in[p.subject] {
				raters[p.rater], leaders[p.subject] = true, true
				sum += v
				n++
				member[p] = append(member[p], g)
			}
		}
		if len(raters) < k || len(leaders) < k || ca.N != len(raters) || math.Abs(ca.Mean-sum/float64(n)) > 1e-9 {
			return fmt.Sprintf("%s shows n=%d mean=%v; its %d raters' %d ratings of %d leaders have mean %v",
				spec.Key, ca.N, ca.Mean, len(raters), n, len(leaders), sum/float64(n))
		}
	}
	// Atoms: ratings with the same shown groups; each with its people.
	type people struct{ raters, leaders map[int64]bool }
	byKey := map[string]people{}
	keyGroups := map[string][]int{}
	for p, gs := range member {
		slices.Sort(gs)
		key := fmt.Sprint(gs)
		if _, ok := byKey[key]; !ok {
			byKey[key] = people{map[int64]bool{}, map[int64]bool{}}
		}
		byKey[key].raters[p.rater], byKey[key].leaders[p.subject] = true, true
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
		if len(byKey[key].raters) < k || len(byKey[key].leaders) < k {
			light = append(light, a)
		}
	}
	// Every union of light atoms with fewer than k raters or leaders;
	// adding an atom never takes a person away, so once both reach k the
	// search stops.
	var found string
	var try func(from int, chosen []int, u people) bool
	try = func(from int, chosen []int, u people) bool {
		if len(chosen) > 0 && inRowSpace(basis, pivots, chosen, len(keys)) {
			found = fmt.Sprintf("the atoms %v are computable and hold %d raters of %d leaders", chosen, len(u.raters), len(u.leaders))
			return true
		}
		for i := from; i < len(light); i++ {
			more := people{maps.Clone(u.raters), maps.Clone(u.leaders)}
			maps.Copy(more.raters, byKey[keys[light[i]]].raters)
			maps.Copy(more.leaders, byKey[keys[light[i]]].leaders)
			if len(more.raters) >= k && len(more.leaders) >= k {
				continue
			}
			if try(i+1, append(slices.Clone(chosen), light[i]), more) {
				return true
			}
		}
		return false
	}
	try(0, nil, people{map[int64]bool{}, map[int64]bool{}})
	return found
}
