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

func TestSelfVersusOthers(t *testing.T) {
	score := func(s float64) scoring.CompetenceScore { return scoring.CompetenceScore{Score: s, HasScore: true} }
	mean := func(m float64) scoring.CompetenceAggregate {
		return scoring.CompetenceAggregate{Aggregate: scoring.Aggregate{Mean: m, N: 5}}
	}
	hidden := scoring.CompetenceAggregate{Suppressed: true}
	tests := []struct {
		name     string
		self     scoring.CompetenceScore
		others   scoring.CompetenceAggregate
		wantOK   bool
		wantKind scoring.GapKind
	}{
		{"half a point above: a blind spot", score(4), mean(3.5), true, scoring.BlindSpot},
		{"0,45 above shows as 0,5: a blind spot", score(3.75), mean(3.3), true, scoring.BlindSpot},
		{"0,4 above: nothing marked", score(4), mean(3.6), true, scoring.NoMarkedGap},
		{"0,44 below shows as 0,4: nothing marked", score(3), mean(3.44), true, scoring.NoMarkedGap},
		{"0,45 below shows as 0,5: a hidden strength", score(3.3), mean(3.75), true, scoring.HiddenStrength},
		{"a point below: a hidden strength", score(2), mean(3), true, scoring.HiddenStrength},
		{"equal", score(3), mean(3), true, scoring.NoMarkedGap},
		{"others hidden by the rule", score(5), hidden, false, scoring.NoMarkedGap},
		{"no score of the leader's own", scoring.CompetenceScore{}, mean(1), false, scoring.NoMarkedGap},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.self.CompetenceID, tt.others.CompetenceID = "a", "a"
			self := scoring.PersonProfile{Competences: []scoring.CompetenceScore{tt.self}}
			others := scoring.Feedback{Relation: scoring.Others, N: 5, Competences: []scoring.CompetenceAggregate{tt.others}}
			got := scoring.SelfVersusOthers(self, others)
			if len(got) != 1 || got[0].OK != tt.wantOK || got[0].Kind != tt.wantKind {
				t.Fatalf("got %+v, want OK=%v kind=%v", got, tt.wantOK, tt.wantKind)
			}
			if tt.wantOK && math.Abs(got[0].Diff-(tt.self.Score-tt.others.Mean)) > 1e-12 {
				t.Errorf("diff %v, want %v", got[0].Diff, tt.self.Score-tt.others.Mean)
			}
		})
	}
	t.Run("others hidden altogether", func(t *testing.T) {
		self := scoring.PersonProfile{Competences: []scoring.CompetenceScore{{CompetenceID: "a", Score: 5, HasScore: true}}}
		others := scoring.Feedback{Relation: scoring.Others, Suppressed: true, Competences: []scoring.CompetenceAggregate{{CompetenceID: "a", Suppressed: true}}}
		if got := scoring.SelfVersusOthers(self, others); got[0].OK || got[0].Kind != scoring.NoMarkedGap {
			t.Errorf("got %+v, want nothing compared", got)
		}
	})
}

// rating is one rater's answers about a leader, with the tally they make.
func rating(in *survey.Instrument, id int64, rel survey.Relation, a survey.Answers) scoring.Rating {
	return scoring.Rating{RaterID: id, Relation: rel, Tally: in.Tally(a), Answers: a}
}

// allItems answers every item of the instrument with v.
func allItems(in *survey.Instrument, v survey.Answer) survey.Answers {
	a := survey.Answers{}
	for _, comp := range in.Competences {
		for _, it := range comp.Items {
			a[it.ID] = v
		}
	}
	return a
}

func TestItemGaps(t *testing.T) {
	in := testInstrument()
	const dk = survey.DontKnow
	five := func(first int64) []scoring.Rating {
		var out []scoring.Rating
		for i := range int64(5) {
			out = append(out, rating(in, first+i, survey.Peer, allItems(in, 4)))
		}
		return out
	}
	with := func(base survey.Answers, change survey.Answers) survey.Answers {
		out := survey.Answers{}
		for k, v := range base {
			out[k] = v
		}
		for k, v := range change {
			out[k] = v
		}
		return out
	}
	self := survey.Answers{"a.1": 1, "a.2": 5, "a.3": dk, "b.1": 2, "b.2": 3, "c.1": 4}
	tests := []struct {
		name    string
		ratings []scoring.Rating
		self    survey.Answers
		n       int
		want    []string // "item self others"
	}{
		{name: "five peers: the three largest gaps, ties in the instrument's order, no zero gap",
			ratings: five(1), self: self, n: 3, want: []string{"a.1 1 4.00", "b.1 2 4.00", "a.2 5 4.00"}},
		{name: "all of them", ratings: five(1), self: self, n: 10,
			want: []string{"a.1 1 4.00", "b.1 2 4.00", "a.2 5 4.00", "b.2 3 4.00"}},
		{name: "a rater's ved ikke keeps the item's mean back",
			ratings: append(five(1), rating(in, 6, survey.Employee, with(allItems(in, 2), survey.Answers{"a.1": dk}))), self: self, n: 10,
			// a: six scorers who answered different items; b and c: the
			// mean of six, (20+2)/6.
			want: []string{"b.1 2 3.67", "b.2 3 3.67", "c.1 4 3.67"}},
		{name: "a blank answer too",
			ratings: append(five(1), rating(in, 6, survey.Employee, func() survey.Answers {
				a := allItems(in, 2)
				delete(a, "a.1")
				return a
			}())), self: self, n: 10,
			want: []string{"b.1 2 3.67", "b.2 3 3.67", "c.1 4 3.67"}},
		{name: "a rater with no score on b who answered b.1 keeps b.1 back",
			ratings: append(five(1), rating(in, 6, survey.Employee, survey.Answers{"b.1": 1, "b.2": dk, "b.3": dk, "b.4": dk})), self: self, n: 10,
			want: []string{"a.1 1 4.00", "a.2 5 4.00", "b.2 3 4.00"}},
		{name: "raters who answered different items: none of that competence's items",
			ratings: append(func() (out []scoring.Rating) {
				for i := range int64(4) {
					out = append(out, rating(in, 10+i, survey.Peer, with(allItems(in, 4), survey.Answers{"a.3": dk, "a.4": dk})))
				}
				return out
			}(), rating(in, 20, survey.Peer, allItems(in, 4))), self: self, n: 10,
			want: []string{"b.1 2 4.00", "b.2 3 4.00"}},
		{name: "four raters: others hidden, no item", ratings: five(1)[:4], self: self, n: 10},
		{name: "the leader's own ved ikke or blank is no answer", ratings: five(1), self: survey.Answers{"a.1": dk}, n: 10},
		{name: "ratings known only by their tally", ratings: raters(in, survey.Peer, 1, 5, 4), self: self, n: 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fb := scoring.LeaderFeedback(in, tt.ratings, 5, false)
			var got []string
			for _, g := range scoring.ItemGaps(in, tt.self, tt.ratings, fb, tt.n) {
				got = append(got, fmt.Sprintf("%s %d %.2f", g.ItemID, g.Self, g.Others))
				if g.Diff != float64(g.Self)-g.Others {
					t.Errorf("%s: diff %v", g.ItemID, g.Diff)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestItemGapsIsolateNoOne is the exact check of item means on random
// rater sets, down to single answers: on each competence, the variables
// are every rater's answer to every item, each shown aggregate is a
// linear form in them (a competence mean weighs a rater's answers by one
// over the number they answered), and no rational combination of what is
// shown — the relations' and others' competence means, and the item means
// — may depend on the answers of 1 to k−1 raters alone. The manager's
// answers, shown alone by design, are taken as known.
func TestItemGapsIsolateNoOne(t *testing.T) {
	in := testInstrument()
	r := rand.New(rand.NewPCG(15, 360))
	itemsShown, withManager := 0, 0
	for trial := range 400 {
		k := 3 + r.IntN(3)
		managerShown := r.IntN(3) == 0
		var ratings []scoring.Rating
		id := int64(1)
		dontKnow, blank := 0.15*r.Float64(), 0.1*r.Float64()
		for _, rel := range []survey.Relation{survey.Manager, survey.Peer, survey.Employee} {
			n := r.IntN(3)
			if rel != survey.Manager {
				n = r.IntN(8)
			}
			for range n {
				a := survey.Answers{}
				for _, comp := range in.Competences {
					for _, it := range comp.Items {
						switch x := r.Float64(); {
						case x < dontKnow:
							a[it.ID] = survey.DontKnow
						case x < dontKnow+blank:
						default:
							a[it.ID] = survey.Answer(1 + r.IntN(5))
						}
					}
				}
				ratings = append(ratings, rating(in, id, rel, a))
				id++
			}
		}
		self := survey.Answers{}
		for _, comp := range in.Competences {
			for _, it := range comp.Items {
				self[it.ID] = survey.Answer(r.IntN(6))
			}
		}
		fb := scoring.LeaderFeedback(in, ratings, k, managerShown)
		gaps := scoring.ItemGaps(in, self, ratings, fb, 100)
		for c, comp := range in.Competences {
			var onComp []scoring.ItemGap
			for _, g := range gaps {
				if g.CompetenceID == comp.ID {
					onComp = append(onComp, g)
				}
			}
			if msg := itemsIsolate(in, ratings, fb, onComp, c, k, managerShown); msg != "" {
				t.Fatalf("trial %d, k=%d, manager shown %v, competence %s: %s", trial, k, managerShown, comp.ID, msg)
			}
			itemsShown += len(onComp)
			if managerShown && len(onComp) > 0 {
				withManager++
			}
		}
	}
	t.Logf("item means shown %d times, %d competences with the manager shown", itemsShown, withManager)
	if itemsShown == 0 || withManager == 0 {
		t.Fatalf("item means shown %d times, %d with the manager shown: the check proved too little", itemsShown, withManager)
	}
}

// itemsIsolate checks competence c's shown item means against the
// ratings (each is the true mean over the raters others pooled counts
// there), then whether what is shown on c, item means included, yields a
// linear form in the answers of 1 to k−1 raters not known to the leader.
// It returns what is wrong, or "".
func itemsIsolate(in *survey.Instrument, ratings []scoring.Rating, fb []scoring.Feedback, gaps []scoring.ItemGap, c, k int, managerShown bool) string {
	comp := in.Competences[c]
	items := len(comp.Items)
	answered := func(rt scoring.Rating, j int) (survey.Answer, bool) {
		a, ok := rt.Answers[comp.Items[j].ID]
		return a, ok && a >= survey.MinAnswer && a <= survey.MaxAnswer
	}
	scorer := make([]bool, len(ratings))
	var scorers []int
	for i, rt := range ratings {
		if scoring.Person(in, rt.Answers).Competences[c].HasScore {
			scorer[i] = true
			scorers = append(scorers, i)
		}
	}
	var rows [][]*big.Rat
	row := func(weight func(i, j int) *big.Rat) {
		out := make([]*big.Rat, len(ratings)*items)
		for i := range ratings {
			for j := range items {
				out[i*items+j] = weight(i, j)
			}
		}
		rows = append(rows, out)
	}
	zero := new(big.Rat)
	for g, f := range fb {
		if f.Competences[c].Suppressed {
			continue
		}
		row(func(i, j int) *big.Rat {
			rt := ratings[i]
			if _, ok := answered(rt, j); !ok || !scorer[i] || (g > 0 && rt.Relation != f.Relation) {
				return zero
			}
			return big.NewRat(1, int64(scoring.Person(in, rt.Answers).Competences[c].Answered))
		})
	}
	for _, g := range gaps {
		j := -1
		for jj, it := range comp.Items {
			if it.ID == g.ItemID {
				j = jj
			}
		}
		if fb[0].Competences[c].Suppressed {
			return fmt.Sprintf("item %s shown where others pooled is not", g.ItemID)
		}
		sum, n := 0, 0
		for i, rt := range ratings {
			a, ok := answered(rt, j)
			if ok != scorer[i] {
				return fmt.Sprintf("item %s shown, but its raters are not others pooled's", g.ItemID)
			}
			if ok {
				sum, n = sum+int(a), n+1
			}
		}
		if n != g.N || n != fb[0].Competences[c].N || math.Abs(g.Others-float64(sum)/float64(n)) > 1e-9 {
			return fmt.Sprintf("item %s shows n=%d mean=%v, want n=%d mean=%v", g.ItemID, g.N, g.Others, n, float64(sum)/float64(n))
		}
		row(func(i, jj int) *big.Rat {
			if _, ok := answered(ratings[i], jj); ok && jj == j {
				return big.NewRat(1, 1)
			}
			return zero
		})
	}
	// The raters the leader does not know, with an answer in what is shown.
	var unknown []int
	for _, i := range scorers {
		if !(managerShown && ratings[i].Relation == survey.Manager) {
			unknown = append(unknown, i)
		}
	}
	known := func(col int) bool {
		return managerShown && ratings[col/items].Relation == survey.Manager
	}
	full := rankOf(rows, func(col int) bool { return !known(col) })
	if full == 0 {
		return ""
	}
	size := min(k-1, len(unknown))
	var msg string
	subsets(len(unknown), size, func(u []int) bool {
		out := map[int]bool{}
		for _, x := range u {
			out[unknown[x]] = true
		}
		if rankOf(rows, func(col int) bool { return !known(col) && !out[col/items] }) < full {
			msg = fmt.Sprintf("%d rows yield a form in the answers of raters %v alone (of %d unknown)", len(rows), u, len(unknown))
			return false
		}
		return true
	})
	return msg
}

// subsets calls f with every subset of {0…n−1} of size m, until f
// returns false.
func subsets(n, m int, f func([]int) bool) {
	set := make([]int, m)
	var walk func(start, depth int) bool
	walk = func(start, depth int) bool {
		if depth == m {
			return f(set)
		}
		for x := start; x <= n-(m-depth); x++ {
			set[depth] = x
			if !walk(x+1, depth+1) {
				return false
			}
		}
		return true
	}
	walk(0, 0)
}

// rankOf is the rank of rows restricted to the columns keep accepts, in
// exact rationals.
func rankOf(rows [][]*big.Rat, keep func(col int) bool) int {
	var m [][]*big.Rat
	for _, r := range rows {
		var out []*big.Rat
		for col, v := range r {
			if keep(col) {
				out = append(out, new(big.Rat).Set(v))
			}
		}
		m = append(m, out)
	}
	rank := 0
	for col := 0; len(m) > 0 && col < len(m[0]) && rank < len(m); col++ {
		p := -1
		for i := rank; i < len(m); i++ {
			if m[i][col].Sign() != 0 {
				p = i
				break
			}
		}
		if p < 0 {
			continue
		}
		m[rank], m[p] = m[p], m[rank]
		for i := rank + 1; i < len(m); i++ {
			if m[i][col].Sign() == 0 {
				continue
			}
			f := new(big.Rat).Quo(m[i][col], m[rank][col])
			for j := col; j < len(m[i]); j++ {
				m[i][j].Sub(m[i][j], new(big.Rat).Mul(f, m[rank][j]))
			}
		}
		rank++
	}
	return rank
}
