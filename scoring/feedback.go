package scoring

import "lederradar/survey"

// Others names the pooled view of every rater but the leader in a 360
// round's feedback (DESIGN: "others" in /my-data).
const Others survey.Relation = "others"

// feedbackRelations are the relations a leader's feedback shows, in the
// order it shows them: others pooled first, then each relation.
var feedbackRelations = []survey.Relation{Others, survey.Manager, survey.Peer, survey.Employee}

// Rating is one rater's submitted answers about a leader, tallied. The
// rater's id only tells raters apart; it never leaves this package.
type Rating struct {
	RaterID  int64
	Relation survey.Relation
	Tally    survey.Tally
	// Answers are the answers Tally counts, for the means per item
	// (ItemGaps); nil where only the tally is known.
	Answers survey.Answers
}

// Feedback is how one set of raters sees a leader: all others pooled, or
// the raters of one relation.
type Feedback struct {
	Relation survey.Relation
	// N counts the raters of the set who submitted. The leader may see it:
	// it says how many, never who.
	N int
	// Suppressed is true when no competence may be shown.
	Suppressed bool
	// Competences are in the instrument's order; a suppressed one carries
	// zero values only.
	Competences []CompetenceAggregate
}

// LeaderFeedback is what a leader may see of their raters' answers in a
// 360 round (DESIGN C9): others pooled, then manager, peers and employees,
// each under the anonymity rule of C7 applied to the leader's own raters.
// A set is shown on a competence only with at least k raters scoring it
// (k = ClampMinGroup(minGroup)), and no combination of what is shown —
// others less peers less employees, say — may single out 1 to k−1 raters.
// Others pooled is kept before any relation; a relation goes before
// others does.
//
// managerShown is the round's choice to show the manager's answers alone,
// which raters are told on their form. The manager's answers are then shown
// whatever their number, and known: the rule runs over the other raters,
// and others pooled is shown where the raters but the manager may be (or
// where only the manager scored).
//
// Ratings with the relation Self or an unknown relation are left out; a
// rater listed twice counts once, with the rating listed last.
func LeaderFeedback(in *survey.Instrument, ratings []Rating, minGroup int, managerShown bool) []Feedback {
	byRelation := map[survey.Relation][]int64{}
	var all []int64
	tallied := make([]TalliedRespondent, 0, len(ratings))
	for _, r := range latestRatings(ratings) {
		byRelation[r.Relation] = append(byRelation[r.Relation], r.RaterID)
		all = append(all, r.RaterID)
		tallied = append(tallied, TalliedRespondent{PersonID: r.RaterID, Tally: r.Tally})
	}
	groups := make([]GroupSpec, len(feedbackRelations))
	for i, rel := range feedbackRelations {
		// Others pooled ranks as an organisation, kept before any
		// relation; the relations rank after it, larger first.
		groups[i] = GroupSpec{Key: string(rel), Kind: survey.Team, Members: byRelation[rel]}
	}
	groups[0].Kind, groups[0].Members = survey.Organisation, all
	if managerShown {
		return feedbackWithManagerShown(in, groups, tallied, minGroup)
	}
	return toFeedback(ProfilesFromTallies(in, groups, tallied, minGroup))
}

// feedbackWithManagerShown is LeaderFeedback for a round that shows the
// manager alone. The manager's answers are known to the leader, so the
// rule runs over the others; the manager's set and others pooled are then
// shown as the rule allows the others.
func feedbackWithManagerShown(in *survey.Instrument, groups []GroupSpec, tallied []TalliedRespondent, minGroup int) []Feedback {
	manager := map[int64]bool{}
	for _, id := range groups[1].Members {
		manager[id] = true
	}
	rest := GroupSpec{Key: string(Others), Kind: survey.Organisation}
	for _, id := range groups[0].Members {
		if !manager[id] {
			rest.Members = append(rest.Members, id)
		}
	}
	ruled := ProfilesFromTallies(in, []GroupSpec{rest, groups[2], groups[3]}, tallied, minGroup)
	open := aggregates(in, groups[:2], tallied)
	out := []GroupProfile{open[0], open[1], ruled[1], ruled[2]}
	for c, comp := range in.Competences {
		// Others pooled is the manager alone where no one else scored;
		// otherwise it shows what the rest would.
		restScored := open[0].Competences[c].N > open[1].Competences[c].N
		if restScored && ruled[0].Competences[c].Suppressed {
			out[0].Competences[c] = CompetenceAggregate{CompetenceID: comp.ID, Suppressed: true}
		}
	}
	markEmptyGroupsSuppressed(out[:2])
	return toFeedback(out)
}

// aggregates are the groups' profiles without the anonymity rule: for
// what the leader may see whatever its size. A competence no one scored
// is suppressed, as it has nothing to show.
func aggregates(in *survey.Instrument, groups []GroupSpec, tallied []TalliedRespondent) []GroupProfile {
	rIndex, tallies := indexRespondents(tallied)
	scored := scoreRespondents(in, tallies)
	out, responded, _ := groupRespondents(groups, rIndex, len(in.Competences))
	aggregateGroups(in, scored, responded, out)
	for g := range out {
		for c, ca := range out[g].Competences {
			if ca.N == 0 {
				out[g].Competences[c] = CompetenceAggregate{CompetenceID: ca.CompetenceID, Suppressed: true}
			}
		}
	}
	return out
}

func toFeedback(profiles []GroupProfile) []Feedback {
	out := make([]Feedback, len(profiles))
	for i, p := range profiles {
		out[i] = Feedback{Relation: feedbackRelations[i], N: p.N, Suppressed: p.Suppressed, Competences: p.Competences}
	}
	return out
}

func isRaterRelation(r survey.Relation) bool {
	return r == survey.Manager || r == survey.Peer || r == survey.Employee
}
