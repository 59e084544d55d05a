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
	// Spec names the group; its Members are nil: a report holds counts,
	// never whom they count (a closed round's is kept, and outlives an
	// erasure).
	Spec      scoring.GroupSpec
	Members   int
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
// round — its profiles. A closed round's report is final (migration
// 0009): read once from where it is kept (keptReport) and held in memory
// from then on.
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
	s.mu.Unlock()

	// Built under a context of its own: the waiters must not fail because
	// the first asker went away.
	defer func() {
		s.mu.Lock()
		delete(s.building, round.ID)
		if b.err == nil && b.report != nil {
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

// keptReport reads a closed round's kept report as it is, whatever this
// server's anonymity threshold: the round's own threshold is in it. A
// round with none kept in this format — closed before reports were kept
// at the close, or kept by an older version (reportFormat) — has its
// report built once, now, with the round's threshold or, if it has none,
// this server's, and kept: final from then on. A kept report that cannot
// be read is an error, never built again.
func (s *Server) keptReport(ctx context.Context, round *survey.Round) (*roundReport, error) {
	kept, err := s.db.FindRoundReport(ctx, round.ID)
	switch {
	case err == nil && kept.Format == reportFormat:
		return s.readKept(ctx, round, kept)
	case err != nil && survey.ErrorCode(err) != survey.ENOTFOUND:
		return nil, err
	}
	inputs, err := s.db.FindReportInputs(ctx, round.ID, true)
	if err != nil {
		return nil, err
	}
	minGroup := inputs.MinGroup
	if minGroup == 0 {
		minGroup = s.minGroup
	}
	r, err := s.reportFrom(ctx, round, inputs, minGroup)
	if err != nil {
		return nil, err
	}
	stored, err := s.db.StoreRoundReport(ctx, round.ID, data.StoredReport{MinGroup: minGroup, Format: reportFormat, Body: encodeReport(r)})
	if err != nil {
		return nil, err
	}
	if stored {
		s.logger.Info("kept the report of a closed round", "round", round.ID, "min_group", minGroup)
		return r, nil
	}
	// Kept meanwhile by another (the command line): that one is final.
	if kept, err = s.db.FindRoundReport(ctx, round.ID); err != nil {
		return nil, err
	}
	return s.readKept(ctx, round, kept)
}

// readKept decodes a kept report of round.
func (s *Server) readKept(ctx context.Context, round *survey.Round, kept *data.StoredReport) (*roundReport, error) {
	in, err := s.instrumentFor(ctx, round.InstrumentVersion)
	if err != nil {
		return nil, err
	}
	r, err := decodeReport(kept.Body, round, in)
	if err == nil {
		err = r.check(kept.MinGroup)
	}
	if err != nil {
		return nil, fmt.Errorf("web: the kept report of round %d: %w", round.ID, err)
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

// makeReport builds a round's report from the database as it is now,
// with this server's threshold: for an open round, and in tests as the
// reference a closed round's kept report is compared with.
func (s *Server) makeReport(ctx context.Context, round *survey.Round) (*roundReport, error) {
	// One snapshot of ids, counts and tallies: no names, no answers.
	inputs, err := s.db.FindReportInputs(ctx, round.ID, round.Status == survey.RoundClosed)
	if err != nil {
		return nil, err
	}
	return s.reportFrom(ctx, round, inputs, s.minGroup)
}

// keepReport is the data.ReportKeeper of a round's close: the report,
// built with the round's threshold, encoded for keeping.
func (s *Server) keepReport(ctx context.Context, inputs *data.ReportInputs) (data.StoredReport, error) {
	r, err := s.reportFrom(ctx, inputs.Round, inputs, inputs.MinGroup)
	if err != nil {
		return data.StoredReport{}, err
	}
	return data.StoredReport{MinGroup: inputs.MinGroup, Format: reportFormat, Body: encodeReport(r)}, nil
}

// ReportKeeper returns the data.ReportKeeper with which a round closed
// outside a server — by the command line — keeps its report as a
// server's close does.
func ReportKeeper(db *data.DB) data.ReportKeeper {
	s := &Server{db: db, instruments: map[string]*survey.Instrument{}}
	return s.keepReport
}

// reportFrom builds the report of round from its inputs, with the
// anonymity threshold minGroup.
func (s *Server) reportFrom(ctx context.Context, round *survey.Round, inputs *data.ReportInputs, minGroup int) (*roundReport, error) {
	if minGroup < scoring.MinGroupFloor {
		return nil, fmt.Errorf("web: anonymity threshold %d is below %d", minGroup, scoring.MinGroupFloor)
	}
	in, err := s.instrumentFor(ctx, round.InstrumentVersion)
	if err != nil {
		return nil, err
	}
	specs := reportSpecs(inputs)

	r := &roundReport{Round: round, Instrument: in, MinGroup: minGroup, Groups: make([]reportGroup, 0, len(specs))}
	for _, spec := range specs {
		g := reportGroup{Spec: spec, Members: len(spec.Members)}
		g.Spec.Members = nil
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
	profiles := scoring.ProfilesFromTallies(in, specs, respondents, minGroup)
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

// forgetReports drops the reports held in memory, after retention
// deleted rounds: nothing else changes which reports there are, and
// nothing changes a closed round's report.
func (s *Server) forgetReports() {
	s.mu.Lock()
	s.reports = map[int64]*roundReport{}
	s.mu.Unlock()
}

// warmReportsSoon has KeepReportsWarm read the reports that are not in
// memory yet: after a round closed.
func (s *Server) warmReportsSoon() {
	select {
	case s.roundClosed <- struct{}{}:
	default: // a warm-up is already due
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
// readies the new one after a round closes. A close keeps its round's
// report in the database itself, so this reads it: HR meets a report
// being built only at the first start after an upgrade that changed
// reportFormat (half a second at 100,000 people), once. A close that
// comes while it runs is seen when it ends. A failure is logged and tried
// again at the next close. It returns when ctx ends.
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
		case <-s.roundClosed:
		}
	}
}
