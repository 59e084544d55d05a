package scoring

import (
	"encoding/binary"
	"math/bits"
	"slices"
)

// This file holds the combination rule of DESIGN C7: for one competence,
// no linear combination of the shown groups' sums and counts may single
// out 1 to k−1 respondents.
//
// The respondents with a score fall into atoms: people who belong to the
// same shown groups. A combination of shown groups can only ever count
// whole atoms, and a union of atoms U is computable from the shown groups
// exactly when its indicator vector 1_U lies in the row space of the
// groups × atoms matrix M. The rule asks that no computable U holds 1 to
// k−1 people.
//
// Atoms of k people or more (heavy) can never be part of such a U, so
// only unions of light atoms matter. Ordering the columns heavy first and
// bringing M to reduced row echelon form (RREF), every row-space vector
// that is zero on the heavy atoms is a combination of the rows whose
// pivot is light (they are zero on every heavy column), and the
// coefficient of each such row is the vector's value at that row's pivot.
// So a small computable U is the sum of the light rows whose pivots lie
// in U: at most k−1 rows, each adding its pivot's people. Rows whose
// non-pivot entries do not overlap add up independently, so a smallest
// such U comes from rows that are connected through shared non-pivot
// columns. The search below enumerates those connected sets of rows,
// pruned by the people their pivots already hold.
//
// The arithmetic is modulo the prime 2^61−1: exact in the integers up to
// a multiple of a 61-bit prime, which is what DESIGN calls exact with
// overwhelming probability. The tests check the result with exact
// rationals on their own code path.
//
// When a violation is found, the combination of groups that yields it is
// known (each row carries the groups it was made of), and the least useful
// group in it is suppressed; removing a group never makes another union
// computable, so repeating until no violation is left ends, with the
// organisation, departments and larger groups kept first.

// prime is the modulus of the elimination, 2^61 − 1.
const prime = (1 << 61) - 1

func addMod(a, b uint64) uint64 {
	s := a + b
	if s >= prime {
		s -= prime
	}
	return s
}

func mulMod(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	// a·b = hi·2^64 + lo; 2^64 ≡ 8 (mod 2^61−1).
	r := (lo & prime) + (lo >> 61) + (hi << 3)
	for r >= prime {
		r -= prime
	}
	return r
}

func invMod(a uint64) uint64 {
	// Fermat: a^(p−2).
	result, base, e := uint64(1), a, uint64(prime-2)
	for e > 0 {
		if e&1 == 1 {
			result = mulMod(result, base)
		}
		base = mulMod(base, base)
		e >>= 1
	}
	return result
}

// sparse is a vector modulo prime with its non-zero entries in index
// order.
type sparse struct {
	idx []int32
	val []uint64
}

func (v sparse) at(i int32) uint64 {
	j, ok := slices.BinarySearch(v.idx, i)
	if !ok {
		return 0
	}
	return v.val[j]
}

// accumulator adds sparse vectors times a factor, densely, remembering the
// indexes it touched so that reading it out costs only those.
type accumulator struct {
	val     []uint64
	on      []bool
	touched []int32
}

func newAccumulator(n int) *accumulator {
	return &accumulator{val: make([]uint64, n), on: make([]bool, n)}
}

func (a *accumulator) add(v sparse, f uint64) {
	for j, i := range v.idx {
		if !a.on[i] {
			a.on[i] = true
			a.touched = append(a.touched, i)
		}
		a.val[i] = addMod(a.val[i], mulMod(v.val[j], f))
	}
}

// take returns the accumulated vector and resets the accumulator.
func (a *accumulator) take() sparse {
	slices.Sort(a.touched)
	out := sparse{idx: make([]int32, 0, len(a.touched)), val: make([]uint64, 0, len(a.touched))}
	for _, i := range a.touched {
		if a.val[i] != 0 {
			out.idx = append(out.idx, i)
			out.val = append(out.val, a.val[i])
		}
		a.val[i], a.on[i] = 0, false
	}
	a.touched = a.touched[:0]
	return out
}

// echelon is M in reduced row echelon form, built a row at a time, with
// each row's combination of the groups it came from.
type echelon struct {
	rows    []sparse // over columns
	combs   []sparse // over groups
	pivotOf []int32  // by column: the row whose pivot it is, or −1
	colRows [][]int32
	cols    *accumulator
	groups  *accumulator
}

func newEchelon(columns, groups int) *echelon {
	e := &echelon{
		rows:    make([]sparse, 0, groups),
		combs:   make([]sparse, 0, groups),
		pivotOf: make([]int32, columns),
		colRows: make([][]int32, columns),
		cols:    newAccumulator(columns),
		groups:  newAccumulator(groups),
	}
	for i := range e.pivotOf {
		e.pivotOf[i] = -1
	}
	return e
}

// insert adds group g's row (its columns, each with value 1), keeping the
// form reduced. It reports false when the row depends on those before it.
func (e *echelon) insert(g int32, cols []int32) bool {
	row := sparse{idx: cols, val: make([]uint64, len(cols))}
	for i := range row.val {
		row.val[i] = 1
	}
	// Reduce against the pivots: in reduced form each pivot row is zero
	// at every other pivot, so one pass clears them all.
	e.cols.add(row, 1)
	e.groups.add(sparse{idx: []int32{g}, val: []uint64{1}}, 1)
	for _, c := range cols {
		if p := e.pivotOf[c]; p >= 0 {
			e.cols.add(e.rows[p], prime-1)
			e.groups.add(e.combs[p], prime-1)
		}
	}
	row, comb := e.cols.take(), e.groups.take()
	if len(row.idx) == 0 {
		return false
	}
	// The pivot is the first column: heavy columns come first, so a row
	// with a light pivot is zero on every heavy column.
	pivot := row.idx[0]
	if f := row.val[0]; f != 1 {
		inv := invMod(f)
		for i := range row.val {
			row.val[i] = mulMod(row.val[i], inv)
		}
		for i := range comb.val {
			comb.val[i] = mulMod(comb.val[i], inv)
		}
	}
	// Clear the new pivot from the rows that hold it.
	for _, r := range e.colRows[pivot] {
		f := e.rows[r].at(pivot)
		if f == 0 {
			continue
		}
		e.cols.add(e.rows[r], 1)
		e.cols.add(row, prime-f)
		e.groups.add(e.combs[r], 1)
		e.groups.add(comb, prime-f)
		old := e.rows[r]
		e.rows[r], e.combs[r] = e.cols.take(), e.groups.take()
		e.index(int32(r), old) // #nosec G115 -- a row index, far below 2^31
	}
	n := int32(len(e.rows)) // #nosec G115 -- one row per group
	e.rows = append(e.rows, row)
	e.combs = append(e.combs, comb)
	e.pivotOf[pivot] = n
	e.index(n, sparse{})
	return true
}

// index records row r under the columns it has gained since old: both
// are in column order, so one walk finds them.
func (e *echelon) index(r int32, old sparse) {
	j := 0
	for _, c := range e.rows[r].idx {
		for j < len(old.idx) && old.idx[j] < c {
			j++
		}
		if j == len(old.idx) || old.idx[j] != c {
			e.colRows[c] = append(e.colRows[c], r)
		}
	}
}

// atoms partitions the respondents of the shown groups by membership:
// atomOf[r] is respondent r's atom or −1, and size counts each atom's
// people. Two respondents share an atom exactly when they belong to the
// same shown groups.
func atoms(respondents int, shown []bool, sets [][]int32) (atomOf []int32, size []int) {
	atomOf = make([]int32, respondents)
	for i := range atomOf {
		atomOf[i] = -1
	}
	// Partition refinement: each shown group splits the atoms it meets
	// into the part inside it and the part outside. split[old+1] is the
	// new atom of old's part inside the group (old −1: in no group yet).
	next := int32(0)
	split := []int32{-1}
	var touched []int32
	for g, set := range sets {
		if !shown[g] {
			continue
		}
		for _, r := range set {
			old := atomOf[r] + 1
			if split[old] < 0 {
				split[old] = next
				next++
				split = append(split, -1)
				touched = append(touched, old)
			}
			atomOf[r] = split[old]
		}
		for _, old := range touched {
			split[old] = -1
		}
		touched = touched[:0]
	}
	// Number the atoms that are left densely.
	dense := make([]int32, next)
	for i := range dense {
		dense[i] = -1
	}
	for r, a := range atomOf {
		if a < 0 {
			continue
		}
		if dense[a] < 0 {
			dense[a] = int32(len(size)) // #nosec G115 -- at most one atom per respondent
			size = append(size, 0)
		}
		atomOf[r] = dense[a]
		size[dense[a]]++
	}
	return atomOf, size
}

// violation is a union of atoms that the shown groups single out although
// it holds 1 to k−1 people, with the combination of groups that yields it.
type violation struct {
	people int
	groups sparse // coefficient of each group in the combination
}

// findViolations returns unions of 1..k−1 people that the shown groups
// can compute; none when the shown groups meet the combination rule. It
// need not return every such union, but returns one whenever any exists.
//
// personOf is nil when every respondent is a person of their own. For
// ratings (OthersProfiles) each personOf[i] names a person of every
// rating — its rater, its leader — and a union may hold 1..k−1 of none
// of them; an atom's people are then its distinct persons of that kind.
// A person in two light atoms would be counted twice by a union of both,
// so that is a violation of its own first (splitPeople): once there is
// none, the light atoms' people are disjoint, a union of light atoms
// holds the sum of their people, and the search is exact again.
func findViolations(respondents int, personOf []*personIndex, shown []bool, sets [][]int32, order []int, k int) []violation {
	atomOf, size := atoms(respondents, shown, sets)
	if personOf == nil {
		return searchViolations(atomOf, size, shown, sets, order, k)
	}
	for _, of := range personOf {
		people := atomPeople(atomOf, of, len(size))
		if split := splitPeople(atomOf, of, people, shown, sets, k); len(split) > 0 {
			return split
		}
		if found := searchViolations(atomOf, people, shown, sets, order, k); len(found) > 0 {
			return found
		}
	}
	return nil
}

// searchViolations is findViolations for the respondents' atoms atomOf,
// each holding size people.
func searchViolations(atomOf []int32, size []int, shown []bool, sets [][]int32, order []int, k int) []violation {
	// Columns: heavy atoms first.
	col := make([]int32, len(size))
	next := int32(0)
	for a, s := range size {
		if s >= k {
			col[a] = next
			next++
		}
	}
	heavy := next // the first light column
	for a, s := range size {
		if s < k {
			col[a] = next
			next++
		}
	}
	colSize := make([]int, len(size))
	for a, s := range size {
		colSize[col[a]] = s
	}

	e := newEchelon(len(size), len(sets))
	seen := make([]bool, len(size))
	var cols, all []int32 // all: every row's columns, one backing array
	// Rows go in from the least useful (mostly the smallest) to the
	// organisation: a row entered late is reduced once, while one entered
	// early is rewritten by every later pivot it holds, so the long rows
	// come last.
	for i := len(order) - 1; i >= 0; i-- {
		g := order[i]
		if !shown[g] {
			continue
		}
		cols = cols[:0]
		for _, r := range sets[g] {
			a := atomOf[r]
			if !seen[a] {
				seen[a] = true
				cols = append(cols, col[a])
			}
		}
		slices.Sort(cols)
		for _, r := range sets[g] {
			seen[atomOf[r]] = false
		}
		start := len(all)
		all = append(all, cols...)
		e.insert(int32(g), all[start:len(all):len(all)]) // #nosec G115 -- a group index
	}

	// The rows with a light pivot, and the light rows of each column.
	s := &search{e: e, colSize: colSize, k: k, acc: newAccumulator(len(size)), gacc: newAccumulator(len(sets)),
		rowsOf: make([][]int32, len(size)), tried: map[string]bool{}, cuts: make([]int, len(e.rows))}
	var lightRows []int32
	for r, row := range e.rows {
		if row.idx[0] < heavy {
			continue
		}
		lightRows = append(lightRows, int32(r)) // #nosec G115 -- a row index
		for _, c := range row.idx {
			s.rowsOf[c] = append(s.rowsOf[c], int32(r)) // #nosec G115 -- a row index
		}
	}
	for _, r := range lightRows {
		s.budget = searchBudget
		s.explore([]int32{r}, r, colSize[e.rows[r].idx[0]])
		if s.budget < 0 {
			// Too many sets to try from here: rather than show what was
			// not checked, count it as a violation of the groups the row
			// came from, so that one of them goes.
			s.found = append(s.found, violation{groups: e.combs[r]})
		}
	}
	return s.found
}

// search looks for sets of light rows that add up to a union of 1 to k−1
// people. From each row (the root), it adds only rows that come after it
// and that a sum short of such a union needs: a column whose value is not
// 0 or 1 can only be mended by a row that has it, and too many people
// only taken away by a row that has one of their non-pivot columns. Every
// set that adds up to a small union is reached so from its first row.
type search struct {
	e         *echelon
	colSize   []int
	k         int
	rowsOf    [][]int32 // light rows by column
	tried     map[string]bool
	cuts      []int   // scratch, by row: people it could take away
	cut       []int32 // the rows cuts holds a number for
	acc, gacc *accumulator
	found     []violation
	budget    int // sets left to try from the current root
}

// searchBudget bounds the sets of rows tried from one row. The
// organisations of a municipality are sparse — a team meets a few others
// — and stay far below it; where rows are so entangled that the search
// would run away, the groups behind the row are thinned out instead, which
// is safe: only a search that ran to the end lets groups be shown.
const searchBudget = 2000

// explore tries set, a set of light rows grown from root whose pivots
// hold pivots people, records it when it adds up to a union of 1 to k−1
// people, and otherwise tries every set one row larger that could still
// become one.
func (s *search) explore(set []int32, root int32, pivots int) {
	if !s.firstVisit(set) {
		return
	}
	// Room on the stack for a few columns here and a few rows below:
	// most sets need no more, and the search tries many sets.
	sum := s.add(set, make([]int32, 0, 8))
	if sum.bad < 0 && sum.people < s.k {
		s.record(set, sum.people)
		return
	}
	// Too many people: the rows still to come (each adds a pivot's
	// people, so at most left of them) must take enough away, and a row
	// can only take away the people of the columns it has. So some row of
	// the set to come takes away at least a left-th share: add that one
	// first.
	over := sum.people - (s.k - 1)
	left := s.k - 1 - pivots
	s.resetCuts()
	if over > 0 {
		most := s.countCuts(sum.ones)
		if left <= 0 || most*left < over {
			return
		}
	}
	for _, q := range s.appendExtensions(make([]int32, 0, 8), set, root, pivots, sum, over, left) {
		s.explore(append(slices.Clone(set), q), root, pivots+s.pivotPeople(q))
	}
}

// firstVisit spends one set of the budget and reports whether set is
// still to be tried: within the budget and not tried before, from this
// root or another.
func (s *search) firstVisit(set []int32) bool {
	if s.budget--; s.budget < 0 {
		return false
	}
	key := setKey(set)
	if s.tried[key] {
		return false
	}
	s.tried[key] = true
	return true
}

// rowSum is what a set of light rows adds up to, as far as the search
// needs it.
type rowSum struct {
	people int // people in the columns of value 1
	// bad is a column whose value is not 0 or 1, the one fewest rows
	// could mend; −1 when there is none.
	bad  int32
	ones []int32 // non-pivot columns of value 1
}

// add sums the rows of set: a union of atoms when every column is 0 or 1.
// The columns of value 1 are appended to ones.
func (s *search) add(set []int32, ones []int32) rowSum {
	for _, r := range set {
		s.acc.add(s.e.rows[r], 1)
	}
	v := s.acc.take()
	sum := rowSum{bad: -1, ones: ones}
	badRows := 0
	for j, c := range v.idx {
		if v.val[j] != 1 {
			if n := len(s.rowsOf[c]); sum.bad < 0 || n < badRows {
				sum.bad, badRows = c, n
			}
			continue
		}
		sum.people += s.colSize[c]
		if s.e.pivotOf[c] < 0 {
			sum.ones = append(sum.ones, c)
		}
	}
	return sum
}

// record keeps the union set adds up to, of people people, as a
// violation, with the combination of groups that yields it.
func (s *search) record(set []int32, people int) {
	s.gacc.touched = s.gacc.touched[:0]
	for _, r := range set {
		s.gacc.add(s.e.combs[r], 1)
	}
	s.found = append(s.found, violation{people: people, groups: s.gacc.take()})
}

// resetCuts clears the cuts counted for the previous set.
func (s *search) resetCuts() {
	for _, q := range s.cut {
		s.cuts[q] = 0
	}
	s.cut = s.cut[:0]
}

// countCuts counts, for every light row, the people of the columns in
// ones it has, which it could take away; it returns the most any row
// could.
func (s *search) countCuts(ones []int32) int {
	most := 0
	for _, c := range ones {
		for _, q := range s.rowsOf[c] {
			if s.cuts[q] == 0 {
				s.cut = append(s.cut, q)
			}
			s.cuts[q] += s.colSize[c]
			most = max(most, s.cuts[q])
		}
	}
	return most
}

// appendExtensions appends to next the rows that set, summing to sum,
// needs next: the rows after root, not in set, that have the bad column
// or, when there is none, one of the columns of value 1 and enough people
// on them to take away their share of the over people too many. They are
// chosen before any is tried: trying one reuses the scratch space.
func (s *search) appendExtensions(next, set []int32, root int32, pivots int, sum rowSum, over, left int) []int32 {
	needs := sum.ones
	if sum.bad >= 0 {
		needs = []int32{sum.bad}
	}
	for _, c := range needs {
		for _, q := range s.rowsOf[c] {
			if q <= root || slices.Contains(set, q) || slices.Contains(next, q) {
				continue
			}
			if sum.bad < 0 && s.cuts[q]*left < over {
				continue
			}
			// Every row in a set adds its pivot's people, which no other
			// row takes away: past k−1 of them, no set is small.
			if pivots+s.pivotPeople(q) >= s.k {
				continue
			}
			next = append(next, q)
		}
	}
	return next
}

// pivotPeople counts the people of row q's pivot, which every set holding
// q includes.
func (s *search) pivotPeople(q int32) int { return s.colSize[s.e.rows[q].idx[0]] }

func setKey(set []int32) string {
	sorted := slices.Clone(set)
	slices.Sort(sorted)
	b := make([]byte, 0, 4*len(sorted))
	for _, r := range sorted {
		b = binary.LittleEndian.AppendUint32(b, uint32(r)) // #nosec G115 -- a row index, never negative
	}
	return string(b)
}

// applyCombinationRule suppresses shown groups until no combination of
// those left singles out 1 to k−1 respondents. order ranks the groups,
// most useful first; of the groups that yield a violation, the last in
// order goes.
//
// A suppression can make an earlier one needless: a group that went for
// a violation that a later suppression broke up as well, or one that the
// pairwise rule held back for a group that has gone since (clash reports
// whether a group still clashes with a shown one). Those are tried again
// at the end, most useful first, and stay if the check passes with them.
func applyCombinationRule(respondents int, sets [][]int32, shown []bool, order []int, k int, heldBack []int, clash func(g int) bool) {
	applyCombinationRuleBy(respondents, nil, sets, shown, order, k, heldBack, clash)
}

// applyCombinationRuleBy is applyCombinationRule over ratings, personOf
// naming each rating's persons (findViolations); nil for people.
func applyCombinationRuleBy(respondents int, personOf []*personIndex, sets [][]int32, shown []bool, order []int, k int, heldBack []int, clash func(g int) bool) {
	rank := make([]int, len(order))
	for i, g := range order {
		rank[g] = i
	}
	because := map[int]sparse{} // a suppressed group: the combination it broke up
	for {
		found := findViolations(respondents, personOf, shown, sets, order, k)
		if len(found) == 0 {
			break
		}
		gone := map[int32]bool{}
	violations:
		for _, v := range found {
			least := int32(-1)
			for _, g := range v.groups.idx {
				if gone[g] {
					continue violations // this pass broke it up already
				}
				if least < 0 || rank[g] > rank[least] {
					least = g
				}
			}
			shown[least] = false
			gone[least] = true
			because[int(least)] = v.groups
		}
	}
	if len(because) == 0 {
		return
	}
	again := heldBack
	for g, combination := range because {
		for _, h := range combination.idx {
			if int(h) != g && !shown[h] {
				again = append(again, g)
				break
			}
		}
	}
	slices.SortFunc(again, func(a, b int) int { return rank[a] - rank[b] })
	for _, g := range again {
		if clash(g) {
			continue
		}
		shown[g] = true
		if len(findViolations(respondents, personOf, shown, sets, order, k)) > 0 {
			shown[g] = false
		}
	}
}

// RowsHideInGroups reports whether item-level rows of respondents (one row
// of answers per person, without names or groups) may go out beside the
// shown groups' aggregates: whether everyone who answered shares the shown
// groups they belong to with at least k−1 others who answered (DESIGN C7,
// item-level exports).
//
// The aggregates of a group count its members whoever they are, so they
// cannot tell apart two people who belong to the same shown groups: any
// way of matching rows to people that agrees with every aggregate still
// agrees when two such people swap rows. When every such atom holds k
// people or more, a row can at best be matched to an atom, and so to k
// people or more. When one holds fewer, the rows of that atom may be found
// by matching sums (and with them, subtracting from the organisation, the
// rows of the rest), so the rows must not go out at all. shown lists the
// groups shown on any competence; respondents are those whose rows would
// go out.
func RowsHideInGroups(groups []GroupSpec, shown []bool, respondents []int64, minGroup int) bool {
	k := ClampMinGroup(minGroup)
	index := make(map[int64]int32, len(respondents))
	for _, id := range respondents {
		if _, ok := index[id]; !ok {
			index[id] = int32(len(index)) // #nosec G115 -- one per respondent of a round
		}
	}
	sets := make([][]int32, len(groups))
	for g, spec := range groups {
		if !shown[g] {
			continue
		}
		seen := map[int32]bool{}
		for _, id := range spec.Members {
			if r, ok := index[id]; ok && !seen[r] {
				seen[r] = true
				sets[g] = append(sets[g], r)
			}
		}
	}
	atomOf, size := atoms(len(index), shown, sets)
	outside := 0 // in no shown group: an atom of their own
	for _, a := range atomOf {
		if a < 0 {
			outside++
		}
	}
	if outside > 0 && outside < k {
		return false
	}
	for _, n := range size {
		if n < k {
			return false
		}
	}
	return true
}
