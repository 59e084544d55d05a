package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"lederradar/scoring"
	"lederradar/survey"
)

// OthersReport is HR's view of a closed 360 round's raters: per group of
// the round's report, in its order and with its keys, how the raters see
// the group's leaders, after the anonymity rule (scoring.OthersProfiles).
// It is final like the round's report (migrations 0014, 0016) and names
// no person. It holds only the round and its threshold: each view reads
// the groups it shows (Group, Groups).
type OthersReport struct {
	RoundID  int64
	MinGroup int
	db       *DB
}

// Group returns the profile of the group with the given key
// (scoring.GroupKey), or an ENOTFOUND error.
func (o *OthersReport) Group(ctx context.Context, key string) (*scoring.GroupProfile, error) {
	gs, err := o.Groups(ctx, key)
	if err != nil {
		return nil, err
	}
	return &gs[0], nil
}

// Groups returns the profiles of the groups with the given keys, in the
// report's order, or every group's when no key is given. A key the
// report lacks is an ENOTFOUND error.
func (o *OthersReport) Groups(ctx context.Context, keys ...string) ([]scoring.GroupProfile, error) {
	query, args := "SELECT seq, body FROM round_others_groups WHERE round_id = ? ORDER BY seq", []any{o.RoundID}
	if len(keys) > 0 {
		list, err := json.Marshal(keys)
		if err != nil {
			return nil, fmt.Errorf("data: unable to find raters' groups: %w", err)
		}
		// By key along the primary key, ordered here: ordered by seq,
		// SQLite would walk the round's every group.
		query = `SELECT seq, body FROM round_others_groups
			WHERE round_id = ? AND key IN (SELECT value FROM json_each(?))`
		args = append(args, string(list))
	}
	rows, err := o.db.read.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("data: unable to find raters' groups of round %d: %w", o.RoundID, err)
	}
	defer rows.Close()
	type placed struct {
		seq int
		g   scoring.GroupProfile
	}
	var found []placed
	for rows.Next() {
		var p placed
		var body sql.RawBytes
		if err := rows.Scan(&p.seq, &body); err != nil {
			return nil, fmt.Errorf("data: unable to find raters' groups of round %d: %w", o.RoundID, err)
		}
		if err := json.Unmarshal(body, &p.g); err != nil {
			return nil, fmt.Errorf("data: the kept raters' group of round %d: %w", o.RoundID, err)
		}
		found = append(found, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: unable to find raters' groups of round %d: %w", o.RoundID, err)
	}
	slices.SortFunc(found, func(a, b placed) int { return a.seq - b.seq })
	out := make([]scoring.GroupProfile, len(found))
	for i, p := range found {
		out[i] = p.g
	}
	if len(out) < len(slices.Compact(slices.Sorted(slices.Values(keys)))) {
		return nil, survey.Errorf(survey.ENOTFOUND, "no group among %q", keys)
	}
	return out, nil
}

// RoundOthersReport returns the kept view of a closed 360 round's raters.
// A round closed without one kept (closed by SetRoundStatus, or before
// this version) has it built now with the threshold of the round's
// report (RoundReport; minGroup for a round that has none yet) and kept:
// final from then on. A self-only round has none (ENOTFOUND), an open one
// none yet (ECONFLICT): while raters answer, two views a day apart would
// differ by one rater's answers.
func (d *DB) RoundOthersReport(ctx context.Context, round *survey.Round, minGroup int) (*OthersReport, error) {
	if round.Kind != survey.ThreeSixty {
		return nil, survey.Errorf(survey.ENOTFOUND, "round %q has no raters", round.Name)
	}
	if round.Status != survey.RoundClosed {
		return nil, survey.Errorf(survey.ECONFLICT, "raters' answers are shown once round %q has closed", round.Name)
	}
	o, err := d.findOthersReport(ctx, d.read, round.ID)
	if err == nil || survey.ErrorCode(err) != survey.ENOTFOUND {
		return o, err
	}
	rep, err := d.RoundReport(ctx, round, minGroup) // keeps the round's threshold
	if err != nil {
		return nil, err
	}
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("data: unable to keep the raters' report of round %d: %w", round.ID, err)
	}
	defer tx.Rollback()
	inputs, err := d.reportInputs(ctx, tx, round, false)
	if err != nil {
		return nil, err
	}
	if err := storeOthersReport(ctx, tx, round, rep.Instrument, inputs, rep.MinGroup); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("data: unable to keep the raters' report of round %d: %w", round.ID, err)
	}
	return d.findOthersReport(ctx, d.read, round.ID)
}

// storeOthersReport builds the view of closed round r's raters from
// inputs, its ratings and the threshold minGroup, and keeps it through
// tx, a row per group, unless one is kept already: that one is final. A
// self-only round keeps none.
func storeOthersReport(ctx context.Context, tx queryer, r *survey.Round, in *survey.Instrument, inputs *ReportInputs, minGroup int) error {
	if r.Kind != survey.ThreeSixty {
		return nil
	}
	if ok, err := exists(ctx, tx, "SELECT 1 FROM round_others_reports WHERE round_id = ?", r.ID); err != nil || ok {
		return err
	}
	ratings, err := roundRatings(ctx, tx, in, r.ID)
	if err != nil {
		return err
	}
	specs := scoring.ReportGroups(inputs.People, inputs.Groups, inputs.Members)
	if _, err := tx.ExecContext(ctx, "INSERT INTO round_others_reports (round_id, min_group, body) VALUES (?, ?, X'')",
		r.ID, minGroup); err != nil {
		return fmt.Errorf("data: unable to keep the raters' report of round %d: %w", r.ID, err)
	}
	for i, g := range scoring.OthersProfiles(in, specs, ratings, minGroup) {
		body, err := json.Marshal(g)
		if err != nil {
			return fmt.Errorf("data: unable to encode the raters' report of round %d: %w", r.ID, err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO round_others_groups (round_id, key, seq, body) VALUES (?, ?, ?, ?)",
			r.ID, g.Key, i, body); err != nil {
			return fmt.Errorf("data: unable to keep the raters' report of round %d: %w", r.ID, err)
		}
	}
	return nil
}

// findOthersReport finds a round's kept raters' report, or an ENOTFOUND
// error when none is kept.
func (d *DB) findOthersReport(ctx context.Context, q queryer, roundID int64) (*OthersReport, error) {
	o := &OthersReport{RoundID: roundID, db: d}
	err := q.QueryRowContext(ctx, "SELECT min_group FROM round_others_reports WHERE round_id = ?", roundID).Scan(&o.MinGroup)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.Errorf(survey.ENOTFOUND, "no kept raters' report of round %d", roundID)
	}
	if err != nil {
		return nil, fmt.Errorf("data: unable to find the raters' report of round %d: %w", roundID, err)
	}
	return o, nil
}

// roundRatings reads every submitted rating of a round with the leader it
// is about, tallied: the kept tallies where there are, the answers
// counted where not.
func roundRatings(ctx context.Context, tx queryer, in *survey.Instrument, roundID int64) ([]scoring.SubjectRating, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT r.id, r.subject_id, r.rater_id, r.relation, t.tally
		FROM responses r LEFT JOIN answer_tallies t ON t.response_id = r.id
		WHERE r.round_id = ? AND r.relation <> 'self' AND r.submitted_at IS NOT NULL
		ORDER BY r.id`, roundID)
	if err != nil {
		return nil, fmt.Errorf("data: unable to find ratings: %w", err)
	}
	defer rows.Close()
	var out []scoring.SubjectRating
	untallied := map[int64]int{} // response id: index in out
	for rows.Next() {
		var id int64
		var rel string
		var blob sql.RawBytes
		var sr scoring.SubjectRating
		if err := rows.Scan(&id, &sr.SubjectID, &sr.RaterID, &rel, &blob); err != nil {
			return nil, fmt.Errorf("data: unable to find ratings: %w", err)
		}
		sr.Relation = survey.Relation(rel)
		if blob == nil {
			untallied[id] = len(out)
		} else if sr.Tally, err = appendDecodedTally(nil, blob); err != nil {
			return nil, fmt.Errorf("data: unable to read tally of response %d: %w", id, err)
		}
		out = append(out, sr)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: unable to find ratings: %w", err)
	}
	if len(untallied) == 0 {
		return out, nil
	}
	answers := map[int64]survey.Answers{}
	err = scanAnswers(ctx, tx, `
		SELECT a.response_id, a.item_id, a.value
		FROM responses r JOIN answers a ON a.response_id = r.id
		WHERE r.round_id = ? AND r.relation <> 'self' AND r.submitted_at IS NOT NULL
			AND NOT EXISTS (SELECT 1 FROM answer_tallies t WHERE t.response_id = r.id)`, roundID,
		func(id int64, item string, v survey.Answer) {
			if answers[id] == nil {
				answers[id] = survey.Answers{}
			}
			answers[id][item] = v
		})
	if err != nil {
		return nil, err
	}
	for id, at := range untallied {
		out[at].Tally = in.Tally(answers[id])
	}
	return out, nil
}

// scanAnswers calls f with every (response, item, value) row of query.
func scanAnswers(ctx context.Context, tx queryer, query string, roundID int64, f func(id int64, item string, v survey.Answer)) error {
	rows, err := tx.QueryContext(ctx, query, roundID)
	if err != nil {
		return fmt.Errorf("data: unable to find answers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var item string
		var v int
		if err := rows.Scan(&id, &item, &v); err != nil {
			return fmt.Errorf("data: unable to find answers: %w", err)
		}
		f(id, item, survey.Answer(v))
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("data: unable to find answers: %w", err)
	}
	return nil
}
