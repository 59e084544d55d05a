package data

import (
	"context"
	"database/sql"
	"fmt"

	"lederradar/survey"
)

// Progress flags of a person in a round, as ReportInputs.Progress holds
// them.
const (
	Invited   uint8 = 1 << iota // has a link for the round
	Started                     // has saved at least one page (or submitted)
	Submitted                   // has submitted
)

// SubmittedTally is one submitted self-assessment, reduced to the counts of
// its answers.
type SubmittedTally struct {
	SubjectID int64
	Tally     survey.Tally
}

// ReportInputs is everything a round's report is built from, read in one
// snapshot so that the groups, their members, the progress and the answers
// agree with each other.
type ReportInputs struct {
	Round *survey.Round
	// People are the ids of everyone, ordered by name as FindPeople orders
	// them — for a closed round everyone who was there when it closed.
	People []int64
	// Groups are every department and team, ordered as FindGroups("")
	// orders them: today's for an open round, and for a closed round
	// those it closed with, as they were then (migration 0007).
	Groups []survey.Group
	// Members are as FindGroupMembers returns them, by group, ascending —
	// for a closed round as they were when it closed.
	Members map[int64][]int64
	// Progress holds the flags (Invited, Started, Submitted) of everyone
	// who has any in the round; the others have none.
	Progress map[int64]uint8
	// Tallies are the submitted self-assessments, by subject; only filled
	// when asked for.
	Tallies []SubmittedTally
	// MinGroup is the round's anonymity threshold (migration 0009): set
	// when it closed, or when its report was first kept; 0 when it has
	// none yet (a round not closed, or closed before 0009).
	MinGroup int
}

// FindReportInputs reads what a round's report needs, with the tallies of
// the submitted self-assessments when withTallies is set. It reads ids
// and counts, never names or answers, and uses plans that walk indexes in
// order, so that a report of a large organisation is cheap to build.
func (d *DB) FindReportInputs(ctx context.Context, roundID int64, withTallies bool) (*ReportInputs, error) {
	tx, r, err := d.beginRoundRead(ctx, roundID)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return d.reportInputs(ctx, tx, r, withTallies)
}

// reportInputs reads FindReportInputs' inputs of round r through tx: a
// read transaction, or the write transaction that closes r.
func (d *DB) reportInputs(ctx context.Context, tx queryer, r *survey.Round, withTallies bool) (*ReportInputs, error) {
	roundID := r.ID
	in := &ReportInputs{Round: r, Members: map[int64][]int64{}, Progress: map[int64]uint8{}}
	var minGroup sql.NullInt64
	if err := tx.QueryRowContext(ctx, "SELECT min_group FROM rounds WHERE id = ?", roundID).Scan(&minGroup); err != nil {
		return nil, fmt.Errorf("data: unable to read the threshold of round %d: %w", roundID, err)
	}
	in.MinGroup = int(minGroup.Int64)

	// Everyone, by name: an index-only walk of people_name. For a closed
	// round, everyone who was there when it closed (migration 0007).
	peopleSQL, peopleArgs := "SELECT id FROM people ORDER BY name, id", []any(nil)
	if r.Status == survey.RoundClosed {
		peopleSQL = `SELECT id FROM people
			WHERE id <= (SELECT coalesce(last_person_id, 0) FROM rounds WHERE id = ?)
			ORDER BY name, id`
		peopleArgs = []any{roundID}
	}
	if err := scanInts(ctx, tx, peopleSQL, peopleArgs, func(id int64) {
		in.People = append(in.People, id)
	}); err != nil {
		return nil, fmt.Errorf("data: unable to find people: %w", err)
	}

	// A closed round's groups are those it closed with (migration 0007);
	// an open round's are today's.
	groupsSQL, memberSQL := "SELECT id, kind, name FROM groups ORDER BY kind, name, id", []string{
		// Departments through people_department, teams through the
		// primary key of team_members: both already in (group, person)
		// order.
		"SELECT department_id, id FROM people WHERE department_id IS NOT NULL ORDER BY department_id, id",
		"SELECT team_id, person_id FROM team_members ORDER BY team_id, person_id",
	}
	var args []any
	if r.Status == survey.RoundClosed {
		groupsSQL = `SELECT group_id, kind, name FROM round_groups WHERE round_id = ?
			ORDER BY kind, name COLLATE NOCASE, group_id`
		memberSQL = []string{"SELECT group_id, person_id FROM round_members WHERE round_id = ? ORDER BY group_id, person_id"}
		args = []any{roundID}
	}
	rows, err := tx.QueryContext(ctx, groupsSQL, args...)
	if err != nil {
		return nil, fmt.Errorf("data: unable to find groups: %w", err)
	}
	if in.Groups, err = scanGroups(rows); err != nil {
		return nil, fmt.Errorf("data: unable to find groups: %w", err)
	}
	for _, g := range in.Groups {
		in.Members[g.ID] = []int64{}
	}
	for _, q := range memberSQL {
		if err := scanPairs(ctx, tx, q, args, func(g, p int64) {
			if m, ok := in.Members[g]; ok {
				in.Members[g] = append(m, p)
			}
		}); err != nil {
			return nil, fmt.Errorf("data: unable to find group members: %w", err)
		}
	}

	// Progress, as FindRoundProgress has it: invited by a self link,
	// started by a self response, submitted by its time.
	if err := scanInts(ctx, tx, `
		SELECT person_id FROM invitations
		WHERE round_id = ? AND subject_id = person_id`, []any{roundID}, func(id int64) {
		in.Progress[id] |= Invited
	}); err != nil {
		return nil, fmt.Errorf("data: unable to find progress: %w", err)
	}
	if err := scanPairs(ctx, tx, `
		SELECT subject_id, submitted_at IS NOT NULL FROM responses
		WHERE round_id = ? AND rater_id = subject_id`, []any{roundID}, func(id, submitted int64) {
		in.Progress[id] |= Started
		if submitted != 0 {
			in.Progress[id] |= Submitted
		}
	}); err != nil {
		return nil, fmt.Errorf("data: unable to find progress: %w", err)
	}

	if withTallies {
		submitted := 0
		for _, f := range in.Progress {
			if f&Submitted != 0 {
				submitted++
			}
		}
		if in.Tallies, err = d.submittedTallies(ctx, tx, in.Round, submitted); err != nil {
			return nil, err
		}
	}
	return in, nil
}

// submittedTallies returns the tallies of a round's submitted
// self-assessments, ordered by subject, counting the answers of any that
// has no stored tally; about is how many there are likely to be.
func (d *DB) submittedTallies(ctx context.Context, tx queryer, r *survey.Round, about int) ([]SubmittedTally, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT r.id, r.subject_id, t.tally
		FROM responses r LEFT JOIN answer_tallies t ON t.response_id = r.id
		WHERE r.round_id = ? AND r.relation = 'self' AND r.submitted_at IS NOT NULL
		ORDER BY r.subject_id, r.id`, r.ID)
	if err != nil {
		return nil, fmt.Errorf("data: unable to find tallies: %w", err)
	}
	defer rows.Close()
	out := make([]SubmittedTally, 0, about)
	var missing []int // indexes into out
	var missingIDs []int64
	// The tallies are decoded into slabs of many, rather than one
	// allocation each: a large round has tens of thousands.
	var slab survey.Tally
	for rows.Next() {
		var id, subject int64
		var blob sql.RawBytes
		if err := rows.Scan(&id, &subject, &blob); err != nil {
			return nil, fmt.Errorf("data: unable to find tallies: %w", err)
		}
		st := SubmittedTally{SubjectID: subject}
		if blob == nil {
			missing = append(missing, len(out))
			missingIDs = append(missingIDs, id)
		} else {
			if cap(slab)-len(slab) < 64 {
				slab = make(survey.Tally, 0, 64*1024)
			}
			start := len(slab)
			if slab, err = appendDecodedTally(slab, blob); err != nil {
				return nil, fmt.Errorf("data: unable to read tally of response %d: %w", id, err)
			}
			st.Tally = slab[start:len(slab):len(slab)]
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: unable to find tallies: %w", err)
	}
	_ = rows.Close() // read to the end without error: nothing left to fail
	if len(missing) == 0 {
		return out, nil
	}
	in, err := d.cachedInstrument(ctx, tx, r.InstrumentVersion)
	if err != nil {
		return nil, err
	}
	answers := make(map[int64]survey.Answers, len(missingIDs))
	for _, id := range missingIDs {
		answers[id] = survey.Answers{}
	}
	arows, err := tx.QueryContext(ctx, `
		SELECT a.response_id, a.item_id, a.value
		FROM responses r JOIN answers a ON a.response_id = r.id
		WHERE r.round_id = ? AND r.relation = 'self' AND r.submitted_at IS NOT NULL
			AND NOT EXISTS (SELECT 1 FROM answer_tallies t WHERE t.response_id = r.id)`, r.ID)
	if err != nil {
		return nil, fmt.Errorf("data: unable to find answers: %w", err)
	}
	defer arows.Close()
	for arows.Next() {
		var id int64
		var item string
		var v int
		if err := arows.Scan(&id, &item, &v); err != nil {
			return nil, fmt.Errorf("data: unable to find answers: %w", err)
		}
		if a, ok := answers[id]; ok {
			a[item] = survey.Answer(v)
		}
	}
	if err := arows.Err(); err != nil {
		return nil, fmt.Errorf("data: unable to find answers: %w", err)
	}
	for i, at := range missing {
		out[at].Tally = in.Tally(answers[missingIDs[i]])
	}
	return out, nil
}

// scanInts runs a query of one integer column and hands each value to f.
func scanInts(ctx context.Context, q queryer, query string, args []any, f func(int64)) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return err
		}
		f(v)
	}
	return rows.Err()
}

// scanPairs runs a query of two integer columns and hands each row to f.
func scanPairs(ctx context.Context, q queryer, query string, args []any, f func(a, b int64)) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var a, b int64
		if err := rows.Scan(&a, &b); err != nil {
			return err
		}
		f(a, b)
	}
	return rows.Err()
}
