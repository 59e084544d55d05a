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
// Distributions and high counts are left empty: the view shows means.
func OthersProfiles(in *survey.Instrument, groups []GroupSpec, ratings []SubjectRating, minGroup int) []GroupProfile {
	k := ClampMinGroup(minGroup)
	raterOf, subjectOf, ofSubject, tallies := indexRatings(distinctRatings(ratings))
	scored := scoreRespondents(in, tallies)
	out, responded := othersGroups(groups, ofSubject, len(in.Competences))
	aggregateGroups(in, scored, responded, out)

	sets := make([][]int32, len(groups))
	shown := make([]bool, len(groups))
	order := make([]int, len(groups))
	raters, leaders := newPersonIndex(raterOf), newPersonIndex(subjectOf)
	people := []*personIndex{raters, leaders}
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
			out[g].Competences[c].High = 0
			shown[g] = leaderShown[g] && out[g].N >= k && n >= k && leaders.count(sets[g]) >= k
			order[g] = g
		}
		slices.SortStableFunc(order, func(x, y int) int {
			if kx, ky := kindRank(groups[x].Kind), kindRank(groups[y].Kind); kx != ky {
				return cmp.Compare(kx, ky)
			}
			return cmp.Compare(out[y].Competences[c].N, out[x].Competences[c].N)
		})
		retry := retryCheck{splitCheck: splitCheck{people: people, k: k}}
		applyCombinationRuleBy(len(tallies), people, sets, shown, order, k, nil, func(g int) bool {
			return retry.refuses(g, shown, sets)
		})
		for g := range groups {
			if !shown[g] {
				out[g].Competences[c] = CompetenceAggregate{CompetenceID: comp.ID, Suppressed: true}
			}
		}
	}
	markEmptyGroupsSuppressed(out)
	return out
}

// retryBudget bounds, per competence, the groups a first pass of the
// combination rule hid that are tried again under the full rule
// (applyCombinationRuleBy), beyond those splitCheck refuses at once. Each
// try reads every rating of the round; trying all of them made a close
// grow with the square of the organisation (15 s at 10,000 leaders with
// five raters each, half an hour at 100,000). The groups left untried
// stay hidden, which is safe: in generated organisations the view shows
// 4 % fewer of its groups' competences than with every group tried at
// 10,000 leaders, 6 % fewer at 100,000, where trying every group took five
// minutes (docs/performance.md).
const retryBudget = 16

// retryCheck decides which hidden groups the combination rule tries to
// show again: the first retryBudget that splitCheck does not refuse.
type retryCheck struct {
	splitCheck
	tried int
}

// refuses reports whether group g stays hidden without a full try.
func (r *retryCheck) refuses(g int, shown []bool, sets [][]int32) bool {
	if r.tried >= retryBudget || r.splits(g, shown, sets) {
		return true
	}
	r.tried++
	return false
}

// splitCheck finds, without the full combination rule, most groups that
// rule would hide again when a first pass hid them and they are tried
// once more (applyCombinationRuleBy): those whose showing would leave a
// person in two light atoms (splitPeople). It takes the atoms of the
// groups shown when it is first asked: the groups shown later only add
// to them, and refining atoms keeps a person in two light atoms, so what
// it finds holds for every later try. It counts the people of the parts
// the group splits off atoms, and knows that what is left of a light atom
// is light; a group it lets through still faces the full rule.
type splitCheck struct {
	people  []*personIndex
	k       int
	atomOf  []int32 // by rating: its atom among the groups first shown, or −1
	size    [][]int // by kind of person, by atom: its people
	inG     []bool  // scratch, by rating: in the group tried
	within  []int   // scratch, by atom: its people in the group tried
	pairs   []int64 // scratch: atom and person of the group's ratings
	persons []int32 // scratch: the group's people
}

// splits reports whether showing group g besides the shown groups would
// leave a person of some kind in two light atoms.
func (s *splitCheck) splits(g int, shown []bool, sets [][]int32) bool {
	if s.atomOf == nil {
		var sizes []int
		s.atomOf, sizes = atoms(len(s.people[0].of), shown, sets)
		for _, p := range s.people {
			s.size = append(s.size, atomPeople(s.atomOf, p, len(sizes)))
		}
		s.inG = make([]bool, len(s.atomOf))
		s.within = make([]int, len(sizes)+1)
	}
	set := sets[g]
	for _, u := range set {
		s.inG[u] = true
	}
	defer func() {
		for _, u := range set {
			s.inG[u] = false
		}
	}()
	for i, people := range s.people {
		if s.splitsKind(set, people, s.size[i]) {
			return true
		}
	}
	return false
}

func (s *splitCheck) splitsKind(set []int32, people *personIndex, size []int) bool {
	// The people of each part the group splits off an atom.
	s.pairs = s.pairs[:0]
	for _, u := range set {
		s.pairs = append(s.pairs, int64(s.atomOf[u]+1)<<32|int64(people.of[u]))
	}
	slices.Sort(s.pairs)
	s.pairs = slices.Compact(s.pairs)
	for _, p := range s.pairs {
		s.within[p>>32]++
	}
	defer func() {
		for _, p := range s.pairs {
			s.within[p>>32] = 0
		}
	}()
	// Each person of the group: their light atoms, as far as known.
	s.persons = s.persons[:0]
	for _, p := range s.pairs {
		s.persons = append(s.persons, int32(p&(1<<32-1))) // #nosec G115 -- a person index
	}
	slices.Sort(s.persons)
	for _, person := range slices.Compact(s.persons) {
		home := int64(-1)
		for _, u := range people.units[people.start[person]:people.start[person+1]] {
			a := s.atomOf[u] + 1
			var part int64
			switch {
			case s.inG[u] && s.within[a] < s.k:
				part = 2*int64(a) + 1
			case !s.inG[u] && a > 0 && size[a-1] < s.k:
				part = 2 * int64(a) // what is left of a light atom is light
			default:
				continue // heavy, in no group, or of unknown size
			}
			if home < 0 {
				home = part
			} else if part != home {
				return true
			}
		}
	}
	return false
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

// personIndex lists the ratings of each person of one kind — their
// rater, or the leader rated — so that the rule's passes over people read
// each person's ratings together, without a map.
type personIndex struct {
	of    []int32 // by rating: its person
	start []int32 // by person: where their ratings begin in units, and one past the last
	units []int32 // the ratings, person by person, each person's in order
	stamp []int32 // scratch, by atom: the last person or group that met it

	seen    []bool  // scratch of count, by person
	touched []int32 // the people seen marks
}

func newPersonIndex(of []int32) *personIndex {
	people := 0
	for _, p := range of {
		people = max(people, int(p)+1)
	}
	x := &personIndex{of: of, start: make([]int32, people+1), units: make([]int32, len(of)), seen: make([]bool, people)}
	for _, p := range of {
		x.start[p+1]++
	}
	for p := range people {
		x.start[p+1] += x.start[p]
	}
	next := slices.Clone(x.start[:people])
	for u, p := range of {
		x.units[next[p]] = int32(u) // #nosec G115 -- one per rating of a round
		next[p]++
	}
	return x
}

// count returns how many distinct people the ratings units hold.
func (x *personIndex) count(units []int32) int {
	for _, u := range units {
		if p := x.of[u]; !x.seen[p] {
			x.seen[p] = true
			x.touched = append(x.touched, p)
		}
	}
	n := len(x.touched)
	for _, p := range x.touched {
		x.seen[p] = false
	}
	x.touched = x.touched[:0]
	return n
}

// resetStamp readies the scratch space for atoms atoms.
func (x *personIndex) resetStamp(atoms int) {
	x.stamp = slices.Grow(x.stamp[:0], atoms)[:atoms]
	for a := range x.stamp {
		x.stamp[a] = -1
	}
}

// atomPeople counts the distinct people of each of atoms atoms, the
// ratings' atoms given by atomOf.
func atomPeople(atomOf []int32, people *personIndex, atoms int) []int {
	size := make([]int, atoms)
	people.resetStamp(atoms)
	for p := range len(people.start) - 1 {
		for _, u := range people.units[people.start[p]:people.start[p+1]] {
			if a := atomOf[u]; a >= 0 && people.stamp[a] != int32(p) { // #nosec G115 -- a person index
				people.stamp[a] = int32(p) // #nosec G115 -- a person index
				size[a]++
			}
		}
	}
	return size
}

// splitPeople returns, for each pair of light atoms (fewer than k
// people) that share a person, a violation made of the shown groups that
// hold either atom: hiding one of them merges an atom with another, the
// way out of the pair. Without such pairs, no person is in two light
// atoms. A person's pairs are their first light atom with each other
// one; the pairs come in the order of the rating that first showed them.
func splitPeople(atomOf []int32, people *personIndex, size []int, shown []bool, sets [][]int32, k int) []violation {
	type pair struct{ a, b, at int32 }
	var pairs []pair
	for p := range len(people.start) - 1 {
		home := int32(-1)
		for _, u := range people.units[people.start[p]:people.start[p+1]] {
			a := atomOf[u]
			switch {
			case a < 0 || size[a] >= k:
			case home < 0:
				home = a
			case a != home:
				pairs = append(pairs, pair{min(home, a), max(home, a), u})
			}
		}
	}
	if len(pairs) == 0 {
		return nil
	}
	// One violation per pair, from the rating that first showed it.
	slices.SortFunc(pairs, func(x, y pair) int {
		return cmp.Or(cmp.Compare(x.a, y.a), cmp.Compare(x.b, y.b), cmp.Compare(x.at, y.at))
	})
	pairs = slices.CompactFunc(pairs, func(x, y pair) bool { return x.a == y.a && x.b == y.b })
	slices.SortFunc(pairs, func(x, y pair) int { return cmp.Compare(x.at, y.at) })

	holding := atomGroups(atomOf, people, len(size), shown, sets)
	out := make([]violation, 0, len(pairs))
	for _, p := range pairs {
		var v sparse
		for _, g := range mergeSorted(holding[p.a], holding[p.b]) {
			v.idx = append(v.idx, g)
			v.val = append(v.val, 1)
		}
		out = append(out, violation{groups: v})
	}
	return out
}

// atomGroups lists, by atom, the shown groups that hold it, in order.
func atomGroups(atomOf []int32, people *personIndex, atoms int, shown []bool, sets [][]int32) [][]int32 {
	holding := make([][]int32, atoms)
	people.resetStamp(atoms)
	for g, set := range sets {
		if !shown[g] {
			continue
		}
		for _, u := range set {
			if a := atomOf[u]; people.stamp[a] != int32(g) { // #nosec G115 -- a group index
				people.stamp[a] = int32(g)                // #nosec G115 -- a group index
				holding[a] = append(holding[a], int32(g)) // #nosec G115 -- a group index
			}
		}
	}
	return holding
}

// mergeSorted returns the union of two increasing lists, increasing.
func mergeSorted(x, y []int32) []int32 {
	out := make([]int32, 0, len(x)+len(y))
	for len(x) > 0 || len(y) > 0 {
		switch {
		case len(y) == 0 || len(x) > 0 && x[0] < y[0]:
			out, x = append(out, x[0]), x[1:]
		case len(x) == 0 || y[0] < x[0]:
			out, y = append(out, y[0]), y[1:]
		default:
			out, x, y = append(out, x[0]), x[1:], y[1:]
		}
	}
	return out
}
