package scoring

import (
	"math"
	"slices"

	"lederradar/survey"
)

// WellAboveOthers is how far, on the 1–5 scale, a leader's own score must
// lie above others' pooled mean for a competence to be a blind spot, or
// below it for a hidden strength (DESIGN C9: "self well above others").
// Half a point is half a step of the scale, more than one rater answering
// a step differently moves a mean of five or more raters (0.2), and few
// enough competences pass it for the marks to mean something. The gap is
// taken as the result page shows it, to one decimal, so a reader can check
// the rule against the table (docs/360.md).
const WellAboveOthers = 0.5

// GapKind says how a leader's own score stands to others' view.
type GapKind int

// Gap kinds: no marked difference (or nothing to compare), self well
// above others, self well below others.
const (
	NoMarkedGap GapKind = iota
	BlindSpot
	HiddenStrength
)

// SelfOthersGap is the leader's own score beside others' pooled mean on
// one competence, as a 360 result compares them.
type SelfOthersGap struct {
	Gap
	Kind GapKind
}

// SelfVersusOthers compares the leader's own scores with others pooled,
// in the order of self's competences. A competence is compared only where
// the leader has a score and others pooled is shown under the anonymity
// rule; it is a blind spot when the gap, to one decimal, is at least
// WellAboveOthers, and a hidden strength when it is at most −WellAboveOthers.
func SelfVersusOthers(self PersonProfile, others Feedback) []SelfOthersGap {
	gaps := Gaps(self, GroupProfile{Suppressed: others.Suppressed, Competences: others.Competences})
	out := make([]SelfOthersGap, len(gaps))
	for i, g := range gaps {
		out[i] = SelfOthersGap{Gap: g}
		if !g.OK {
			continue
		}
		switch shown := math.Round(g.Diff*10) / 10; {
		case shown >= WellAboveOthers:
			out[i].Kind = BlindSpot
		case shown <= -WellAboveOthers:
			out[i].Kind = HiddenStrength
		}
	}
	return out
}

// ItemGap is the leader's own answer to one item beside others' mean
// answer to it.
type ItemGap struct {
	CompetenceID string
	ItemID       string
	Self         survey.Answer
	Others       float64 // others' mean answer
	N            int     // raters in the mean: others pooled's n on the competence
	Diff         float64 // Self − Others
}

// ItemGaps returns up to n items with the largest gaps between the
// leader's own answer (self) and others' mean answer, largest first, ties
// in the instrument's order; items with no gap are left out.
//
// An item's mean of others may be shown only where it can single no one
// out: others pooled (the first of feedback, as LeaderFeedback returns
// it) is shown on the item's competence, exactly the raters counted there
// answered the item on the scale (none of them said "ved ikke" or left it
// blank, and no rater without a score there answered it), and they all
// answered the same items of the competence. The mean is then over a set
// whose size the leader already sees, the only set any item mean is taken
// over, and every rater's score weighs their answers alike, so no
// combination with anything shown isolates 1 to k−1 raters. (Without the
// last condition it could: five raters, four of whom answered items 1 and
// 2 only, one all four; items 1 and 2 shown; others' sum of scores less
// half the sums of items 1 and 2 is a form in the fifth rater's answers
// alone.) The leader's own answer must be on the scale too. ratings are
// those LeaderFeedback got, with their answers.
func ItemGaps(in *survey.Instrument, self survey.Answers, ratings []Rating, feedback []Feedback, n int) []ItemGap {
	return GapsFromMeans(OthersItemMeans(in, ratings, feedback), self, n)
}

// OthersItemMeans are others' means on the items ItemGaps may show (its
// rule), in the instrument's order, without the leader's answers: what a
// leader's feedback keeps so that the gaps can follow the leader's own
// answers while others' side stays final.
func OthersItemMeans(in *survey.Instrument, ratings []Rating, feedback []Feedback) []ItemGap {
	if len(feedback) == 0 || feedback[0].Relation != Others || feedback[0].Suppressed {
		return nil
	}
	raters := latestRatings(ratings)
	var out []ItemGap
	for c, comp := range in.Competences {
		shown := feedback[0].Competences[c]
		if shown.Suppressed {
			continue
		}
		out = append(out, itemMeans(comp, raters, shown.N)...)
	}
	return out
}

// GapsFromMeans sets the leader's own answers (self) against others'
// item means and returns up to n items with the largest gaps, largest
// first, ties in the order of means; items the leader did not answer on
// the scale, or with no gap, are left out.
func GapsFromMeans(means []ItemGap, self survey.Answers, n int) []ItemGap {
	var out []ItemGap
	for _, g := range means {
		mine, ok := self[g.ItemID]
		if !ok || !onScale(mine) || float64(mine) == g.Others {
			continue
		}
		g.Self, g.Diff = mine, float64(mine)-g.Others
		out = append(out, g)
	}
	slices.SortStableFunc(out, func(a, b ItemGap) int {
		switch da, db := math.Abs(a.Diff), math.Abs(b.Diff); {
		case da > db:
			return -1
		case da < db:
			return 1
		}
		return 0
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// itemMeans are the means of the raters' answers to comp's items that
// ItemGaps may show, where others pooled counts n raters on comp: none
// unless exactly n raters have a score there and they answered the same
// items; then those items that no one else answered.
func itemMeans(comp survey.Competence, raters []Rating, n int) []ItemGap {
	var scorers, rest []Rating
	for _, r := range raters {
		if answeredItems(comp, r) >= ScoreNeeds(len(comp.Items)) {
			scorers = append(scorers, r)
		} else {
			rest = append(rest, r)
		}
	}
	if len(scorers) != n || n == 0 {
		return nil
	}
	var out []ItemGap
	for _, it := range comp.Items {
		sum, answered := 0, 0
		for _, r := range scorers {
			if a := r.Answers[it.ID]; onScale(a) {
				sum += int(a)
				answered++
			}
		}
		if answered == 0 {
			continue
		}
		if answered != n {
			return nil // the scorers answered different items
		}
		if slices.ContainsFunc(rest, func(r Rating) bool { return onScale(r.Answers[it.ID]) }) {
			continue
		}
		out = append(out, ItemGap{CompetenceID: comp.ID, ItemID: it.ID, Others: float64(sum) / float64(n), N: n})
	}
	return out
}

// answeredItems counts the items of comp that r answered on the scale.
func answeredItems(comp survey.Competence, r Rating) int {
	k := 0
	for _, it := range comp.Items {
		if onScale(r.Answers[it.ID]) {
			k++
		}
	}
	return k
}

func onScale(a survey.Answer) bool { return a >= survey.MinAnswer && a <= survey.MaxAnswer }

// latestRatings are the ratings LeaderFeedback counts: a rater's last
// listed rating, of a rater's relation only, in reverse order of listing.
func latestRatings(ratings []Rating) []Rating {
	seen := map[int64]bool{}
	out := make([]Rating, 0, len(ratings))
	for i := len(ratings) - 1; i >= 0; i-- {
		r := ratings[i]
		if seen[r.RaterID] || !isRaterRelation(r.Relation) {
			continue
		}
		seen[r.RaterID] = true
		out = append(out, r)
	}
	return out
}
