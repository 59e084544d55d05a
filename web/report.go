package web

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"lederradar/data"
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
// change them but an erasure or retention, which clear the cache. Below
// the cache, a closed round's report is kept in the database (keptReport).
//
// A closed round's report is read or built once however many ask for it
// at the same time: the others wait for it, rather than each holding a
// copy of a large organisation in memory.
func (s *Server) buildReport(ctx context.Context, round *survey.Round) (*roundReport, error) {
	if round.Status != survey.RoundClosed {
		return s.makeReport(ctx, round)
	}
	s.mu.Lock()
	if r, ok := s.reports[round.ID]; ok {
		s.mu.Unlock()
		return r, nil
	}
	if b, ok := s.building[round.ID]; ok {
		s.mu.Unlock()
		select {
		case <-b.done:
			return b.report, b.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	b := &reportBuild{done: make(chan struct{})}
	if s.building == nil {
		s.building = map[int64]*reportBuild{}
	}
	s.building[round.ID] = b
	gen := s.reportGen
	s.mu.Unlock()

	// Built under a context of its own: the waiters must not fail because
	// the first asker went away.
	defer func() {
		s.mu.Lock()
		if s.building[round.ID] == b { // not detached by forgetReports
			delete(s.building, round.ID)
		}
		// An erasure or retention since the build began may not be in
		// it: then it serves the askers of the moment, but is not kept.
		if b.err == nil && b.report != nil && s.reportGen == gen {
			s.reports[round.ID] = b.report
		}
		s.mu.Unlock()
		if b.report == nil && b.err == nil {
			b.err = errors.New("web: report build failed") // it panicked
		}
		close(b.done)
	}()
	b.report, b.err = s.keptReport(context.WithoutCancel(ctx), round)
	return b.report, b.err
}

// keptReport reads a closed round's kept report (migration 0008) or,
// when none is kept in this server's format and anonymity threshold,
// builds it and keeps it. Keeping it may fail or be refused — a change
// came while it was built — and the report still serves the askers of
// the moment.
func (s *Server) keptReport(ctx context.Context, round *survey.Round) (*roundReport, error) {
	kept, err := s.db.FindRoundReport(ctx, round.ID)
	switch {
	case err == nil && kept.Format == reportFormat && kept.MinGroup == s.minGroup:
		in, err := s.instrumentFor(ctx, round.InstrumentVersion)
		if err != nil {
			return nil, err
		}
		r, err := decodeReport(kept.Body, round, in)
		if err == nil {
			err = r.check(s.minGroup)
		}
		if err == nil {
			return r, nil
		}
		s.logger.Warn("reading a kept report", "round", round.ID, "error", err)
	case err != nil && survey.ErrorCode(err) != survey.ENOTFOUND:
		return nil, err
	}
	r, epoch, err := s.makeReportAt(ctx, round)
	if err != nil {
		return nil, err
	}
	body := encodeReport(r)
	if _, err := s.db.StoreRoundReport(ctx, round.ID, epoch, data.StoredReport{MinGroup: s.minGroup, Format: reportFormat, Body: body}); err != nil {
		s.logger.Warn("keeping a report", "round", round.ID, "error", err)
	}
	return r, nil
}

// reportBuild is a closed round's report being built, for the requests
// that wait for it.
type reportBuild struct {
	done   chan struct{}
	report *roundReport
	err    error
}

// makeReport builds a round's report from the database.
func (s *Server) makeReport(ctx context.Context, round *survey.Round) (*roundReport, error) {
	r, _, err := s.makeReportAt(ctx, round)
	return r, err
}

// makeReportAt builds a round's report from the database, with the report
// epoch of the snapshot it read (data.ReportInputs.Epoch).
func (s *Server) makeReportAt(ctx context.Context, round *survey.Round) (*roundReport, int64, error) {
	// One snapshot of ids, counts and tallies: no names, no answers.
	inputs, err := s.db.FindReportInputs(ctx, round.ID, round.Status == survey.RoundClosed)
	if err != nil {
		return nil, 0, err
	}
	r, err := s.reportFrom(ctx, round, inputs)
	if err != nil {
		return nil, 0, err
	}
	return r, inputs.Epoch, nil
}

// keepReport is the data.ReportKeeper of a round's close: the report, as
// buildReport would make it, encoded for keeping.
func (s *Server) keepReport(ctx context.Context, inputs *data.ReportInputs) (data.StoredReport, error) {
	r, err := s.reportFrom(ctx, inputs.Round, inputs)
	if err != nil {
		return data.StoredReport{}, err
	}
	return data.StoredReport{MinGroup: s.minGroup, Format: reportFormat, Body: encodeReport(r)}, nil
}

// ReportKeeper returns the data.ReportKeeper with which a round closed
// outside a server — by the command line — keeps its report as a server
// with the anonymity threshold minGroup (0: the default) would: a server
// with another threshold builds its own instead.
func ReportKeeper(db *data.DB, minGroup int) (data.ReportKeeper, error) {
	s := &Server{db: db, instruments: map[string]*survey.Instrument{}}
	var err error
	if s.minGroup, err = checkMinGroup(minGroup); err != nil {
		return nil, err
	}
	return s.keepReport, nil
}

// reportFrom builds the report of round from its inputs.
func (s *Server) reportFrom(ctx context.Context, round *survey.Round, inputs *data.ReportInputs) (*roundReport, error) {
	in, err := s.instrumentFor(ctx, round.InstrumentVersion)
	if err != nil {
		return nil, err
	}
	specs := reportSpecs(inputs)

	r := &roundReport{Round: round, Instrument: in, MinGroup: s.minGroup, Groups: make([]reportGroup, 0, len(specs))}
	for _, spec := range specs {
		g := reportGroup{Spec: spec}
		for _, id := range spec.Members {
			f := inputs.Progress[id]
			if f&data.Invited != 0 {
				g.Invited++
			}
			if f&data.Started != 0 {
				g.Started++
			}
			if f&data.Submitted != 0 {
				g.Submitted++
			}
		}
		r.Groups = append(r.Groups, g)
	}
	r.Invited, r.Started, r.Answered = r.Groups[0].Invited, r.Groups[0].Started, r.Groups[0].Submitted

	if round.Status != survey.RoundClosed {
		return r, nil
	}
	respondents := make([]scoring.TalliedRespondent, 0, len(inputs.Tallies))
	for _, t := range inputs.Tallies {
		respondents = append(respondents, scoring.TalliedRespondent{PersonID: t.SubjectID, Tally: t.Tally})
	}
	profiles := scoring.ProfilesFromTallies(in, specs, respondents, s.minGroup)
	for i := range r.Groups {
		p := profiles[i]
		r.Groups[i].Profile = &p
	}
	return r, nil
}

// reportSpecs lists a round's groups as the report has them: the
// organisation, then departments, then teams, each by name.
func reportSpecs(inputs *data.ReportInputs) []scoring.GroupSpec {
	groups := inputs.Groups
	sort.Slice(groups, func(i, j int) bool {
		if groups[i].Kind != groups[j].Kind {
			return groups[i].Kind == survey.Department
		}
		return groups[i].Name < groups[j].Name
	})
	specs := make([]scoring.GroupSpec, 0, 1+len(groups))
	specs = append(specs, scoring.GroupSpec{Key: groupKey(survey.Organisation, 0), Kind: survey.Organisation, Name: "", Members: inputs.People})
	for _, g := range groups {
		specs = append(specs, scoring.GroupSpec{Key: groupKey(g.Kind, g.ID), Kind: g.Kind, ID: g.ID, Name: g.Name, Members: inputs.Members[g.ID]})
	}
	return specs
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
// counts in them: an erasure, or retention deleting rounds. Nothing else
// can: a closed round keeps the groups it closed with (migration 0007),
// so changes to the organisation leave its profiles as they are.
func (s *Server) forgetReports() {
	s.mu.Lock()
	s.reports = map[int64]*roundReport{}
	// Builds under way may have read what changed: those who asked
	// before get them, later askers start their own.
	s.building = map[int64]*reportBuild{}
	s.reportGen++
	s.mu.Unlock()
	s.warmReportsSoon()
}

// warmReportsSoon has KeepReportsWarm build the reports that are missing:
// after forgetReports, or after a round closed.
func (s *Server) warmReportsSoon() {
	select {
	case s.reportsDropped <- struct{}{}:
	default: // a rebuild is already due
	}
}

// WarmReports reads (or, when none is kept, builds) the reports of the
// closed rounds, newest first, so that HR's first view after a start
// finds them ready. It is meant to run in the background once the server
// answers; it stops when ctx ends.
func (s *Server) WarmReports(ctx context.Context) error {
	rounds, err := s.db.FindRounds(ctx)
	if err != nil {
		return err
	}
	for i := range rounds {
		if err := ctx.Err(); err != nil {
			return err
		}
		if rounds[i].Status != survey.RoundClosed {
			continue
		}
		if _, err := s.buildReport(ctx, &rounds[i]); err != nil {
			return err
		}
	}
	return nil
}

// KeepReportsWarm readies the closed rounds' reports (WarmReports) and
// readies them again right after every change that drops them from
// memory — an erasure, retention — and after a round closes. A close and
// an erasure keep the reports they change in the database themselves, so
// this reads them: HR meets a report being built only at the first start
// after the upgrade to migration 0008, or after the anonymity threshold
// changed (half a second at 100,000 people). Changes that come while it
// runs are seen when it ends. A failure is logged and tried again at the
// next change. It returns when ctx ends.
func (s *Server) KeepReportsWarm(ctx context.Context) error {
	for {
		start := time.Now()
		if err := s.WarmReports(ctx); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			s.logger.Warn("building reports", "error", err)
		} else {
			s.logger.Debug("reports built", "duration", time.Since(start))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-s.reportsDropped:
		}
	}
}
