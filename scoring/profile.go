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
}

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
	k := ClampMinGroup(minGroup)
	answers := latestAnswers(respondents)
	scored := make(map[int64]PersonProfile, len(answers))
	for id, a := range answers {
		scored[id] = Person(in, a)
	}

	nc := len(in.Competences)
	out := make([]GroupProfile, len(groups))
	// scorers[g][c] is S: the group's respondents with a score on c.
	scorers := make([][]map[int64]bool, len(groups))
	for g, spec := range groups {
		members := distinct(spec.Members)
		var responded []int64
		for _, id := range members {
			if _, ok := answers[id]; ok {
				responded = append(responded, id)
			}
		}
		out[g] = GroupProfile{
			Key: spec.Key, Name: spec.Name, Kind: spec.Kind, ID: spec.ID,
			Members: len(members), N: len(responded),
			Competences: make([]CompetenceAggregate, nc),
		}
		scorers[g] = make([]map[int64]bool, nc)
		for c, comp := range in.Competences {
			s := map[int64]bool{}
			var scores []float64
			var dist [6]int
			for _, id := range responded {
				cs := scored[id].Competences[c]
				if !cs.HasScore {
					continue
				}
				s[id] = true
				scores = append(scores, cs.Score)
				for _, it := range comp.Items {
					if a, ok := answers[id][it.ID]; ok && a.Valid() {
						dist[a]++
					}
				}
			}
			sum := Summarise(scores)
			out[g].Competences[c] = CompetenceAggregate{
				CompetenceID: comp.ID,
				Aggregate:    Aggregate{Mean: sum.Mean, SD: sum.SD, N: sum.N},
				Distribution: dist,
			}
			scorers[g][c] = s
		}
	}

	for c := range nc {
		// Thresholds first: a group or competence below k is never shown.
		shown := make([]bool, len(groups))
		for g := range groups {
			shown[g] = out[g].N >= k && len(scorers[g][c]) >= k
		}
		// Differencing, from the highest-ranked group down: the
		// organisation, then larger S, then earlier in the input.
		order := make([]int, len(groups))
		for g := range order {
			order[g] = g
		}
		slices.SortStableFunc(order, func(a, b int) int {
			if oa, ob := groups[a].Kind == survey.Organisation, groups[b].Kind == survey.Organisation; oa != ob {
				if oa {
					return -1
				}
				return 1
			}
			return cmp.Compare(len(scorers[b][c]), len(scorers[a][c]))
		})
		var kept []int
		for _, g := range order {
			if !shown[g] {
				continue
			}
			for _, h := range kept {
				if differs(scorers[g][c], scorers[h][c], k) {
					shown[g] = false
					break
				}
			}
			if shown[g] {
				kept = append(kept, g)
			}
		}
		for g := range groups {
			if !shown[g] {
				out[g].Competences[c] = CompetenceAggregate{CompetenceID: in.Competences[c].ID, Suppressed: true}
			}
		}
	}

	for g := range out {
		out[g].Suppressed = true
		for _, ca := range out[g].Competences {
			if !ca.Suppressed {
				out[g].Suppressed = false
			}
		}
	}
	return out
}

// differs reports whether two sets of respondents differ, on either side,
// by more than 0 and fewer than k people: showing aggregates of both would
// then let a reader subtract one from the other and learn about those few.
func differs(a, b map[int64]bool, k int) bool {
	few := func(x, y map[int64]bool) bool {
		n := 0
		for id := range x {
			if !y[id] {
				n++
			}
		}
		return n > 0 && n < k
	}
	return few(a, b) || few(b, a)
}

// latestAnswers returns each respondent's answers, the last listed winning.
func latestAnswers(respondents []Respondent) map[int64]survey.Answers {
	m := make(map[int64]survey.Answers, len(respondents))
	for _, r := range respondents {
		m[r.PersonID] = r.Answers
	}
	return m
}

// distinct returns ids without repeats, in first-seen order.
func distinct(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
