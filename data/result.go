package data

import (
	"context"
	"fmt"

	"lederradar/survey"
)

// A leader's result page shows their own scores in this round and in the
// previous round they took part in. Both come from the responses' tallies
// (tally.go): one small row each rather than every answer, and the
// previous round in the same statement as its response. Scores from a
// tally equal scores from the answers (scoring.TestPersonFromTally).

// OwnResult is what a leader's result page needs of the database: their
// submitted response in a round, and the newest earlier closed round they
// submitted in, as tallies.
type OwnResult struct {
	// Tally is the round's submitted response's, counted against the
	// round's instrument; nil when the leader has not submitted.
	Tally survey.Tally
	// Previous is the newest closed round created before this one in
	// which the leader submitted, and PreviousTally that response's,
	// counted against that round's instrument; nil when there is none.
	Previous      *survey.Round
	PreviousTally survey.Tally
}

// FindOwnResult returns rater's submitted responses about subject in round
// (counted against in, the round's instrument) and in the previous round
// they submitted in, in one lookup.
func (d *DB) FindOwnResult(ctx context.Context, round *survey.Round, subjectID, raterID int64, in *survey.Instrument) (OwnResult, error) {
	var res OwnResult
	rows, err := d.readRows(ctx, `
		SELECT ro.id, ro.name, ro.status, ro.instrument_version, ro.opens_at, ro.closes_at, ro.created_at, ro.closed_at,
			ro.kind, ro.manager_shown, ro.several_managers, ro.raters_close, r.id, t.tally
		FROM responses r
		JOIN rounds ro ON ro.id = r.round_id
		LEFT JOIN answer_tallies t ON t.response_id = r.id
		WHERE r.subject_id = ? AND r.rater_id = ? AND r.submitted_at IS NOT NULL
			AND (ro.id = ? OR (ro.status = 'closed' AND (ro.created_at, ro.id) < (?, ?)))
		ORDER BY ro.id = ? DESC, ro.created_at DESC, ro.id DESC
		LIMIT 2`, subjectID, raterID, round.ID, formatTime(round.CreatedAt), round.ID, round.ID)
	if err != nil {
		return res, fmt.Errorf("data: unable to find the responses: %w", err)
	}
	defer rows.Close()
	type found struct {
		round      survey.Round
		responseID int64
		tally      []byte
	}
	var got []found
	for rows.Next() {
		var f found
		if f.round, err = scanRound(withExtra{rows, []any{&f.responseID, &f.tally}}); err != nil {
			return res, fmt.Errorf("data: unable to find the responses: %w", err)
		}
		got = append(got, f)
	}
	if err := rows.Err(); err != nil {
		return res, fmt.Errorf("data: unable to find the responses: %w", err)
	}
	if err := rows.Close(); err != nil {
		return res, fmt.Errorf("data: unable to find the responses: %w", err)
	}
	for _, f := range got {
		if f.round.ID == round.ID {
			if res.Tally, err = d.tallyOf(ctx, f.responseID, f.tally, in); err != nil {
				return res, err
			}
			continue
		}
		if res.Previous != nil {
			break // the current round was not among the two
		}
		prevIn, err := d.cachedInstrument(ctx, d.read, f.round.InstrumentVersion)
		if err != nil {
			return res, err
		}
		if res.PreviousTally, err = d.tallyOf(ctx, f.responseID, f.tally, prevIn); err != nil {
			return res, err
		}
		prev := f.round
		res.Previous = &prev
	}
	return res, nil
}

// tallyOf decodes a stored tally, or counts the response's answers when it
// has none (a tally can be missing, never stale).
func (d *DB) tallyOf(ctx context.Context, responseID int64, stored []byte, in *survey.Instrument) (survey.Tally, error) {
	if stored != nil {
		t, err := decodeTally(stored)
		if err != nil {
			return nil, fmt.Errorf("data: tally of response %d: %w", responseID, err)
		}
		return t, nil
	}
	a, err := responseAnswers(ctx, d.read, responseID)
	if err != nil {
		return nil, err
	}
	return in.Tally(a), nil
}

// withExtra scans a row into a scanner's columns followed by extra ones.
type withExtra struct {
	row   rowScanner
	extra []any
}

func (w withExtra) Scan(dest ...any) error {
	return w.row.Scan(append(dest, w.extra...)...)
}

// FindKeptGroupIDs returns the ids of the departments and teams a closed
// round kept a person in when it closed (migration 0007), ascending: the
// groups a leader's result page may compare them with. A closed round's
// kept report holds counts, not members, so this is where the page learns
// them.
func (d *DB) FindKeptGroupIDs(ctx context.Context, roundID, personID int64) ([]int64, error) {
	ids := []int64{}
	// +round_id: the person's index, not the round's whole membership.
	if err := scanInts(ctx, d.read, `SELECT group_id FROM round_members
		WHERE person_id = ? AND +round_id = ? ORDER BY group_id`, []any{personID, roundID}, func(id int64) {
		ids = append(ids, id)
	}); err != nil {
		return nil, fmt.Errorf("data: unable to find the kept groups of person %d: %w", personID, err)
	}
	return ids, nil
}
