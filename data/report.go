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
	in := &ReportInputs{Round: r}
	var err error
	if in.MinGroup, err = roundThreshold(ctx, tx, r.ID); err != nil {
		return nil, err
	}
	if in.People, err = reportPeople(ctx, tx, r); err != nil {
		return nil, err
	}
	if in.Groups, in.Members, err = reportGroups(ctx, tx, r); err != nil {
		return nil, err
	}
	if in.Progress, err = roundProgress(ctx, tx, r.ID); err != nil {
		return nil, err
	}
	if withTallies {
		if in.Tallies, err = d.submittedTallies(ctx, tx, in.Round, countSubmitted(in.Progress)); err != nil {
			return nil, err
		}
	}
	return in, nil
}

// roundThreshold returns the round's anonymity threshold, 0 when it has
// none yet (ReportInputs.MinGroup).
func roundThreshold(ctx context.Context, tx queryer, roundID int64) (int, error) {
	var minGroup sql.NullInt64
	if err := tx.QueryRowContext(ctx, "SELECT min_group FROM rounds WHERE id = ?", roundID).Scan(&minGroup); err != nil {
		return 0, fmt.Errorf("data: unable to read the threshold of round %d: %w", roundID, err)
	}
	return int(minGroup.Int64), nil
}

// reportPeople returns the ids of the organisation's people (not those
// who only rate), by name: an index-only walk of people_leaders_name. For a closed round, everyone who was there when it
// closed (migration 0007).
func reportPeople(ctx context.Context, tx queryer, r *survey.Round) ([]int64, error) {
	peopleSQL, peopleArgs := "SELECT id FROM people WHERE rater_only = 0 ORDER BY name, id", []any(nil)
	if r.Status == survey.RoundClosed {
		peopleSQL = `SELECT id FROM people
			WHERE rater_only = 0 AND id <= (SELECT coalesce(last_person_id, 0) FROM rounds WHERE id = ?)
			ORDER BY name, id`
		peopleArgs = []any{r.ID}
	}
	var people []int64
	if err := scanInts(ctx, tx, peopleSQL, peopleArgs, func(id int64) {
		people = append(people, id)
	}); err != nil {
		return nil, fmt.Errorf("data: unable to find people: %w", err)
	}
	return people, nil
}

// reportGroups returns the groups of a report and their members, by
// group. A closed round's groups are those it closed with (migration
// 0007); an open round's are today's.
func reportGroups(ctx context.Context, tx queryer, r *survey.Round) ([]survey.Group, map[int64][]int64, error) {
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
		args = []any{r.ID}
	}
	rows, err := tx.QueryContext(ctx, groupsSQL, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("data: unable to find groups: %w", err)
	}
	groups, err := scanGroups(rows)
	if err != nil {
		return nil, nil, fmt.Errorf("data: unable to find groups: %w", err)
	}
	members := make(map[int64][]int64, len(groups))
	for _, g := range groups {
		members[g.ID] = []int64{}
	}
	for _, q := range memberSQL {
		if err := scanPairs(ctx, tx, q, args, func(g, p int64) {
			if m, ok := members[g]; ok {
				members[g] = append(m, p)
			}
		}); err != nil {
			return nil, nil, fmt.Errorf("data: unable to find group members: %w", err)
		}
	}
	return groups, members, nil
}

// roundProgress returns everyone's progress flags in a round, as
// FindRoundProgress has it: invited by a self link, started by a self
// response, submitted by its time.
func roundProgress(ctx context.Context, tx queryer, roundID int64) (map[int64]uint8, error) {
	progress := map[int64]uint8{}
	if err := scanInts(ctx, tx, `
		SELECT person_id FROM invitations
		WHERE round_id = ? AND subject_id = person_id`, []any{roundID}, func(id int64) {
		progress[id] |= Invited
	}); err != nil {
		return nil, fmt.Errorf("data: unable to find progress: %w", err)
	}
	if err := scanPairs(ctx, tx, `
		SELECT subject_id, submitted_at IS NOT NULL FROM responses
		WHERE round_id = ? AND rater_id = subject_id`, []any{roundID}, func(id, submitted int64) {
		progress[id] |= Started
		if submitted != 0 {
			progress[id] |= Submitted
		}
	}); err != nil {
		return nil, fmt.Errorf("data: unable to find progress: %w", err)
	}
	return progress, nil
}

// countSubmitted counts the people whose progress says they submitted:
// how many tallies to make room for.
func countSubmitted(progress map[int64]uint8) int {
	n := 0
	for _, f := range progress {
		if f&Submitted != 0 {
			n++
		}
	}
	return n
}

// submittedTallies returns the tallies of a round's submitted
// self-assessments, ordered by subject, counting the answers of any that
// has no stored tally; about is how many there are likely to be.
func (d *DB) submittedTallies(ctx context.Context, tx queryer, r *survey.Round, about int) ([]SubmittedTally, error) {
	out, untallied, err := storedTallies(ctx, tx, r.ID, about)
	if err != nil || len(untallied) == 0 {
		return out, err
	}
	in, err := d.cachedInstrument(ctx, tx, r.InstrumentVersion)
	if err != nil {
		return nil, err
	}
	answers, err := untalliedAnswers(ctx, tx, r.ID, untallied)
	if err != nil {
		return nil, err
	}
	for at, id := range untallied {
		out[at].Tally = in.Tally(answers[id])
	}
	return out, nil
}

// storedTallies returns the round's submitted self-assessments, ordered
// by subject, with the tallies the database keeps; untallied maps the
// index in out of each that has none to its response id, for its answers
// to be counted instead. about is how many there are likely to be.
func storedTallies(ctx context.Context, tx queryer, roundID int64, about int) (out []SubmittedTally, untallied map[int]int64, err error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT r.id, r.subject_id, t.tally
		FROM responses r LEFT JOIN answer_tallies t ON t.response_id = r.id
		WHERE r.round_id = ? AND r.relation = 'self' AND r.submitted_at IS NOT NULL
		ORDER BY r.subject_id, r.id`, roundID)
	if err != nil {
		return nil, nil, fmt.Errorf("data: unable to find tallies: %w", err)
	}
	defer rows.Close()
	out = make([]SubmittedTally, 0, about)
	// The tallies are decoded into slabs of many, rather than one
	// allocation each: a large round has tens of thousands.
	var slab survey.Tally
	for rows.Next() {
		var id, subject int64
		var blob sql.RawBytes
		if err := rows.Scan(&id, &subject, &blob); err != nil {
			return nil, nil, fmt.Errorf("data: unable to find tallies: %w", err)
		}
		st := SubmittedTally{SubjectID: subject}
		if blob == nil {
			if untallied == nil {
				untallied = map[int]int64{}
			}
			untallied[len(out)] = id
		} else {
			if cap(slab)-len(slab) < 64 {
				slab = make(survey.Tally, 0, 64*1024)
			}
			start := len(slab)
			if slab, err = appendDecodedTally(slab, blob); err != nil {
				return nil, nil, fmt.Errorf("data: unable to read tally of response %d: %w", id, err)
			}
			st.Tally = slab[start:len(slab):len(slab)]
		}
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("data: unable to find tallies: %w", err)
	}
	return out, untallied, nil
}

// untalliedAnswers returns the answers of the round's submitted
// self-assessments that have no stored tally, by response id; untallied
// holds their ids as its values.
func untalliedAnswers(ctx context.Context, tx queryer, roundID int64, untallied map[int]int64) (map[int64]survey.Answers, error) {
	answers := make(map[int64]survey.Answers, len(untallied))
	for _, id := range untallied {
		answers[id] = survey.Answers{}
	}
	err := scanAnswers(ctx, tx, `
		SELECT a.response_id, a.item_id, a.value
		FROM responses r JOIN answers a ON a.response_id = r.id
		WHERE r.round_id = ? AND r.relation = 'self' AND r.submitted_at IS NOT NULL
			AND NOT EXISTS (SELECT 1 FROM answer_tallies t WHERE t.response_id = r.id)`, roundID,
		func(id int64, item string, v survey.Answer) {
			if a, ok := answers[id]; ok {
				a[item] = v
			}
		})
	if err != nil {
		return nil, err
	}
	return answers, nil
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
