package scoring_test

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"

	"lederradar/scoring"
	"lederradar/survey"
)

// isolation is a set of 1..k−1 respondents that a combination of shown
// groups singles out.
type isolation struct {
	competence string
	people     []int64
}

// exactIsolations checks the combination rule (DESIGN C7) with exact
// rational arithmetic, on its own code path: for each competence it groups
// the respondents with a score into atoms by the shown groups they belong
// to, brings the shown groups × atoms matrix to reduced row echelon form
// over the rationals, and tries every union of atoms of 1..k−1 people for
// membership of the row space. It returns the first isolation per
// competence.
func exactIsolations(in *survey.Instrument, groups []scoring.GroupSpec, respondents []scoring.Respondent, got []scoring.GroupProfile, k int) []isolation {
	answers := map[int64]survey.Answers{}
	for _, r := range respondents {
		answers[r.PersonID] = r.Answers
	}
	var out []isolation
	for c, comp := range in.Competences {
		// Membership of each scored respondent in the shown groups.
		member := map[int64][]int{}
		for g, spec := range groups {
			if got[g].Competences[c].Suppressed {
				continue
			}
			for _, id := range spec.Members {
				a, ok := answers[id]
				if !ok {
					continue
				}
				if _, has := naiveScore(comp, a); !has {
					continue
				}
				if l := member[id]; len(l) == 0 || l[len(l)-1] != g {
					member[id] = append(l, g)
				}
			}
		}
		byKey := map[string][]int64{}
		for id, gs := range member {
			key := fmt.Sprint(gs)
			byKey[key] = append(byKey[key], id)
		}
		keys := make([]string, 0, len(byKey))
		for key := range byKey {
			keys = append(keys, key)
		}
		sort.Strings(keys)
		atomPeople := make([][]int64, len(keys))
		atomGroups := make([][]int, len(keys))
		for a, key := range keys {
			atomPeople[a] = byKey[key]
			atomGroups[a] = member[byKey[key][0]]
		}
		// The matrix, shown groups × atoms.
		var rows [][]*big.Rat
		for g := range groups {
			if got[g].Competences[c].Suppressed {
				continue
			}
			row := make([]*big.Rat, len(keys))
			for a := range keys {
				row[a] = new(big.Rat)
				if slices.Contains(atomGroups[a], g) {
					row[a].SetInt64(1)
				}
			}
			rows = append(rows, row)
		}
		basis, pivots := rref(rows, len(keys))
		// Every union of atoms of 1..k−1 people.
		var light []int
		for a := range keys {
			if len(atomPeople[a]) < k {
				light = append(light, a)
			}
		}
		var found []int64
		var try func(from int, chosen []int, people int) bool
		try = func(from int, chosen []int, people int) bool {
			if len(chosen) > 0 && inRowSpace(basis, pivots, chosen, len(keys)) {
				for _, a := range chosen {
					found = append(found, atomPeople[a]...)
				}
				return true
			}
			for i := from; i < len(light); i++ {
				a := light[i]
				if people+len(atomPeople[a]) >= k {
					continue
				}
				if try(i+1, append(chosen, a), people+len(atomPeople[a])) {
					return true
				}
			}
			return false
		}
		if try(0, nil, 0) {
			slices.Sort(found)
			out = append(out, isolation{competence: comp.ID, people: found})
		}
	}
	return out
}

// rref brings rows to reduced row echelon form and returns the non-zero
// rows with their pivot columns.
func rref(rows [][]*big.Rat, cols int) ([][]*big.Rat, []int) {
	var basis [][]*big.Rat
	var pivots []int
	r := 0
	for c := 0; c < cols && r < len(rows); c++ {
		p := -1
		for i := r; i < len(rows); i++ {
			if rows[i][c].Sign() != 0 {
				p = i
				break
			}
		}
		if p < 0 {
			continue
		}
		rows[r], rows[p] = rows[p], rows[r]
		inv := new(big.Rat).Inv(rows[r][c])
		for j := range rows[r] {
			rows[r][j].Mul(rows[r][j], inv)
		}
		for i := range rows {
			if i == r || rows[i][c].Sign() == 0 {
				continue
			}
			f := new(big.Rat).Set(rows[i][c])
			for j := range rows[i] {
				rows[i][j].Sub(rows[i][j], new(big.Rat).Mul(f, rows[r][j]))
			}
		}
		pivots = append(pivots, c)
		r++
	}
	basis = rows[:r]
	return basis, pivots
}

// inRowSpace reports whether the indicator of the atoms chosen is a
// combination of the basis: in reduced form its coefficient on each basis
// row is its value at that row's pivot.
func inRowSpace(basis [][]*big.Rat, pivots []int, chosen []int, cols int) bool {
	x := make([]*big.Rat, cols)
	for j := range x {
		x[j] = new(big.Rat)
	}
	for _, a := range chosen {
		x[a].SetInt64(1)
	}
	for i, p := range pivots {
		if f := new(big.Rat).Set(x[p]); f.Sign() != 0 {
			for j := range x {
				x[j].Sub(x[j], new(big.Rat).Mul(f, basis[i][j]))
			}
		}
	}
	for _, v := range x {
		if v.Sign() != 0 {
			return false
		}
	}
	return true
}

// auditGroups is the organisation of the outside audit (issue 12, leak
// 1): departments Alpha (5), Beta (5), Gamma (1) and Delta (11: team T1 of
// 5, team T2 of 5 others, one in no team), and a director in no
// department.
func auditGroups() []scoring.GroupSpec {
	alpha, beta, gamma := span(1, 5), span(6, 10), span(11, 11)
	t1, t2, rest := span(12, 16), span(17, 21), span(22, 22)
	delta := join(t1, t2, rest)
	director := span(23, 23)
	return []scoring.GroupSpec{
		org(join(alpha, beta, gamma, delta, director)),
		dept(1, alpha), dept(2, beta), dept(3, gamma), dept(4, delta),
		team(1, t1), team(2, t2),
	}
}

// TestCombinationsIsolateNobody checks that no combination of shown groups
// singles out fewer than k respondents: on the audit's organisation (the
// sums organisation − Alpha − Beta − Delta, Delta − T1 − T2 and
// organisation − every department each gave one person's answers before
// the rule), and on random organisations with people in no department,
// teams across departments, nested and copied groups, checked by the exact
// rational checker.
func TestCombinationsIsolateNobody(t *testing.T) {
	in := testInstrument()
	for _, tc := range []struct {
		name      string
		groups    []scoring.GroupSpec
		wantShown []string
	}{{
		// Before the rule: organisation − Alpha − Beta − Delta gave Gamma's
		// person and the director together, Delta − T1 − T2 the person in
		// no team.
		name:      "audit organisation",
		groups:    auditGroups(),
		wantShown: []string{"organisation", "department:1", "department:4", "team:1"},
	}, {
		// Before the rule: organisation − every department gave the
		// director.
		name:      "director in no department",
		groups:    []scoring.GroupSpec{org(span(1, 16)), dept(1, span(1, 5)), dept(2, span(6, 10)), dept(3, span(11, 15))},
		wantShown: []string{"organisation", "department:1", "department:2"},
	}, {
		// A team of 6 + 5 across two departments: no combination splits
		// it, and all stay.
		name:      "team across two departments",
		groups:    []scoring.GroupSpec{org(span(1, 24)), dept(1, span(1, 12)), dept(2, span(13, 24)), team(1, join(span(1, 6), span(13, 17)))},
		wantShown: []string{"organisation", "department:1", "department:2", "team:1"},
	}, {
		// Delta of 11 fully covered by T1, T2 and one more person, but
		// that person is on a third team with others: Delta − T1 − T2 is
		// one person all the same, and a team goes.
		name: "leftover on another team",
		groups: []scoring.GroupSpec{org(span(1, 45)), dept(1, span(1, 11)), dept(2, span(12, 30)), dept(3, span(31, 45)),
			team(1, span(1, 5)), team(2, span(6, 10)), team(3, join(span(11, 16), span(31, 35)))},
		wantShown: []string{"organisation", "department:1", "department:2", "department:3", "team:1", "team:3"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			respondents := everyone(tc.groups[0].Members)
			got := scoring.Profiles(in, tc.groups, respondents, 5)
			if iso := exactIsolations(in, tc.groups, respondents, got, 5); len(iso) > 0 {
				t.Fatalf("isolations: %v", iso)
			}
			var shown []string
			for _, p := range got {
				if !p.Suppressed {
					shown = append(shown, p.Key)
				}
			}
			if !slices.Equal(shown, tc.wantShown) {
				t.Errorf("shown %v, want %v", shown, tc.wantShown)
			}
		})
	}
	t.Run("random organisations", func(t *testing.T) {
		shown, pairwiseShown := 0, 0
		for seed := uint64(1); seed <= 300; seed++ {
			r := rand.New(rand.NewPCG(seed, 0xc0b1))
			groups, respondents := randomOrg(r, in)
			// Take a few people out of every department: directors.
			for g := range groups {
				if groups[g].Kind == survey.Department && r.IntN(3) == 0 && len(groups[g].Members) > 1 {
					groups[g].Members = groups[g].Members[1:]
				}
			}
			k := 3 + r.IntN(4)
			got := scoring.Profiles(in, groups, respondents, k)
			if iso := exactIsolations(in, groups, respondents, got, k); len(iso) > 0 {
				t.Fatalf("seed %d, k %d: isolations %v\ngroups %s", seed, k, iso, describe(groups, got))
			}
			for _, p := range got {
				for _, c := range p.Competences {
					if !c.Suppressed {
						shown++
					}
				}
			}
			pairwiseShown += scoring.PairwiseShownForTest(in, groups, respondents, k)
		}
		t.Logf("group-competences shown: %d under the combination rule, %d under the pairwise rule alone", shown, pairwiseShown)
	})
}

func describe(groups []scoring.GroupSpec, got []scoring.GroupProfile) string {
	var b strings.Builder
	for g, spec := range groups {
		fmt.Fprintf(&b, "\n  %s %v suppressed=%v", spec.Key, spec.Members, got[g].Suppressed)
	}
	return b.String()
}

// matchRows replays the matching attack on item-level rows: it assigns
// anonymous rows (one vector of scores per respondent) to the people of
// groups in every way that agrees with each shown group's sums, and
// returns, for each row, the people it could belong to.
func matchRows(groups []scoring.GroupSpec, shown []bool, people []int64, rows [][]int) []map[int64]bool {
	var want [][]int // per shown group: its sums
	var member []map[int64]bool
	for g, spec := range groups {
		if !shown[g] {
			continue
		}
		m := map[int64]bool{}
		for _, id := range spec.Members {
			m[id] = true
		}
		sums := make([]int, len(rows[0]))
		for i, id := range people {
			if m[id] {
				for c, v := range rows[i] {
					sums[c] += v
				}
			}
		}
		want = append(want, sums)
		member = append(member, m)
	}
	could := make([]map[int64]bool, len(rows))
	for i := range could {
		could[i] = map[int64]bool{}
	}
	// Rows are shuffled by the export; the attacker tries every bijection.
	assign := make([]int, len(people)) // person → row
	used := make([]bool, len(rows))
	var try func(p int)
	try = func(p int) {
		if p == len(people) {
			for g := range want {
				for c := range want[g] {
					s := 0
					for q, id := range people {
						if member[g][id] {
							s += rows[assign[q]][c]
						}
					}
					if s != want[g][c] {
						return
					}
				}
			}
			for q, id := range people {
				could[assign[q]][id] = true
			}
			return
		}
		for r := range rows {
			if !used[r] {
				used[r], assign[p] = true, r
				try(p + 1)
				used[r] = false
			}
		}
	}
	try(0)
	return could
}

// TestItemRowsMatchedToGroups replays the audit's matching attack (issue
// 12, leak 2): with every shown aggregate at hand, it matches the rows of
// an item export to people in every consistent way. Where every atom of
// the shown groups holds k people, no row can be pinned to fewer than k;
// where a team cuts an atom below k, some row can, and RowsHideInGroups
// refuses the rows.
func TestItemRowsMatchedToGroups(t *testing.T) {
	const k = 3
	r := rand.New(rand.NewPCG(7, 12))
	people := span(1, 8)
	rows := make([][]int, len(people))
	for i := range rows {
		for range 6 {
			rows[i] = append(rows[i], 1+r.IntN(5))
		}
	}
	for _, tc := range []struct {
		name   string
		groups []scoring.GroupSpec
		safe   bool
	}{
		{"departments of 4 and 4", []scoring.GroupSpec{org(people), dept(1, span(1, 4)), dept(2, span(5, 8))}, true},
		{"a team across both", []scoring.GroupSpec{org(people), dept(1, span(1, 4)), dept(2, span(5, 8)), team(1, join(span(1, 2), span(5, 6)))}, false},
		{"a director outside", []scoring.GroupSpec{org(people), dept(1, span(1, 4)), dept(2, span(5, 7))}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			shown := make([]bool, len(tc.groups))
			for g := range shown {
				shown[g] = true
			}
			if got := scoring.RowsHideInGroups(tc.groups, shown, people, k); got != tc.safe {
				t.Fatalf("RowsHideInGroups = %v, want %v", got, tc.safe)
			}
			fewest := len(people)
			for _, c := range matchRows(tc.groups, shown, people, rows) {
				fewest = min(fewest, len(c))
			}
			if tc.safe && fewest < k {
				t.Errorf("a row matched to %d people, fewer than %d", fewest, k)
			}
			if !tc.safe && fewest >= k {
				t.Errorf("the attack pins no row below %d people (fewest %d): the case proves nothing", k, fewest)
			}
		})
	}
}
