package web

import (
	"context"
	"fmt"
	"sort"

	"lederradar/scoring"
	"lederradar/survey"
)

// roundReport is everything HR may see of one round: per group the member
// and respondent counts and, once the round has closed, the profiles as the
// anonymity rule in scoring lets them through.
type roundReport struct {
	Round      *survey.Round
	Instrument *survey.Instrument
	MinGroup   int
	// Groups are the organisation, then departments, then teams, each by name.
	Groups   []reportGroup
	Invited  int
	Started  int
	Answered int // submitted
}

type reportGroup struct {
	Spec      scoring.GroupSpec
	Invited   int
	Started   int
	Submitted int
	// Profile is set only for a closed round; it has already been through
	// the anonymity rule.
	Profile *scoring.GroupProfile
}

// Key returns the URL key of the group.
func (g reportGroup) Key() string { return g.Spec.Key }

// groupKey names a group in URLs and in the API.
func groupKey(kind survey.GroupKind, id int64) string {
	if kind == survey.Organisation {
		return "organisation"
	}
	return fmt.Sprintf("%s-%d", kind, id)
}

// buildReport gathers the round's groups, progress and — for a closed
// round — its profiles. Profiles of closed rounds are cached: nothing can
// change them but an erasure, which clears the cache.
func (s *Server) buildReport(ctx context.Context, round *survey.Round) (*roundReport, error) {
	if round.Status == survey.RoundClosed {
		s.mu.Lock()
		r, ok := s.reports[round.ID]
		s.mu.Unlock()
		if ok {
			return r, nil
		}
	}
	in, err := s.instrumentFor(ctx, round.InstrumentVersion)
	if err != nil {
		return nil, err
	}
	people, err := s.db.FindPeople(ctx)
	if err != nil {
		return nil, err
	}
	groups, err := s.db.FindGroups(ctx, "")
	if err != nil {
		return nil, err
	}
	members, err := s.db.FindGroupMembers(ctx)
	if err != nil {
		return nil, err
	}
	progress, err := s.db.FindRoundProgress(ctx, round.ID)
	if err != nil {
		return nil, err
	}
	invited := map[int64]bool{}
	started := map[int64]bool{}
	submitted := map[int64]bool{}
	for _, p := range progress {
		invited[p.PersonID] = p.Invited
		started[p.PersonID] = p.Started
		submitted[p.PersonID] = p.Submitted
	}

	everyone := make([]int64, 0, len(people))
	for _, p := range people {
		everyone = append(everyone, p.ID)
	}
	sort.Slice(groups, func(i, j int) bool {
		if groups[i].Kind != groups[j].Kind {
			return groups[i].Kind == survey.Department
		}
		return groups[i].Name < groups[j].Name
	})
	specs := []scoring.GroupSpec{{Key: groupKey(survey.Organisation, 0), Kind: survey.Organisation, Name: "", Members: everyone}}
	for _, g := range groups {
		specs = append(specs, scoring.GroupSpec{Key: groupKey(g.Kind, g.ID), Kind: g.Kind, ID: g.ID, Name: g.Name, Members: members[g.ID]})
	}

	r := &roundReport{Round: round, Instrument: in, MinGroup: s.minGroup}
	for _, spec := range specs {
		g := reportGroup{Spec: spec}
		for _, id := range spec.Members {
			if invited[id] {
				g.Invited++
			}
			if started[id] {
				g.Started++
			}
			if submitted[id] {
				g.Submitted++
			}
		}
		r.Groups = append(r.Groups, g)
	}
	r.Invited, r.Started, r.Answered = r.Groups[0].Invited, r.Groups[0].Started, r.Groups[0].Submitted

	if round.Status != survey.RoundClosed {
		return r, nil
	}
	responses, err := s.db.FindSubmittedResponses(ctx, round.ID)
	if err != nil {
		return nil, err
	}
	respondents := make([]scoring.Respondent, 0, len(responses))
	for _, resp := range responses {
		if resp.Relation == survey.Self {
			respondents = append(respondents, scoring.Respondent{PersonID: resp.SubjectID, Answers: resp.Answers})
		}
	}
	profiles := scoring.Profiles(in, specs, respondents, s.minGroup)
	for i := range r.Groups {
		p := profiles[i]
		r.Groups[i].Profile = &p
	}
	s.mu.Lock()
	s.reports[round.ID] = r
	s.mu.Unlock()
	return r, nil
}

// group returns the report's group with the given key.
func (r *roundReport) group(key string) (*reportGroup, error) {
	for i := range r.Groups {
		if r.Groups[i].Spec.Key == key {
			return &r.Groups[i], nil
		}
	}
	return nil, survey.Errorf(survey.ENOTFOUND, "no group %q", key)
}

// forgetReports drops cached profiles, after anything that changes who
// counts in them (an erasure, a changed organisation).
func (s *Server) forgetReports() {
	s.mu.Lock()
	s.reports = map[int64]*roundReport{}
	s.mu.Unlock()
}
