package data

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"lederradar/scoring"
	"lederradar/survey"
)

// RoundReport is everything HR may see of one round: per group the member
// and respondent counts and, once the round has closed, the profiles as
// the anonymity rule in scoring lets them through. It names no person. A
// closed round's report is final (DESIGN.md C7): data builds it at the
// close, keeps it with the round and serves that one from then on.
type RoundReport struct {
	Round      *survey.Round
	Instrument *survey.Instrument
	MinGroup   int
	// Groups are the organisation, then departments, then teams, each by
	// name (scoring.ReportGroups).
	Groups   []ReportGroup
	Invited  int
	Started  int
	Answered int // submitted
}

// ReportGroup is one group of a round's report.
type ReportGroup struct {
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

// Group returns the report's group with the given key (scoring.GroupKey),
// or an ENOTFOUND error.
func (r *RoundReport) Group(key string) (*ReportGroup, error) {
	for i := range r.Groups {
		if r.Groups[i].Spec.Key == key {
			return &r.Groups[i], nil
		}
	}
	return nil, survey.Errorf(survey.ENOTFOUND, "no group %q", key)
}

// RoundReport returns the report of round. A closed round's is final: the
// one CloseRound built and kept, read once and then held in memory, also
// when an older version kept it in a format this one still reads
// (reportFormat). A closed round with none kept that it can read — closed
// by SetRoundStatus or before reports were kept, or kept in a format too
// old to read — has it built once, now, with the round's own threshold
// or, if it has none, minGroup, and kept: final from then on. A kept
// report that cannot be read is an error, never built again. An open
// round's report is built from the database as it is now and holds
// counts only; it carries minGroup, the threshold in force.
//
// A closed round's report is read or built once however many ask for it
// at the same time: the others wait for it, rather than each holding a
// copy of a large organisation in memory.
func (d *DB) RoundReport(ctx context.Context, round *survey.Round, minGroup int) (*RoundReport, error) {
	if round.Status != survey.RoundClosed {
		return d.buildReport(ctx, round, minGroup)
	}
	c := &d.reports
	c.mu.Lock()
	if r, ok := c.done[round.ID]; ok {
		c.mu.Unlock()
		return r, nil
	}
	if b, ok := c.building[round.ID]; ok {
		c.mu.Unlock()
		select {
		case <-b.done:
			return b.report, b.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	b := &reportBuild{done: make(chan struct{})}
	if c.building == nil {
		c.building = map[int64]*reportBuild{}
	}
	c.building[round.ID] = b
	c.mu.Unlock()

	// Built under a context of its own: the waiters must not fail because
	// the first asker went away.
	defer func() {
		c.mu.Lock()
		delete(c.building, round.ID)
		if b.err == nil && b.report != nil {
			c.putLocked(round.ID, b.report)
		}
		c.mu.Unlock()
		if b.report == nil && b.err == nil {
			b.err = errors.New("data: report build failed") // it panicked
		}
		close(b.done)
	}()
	b.report, b.err = d.keptReport(context.WithoutCancel(ctx), round, minGroup)
	return b.report, b.err
}

// reportCache holds the closed rounds' reports in memory, by round id,
// and the builds under way. Nothing changes a closed round's report, so
// an entry goes only with its round (DeleteExpiredRounds).
type reportCache struct {
	mu       sync.Mutex
	done     map[int64]*RoundReport
	building map[int64]*reportBuild
}

// reportBuild is a closed round's report being read or built, for the
// callers that wait for it.
type reportBuild struct {
	done   chan struct{}
	report *RoundReport
	err    error
}

// putLocked holds r as round id's report; c.mu is held.
func (c *reportCache) putLocked(id int64, r *RoundReport) {
	if c.done == nil {
		c.done = map[int64]*RoundReport{}
	}
	c.done[id] = r
}

// put holds r as round id's report.
func (c *reportCache) put(id int64, r *RoundReport) {
	c.mu.Lock()
	c.putLocked(id, r)
	c.mu.Unlock()
}

// forget drops the reports of rounds that are gone.
func (c *reportCache) forget(ids []int64) {
	c.mu.Lock()
	for _, id := range ids {
		delete(c.done, id)
	}
	c.mu.Unlock()
}

// keptReport reads a closed round's kept report as it is, whatever
// minGroup: the round's own threshold is in it. One with none kept in a
// readable format is built and kept (RoundReport).
func (d *DB) keptReport(ctx context.Context, round *survey.Round, minGroup int) (*RoundReport, error) {
	kept, err := d.FindRoundReport(ctx, round.ID)
	switch {
	case err == nil && readable(kept.Format):
		return d.readKept(ctx, round, kept)
	case err != nil && survey.ErrorCode(err) != survey.ENOTFOUND:
		return nil, err
	}
	inputs, err := d.FindReportInputs(ctx, round.ID, true)
	if err != nil {
		return nil, err
	}
	if inputs.MinGroup != 0 {
		minGroup = inputs.MinGroup
	}
	in, err := d.CachedInstrument(ctx, round.InstrumentVersion)
	if err != nil {
		return nil, err
	}
	r, err := reportFrom(round, in, inputs, minGroup)
	if err != nil {
		return nil, err
	}
	stored, err := d.StoreRoundReport(ctx, round.ID, StoredReport{MinGroup: minGroup, Format: reportFormat, Body: encodeReport(r)})
	if err != nil {
		return nil, err
	}
	if stored {
		return r, nil
	}
	// Kept meanwhile by another process (the command line): that one is
	// final.
	if kept, err = d.FindRoundReport(ctx, round.ID); err != nil {
		return nil, err
	}
	return d.readKept(ctx, round, kept)
}

// readKept decodes a kept report of round.
func (d *DB) readKept(ctx context.Context, round *survey.Round, kept *StoredReport) (*RoundReport, error) {
	in, err := d.CachedInstrument(ctx, round.InstrumentVersion)
	if err != nil {
		return nil, err
	}
	r, err := decodeReport(kept.Body, kept.Format, round, in)
	if err == nil {
		err = r.check(kept.MinGroup)
	}
	if err != nil {
		return nil, fmt.Errorf("data: the kept report of round %d: %w", round.ID, err)
	}
	return r, nil
}

// buildReport builds a round's report from the database as it is now,
// with the threshold minGroup, and neither keeps nor holds it: an open
// round's, and in tests the reference a closed round's kept report is
// compared with.
func (d *DB) buildReport(ctx context.Context, round *survey.Round, minGroup int) (*RoundReport, error) {
	// One snapshot of ids, counts and tallies: no names, no answers.
	inputs, err := d.FindReportInputs(ctx, round.ID, round.Status == survey.RoundClosed)
	if err != nil {
		return nil, err
	}
	in, err := d.CachedInstrument(ctx, round.InstrumentVersion)
	if err != nil {
		return nil, err
	}
	return reportFrom(round, in, inputs, minGroup)
}

// closingReport builds, through the write transaction tx that has just
// closed round id with its threshold, the round's report (and a 360
// round's raters' report), and keeps it: final from the commit on.
func (d *DB) closingReport(ctx context.Context, tx queryer, id int64) (*RoundReport, error) {
	r, err := findRound(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	inputs, err := d.reportInputs(ctx, tx, r, true)
	if err != nil {
		return nil, err
	}
	in, err := d.cachedInstrument(ctx, tx, r.InstrumentVersion)
	if err != nil {
		return nil, err
	}
	rep, err := reportFrom(r, in, inputs, inputs.MinGroup)
	if err != nil {
		return nil, fmt.Errorf("data: unable to build the report of round %d: %w", id, err)
	}
	if err := storeReport(ctx, tx, id, StoredReport{MinGroup: inputs.MinGroup, Format: reportFormat, Body: encodeReport(rep)}); err != nil {
		return nil, err
	}
	if err := storeOthersReport(ctx, tx, r, in, inputs, inputs.MinGroup); err != nil {
		return nil, err
	}
	return rep, nil
}

// reportFrom builds the report of round from its inputs and instrument,
// with the anonymity threshold minGroup: every group's progress counts
// and, for a closed round, the profiles the anonymity rule lets through.
func reportFrom(round *survey.Round, in *survey.Instrument, inputs *ReportInputs, minGroup int) (*RoundReport, error) {
	if minGroup < scoring.MinGroupFloor {
		return nil, fmt.Errorf("data: anonymity threshold %d is below %d", minGroup, scoring.MinGroupFloor)
	}
	specs := scoring.ReportGroups(inputs.People, inputs.Groups, inputs.Members)
	r := &RoundReport{Round: round, Instrument: in, MinGroup: minGroup, Groups: make([]ReportGroup, 0, len(specs))}
	for _, spec := range specs {
		c := countProgress(spec.Members, inputs.Progress)
		g := ReportGroup{Spec: spec, Members: len(spec.Members), Invited: c.Invited, Started: c.Started, Submitted: c.Submitted}
		g.Spec.Members = nil
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

// countProgress counts how many of members have a link, have started and
// have submitted, by the flags in progress (ReportInputs.Progress).
func countProgress(members []int64, progress map[int64]uint8) RoundCounts {
	var c RoundCounts
	for _, id := range members {
		f := progress[id]
		if f&Invited != 0 {
			c.Invited++
		}
		if f&Started != 0 {
			c.Started++
		}
		if f&Submitted != 0 {
			c.Submitted++
		}
	}
	return c
}
