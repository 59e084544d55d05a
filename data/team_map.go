package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"lederradar/survey"
)

// A cross-cutting team's own map (DESIGN C14, migration 0018): members of
// a team who consent share their own radar with the team's other members,
// for one round, until they withdraw. Only members of the team who were
// invited to answer in the round see the map or consent; the map names
// those who share and counts, never names, the rest. No HR or
// administrator page, export, API or aggregate reads the consents.
//
// A round's team is today's team while the round is open (team_members)
// and the team the round kept when it closed after (round_members,
// migration 0007), so a closed round's map does not change with the
// organisation.

// roundTeamSQL selects the name of team ?2 as round ?1 knows it.
const roundTeamSQL = `
	SELECT g.name FROM groups g JOIN rounds r ON r.id = ?1 AND r.status != 'closed'
	WHERE g.id = ?2 AND g.kind = 'team'
	UNION ALL
	SELECT g.name FROM round_groups g JOIN rounds r ON r.id = g.round_id AND r.status = 'closed'
	WHERE g.round_id = ?1 AND g.group_id = ?2 AND g.kind = 'team'`

// roundTeamMembersSQL selects the ids of team ?2's members in round ?1
// who hold a self invitation in it: the members of the team's map.
const roundTeamMembersSQL = `
	SELECT x.person_id FROM (
		SELECT m.person_id FROM team_members m
		JOIN groups g ON g.id = m.team_id AND g.kind = 'team'
		JOIN rounds r ON r.id = ?1 AND r.status != 'closed'
		WHERE m.team_id = ?2
		UNION ALL
		SELECT m.person_id FROM round_members m
		JOIN round_groups g ON g.round_id = m.round_id AND g.group_id = m.group_id AND g.kind = 'team'
		JOIN rounds r ON r.id = m.round_id AND r.status = 'closed'
		WHERE m.round_id = ?1 AND m.group_id = ?2
	) x
	WHERE EXISTS (SELECT 1 FROM invitations i
		WHERE i.round_id = ?1 AND i.person_id = x.person_id AND i.subject_id = x.person_id)`

// RoundTeam is one of a person's teams in a round, with whether they
// share their radar with it.
type RoundTeam struct {
	Team   survey.Group
	Shares bool
}

// TeamMap is what a member of a team sees of it in a round.
type TeamMap struct {
	Team survey.Group
	// Members counts the team's members in the round who were invited to
	// answer, the viewer included.
	Members int
	// ViewerShares says whether the viewer shares their radar, and
	// ViewerSince since when.
	ViewerShares bool
	ViewerSince  time.Time
	// Shared are the members who share their radar and have submitted
	// their self-assessment, by name: the only members the map names.
	Shared []SharedRadar
}

// SharedRadar is one member's radar as they share it with their team.
type SharedRadar struct {
	PersonID int64
	Name     string
	// Tally is their submitted self-assessment's, counted against the
	// round's instrument.
	Tally survey.Tally
}

// FindTeamsOfRound returns the teams a person is on in a round — today's
// while it is open, those it kept when it closed — with whether they
// share their radar with each, by name. None when the person holds no
// self invitation in the round.
func (d *DB) FindTeamsOfRound(ctx context.Context, roundID, personID int64) ([]RoundTeam, error) {
	rows, err := d.read.QueryContext(ctx, `
		SELECT t.id, t.name, c.person_id IS NOT NULL FROM (
			SELECT g.id, g.name FROM team_members m
			JOIN groups g ON g.id = m.team_id AND g.kind = 'team'
			JOIN rounds r ON r.id = ?1 AND r.status != 'closed'
			WHERE m.person_id = ?2
			UNION ALL
			SELECT g.group_id, g.name FROM round_members m
			JOIN round_groups g ON g.round_id = m.round_id AND g.group_id = m.group_id AND g.kind = 'team'
			JOIN rounds r ON r.id = m.round_id AND r.status = 'closed'
			WHERE m.person_id = ?2 AND m.round_id = ?1
		) t
		LEFT JOIN team_map_consents c ON c.round_id = ?1 AND c.team_id = t.id AND c.person_id = ?2
		WHERE EXISTS (SELECT 1 FROM invitations i WHERE i.round_id = ?1 AND i.person_id = ?2 AND i.subject_id = ?2)
		ORDER BY t.name, t.id`, roundID, personID)
	if err != nil {
		return nil, fmt.Errorf("data: unable to find the teams of person %d: %w", personID, err)
	}
	defer rows.Close()
	out := []RoundTeam{}
	for rows.Next() {
		rt := RoundTeam{Team: survey.Group{Kind: survey.Team}}
		if err := rows.Scan(&rt.Team.ID, &rt.Team.Name, &rt.Shares); err != nil {
			return nil, fmt.Errorf("data: unable to find the teams of person %d: %w", personID, err)
		}
		out = append(out, rt)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: unable to find the teams of person %d: %w", personID, err)
	}
	return out, nil
}

// FindTeamMap returns team teamID's map in a round as viewer sees it,
// the shared tallies counted against in, the round's instrument.
// ENOTFOUND unless the team exists in the round and the viewer is one of
// its members there with a self invitation. A member who does not share
// is counted, and nothing else is read about them: not their name, not
// their answers.
func (d *DB) FindTeamMap(ctx context.Context, roundID, teamID, viewerID int64, in *survey.Instrument) (*TeamMap, error) {
	tx, err := d.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("data: unable to begin finding a team map: %w", err)
	}
	defer tx.Rollback()
	m := &TeamMap{Team: survey.Group{ID: teamID, Kind: survey.Team}, Shared: []SharedRadar{}}
	err = tx.QueryRowContext(ctx, roundTeamSQL, roundID, teamID).Scan(&m.Team.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.Errorf(survey.ENOTFOUND, "no team %d in round %d", teamID, roundID)
	} else if err != nil {
		return nil, fmt.Errorf("data: unable to find team %d: %w", teamID, err)
	}
	type shared struct {
		SharedRadar
		responseID int64
		tally      []byte
	}
	var found []shared
	viewer := false
	err = scanRows(ctx, tx, `
		SELECT m.person_id, c.given_at, CASE WHEN c.person_id IS NOT NULL THEN p.name END, r.id, t.tally
		FROM (`+roundTeamMembersSQL+`) m
		JOIN people p ON p.id = m.person_id
		LEFT JOIN team_map_consents c ON c.round_id = ?1 AND c.team_id = ?2 AND c.person_id = m.person_id
		LEFT JOIN responses r ON c.person_id IS NOT NULL AND r.round_id = ?1
			AND r.subject_id = m.person_id AND r.rater_id = m.person_id AND r.submitted_at IS NOT NULL
		LEFT JOIN answer_tallies t ON t.response_id = r.id
		ORDER BY p.name, p.id`, []any{roundID, teamID}, func(rows *sql.Rows) error {
		var id int64
		var given, name sql.NullString
		var response sql.NullInt64
		var tally []byte
		if err := rows.Scan(&id, &given, &name, &response, &tally); err != nil {
			return err
		}
		m.Members++
		if id == viewerID {
			since, err := parseNullTime(given)
			if err != nil {
				return err
			}
			viewer, m.ViewerShares, m.ViewerSince = true, given.Valid, since
		}
		if given.Valid && response.Valid {
			found = append(found, shared{SharedRadar{PersonID: id, Name: name.String}, response.Int64, tally})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("data: unable to find the map of team %d: %w", teamID, err)
	}
	if !viewer {
		return nil, survey.Errorf(survey.ENOTFOUND, "person %d is no member of team %d in round %d", viewerID, teamID, roundID)
	}
	for _, f := range found {
		if f.Tally, err = d.tallyOf(ctx, f.responseID, f.tally, in); err != nil {
			return nil, err
		}
		m.Shared = append(m.Shared, f.SharedRadar)
	}
	return m, nil
}

// scanRows runs query on q and calls scan for each row.
func scanRows(ctx context.Context, q queryer, query string, args []any, scan func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// GiveTeamMapConsent records that a person shares their radar with team
// teamID in a round, from now until they withdraw. ENOTFOUND unless they
// are a member of the team in the round with a self invitation. Giving
// it again changes nothing (the first time stays).
func (d *DB) GiveTeamMapConsent(ctx context.Context, roundID, teamID, personID int64) error {
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("data: unable to begin giving consent: %w", err)
	}
	defer tx.Rollback()
	if err := checkTeamMember(ctx, tx, roundID, teamID, personID); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO team_map_consents (round_id, team_id, person_id, given_at)
		VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`, roundID, teamID, personID, formatTime(d.now())); err != nil {
		return fmt.Errorf("data: unable to give consent: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("data: unable to commit consent: %w", err)
	}
	return nil
}

// WithdrawTeamMapConsent deletes a person's consent to share their radar
// with team teamID in a round: from the commit on, the team's map no
// longer shows it. Withdrawing what was not given changes nothing; for
// someone who is neither a member nor gave it, it is ENOTFOUND.
func (d *DB) WithdrawTeamMapConsent(ctx context.Context, roundID, teamID, personID int64) error {
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("data: unable to begin withdrawing consent: %w", err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `DELETE FROM team_map_consents WHERE round_id = ? AND team_id = ? AND person_id = ?`,
		roundID, teamID, personID)
	if err != nil {
		return fmt.Errorf("data: unable to withdraw consent: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("data: unable to withdraw consent: %w", err)
	} else if n == 0 {
		if err := checkTeamMember(ctx, tx, roundID, teamID, personID); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("data: unable to commit withdrawing consent: %w", err)
	}
	return nil
}

// checkTeamMember returns ENOTFOUND unless the person is a member of team
// teamID in the round with a self invitation.
func checkTeamMember(ctx context.Context, q queryer, roundID, teamID, personID int64) error {
	ok, err := exists(ctx, q, "SELECT 1 FROM ("+roundTeamMembersSQL+") WHERE person_id = ?3", roundID, teamID, personID)
	if err != nil {
		return fmt.Errorf("data: unable to find the members of team %d: %w", teamID, err)
	}
	if !ok {
		return survey.Errorf(survey.ENOTFOUND, "person %d is no member of team %d in round %d", personID, teamID, roundID)
	}
	return nil
}

// TeamMapConsent is a consent a person gave, as their own data download
// lists it.
type TeamMapConsent struct {
	RoundID   int64
	RoundName string
	TeamID    int64
	// TeamName is the team's name as the round knows it.
	TeamName string
	GivenAt  time.Time
}

// teamMapConsentsOf returns the consents a person gave, the oldest round
// first.
func teamMapConsentsOf(ctx context.Context, q queryer, personID int64) ([]TeamMapConsent, error) {
	out := []TeamMapConsent{}
	err := scanRows(ctx, q, `
		SELECT c.round_id, r.name, c.team_id, coalesce(rg.name, g.name), c.given_at
		FROM team_map_consents c
		JOIN rounds r ON r.id = c.round_id
		JOIN groups g ON g.id = c.team_id
		LEFT JOIN round_groups rg ON rg.round_id = c.round_id AND rg.group_id = c.team_id
		WHERE c.person_id = ?
		ORDER BY r.created_at, r.id, c.team_id`, []any{personID}, func(rows *sql.Rows) error {
		var tc TeamMapConsent
		var given string
		if err := rows.Scan(&tc.RoundID, &tc.RoundName, &tc.TeamID, &tc.TeamName, &given); err != nil {
			return err
		}
		var err error
		if tc.GivenAt, err = parseTime(given); err != nil {
			return err
		}
		out = append(out, tc)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("data: unable to find the team map consents of person %d: %w", personID, err)
	}
	return out, nil
}
