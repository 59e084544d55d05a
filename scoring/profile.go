package scoring

import (
	"cmp"
	"slices"

	"lederradar/survey"
)

// DefaultMinGroup is the smallest group whose aggregates may be shown unless
// the organisation chooses otherwise: five is the Danish norm for leadership
// evaluations.
const DefaultMinGroup = 5

// MinGroupFloor is the lowest minimum group size an organisation may choose:
// below three, a mean and a person's own score give away the other answers.
const MinGroupFloor = 3

// ClampMinGroup returns k, or MinGroupFloor when k is below it, so that no
// configuration can weaken the anonymity rule past its floor.
func ClampMinGroup(k int) int {
	return max(k, MinGroupFloor)
}

// GroupSpec is a group to aggregate. It names every member, responded or
// not, so that the response rate and the anonymity rule see the same
// people.
type GroupSpec struct {
	// Key identifies the group in the output, e.g. "organisation",
	// "department:3", "team:5"; unique among the groups of one call.
	Key  string
	Kind survey.GroupKind
	// ID is the group's id; 0 for the organisation.
	ID   int64
	Name string
	// Members are the person ids of every member, responded or not.
	Members []int64
}

// Respondent is one submitted self-assessment. Only submitted answers go
// into aggregates, so callers pass nothing else.
type Respondent struct {
	PersonID int64
	Answers  survey.Answers
}

// Aggregate is a group's result on one competence: what a chart, heatmap
// or export may show. It has no minimum or maximum, because either would be
// one person's score.
type Aggregate struct {
	Mean float64
	SD   float64 // sample standard deviation of the scores; 0 when N < 2
	N    int     // respondents with a score on the competence
}

// CompetenceAggregate is one competence of a group profile. When it is
// suppressed it carries zero values only, so that no page, chart or export
// built from it can leak what the anonymity rule withholds.
type CompetenceAggregate struct {
	CompetenceID string
	// Suppressed is true when the anonymity rule withholds the competence;
	// it is then shown as "fewer than N answers", never as zeros.
	Suppressed bool
	Aggregate
	// Distribution counts the item answers in this competence of the
	// respondents who have a score on it: index 0 is "ved ikke", 1–5 the
	// scale. Zero when suppressed.
	Distribution [6]int
	// High counts the respondents whose score on the competence is at
	// least HighScore (DESIGN C14): whether the group has someone strong
	// on it, which the mean cannot tell. It counts among the people N
	// counts, so the anonymity rule covers it as it covers N. Zero when
	// suppressed; HighUnknown where it was never counted.
	High int
}

// HighScore is the competence score from which a respondent counts as
// strong on a competence (CompetenceAggregate.High): "i høj grad" (4) or
// more on average.
const HighScore = 4.0

// HighUnknown is CompetenceAggregate.High where it was never counted: in a
// closed round's report kept before reports counted it, which is final
// and so is never counted afresh (data).
const HighUnknown = -1

// HighKnown reports whether ca carries a count of high scores: it is shown
// and its report counted them.
func (ca CompetenceAggregate) HighKnown() bool { return !ca.Suppressed && ca.High >= 0 }

// GroupProfile is a group's aggregate profile after the anonymity rule.
// Members and N are counts HR may always see (the response rate); means
// appear only where the rule allows.
type GroupProfile struct {
	Key  string
	Name string
	Kind survey.GroupKind
	ID   int64
	// Members counts the group's distinct members, responded or not.
	Members int
	// N counts the respondents among the members.
	N int
	// Suppressed is true when N is below the minimum group size or every
	// competence is suppressed: the group has nothing to show.
	Suppressed bool
	// Competences are in the instrument's order; all suppressed when the
	// group is.
	Competences []CompetenceAggregate
}

// Profiles computes every group's profile and applies the anonymity rule
// (DESIGN C7), so that no combination of shown aggregates lets anyone learn
// one person's answers:
//
//   - a group is shown only with at least k respondents, and a competence
//     within it only with at least k scores (k = ClampMinGroup(minGroup));
//   - for every competence, any two shown groups differ, each way, by 0 or
//     at least k respondents with a score on it; otherwise the smaller is
//     suppressed (on equal size the one later in groups), but never the
//     organisation, which is shown whenever it has k scores.
//
// The differencing conflicts are resolved from the largest group down: a
// group is kept when it conflicts with no kept group that outranks it. So a
// group is never suppressed because of a group that is itself suppressed,
// and the result is the fixed point that "suppress the smaller, repeat"
// reaches when the larger losers are settled first.
//
// A person listed twice in respondents counts once, with the answers listed
// last; a member listed twice in a group counts once.
func Profiles(in *survey.Instrument, groups []GroupSpec, respondents []Respondent, minGroup int) []GroupProfile {
	answers := latestAnswers(respondents)
	tallied := make([]TalliedRespondent, 0, len(answers))
	for id, a := range answers {
		tallied = append(tallied, TalliedRespondent{PersonID: id, Tally: in.Tally(a)})
	}
	return ProfilesFromTallies(in, groups, tallied, minGroup)
}

// TalliedRespondent is one submitted self-assessment reduced to the counts
// of its answers (survey.Tally): all that profiles need of it.
type TalliedRespondent struct {
	PersonID int64
	Tally    survey.Tally
}

// ProfilesFromTallies is Profiles for respondents whose answers have been
// tallied already, as the database keeps them: the same rule, the same
// result. A person listed twice counts once, with the tally listed last.
//
// It costs time in proportion to the memberships, not to the pairs of
// groups: two groups whose respondents do not overlap can never clash
// (each side differs by all of its at least k respondents), so only groups
// that share a respondent are compared, found through an index from
// respondent to the groups kept so far.
func ProfilesFromTallies(in *survey.Instrument, groups []GroupSpec, respondents []TalliedRespondent, minGroup int) []GroupProfile {
	return profiles(in, groups, respondents, minGroup, true)
}

// PairwiseProfilesFromTallies is ProfilesFromTallies with the thresholds
// and the pairwise rule only, without the combination rule. Its profiles
// are not safe to show: it exists to measure what the combination rule
// hides (docs/assurance.md).
func PairwiseProfilesFromTallies(in *survey.Instrument, groups []GroupSpec, respondents []TalliedRespondent, minGroup int) []GroupProfile {
	return profiles(in, groups, respondents, minGroup, false)
}

// profiles is ProfilesFromTallies, with the combination rule or, to
// measure what it costs in groups shown, the pairwise rule alone.
func profiles(in *survey.Instrument, groups []GroupSpec, respondents []TalliedRespondent, minGroup int, combinations bool) []GroupProfile {
	k := ClampMinGroup(minGroup)
	rIndex, tallies := indexRespondents(respondents)
	scored := scoreRespondents(in, tallies)
	out, responded, memberships := groupRespondents(groups, rIndex, len(in.Competences))
	aggregateGroups(in, scored, responded, out)
	rule := newAnonymityRule(groups, responded, len(tallies), memberships, k)
	for c, comp := range in.Competences {
		shown := rule.apply(scored, c, combinations)
		for g := range groups {
			if !shown[g] {
				out[g].Competences[c] = CompetenceAggregate{CompetenceID: comp.ID, Suppressed: true}
			}
		}
	}
	markEmptyGroupsSuppressed(out)
	return out
}

// indexRespondents numbers the respondents densely (rIndex[person] = r),
// in the order of their ids, so that the combination rule numbers atoms
// the same way whatever order they came in; the last listing of a person
// wins.
func indexRespondents(respondents []TalliedRespondent) (rIndex map[int64]int32, tallies []survey.Tally) {
	if !slices.IsSortedFunc(respondents, byPerson) {
		respondents = slices.Clone(respondents)
		slices.SortStableFunc(respondents, byPerson)
	}
	rIndex = make(map[int64]int32, len(respondents))
	tallies = make([]survey.Tally, 0, len(respondents))
	for _, rs := range respondents {
		if r, ok := rIndex[rs.PersonID]; ok {
			tallies[r] = rs.Tally
			continue
		}
		rIndex[rs.PersonID] = int32(len(tallies)) // #nosec G115 -- one per respondent of a round, far below 2^31
		tallies = append(tallies, rs.Tally)
	}
	return rIndex, tallies
}

// scoredRespondents holds every respondent's score on every competence,
// so that the aggregates and the anonymity rule score each person once.
//
// score[r*nc+c], has[r*nc+c]: respondent r's score on competence c, in
// flat arrays: the passes visit respondents in the groups' order, all
// over memory, and one array is one cache miss where a slice of slices is
// two. The answers counted stay in the tallies (tallies[r][c], wherever
// has is set): a copy of them would be ten megabytes more at 100,000
// people, live all the while.
type scoredRespondents struct {
	nc      int
	tallies []survey.Tally
	score   []float64
	has     []bool
}

// scoreRespondents applies the scoring rule to every respondent's tally.
func scoreRespondents(in *survey.Instrument, tallies []survey.Tally) *scoredRespondents {
	nc := len(in.Competences)
	nr := len(tallies)
	s := &scoredRespondents{nc: nc, tallies: tallies, score: make([]float64, nr*nc), has: make([]bool, nr*nc)}
	for r, t := range tallies {
		for c, comp := range in.Competences {
			if c >= len(t) {
				continue
			}
			cs := competenceScore(len(comp.Items), t[c])
			s.score[r*nc+c], s.has[r*nc+c] = cs.Score, cs.HasScore
		}
	}
	return s
}

// groupRespondents finds each group's distinct respondents (responded[g],
// in member order, so that means are summed in the same order as ever)
// and starts its profile with the counts HR may always see. memberships
// counts the group members who responded, over all groups: the most the
// anonymity rule ever indexes at once.
func groupRespondents(groups []GroupSpec, rIndex map[int64]int32, nc int) (out []GroupProfile, responded [][]int32, memberships int) {
	out = make([]GroupProfile, len(groups))
	responded = make([][]int32, len(groups))
	total := 0
	for _, spec := range groups {
		total += len(spec.Members)
	}
	flat := make([]int32, 0, total) // every group's respondents, one after the other
	dedup := newDeduper()
	for g, spec := range groups {
		members := dedup.distinct(spec.Members)
		start := len(flat)
		for _, id := range members {
			if r, ok := rIndex[id]; ok {
				flat = append(flat, r)
			}
		}
		rs := flat[start:len(flat):len(flat)]
		responded[g] = rs
		out[g] = GroupProfile{
			Key: spec.Key, Name: spec.Name, Kind: spec.Kind, ID: spec.ID,
			Members: len(members), N: len(rs),
			Competences: make([]CompetenceAggregate, nc),
		}
	}
	return out, responded, len(flat)
}

// aggregateGroups fills in every group's aggregates before the anonymity
// rule, group by group: a group's respondents' scores and counts are read
// once per competence, and stay in cache from one competence to the next.
func aggregateGroups(in *survey.Instrument, scored *scoredRespondents, responded [][]int32, out []GroupProfile) {
	nc := scored.nc
	most := 0
	for _, rs := range responded {
		most = max(most, len(rs))
	}
	scores := make([]float64, 0, most)
	for g := range out {
		for c, comp := range in.Competences {
			scores = scores[:0]
			var dist [6]int
			high := 0
			for _, r := range responded[g] {
				i := int(r)*nc + c
				if !scored.has[i] {
					continue
				}
				scores = append(scores, scored.score[i])
				if scored.score[i] >= HighScore {
					high++
				}
				for v, n := range scored.tallies[r][c] {
					dist[v] += int(n)
				}
			}
			sum := Summarise(scores)
			out[g].Competences[c] = CompetenceAggregate{
				CompetenceID: comp.ID,
				Aggregate:    Aggregate{Mean: sum.Mean, SD: sum.SD, N: sum.N},
				Distribution: dist,
				High:         high,
			}
		}
	}
}

// markEmptyGroupsSuppressed suppresses each group whose every competence
// is suppressed: it has nothing left to show.
func markEmptyGroupsSuppressed(out []GroupProfile) {
	for g := range out {
		out[g].Suppressed = true
		for _, ca := range out[g].Competences {
			if !ca.Suppressed {
				out[g].Suppressed = false
			}
		}
	}
}

// anonymityRule decides, competence by competence, which groups may be
// shown (DESIGN C7). It keeps its scratch space from one competence to the
// next, so that a competence's pass allocates next to nothing.
type anonymityRule struct {
	groups    []GroupSpec
	responded [][]int32 // by group: its distinct respondents
	k         int
	nr        int // respondents

	sets     [][]int32 // by group: S, its respondents with a score on the competence
	buf      []int32   // backing store of sets: at most every group's respondents
	order    []int     // the groups, highest-ranked first
	shown    []bool    // by group
	keptOf   *membership
	inter    *counter
	heldBack []int // groups the pairwise rule suppressed
	inSet    []bool
}

// newAnonymityRule prepares the rule for the groups of one call; nr
// counts the respondents, memberships the respondents over all groups.
func newAnonymityRule(groups []GroupSpec, responded [][]int32, nr, memberships, k int) *anonymityRule {
	return &anonymityRule{
		groups: groups, responded: responded, k: k, nr: nr,
		sets:   make([][]int32, len(groups)),
		buf:    make([]int32, 0, memberships),
		order:  make([]int, len(groups)),
		shown:  make([]bool, len(groups)),
		keptOf: newMembership(nr, memberships),
		inter:  newCounter(len(groups)),
		inSet:  make([]bool, nr),
	}
}

// apply returns, by group, whether its aggregates on competence c may be
// shown: the thresholds, then the pairwise rule, then (when combinations
// is set) every combination of what is left. The result is reused by the
// next call.
func (a *anonymityRule) apply(scored *scoredRespondents, c int, combinations bool) []bool {
	a.applyThresholds(scored, c)
	a.rankGroups()
	a.applyPairwiseRule()
	if combinations {
		applyCombinationRule(a.nr, a.sets, a.shown, a.order, a.k, a.heldBack, func(g int) bool {
			return clashesWithShown(g, a.sets, a.shown, a.k, a.inSet)
		})
	}
	return a.shown
}

// applyThresholds finds S, each group's respondents with a score on
// competence c, and shows only the groups with at least k respondents and
// k scores: a group or competence below k is never shown.
func (a *anonymityRule) applyThresholds(scored *scoredRespondents, c int) {
	nc := scored.nc
	a.buf = a.buf[:0]
	for g := range a.groups {
		start := len(a.buf)
		for _, r := range a.responded[g] {
			if scored.has[int(r)*nc+c] {
				a.buf = append(a.buf, r)
			}
		}
		a.sets[g] = a.buf[start:len(a.buf):len(a.buf)]
		a.shown[g] = len(a.responded[g]) >= a.k && len(a.sets[g]) >= a.k
		a.order[g] = g
	}
}

// rankGroups orders the groups from the most useful to show down: the
// organisation, then departments, then teams, then larger S, then earlier
// in the input.
func (a *anonymityRule) rankGroups() {
	slices.SortStableFunc(a.order, func(x, y int) int {
		if kx, ky := kindRank(a.groups[x].Kind), kindRank(a.groups[y].Kind); kx != ky {
			return cmp.Compare(kx, ky)
		}
		return cmp.Compare(len(a.sets[y]), len(a.sets[x]))
	})
}

// applyPairwiseRule resolves the differencing conflicts from the
// highest-ranked group down: a group stays shown when it differs from no
// kept group, either way, by 1 to k−1 respondents. Only groups sharing a
// respondent can clash, so they are found through keptOf, the kept groups
// of each respondent. The groups it suppresses go to heldBack, for the
// combination rule to try again.
func (a *anonymityRule) applyPairwiseRule() {
	a.keptOf.reset()
	a.heldBack = a.heldBack[:0]
	for _, g := range a.order {
		if !a.shown[g] {
			continue
		}
		if a.clashesWithKept(g) {
			a.shown[g] = false
			a.heldBack = append(a.heldBack, g)
			continue
		}
		for _, r := range a.sets[g] {
			a.keptOf.add(r, int32(g)) // #nosec G115 -- a group index, far below 2^31
		}
	}
}

// clashesWithKept reports whether group g differs from a kept group,
// either way, by 1 to k−1 respondents, counting |S_g ∩ S_h| for every
// kept h sharing a respondent with g.
func (a *anonymityRule) clashesWithKept(g int) bool {
	a.inter.reset()
	for _, r := range a.sets[g] {
		for e := a.keptOf.head[r]; e >= 0; e = a.keptOf.next[e] {
			a.inter.add(a.keptOf.group[e])
		}
	}
	for _, h := range a.inter.touched {
		both := a.inter.n[h]
		if few(len(a.sets[g])-both, a.k) || few(len(a.sets[h])-both, a.k) {
			return true
		}
	}
	return false
}

func byPerson(a, b TalliedRespondent) int { return cmp.Compare(a.PersonID, b.PersonID) }

// kindRank orders the kinds of group by how useful they are to show: the
// organisation, then departments, then teams.
func kindRank(k survey.GroupKind) int {
	switch k {
	case survey.Organisation:
		return 0
	case survey.Department:
		return 1
	}
	return 2
}

// clashesWithShown reports whether group g differs from a shown group,
// either way, by 1 to k−1 respondents: the pairwise rule, for the few
// groups it is asked again for. inSet is scratch space, all false.
func clashesWithShown(g int, sets [][]int32, shown []bool, k int, inSet []bool) bool {
	for _, r := range sets[g] {
		inSet[r] = true
	}
	defer func() {
		for _, r := range sets[g] {
			inSet[r] = false
		}
	}()
	for h, set := range sets {
		if h == g || !shown[h] {
			continue
		}
		both := 0
		for _, r := range set {
			if inSet[r] {
				both++
			}
		}
		if few(len(sets[g])-both, k) || few(len(set)-both, k) {
			return true
		}
	}
	return false
}

// few reports whether n people set one group apart from another: more than
// none and fewer than k, so that subtracting one aggregate from the other
// would tell about those few.
func few(n, k int) bool { return n > 0 && n < k }

// membership lists, per respondent, the groups kept so far, as linked
// lists in flat arrays so that a competence's pass allocates nothing.
type membership struct {
	head  []int32 // by respondent: first entry, or -1
	next  []int32 // by entry: next entry of the same respondent, or -1
	group []int32 // by entry
}

func newMembership(n, entries int) *membership {
	m := &membership{head: make([]int32, n), next: make([]int32, 0, entries), group: make([]int32, 0, entries)}
	m.reset()
	return m
}

func (m *membership) reset() {
	for i := range m.head {
		m.head[i] = -1
	}
	m.next, m.group = m.next[:0], m.group[:0]
}

func (m *membership) add(r, g int32) {
	m.next = append(m.next, m.head[r])
	m.group = append(m.group, g)
	m.head[r] = int32(len(m.group) - 1) // #nosec G115 -- memberships of one round's groups, far below 2^31
}

// counter counts hits per group, remembering which groups it touched so
// that resetting costs only those.
type counter struct {
	n       []int
	touched []int32
}

func newCounter(groups int) *counter { return &counter{n: make([]int, groups)} }

func (c *counter) add(g int32) {
	if c.n[g] == 0 {
		c.touched = append(c.touched, g)
	}
	c.n[g]++
}

func (c *counter) reset() {
	for _, g := range c.touched {
		c.n[g] = 0
	}
	c.touched = c.touched[:0]
}

// PersonFromTally scores a tallied response exactly as Person scores the
// answers it was counted from.
func PersonFromTally(in *survey.Instrument, t survey.Tally) PersonProfile {
	p := PersonProfile{Competences: make([]CompetenceScore, 0, len(in.Competences))}
	for c, comp := range in.Competences {
		var counts [6]uint16
		if c < len(t) {
			counts = t[c]
		}
		cs := competenceScore(len(comp.Items), counts)
		cs.CompetenceID = comp.ID
		p.Items += cs.Items
		p.Answered += cs.Answered
		p.DontKnow += cs.DontKnow
		p.Competences = append(p.Competences, cs)
	}
	return p
}

// competenceScore applies the scoring rule (Person) to a competence of
// items items whose answers are counted by value: the mean of the answers
// on the scale, when at least half the items have one.
func competenceScore(items int, counts [6]uint16) CompetenceScore {
	cs := CompetenceScore{Items: items, DontKnow: int(counts[survey.DontKnow])}
	sum := 0
	for a := survey.MinAnswer; a <= survey.MaxAnswer; a++ {
		cs.Answered += int(counts[a])
		sum += int(a) * int(counts[a])
	}
	if cs.Answered >= ScoreNeeds(cs.Items) {
		cs.HasScore = true
		cs.Score = float64(sum) / float64(cs.Answered)
	}
	return cs
}

// latestAnswers returns each respondent's answers, the last listed winning.
func latestAnswers(respondents []Respondent) map[int64]survey.Answers {
	m := make(map[int64]survey.Answers, len(respondents))
	for _, r := range respondents {
		m[r.PersonID] = r.Answers
	}
	return m
}

// deduper removes repeated ids from member lists, reusing its memory from
// list to list.
type deduper struct {
	seen   map[int64]bool
	sorted []int64
}

func newDeduper() *deduper { return &deduper{seen: map[int64]bool{}} }

// distinct returns ids without repeats, in first-seen order. A list
// without repeats — a group's members as the database gives them, in id
// order, or everyone in name order — comes back as it is.
func (d *deduper) distinct(ids []int64) []int64 {
	if slices.IsSorted(ids) && !hasAdjacentRepeat(ids) {
		return ids
	}
	d.sorted = append(d.sorted[:0], ids...)
	slices.Sort(d.sorted)
	if !hasAdjacentRepeat(d.sorted) {
		return ids
	}
	clear(d.seen)
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if !d.seen[id] {
			d.seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func hasAdjacentRepeat(ids []int64) bool {
	for i := 1; i < len(ids); i++ {
		if ids[i] == ids[i-1] {
			return true
		}
	}
	return false
}
