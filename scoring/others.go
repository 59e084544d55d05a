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
// anonymity rule of C7 applied to the raters and to the leaders rated.
//
// A competence's mean and sd are over ratings: a rater who rated two
// leaders of the group adds two scores, one about each, as each leader's
// view weighs by how many raters saw them. N counts distinct raters,
// each once per group however many of its leaders they rated, and so
// does the rule: a group is shown on a competence only with at least k
// distinct raters scoring it and k leaders with a score from them
// (k = ClampMinGroup(minGroup)), and no combination of shown groups — a
// department less its teams, say — may leave a sum over the ratings of 1
// to k−1 raters, nor of 1 to k−1 leaders: that would be those raters'
// answers, or those leaders' own 360 result, which is theirs. The rule
// runs on the ratings (each a fixed contribution to every group holding
// its leader), counting people (findViolations); a mean of each rater's
// own mean would not be linear across groups, and two groups with the
// same raters could then differ by one rater's view of one leader.
//
// groups name leaders as members; Members counts them and N the distinct
// raters of the group. Ratings with the relation Self or an unknown one,
// and ratings of a leader by themselves, are left out; a rater listed
// twice for one leader counts once, with the rating listed last.
// Distributions are left empty: the view shows means.
func OthersProfiles(in *survey.Instrument, groups []GroupSpec, ratings []SubjectRating, minGroup int) []GroupProfile {
	k := ClampMinGroup(minGroup)
	raterOf, subjectOf, ofSubject, tallies := indexRatings(distinctRatings(ratings))
	scored := scoreRespondents(in, tallies)
	out, responded := othersGroups(groups, ofSubject, len(in.Competences))
	aggregateGroups(in, scored, responded, out)

	sets := make([][]int32, len(groups))
	shown := make([]bool, len(groups))
	order := make([]int, len(groups))
	raters, leaders := newPeopleCounter(raterOf), newPeopleCounter(subjectOf)
	for g := range groups {
		out[g].N = raters.count(responded[g])
	}
	byLeader := newLeaderRule(groups, responded, subjectOf, scored, k)
	for c, comp := range in.Competences {
		// The rule of the self reports over the leaders rated, first: the
		// thresholds and the pairwise rule, which hide most of what the
		// combination rule would, for far less.
		leaderShown := byLeader.rule.apply(byLeader.scored, c, false)
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
			shown[g] = leaderShown[g] && out[g].N >= k && n >= k && leaders.count(sets[g]) >= k
			order[g] = g
		}
		slices.SortStableFunc(order, func(x, y int) int {
			if kx, ky := kindRank(groups[x].Kind), kindRank(groups[y].Kind); kx != ky {
				return cmp.Compare(kx, ky)
			}
			return cmp.Compare(out[y].Competences[c].N, out[x].Competences[c].N)
		})
		applyCombinationRuleBy(len(tallies), [][]int32{raterOf, subjectOf}, sets, shown, order, k, nil, func(int) bool { return false })
		for g := range groups {
			if !shown[g] {
				out[g].Competences[c] = CompetenceAggregate{CompetenceID: comp.ID, Suppressed: true}
			}
		}
	}
	markEmptyGroupsSuppressed(out)
	return out
}

// leaderRule is the anonymity rule of the self reports (anonymityRule)
// set up over the leaders rated: a leader is a respondent, with a score
// on a competence when a rating of them has one.
type leaderRule struct {
	rule   *anonymityRule
	scored *scoredRespondents
}

func newLeaderRule(groups []GroupSpec, responded [][]int32, subjectOf []int32, scored *scoredRespondents, k int) leaderRule {
	nc := scored.nc
	leaders := 0
	if n := len(subjectOf); n > 0 {
		leaders = int(subjectOf[n-1]) + 1 // the ratings come by leader
	}
	has := make([]bool, leaders*nc)
	for u, l := range subjectOf {
		for c := range nc {
			has[int(l)*nc+c] = has[int(l)*nc+c] || scored.has[u*nc+c]
		}
	}
	byGroup := make([][]int32, len(groups))
	memberships := 0
	for g, units := range responded {
		for i, u := range units {
			// A group's ratings come leader by leader.
			if l := subjectOf[u]; i == 0 || subjectOf[units[i-1]] != l {
				byGroup[g] = append(byGroup[g], l)
			}
		}
		memberships += len(byGroup[g])
	}
	return leaderRule{rule: newAnonymityRule(groups, byGroup, leaders, memberships, k), scored: &scoredRespondents{nc: nc, has: has}}
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

// indexRatings numbers the raters and the leaders rated densely
// (raterOf[u], subjectOf[u]: rating u's), lists each leader's ratings
// and returns the ratings' tallies.
func indexRatings(units []SubjectRating) (raterOf, subjectOf []int32, ofSubject map[int64][]int32, tallies []survey.Tally) {
	raterIndex := map[int64]int32{}
	ofSubject = map[int64][]int32{}
	raterOf, subjectOf = make([]int32, len(units)), make([]int32, len(units))
	tallies = make([]survey.Tally, len(units))
	for u, r := range units {
		ri, ok := raterIndex[r.RaterID]
		if !ok {
			ri = int32(len(raterIndex)) // #nosec G115 -- one per rater of a round, far below 2^31
			raterIndex[r.RaterID] = ri
		}
		if _, ok := ofSubject[r.SubjectID]; !ok {
			subjectOf[u] = int32(len(ofSubject)) // #nosec G115 -- one per leader of a round
		} else {
			subjectOf[u] = subjectOf[u-1] // the ratings come by leader
		}
		raterOf[u] = ri
		tallies[u] = r.Tally
		ofSubject[r.SubjectID] = append(ofSubject[r.SubjectID], int32(u)) // #nosec G115 -- one per rating of a round
	}
	return raterOf, subjectOf, ofSubject, tallies
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

// peopleCounter counts the distinct people (raters or leaders) of sets
// of ratings, reusing its scratch space.
type peopleCounter struct {
	personOf []int32
	seen     []bool
	touched  []int32
}

func newPeopleCounter(personOf []int32) *peopleCounter {
	return &peopleCounter{personOf: personOf, seen: make([]bool, len(personOf))}
}

func (c *peopleCounter) count(units []int32) int {
	for _, u := range units {
		if r := c.personOf[u]; !c.seen[r] {
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

// atomPeople counts the distinct people (personOf) of each of atoms
// atoms, the ratings' atoms given by atomOf.
func atomPeople(atomOf, personOf []int32, atoms int) []int {
	type pair struct{ atom, rater int32 }
	seen := map[pair]bool{}
	size := make([]int, atoms)
	for u, a := range atomOf {
		if a < 0 {
			continue
		}
		if p := (pair{a, personOf[u]}); !seen[p] {
			seen[p] = true
			size[a]++
		}
	}
	return size
}

// splitPeople returns, for each pair of light atoms (fewer than k
// people) that share a person (personOf), a violation made of the shown
// groups that hold either atom: hiding one of them merges an atom with
// another, the way out of the pair. Without such pairs, no person is in
// two light atoms.
func splitPeople(atomOf, personOf []int32, size []int, shown []bool, sets [][]int32, k int) []violation {
	type pair struct{ a, b int32 }
	home := map[int32]int32{} // person: the first light atom met
	var pairs []pair
	seen := map[pair]bool{}
	for u, a := range atomOf {
		if a < 0 || size[a] >= k {
			continue
		}
		r := personOf[u]
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
