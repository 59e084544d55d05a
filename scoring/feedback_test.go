package scoring_test

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"lederradar/scoring"
	"lederradar/survey"
)

// raters makes n ratings of one relation, ids from first, every item
// answered with value.
func raters(in *survey.Instrument, rel survey.Relation, first int64, n int, value survey.Answer) []scoring.Rating {
	var out []scoring.Rating
	for i := range n {
		a := survey.Answers{}
		for _, comp := range in.Competences {
			for _, it := range comp.Items {
				a[it.ID] = value
			}
		}
		out = append(out, scoring.Rating{RaterID: first + int64(i), Relation: rel, Tally: in.Tally(a)})
	}
	return out
}

func TestLeaderFeedback(t *testing.T) {
	in := testInstrument()
	mgr := func(n int) []scoring.Rating { return raters(in, survey.Manager, 1, n, 5) }
	peers := func(n int) []scoring.Rating { return raters(in, survey.Peer, 100, n, 4) }
	emps := func(n int) []scoring.Rating { return raters(in, survey.Employee, 200, n, 2) }
	join := func(sets ...[]scoring.Rating) (out []scoring.Rating) {
		for _, s := range sets {
			out = append(out, s...)
		}
		return out
	}
	tests := []struct {
		name         string
		ratings      []scoring.Rating
		managerShown bool
		// shown: others, manager, peer, employee; n the raters of each.
		shown [4]bool
		n     [4]int
		mean  [4]float64 // where shown
	}{
		{name: "no raters", shown: [4]bool{}, n: [4]int{}},
		{name: "four raters, under five", ratings: join(mgr(1), peers(3)), n: [4]int{4, 1, 3, 0}},
		{name: "a manager, five peers, five employees: others and the peers",
			ratings: join(mgr(1), peers(5), emps(5)), shown: [4]bool{true, false, true, false}, n: [4]int{11, 1, 5, 5},
			mean: [4]float64{(5 + 20 + 10) / 11.0, 0, 4, 0}},
		{name: "the same with the manager shown by design: all",
			ratings: join(mgr(1), peers(5), emps(5)), managerShown: true, shown: [4]bool{true, true, true, true}, n: [4]int{11, 1, 5, 5},
			mean: [4]float64{(5 + 20 + 10) / 11.0, 5, 4, 2}},
		{name: "five peers, three employees: others alone, or the peers would give the employees away",
			ratings: join(peers(5), emps(3)), shown: [4]bool{true, false, false, false}, n: [4]int{8, 0, 5, 3},
			mean: [4]float64{(20 + 6) / 8.0}},
		{name: "the manager shown and two peers: the manager, not others",
			ratings: join(mgr(1), peers(2)), managerShown: true, shown: [4]bool{false, true, false, false}, n: [4]int{3, 1, 2, 0},
			mean: [4]float64{0, 5}},
		{name: "the manager shown and no one else: others is the manager",
			ratings: mgr(1), managerShown: true, shown: [4]bool{true, true, false, false}, n: [4]int{1, 1, 0, 0},
			mean: [4]float64{5, 5}},
		{name: "a self-rating is no rater's",
			ratings: join(peers(4), []scoring.Rating{{RaterID: 9, Relation: survey.Self, Tally: peers(1)[0].Tally}}), n: [4]int{4, 0, 4, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fb := scoring.LeaderFeedback(in, tt.ratings, 5, tt.managerShown)
			want := []survey.Relation{scoring.Others, survey.Manager, survey.Peer, survey.Employee}
			for i, f := range fb {
				if f.Relation != want[i] || f.N != tt.n[i] || f.Suppressed == tt.shown[i] {
					t.Errorf("feedback %d = %s n=%d suppressed=%v, want %s n=%d shown=%v", i, f.Relation, f.N, f.Suppressed, want[i], tt.n[i], tt.shown[i])
				}
				for _, ca := range f.Competences {
					if ca.Suppressed == tt.shown[i] || (tt.shown[i] && math.Abs(ca.Mean-tt.mean[i]) > 1e-9) {
						t.Errorf("%s %s: suppressed=%v mean=%v, want shown=%v mean=%v", f.Relation, ca.CompetenceID, ca.Suppressed, ca.Mean, tt.shown[i], tt.mean[i])
						break
					}
				}
			}
		})
	}
}

// TestLeaderFeedbackIsolatesNoOne is the exact check of the rule on random
// rater sets: for every competence, every set of raters whose sum some
// rational combination of the shown aggregates yields holds none or at
// least k raters — but for the manager shown by design, whom the leader
// may see alone.
func TestLeaderFeedbackIsolatesNoOne(t *testing.T) {
	in := testInstrument()
	r := rand.New(rand.NewPCG(3, 60))
	shownSomething := 0
	for trial := range 3000 {
		k := 3 + r.IntN(3)
		managerShown := r.IntN(3) == 0
		var ratings []scoring.Rating
		id := int64(1)
		dontKnow := 0.3 * r.Float64()
		for _, rel := range []survey.Relation{survey.Manager, survey.Peer, survey.Employee} {
			n := r.IntN(3)
			if rel != survey.Manager {
				n = r.IntN(11)
			}
			for range n {
				a := survey.Answers{}
				for _, comp := range in.Competences {
					for _, it := range comp.Items {
						if r.Float64() < dontKnow {
							a[it.ID] = survey.DontKnow
						} else {
							a[it.ID] = survey.Answer(1 + r.IntN(5))
						}
					}
				}
				ratings = append(ratings, scoring.Rating{RaterID: id, Relation: rel, Tally: in.Tally(a)})
				id++
			}
		}
		fb := scoring.LeaderFeedback(in, ratings, k, managerShown)
		for c := range in.Competences {
			if msg := isolates(in, ratings, fb, c, k, managerShown); msg != "" {
				t.Fatalf("trial %d, k=%d, manager shown %v, competence %s: %s", trial, k, managerShown, in.Competences[c].ID, msg)
			}
			for _, f := range fb[2:] {
				if !f.Competences[c].Suppressed {
					shownSomething++
				}
			}
		}
	}
	if shownSomething == 0 {
		t.Fatal("no relation was ever shown: the check proved nothing")
	}
}

// isolates checks one competence of fb against the ratings: each shown
// aggregate is its set's true mean of at least k raters (the manager shown
// by design aside), and no 0/1 combination of the relations' scorers in
// the rational span of the shown sets holds 1 to k−1 raters not known to
// the leader. It returns what is wrong, or "".
func isolates(in *survey.Instrument, ratings []scoring.Rating, fb []scoring.Feedback, c, k int, managerShown bool) string {
	relIndex := map[survey.Relation]int{survey.Manager: 0, survey.Peer: 1, survey.Employee: 2}
	var size [3]int
	var sum [3]float64
	for _, rt := range ratings {
		cs := scoring.Person(in, answersOf(in, rt.Tally)).Competences[c]
		if cs.HasScore {
			size[relIndex[rt.Relation]]++
			sum[relIndex[rt.Relation]] += cs.Score
		}
	}
	members := [4][3]int{{1, 1, 1}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}}
	var rows [][3]int
	for i, f := range fb {
		ca := f.Competences[c]
		if ca.Suppressed {
			continue
		}
		n, total := 0, 0.0
		for a := range 3 {
			n += members[i][a] * size[a]
			total += float64(members[i][a]) * sum[a]
		}
		if ca.N != n || math.Abs(ca.Mean-total/float64(n)) > 1e-9 {
			return fmt.Sprintf("%s shows n=%d mean=%v, want n=%d mean=%v", f.Relation, ca.N, ca.Mean, n, total/float64(n))
		}
		if n < k && !(managerShown && (i == 1 || members[i] == [3]int{1, 1, 1} && n == size[0])) {
			return fmt.Sprintf("%s shown with %d raters", f.Relation, n)
		}
		rows = append(rows, members[i])
	}
	for v := 1; v < 8; v++ {
		var vec [3]int
		people := 0
		for a := range 3 {
			if v&(1<<a) != 0 && size[a] > 0 {
				vec[a] = 1
				if !(managerShown && a == 0) {
					people += size[a]
				}
			}
		}
		if people == 0 || people >= k || !inSpan(rows, vec, size) {
			continue
		}
		return fmt.Sprintf("the shown sets %v yield %v: %d raters", rows, vec, people)
	}
	return ""
}

// inSpan reports whether vec is a rational combination of rows, over the
// relations that have scorers (an empty one adds nothing to any sum).
func inSpan(rows [][3]int, vec [3]int, size [3]int) bool {
	var cols []int
	for a := range 3 {
		if size[a] > 0 {
			cols = append(cols, a)
		}
	}
	rank := func(m [][3]int) int {
		r := make([][]*big.Rat, len(m))
		for i, row := range m {
			for _, a := range cols {
				r[i] = append(r[i], big.NewRat(int64(row[a]), 1))
			}
		}
		rk := 0
		for col := 0; col < len(cols) && rk < len(r); col++ {
			p := -1
			for i := rk; i < len(r); i++ {
				if r[i][col].Sign() != 0 {
					p = i
					break
				}
			}
			if p < 0 {
				continue
			}
			r[rk], r[p] = r[p], r[rk]
			for i := range r {
				if i == rk || r[i][col].Sign() == 0 {
					continue
				}
				f := new(big.Rat).Quo(r[i][col], r[rk][col])
				for j := range cols {
					r[i][j].Sub(r[i][j], new(big.Rat).Mul(f, r[rk][j]))
				}
			}
			rk++
		}
		return rk
	}
	return rank(rows) == rank(append(append([][3]int{}, rows...), vec))
}

// answersOf turns a tally back into answers that tally the same.
func answersOf(in *survey.Instrument, t survey.Tally) survey.Answers {
	a := survey.Answers{}
	for c, comp := range in.Competences {
		i := 0
		for v, n := range t[c] {
			for range n {
				a[comp.Items[i].ID] = survey.Answer(v)
				i++
			}
		}
	}
	return a
}
