package scoring

import (
	"cmp"
	"slices"

	"lederradar/survey"
)

// SubjectRating is one rater's submitted answers about one leader: what
// HR's view of a 360 round's groups is built from. The ids only tell
// raters and leaders apart; they never leave this package.
type SubjectRating struct {
	SubjectID int64
	Rating
}

// OthersProfiles is HR's view of how the raters of a 360 round see the
// leaders of each group (DESIGN C9): per group, the ratings of its
// members by their managers, peers and employees, pooled, under the
// anonymity rule of C7 applied to the raters.
//
// A competence's mean and sd are over ratings: a rater who rated two
// leaders of the group adds two scores, one about each, as each leader's
// view weighs by how many raters saw them. N counts distinct raters,
// each once per group however many of its leaders they rated, and so
// does the rule: a group is shown on a competence only with at least k
// distinct raters scoring it (k = ClampMinGroup(minGroup)), and no
// combination of shown groups — a department less its teams, say — may
// leave a sum over the ratings of 1 to k−1 raters. The rule runs on the
// ratings (each a fixed contribution to every group holding its leader),
// counting raters (findViolations); a mean of each rater's own mean
// would not be linear across groups, and two groups with the same raters
// could then differ by one rater's view of one leader.
//
// groups name leaders as members; Members counts them and N the distinct
// raters of the group. Ratings with the relation Self or an unknown one,
// and ratings of a leader by themselves, are left out; a rater listed
// twice for one leader counts once, with the rating listed last.
// Distributions are left empty: the view shows means.
func OthersProfiles(in *survey.Instrument, groups []GroupSpec, ratings []SubjectRating, minGroup int) []GroupProfile {
	k := ClampMinGroup(minGroup)
	units := distinctRatings(ratings)
	raterOf, ofSubject, tallies := indexRatings(units)
	scored := scoreRespondents(in, tallies)
	out, responded := othersGroups(groups, ofSubject, len(in.Competences))
	aggregateGroups(in, scored, responded, out)

	sets := make([][]int32, len(groups))
	shown := make([]bool, len(groups))
	order := make([]int, len(groups))
	raters := newRaterCounter(raterOf)
	for g := range groups {
		out[g].N = raters.count(responded[g])
	}
	for c, comp := range in.Competences {
		for g := range groups {
			sets[g] = sets[g][:0]
			for _, u := range responded[g] {
				if scored.has[int(u)*scored.nc+c] {
					sets[g] = append(sets[g], u)
				}
			}
			n := raters.count(sets[g])
			out[g].Competences[c].N = n
			out[g].Competences[c].Distribution = [6]int{}
			shown[g] = out[g].N >= k && n >= k
			order[g] = g
		}
		slices.SortStableFunc(order, func(x, y int) int {
			if kx, ky := kindRank(groups[x].Kind), kindRank(groups[y].Kind); kx != ky {
				return cmp.Compare(kx, ky)
			}
			return cmp.Compare(out[y].Competences[c].N, out[x].Competences[c].N)
		})
		applyCombinationRuleBy(len(tallies), raterOf, sets, shown, order, k, nil, func(int) bool { return false })
		for g := range groups {
			if !shown[g] {
				out[g].Competences[c] = CompetenceAggregate{CompetenceID: comp.ID, Suppressed: true}
			}
		}
	}
	markEmptyGroupsSuppressed(out)
	return out
}

// distinctRatings keeps the ratings that count, one per rater and
// leader (the last listed), ordered by leader and rater so that the rule
// numbers them the same way whatever order they came in.
func distinctRatings(ratings []SubjectRating) []SubjectRating {
	type pair struct{ subject, rater int64 }
	last := map[pair]int{}
	for i, r := range ratings {
		if isRaterRelation(r.Relation) && r.RaterID != r.SubjectID {
			last[pair{r.SubjectID, r.RaterID}] = i
		}
	}
	out := make([]SubjectRating, 0, len(last))
	for _, i := range last {
		out = append(out, ratings[i])
	}
	slices.SortFunc(out, func(a, b SubjectRating) int {
		return cmp.Or(cmp.Compare(a.SubjectID, b.SubjectID), cmp.Compare(a.RaterID, b.RaterID))
	})
	return out
}

// indexRatings numbers the raters densely (raterOf[u] is rating u's),
// lists each leader's ratings and returns the ratings' tallies.
func indexRatings(units []SubjectRating) (raterOf []int32, ofSubject map[int64][]int32, tallies []survey.Tally) {
	raterIndex := map[int64]int32{}
	ofSubject = map[int64][]int32{}
	raterOf = make([]int32, len(units))
	tallies = make([]survey.Tally, len(units))
	for u, r := range units {
		ri, ok := raterIndex[r.RaterID]
		if !ok {
			ri = int32(len(raterIndex)) // #nosec G115 -- one per rater of a round, far below 2^31
			raterIndex[r.RaterID] = ri
		}
		raterOf[u] = ri
		tallies[u] = r.Tally
		ofSubject[r.SubjectID] = append(ofSubject[r.SubjectID], int32(u)) // #nosec G115 -- one per rating of a round
	}
	return raterOf, ofSubject, tallies
}

// othersGroups starts each group's profile with its distinct members and
// finds its ratings: those of its members.
func othersGroups(groups []GroupSpec, ofSubject map[int64][]int32, nc int) (out []GroupProfile, responded [][]int32) {
	out = make([]GroupProfile, len(groups))
	responded = make([][]int32, len(groups))
	dedup := newDeduper()
	for g, spec := range groups {
		members := dedup.distinct(spec.Members)
		for _, id := range members {
			responded[g] = append(responded[g], ofSubject[id]...)
		}
		out[g] = GroupProfile{Key: spec.Key, Name: spec.Name, Kind: spec.Kind, ID: spec.ID,
			Members: len(members), Competences: make([]CompetenceAggregate, nc)}
	}
	return out, responded
}

// raterCounter counts the distinct raters of sets of ratings, reusing
// its scratch space.
type raterCounter struct {
	raterOf []int32
	seen    []bool
	touched []int32
}

func newRaterCounter(raterOf []int32) *raterCounter {
	return &raterCounter{raterOf: raterOf, seen: make([]bool, len(raterOf))}
}

func (c *raterCounter) count(units []int32) int {
	for _, u := range units {
		if r := c.raterOf[u]; !c.seen[r] {
			c.seen[r] = true
			c.touched = append(c.touched, r)
		}
	}
	n := len(c.touched)
	for _, r := range c.touched {
		c.seen[r] = false
	}
	c.touched = c.touched[:0]
	return n
}

// atomRaters counts the distinct raters of each of atoms atoms, the
// ratings' atoms given by atomOf.
func atomRaters(atomOf, raterOf []int32, atoms int) []int {
	type pair struct{ atom, rater int32 }
	seen := map[pair]bool{}
	size := make([]int, atoms)
	for u, a := range atomOf {
		if a < 0 {
			continue
		}
		if p := (pair{a, raterOf[u]}); !seen[p] {
			seen[p] = true
			size[a]++
		}
	}
	return size
}

// splitRaters returns, for each pair of light atoms (fewer than k
// raters) that share a rater, a violation made of the shown groups that
// hold either atom: hiding one of them merges an atom with another, the
// way out of the pair. Without such pairs, no rater is in two light
// atoms.
func splitRaters(atomOf, raterOf []int32, size []int, shown []bool, sets [][]int32, k int) []violation {
	type pair struct{ a, b int32 }
	home := map[int32]int32{} // rater: the first light atom met
	var pairs []pair
	seen := map[pair]bool{}
	for u, a := range atomOf {
		if a < 0 || size[a] >= k {
			continue
		}
		r := raterOf[u]
		h, ok := home[r]
		if !ok {
			home[r] = a
			continue
		}
		if p := (pair{min(h, a), max(h, a)}); h != a && !seen[p] {
			seen[p] = true
			pairs = append(pairs, p)
		}
	}
	out := make([]violation, 0, len(pairs))
	for _, p := range pairs {
		var holding sparse
		for g, set := range sets {
			if !shown[g] {
				continue
			}
			for _, u := range set {
				if a := atomOf[u]; a == p.a || a == p.b {
					holding.idx = append(holding.idx, int32(g)) // #nosec G115 -- a group index
					holding.val = append(holding.val, 1)
					break
				}
			}
		}
		out = append(out, violation{groups: holding})
	}
	return out
}
