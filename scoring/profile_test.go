package scoring_test

import (
	"fmt"
	"math"
	"testing"

	"lederradar/scoring"
	"lederradar/survey"
)

// span returns the person ids from through to.
func span(from, to int64) []int64 {
	var out []int64
	for id := from; id <= to; id++ {
		out = append(out, id)
	}
	return out
}

// join concatenates id lists.
func join(lists ...[]int64) []int64 {
	var out []int64
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// everyone answers every item of testInstrument with a value that varies by
// person, so every respondent has a score on every competence.
func everyone(ids []int64) []scoring.Respondent {
	var out []scoring.Respondent
	for _, id := range ids {
		a := survey.Answers{}
		for _, c := range []string{"a", "b", "c"} {
			for _, n := range []string{"1", "2", "3", "4"} {
				a[c+"."+n] = survey.Answer(id%5 + 1)
			}
		}
		out = append(out, scoring.Respondent{PersonID: id, Answers: a})
	}
	return out
}

// without removes the answers to competence comp from the respondents
// listed in ids, so they have no score on it.
func without(rs []scoring.Respondent, comp string, ids ...int64) []scoring.Respondent {
	drop := map[int64]bool{}
	for _, id := range ids {
		drop[id] = true
	}
	out := make([]scoring.Respondent, 0, len(rs))
	for _, r := range rs {
		if drop[r.PersonID] {
			a := survey.Answers{}
			for item, v := range r.Answers {
				if item[:1] != comp {
					a[item] = v
				}
			}
			r = scoring.Respondent{PersonID: r.PersonID, Answers: a}
		}
		out = append(out, r)
	}
	return out
}

func org(members []int64) scoring.GroupSpec {
	return scoring.GroupSpec{Key: "organisation", Kind: survey.Organisation, Name: "Kommunen", Members: members}
}

func dept(id int64, members []int64) scoring.GroupSpec {
	return scoring.GroupSpec{Key: fmt.Sprintf("department:%d", id), Kind: survey.Department, ID: id, Name: fmt.Sprintf("Afdeling %d", id), Members: members}
}

func team(id int64, members []int64) scoring.GroupSpec {
	return scoring.GroupSpec{Key: fmt.Sprintf("team:%d", id), Kind: survey.Team, ID: id, Name: fmt.Sprintf("Team %d", id), Members: members}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

// checkZeroWhenSuppressed fails when a suppressed competence carries any
// value, so that no format built on it can leak a withheld mean.
func checkZeroWhenSuppressed(t *testing.T, p scoring.GroupProfile) {
	t.Helper()
	for _, c := range p.Competences {
		if c.Suppressed && (c.Aggregate != scoring.Aggregate{} || c.Distribution != [6]int{} || c.High != 0 || c.HighKnown()) {
			t.Errorf("%s/%s is suppressed but carries %+v %v, %d high", p.Key, c.CompetenceID, c.Aggregate, c.Distribution, c.High)
		}
	}
}

func TestClampMinGroup(t *testing.T) {
	tests := []struct{ k, want int }{
		{-1, 3}, {0, 3}, {2, 3}, {3, 3}, {4, 4}, {5, 5}, {10, 10},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.k), func(t *testing.T) {
			if got := scoring.ClampMinGroup(tt.k); got != tt.want {
				t.Errorf("ClampMinGroup(%d) = %d, want %d", tt.k, got, tt.want)
			}
		})
	}
	if scoring.DefaultMinGroup != 5 || scoring.MinGroupFloor != 3 {
		t.Errorf("DefaultMinGroup, MinGroupFloor = %d, %d; want 5, 3", scoring.DefaultMinGroup, scoring.MinGroupFloor)
	}
}

// TestProfilesAggregates checks the numbers of one group against arithmetic
// done by hand.
func TestProfilesAggregates(t *testing.T) {
	const dk = survey.DontKnow
	respondents := []scoring.Respondent{
		// a: 5 5 5 5 → 5; b: all 1 → 1; c: all 4 → 4
		{PersonID: 1, Answers: survey.Answers{"a.1": 5, "a.2": 5, "a.3": 5, "a.4": 5, "b.1": 1, "b.2": 1, "b.3": 1, "b.4": 1, "c.1": 4, "c.2": 4, "c.3": 4, "c.4": 4}},
		// a: 4 4 3 3 → 3.5; b: all 2 → 2; c: 2 2 → 2 (half answered)
		{PersonID: 2, Answers: survey.Answers{"a.1": 4, "a.2": 4, "a.3": 3, "a.4": 3, "b.1": 2, "b.2": 2, "b.3": 2, "b.4": 2, "c.1": 2, "c.2": 2}},
		// a: 2 dk 3 4 → 9/3 = 3; b: all 3 → 3; c: one answer → no score
		{PersonID: 3, Answers: survey.Answers{"a.1": 2, "a.2": dk, "a.3": 3, "a.4": 4, "b.1": 3, "b.2": 3, "b.3": 3, "b.4": 3, "c.1": 5}},
		// a: 1 2, half answered → 1.5; b: all 4 → 4
		{PersonID: 4, Answers: survey.Answers{"a.1": 1, "a.2": 2, "b.1": 4, "b.2": 4, "b.3": 4, "b.4": 4}},
		// a: 5 dk dk dk → one answer of four, no score; b: all 5 → 5
		{PersonID: 5, Answers: survey.Answers{"a.1": 5, "a.2": dk, "a.3": dk, "a.4": dk, "b.1": 5, "b.2": 5, "b.3": 5, "b.4": 5}},
		// a: nothing; b: all 3 → 3
		{PersonID: 6, Answers: survey.Answers{"b.1": 3, "b.2": 3, "b.3": 3, "b.4": 3}},
		// not a member: must not count anywhere
		{PersonID: 99, Answers: survey.Answers{"a.1": 1, "a.2": 1, "a.3": 1, "a.4": 1, "b.1": 1, "b.2": 1, "b.3": 1, "b.4": 1}},
	}
	// Person 7 is a member who did not respond; person 1 is listed twice.
	groups := []scoring.GroupSpec{org([]int64{1, 2, 3, 4, 5, 6, 7, 1})}
	got := scoring.Profiles(testInstrument(), groups, respondents, 3)
	if len(got) != 1 {
		t.Fatalf("%d profiles, want 1", len(got))
	}
	p := got[0]
	if p.Key != "organisation" || p.Kind != survey.Organisation || p.Name != "Kommunen" || p.ID != 0 {
		t.Errorf("identity = %q %q %q %d", p.Key, p.Kind, p.Name, p.ID)
	}
	if p.Members != 7 || p.N != 6 || p.Suppressed {
		t.Errorf("members %d, n %d, suppressed %v; want 7, 6, false", p.Members, p.N, p.Suppressed)
	}
	tests := []struct {
		id         string
		suppressed bool
		want       scoring.Aggregate
		dist       [6]int
		high       int
	}{
		// Scores 5, 3.5, 3, 1.5 (persons 5 and 6 have none): n = 4,
		// mean 13/4 = 3.25; deviations 1.75, 0.25, −0.25, −1.75; squares
		// 3.0625 + 0.0625 + 0.0625 + 3.0625 = 6.25; /3 → sd = √(25/12).
		// Distribution over the four scorers' items only: ved ikke 1
		// (person 3), 1:1, 2:2, 3:3, 4:3, 5:4; person 5's answers are
		// left out with their score. One score (5) is 4 or more.
		{"a", false, scoring.Aggregate{Mean: 3.25, SD: math.Sqrt(25.0 / 12.0), N: 4}, [6]int{1, 1, 2, 3, 3, 4}, 1},
		// Scores 1, 2, 3, 4, 5, 3: n = 6, mean 18/6 = 3; deviations
		// −2, −1, 0, 1, 2, 0; squares sum 10; /5 = 2 → sd = √2.
		// Distribution: four answers each of 1, 2, 4, 5, eight of 3.
		// Two scores, 4 and 5, are 4 or more.
		{"b", false, scoring.Aggregate{Mean: 3, SD: math.Sqrt2, N: 6}, [6]int{0, 4, 4, 8, 4, 4}, 2},
		// Scores 4 and 2 only: n = 2 < 3, suppressed with no values, and
		// no count of the one score of 4.
		{"c", true, scoring.Aggregate{}, [6]int{}, 0},
	}
	for i, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			c := p.Competences[i]
			if c.CompetenceID != tt.id || c.Suppressed != tt.suppressed {
				t.Fatalf("got %s suppressed %v, want %s suppressed %v", c.CompetenceID, c.Suppressed, tt.id, tt.suppressed)
			}
			if got, want := c.Aggregate, tt.want; got.N != want.N || !near(got.Mean, want.Mean) || !near(got.SD, want.SD) {
				t.Errorf("aggregate = %+v, want %+v", got, want)
			}
			if got, want := c.Distribution, tt.dist; got != want {
				t.Errorf("distribution = %v, want %v", got, want)
			}
			if got, want := c.High, tt.high; got != want || c.HighKnown() == tt.suppressed {
				t.Errorf("high = %d (known %v), want %d", got, c.HighKnown(), want)
			}
		})
	}

	t.Run("identical scores have sd 0", func(t *testing.T) {
		// Three scores of 2: mean 2, every deviation 0.
		rs := []scoring.Respondent{
			{PersonID: 1, Answers: survey.Answers{"a.1": 2, "a.2": 2}},
			{PersonID: 2, Answers: survey.Answers{"a.1": 2, "a.2": 2}},
			{PersonID: 3, Answers: survey.Answers{"a.1": 2, "a.2": 2}},
		}
		c := scoring.Profiles(testInstrument(), []scoring.GroupSpec{org(span(1, 3))}, rs, 3)[0].Competences[0]
		if c.Suppressed || c.Mean != 2 || c.SD != 0 || c.N != 3 || c.Distribution != [6]int{0, 0, 6, 0, 0, 0} {
			t.Errorf("got %+v", c)
		}
	})

	t.Run("a person listed twice counts once, with the last answers", func(t *testing.T) {
		rs := everyone(span(1, 3)) // persons 1, 2, 3 score 2, 3, 4
		rs = append(rs, scoring.Respondent{PersonID: 1, Answers: survey.Answers{"a.1": 5, "a.2": 5, "a.3": 5, "a.4": 5}})
		// a: scores 5, 3, 4 → mean 4, deviations 1, −1, 0 → sd 1.
		p := scoring.Profiles(testInstrument(), []scoring.GroupSpec{org(span(1, 3))}, rs, 3)[0]
		if p.N != 3 || p.Competences[0].Mean != 4 || p.Competences[0].SD != 1 || p.Competences[0].N != 3 {
			t.Errorf("n %d, a = %+v; want n 3, mean 4, sd 1", p.N, p.Competences[0])
		}
		if !p.Competences[1].Suppressed { // person 1 now has no score on b
			t.Errorf("b = %+v, want suppressed", p.Competences[1])
		}
	})
}

// TestProfilesSuppression: which groups and competences the anonymity rule
// shows. want lists, per group key, whether a, b and c are shown.
func TestProfilesSuppression(t *testing.T) {
	type shown [3]bool
	all, none := shown{true, true, true}, shown{}
	type test struct {
		name        string
		groups      []scoring.GroupSpec
		respondents []scoring.Respondent
		k           int
		want        map[string]shown
	}
	tests := []test{
		{
			name:        "group of 4 with k=5",
			groups:      []scoring.GroupSpec{org(span(1, 4))},
			respondents: everyone(span(1, 4)),
			k:           5,
			want:        map[string]shown{"organisation": none},
		},
		{
			name:        "group counts respondents, not members",
			groups:      []scoring.GroupSpec{org(span(1, 9))},
			respondents: everyone(span(1, 4)),
			k:           5,
			want:        map[string]shown{"organisation": none},
		},
		{
			name:        "competence with 4 scores in a group of 6",
			groups:      []scoring.GroupSpec{org(span(1, 6))},
			respondents: without(everyone(span(1, 6)), "a", 5, 6),
			k:           5,
			want:        map[string]shown{"organisation": {false, true, true}},
		},
		{
			name:        "k=2 is clamped to 3: two respondents",
			groups:      []scoring.GroupSpec{org(span(1, 2))},
			respondents: everyone(span(1, 2)),
			k:           2,
			want:        map[string]shown{"organisation": none},
		},
		{
			name:        "k=2 is clamped to 3: three respondents",
			groups:      []scoring.GroupSpec{org(span(1, 3))},
			respondents: everyone(span(1, 3)),
			k:           2,
			want:        map[string]shown{"organisation": all},
		},
		{
			name:        "k=2 is clamped to 3: team differing by 2",
			groups:      []scoring.GroupSpec{org(span(1, 20)), team(1, span(1, 10)), team(2, span(1, 8))},
			respondents: everyone(span(1, 20)),
			k:           2,
			want:        map[string]shown{"organisation": all, "team:1": all, "team:2": none},
		},
		{
			name:        "team inside department differing by exactly k",
			groups:      []scoring.GroupSpec{org(span(1, 30)), dept(1, span(1, 10)), team(1, span(1, 5))},
			respondents: everyone(span(1, 30)),
			k:           5,
			want:        map[string]shown{"organisation": all, "department:1": all, "team:1": all},
		},
		{
			name:        "identical member sets",
			groups:      []scoring.GroupSpec{org(span(1, 20)), team(1, span(1, 6)), team(2, span(1, 6)), dept(1, span(1, 6))},
			respondents: everyone(span(1, 20)),
			k:           5,
			want:        map[string]shown{"organisation": all, "team:1": all, "team:2": all, "department:1": all},
		},
		{
			// Members differ, respondents do not: 7 and 8 did not answer.
			name:        "same respondents, different members",
			groups:      []scoring.GroupSpec{org(span(1, 20)), dept(1, span(1, 8)), team(1, span(1, 6))},
			respondents: everyone(join(span(1, 6), span(9, 20))),
			k:           5,
			want:        map[string]shown{"organisation": all, "department:1": all, "team:1": all},
		},
		{
			// |A\B| = |B\A| = 4 < 5 and both have 8: the later goes.
			name:        "overlapping teams of equal size",
			groups:      []scoring.GroupSpec{org(span(1, 30)), team(1, span(1, 8)), team(2, span(5, 12))},
			respondents: everyone(span(1, 30)),
			k:           5,
			want:        map[string]shown{"organisation": all, "team:1": all, "team:2": none},
		},
		{
			// |A\B| = 5, |B\A| = |{11, 12}| = 2 < 5: B (7) is smaller.
			name:        "overlapping teams, smaller one suppressed",
			groups:      []scoring.GroupSpec{org(span(1, 30)), team(1, span(6, 12)), team(2, span(1, 10))},
			respondents: everyone(span(1, 30)),
			k:           5,
			want:        map[string]shown{"organisation": all, "team:1": none, "team:2": all},
		},
		{
			// |A\B| = 5, |B\A| = 10.
			name:        "overlapping teams far enough apart",
			groups:      []scoring.GroupSpec{org(span(1, 30)), team(1, span(1, 10)), team(2, span(6, 20))},
			respondents: everyone(span(1, 30)),
			k:           5,
			want:        map[string]shown{"organisation": all, "team:1": all, "team:2": all},
		},
		{
			// A ⊃ B ⊃ C with |A\B| = 2, |B\C| = 2, |A\C| = 4 (k = 3): B is
			// suppressed for A, and then C no longer has B to clash with.
			name:        "chain: no suppression because of a suppressed group",
			groups:      []scoring.GroupSpec{team(3, span(1, 6)), team(2, span(1, 8)), team(1, span(1, 10))},
			respondents: everyone(span(1, 10)),
			k:           3,
			want:        map[string]shown{"team:1": all, "team:2": none, "team:3": all},
		},
		{
			name:        "organisation shown when department differs by one",
			groups:      []scoring.GroupSpec{dept(1, span(1, 5)), org(span(1, 6))},
			respondents: everyone(span(1, 6)),
			k:           5,
			want:        map[string]shown{"organisation": all, "department:1": none},
		},
		{
			// Department {1..5, 7} and organisation {1..6} both have six
			// respondents and the department comes first; still the
			// organisation stays.
			name:        "organisation wins a tie it would lose by order",
			groups:      []scoring.GroupSpec{dept(1, join(span(1, 5), []int64{7})), org(span(1, 6))},
			respondents: everyone(span(1, 7)),
			k:           5,
			want:        map[string]shown{"organisation": all, "department:1": none},
		},
		{
			name:        "organisation wins against a larger group",
			groups:      []scoring.GroupSpec{team(1, span(1, 9)), org(span(1, 6))},
			respondents: everyone(span(1, 9)),
			k:           5,
			want:        map[string]shown{"organisation": all, "team:1": none},
		},
		{
			name:        "organisation below k",
			groups:      []scoring.GroupSpec{org(span(1, 10)), team(1, span(1, 3))},
			respondents: everyone(span(1, 4)),
			k:           5,
			want:        map[string]shown{"organisation": none, "team:1": none},
		},
		{
			// Department {1..10} and team {1..7} differ by 3 = k, but 8 and
			// 9 have no score on a: on a they differ by one (person 10).
			name:        "differencing is per competence",
			groups:      []scoring.GroupSpec{org(span(1, 30)), dept(1, span(1, 10)), team(1, span(1, 7))},
			respondents: without(everyone(span(1, 30)), "a", 8, 9),
			k:           3,
			want:        map[string]shown{"organisation": all, "department:1": all, "team:1": {false, true, true}},
		},
		{
			// Department of five, whose member 1 has no score on b: on b it
			// has four scores, below k however the differencing goes.
			name:        "a competence can fall below k on its own",
			groups:      []scoring.GroupSpec{org(span(1, 30)), dept(1, span(1, 5))},
			respondents: without(everyone(span(1, 30)), "b", 1),
			k:           5,
			want:        map[string]shown{"organisation": all, "department:1": {true, false, true}},
		},
	}
	// Team ⊂ department differing by 1..k−1: the team is suppressed.
	for d := int64(1); d < 5; d++ {
		tests = append(tests, test{
			name:        fmt.Sprintf("team inside department differing by %d", d),
			groups:      []scoring.GroupSpec{org(span(1, 30)), dept(1, span(1, 10)), team(1, span(1, 10-d))},
			respondents: everyone(span(1, 30)),
			k:           5,
			want:        map[string]shown{"organisation": all, "department:1": all, "team:1": none},
		})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := scoring.Profiles(testInstrument(), tt.groups, tt.respondents, tt.k)
			if len(got) != len(tt.groups) {
				t.Fatalf("%d profiles, want %d", len(got), len(tt.groups))
			}
			for i, p := range got {
				if p.Key != tt.groups[i].Key {
					t.Errorf("profile %d is %q, want %q (input order)", i, p.Key, tt.groups[i].Key)
				}
				want, ok := tt.want[p.Key]
				if !ok {
					t.Fatalf("no expectation for %q", p.Key)
				}
				var gotShown shown
				for j, c := range p.Competences {
					gotShown[j] = !c.Suppressed
				}
				if gotShown != want {
					t.Errorf("%s shown = %v, want %v", p.Key, gotShown, want)
				}
				if wantSup := want == none; p.Suppressed != wantSup {
					t.Errorf("%s suppressed = %v, want %v", p.Key, p.Suppressed, wantSup)
				}
				checkZeroWhenSuppressed(t, p)
			}
		})
	}
}
