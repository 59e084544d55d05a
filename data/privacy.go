package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"lederradar/survey"
)

// Privacy (DESIGN.md C10): what is held about one person, erasing a
// person, and deleting rounds that have outlived the retention period.

// PersonData is everything the database holds about one person, for the
// leader's own download (the right of access, GDPR art. 15 and 20).
type PersonData struct {
	Person survey.Person
	// Department is nil when the person belongs to none.
	Department *survey.Group
	Teams      []survey.Group
	// Rounds are the rounds the person was invited to or answered in, the
	// oldest first.
	Rounds []PersonRound
	// KeptGroups are the departments and teams the person was in when each
	// closed round closed, as the round keeps them for its profiles
	// (migration 0007), the oldest round first.
	KeptGroups []RoundGroups
	// TeamMapConsents are the teams the person shares their radar with,
	// per round (migration 0018), the oldest round first.
	TeamMapConsents []TeamMapConsent
	// Plans are the person's development plans, the oldest round first;
	// Shares the links they made to them, every one still held.
	Plans  []survey.Plan
	Shares []survey.Share
}

// RoundGroups are the groups a closed round kept one person in.
type RoundGroups struct {
	RoundID   int64
	RoundName string
	// Groups are the department (if any) and then the teams, by name, as
	// they were named when the round closed.
	Groups []survey.Group
}

// PersonRound is one round as it concerns one person: their invitation and
// the answers they gave in it.
type PersonRound struct {
	Round survey.Round
	// InvitedAt is when the person's link was made; zero when they have
	// answers but no link (answers imported from elsewhere).
	InvitedAt time.Time
	// Responses are the person's own responses in the round, as the rater.
	// Today that is at most the self-assessment.
	Responses []survey.Response
	// LinkOpenings are the times the person's links in the round were
	// opened in a new browser, the newest first.
	LinkOpenings []LinkOpening
}

// FindPersonData returns everything held about a person, read in one
// snapshot so the parts agree.
func (d *DB) FindPersonData(ctx context.Context, personID int64) (*PersonData, error) {
	tx, err := d.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("data: unable to begin finding person data: %w", err)
	}
	defer tx.Rollback()

	pd := &PersonData{Teams: []survey.Group{}, Rounds: []PersonRound{}}
	pd.Person, err = scanPerson(tx.QueryRowContext(ctx, "SELECT "+personColumns+" FROM people WHERE id = ?", personID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, survey.Errorf(survey.ENOTFOUND, "no person with id %d", personID)
	} else if err != nil {
		return nil, fmt.Errorf("data: unable to find person %d: %w", personID, err)
	}
	if pd.Person.DepartmentID != 0 {
		if pd.Department, err = departmentGroup(ctx, tx, pd.Person); err != nil {
			return nil, err
		}
	}
	if pd.Teams, err = teamsOf(ctx, tx, personID); err != nil {
		return nil, err
	}
	if pd.Rounds, err = roundsOf(ctx, tx, personID); err != nil {
		return nil, err
	}
	byRound := map[int64]*PersonRound{}
	for i := range pd.Rounds {
		byRound[pd.Rounds[i].Round.ID] = &pd.Rounds[i]
	}
	if err := responsesBy(ctx, tx, personID, byRound); err != nil {
		return nil, err
	}
	if pd.KeptGroups, err = keptGroups(ctx, tx, personID); err != nil {
		return nil, err
	}
	if err := linkOpeningsOf(ctx, tx, personID, byRound); err != nil {
		return nil, err
	}
	if pd.TeamMapConsents, err = teamMapConsentsOf(ctx, tx, personID); err != nil {
		return nil, err
	}
	if pd.Plans, err = findPlans(ctx, tx, "WHERE p.person_id = ?", personID); err != nil {
		return nil, err
	}
	if pd.Shares, err = sharesOf(ctx, tx, personID); err != nil {
		return nil, err
	}
	return pd, nil
}

// departmentGroup returns the department a person belongs to, so that
// the download names it, not only its id.
func departmentGroup(ctx context.Context, tx *sql.Tx, p survey.Person) (*survey.Group, error) {
	g := survey.Group{ID: p.DepartmentID}
	var kind string
	if err := tx.QueryRowContext(ctx, "SELECT kind, name FROM groups WHERE id = ?", g.ID).Scan(&kind, &g.Name); err != nil {
		return nil, fmt.Errorf("data: unable to find department of person %d: %w", p.ID, err)
	}
	g.Kind = survey.GroupKind(kind)
	return &g, nil
}

// roundsOf returns every round with a link for the person or a response
// by them, the oldest first, each with no responses or openings yet.
func roundsOf(ctx context.Context, tx *sql.Tx, personID int64) ([]PersonRound, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT `+roundColumns+`,
			(SELECT min(created_at) FROM invitations i WHERE i.round_id = rounds.id AND i.person_id = ?1)
		FROM rounds
		WHERE id IN (SELECT round_id FROM invitations WHERE person_id = ?1
			UNION SELECT round_id FROM responses WHERE rater_id = ?1)
		ORDER BY created_at, id`, personID)
	if err != nil {
		return nil, fmt.Errorf("data: unable to find rounds of person %d: %w", personID, err)
	}
	defer rows.Close()
	out := []PersonRound{}
	for rows.Next() {
		var invited sql.NullString
		r, err := scanRound(scanWith{rows, []any{&invited}})
		if err != nil {
			return nil, fmt.Errorf("data: unable to find rounds of person %d: %w", personID, err)
		}
		pr := PersonRound{Round: r, Responses: []survey.Response{}, LinkOpenings: []LinkOpening{}}
		if pr.InvitedAt, err = parseNullTime(invited); err != nil {
			return nil, err
		}
		out = append(out, pr)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: unable to find rounds of person %d: %w", personID, err)
	}
	return out, nil
}

// responsesBy adds to each of a person's rounds the responses they gave
// in it, with their answers.
func responsesBy(ctx context.Context, tx *sql.Tx, personID int64, byRound map[int64]*PersonRound) error {
	rows, err := tx.QueryContext(ctx, `
		SELECT r.id, r.round_id, r.subject_id, r.relation, r.submitted_at, a.item_id, a.value
		FROM responses r LEFT JOIN answers a ON a.response_id = r.id
		WHERE r.rater_id = ?
		ORDER BY r.round_id, r.id, a.item_id`, personID)
	if err != nil {
		return fmt.Errorf("data: unable to find responses of person %d: %w", personID, err)
	}
	defer rows.Close()
	var last *survey.Response
	for rows.Next() {
		var resp survey.Response
		var rel string
		var submitted, item sql.NullString
		var value sql.NullInt64
		if err := rows.Scan(&resp.ID, &resp.RoundID, &resp.SubjectID, &rel, &submitted, &item, &value); err != nil {
			return fmt.Errorf("data: unable to find responses of person %d: %w", personID, err)
		}
		if last == nil || last.ID != resp.ID {
			pr := byRound[resp.RoundID]
			if pr == nil {
				// Both queries read one snapshot, so every round is there.
				return fmt.Errorf("data: unable to find round %d of person %d", resp.RoundID, personID)
			}
			resp.RaterID = personID
			resp.Relation = survey.Relation(rel)
			resp.Answers = survey.Answers{}
			if resp.SubmittedAt, err = parseNullTime(submitted); err != nil {
				return err
			}
			pr.Responses = append(pr.Responses, resp)
			last = &pr.Responses[len(pr.Responses)-1]
		}
		if item.Valid {
			last.Answers[item.String] = survey.Answer(value.Int64)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("data: unable to find responses of person %d: %w", personID, err)
	}
	return nil
}

// linkOpeningsOf adds to each of a person's rounds the openings of
// their links in it.
func linkOpeningsOf(ctx context.Context, tx *sql.Tx, personID int64, byRound map[int64]*PersonRound) error {
	rows, err := tx.QueryContext(ctx, `
		SELECT i.round_id, o.opened_at, o.browser, o.os
		FROM link_openings o JOIN invitations i ON i.id = o.invitation_id
		WHERE i.person_id = ?
		ORDER BY i.round_id, o.opened_at DESC, o.id DESC`, personID)
	if err != nil {
		return fmt.Errorf("data: unable to find link openings of person %d: %w", personID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var roundID int64
		var o LinkOpening
		var opened string
		if err := rows.Scan(&roundID, &opened, &o.Browser, &o.OS); err != nil {
			return fmt.Errorf("data: unable to find link openings of person %d: %w", personID, err)
		}
		if o.OpenedAt, err = parseTime(opened); err != nil {
			return err
		}
		if pr := byRound[roundID]; pr != nil {
			pr.LinkOpenings = append(pr.LinkOpenings, o)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("data: unable to find link openings of person %d: %w", personID, err)
	}
	return nil
}

// keptGroups returns the groups the closed rounds kept a person in.
func keptGroups(ctx context.Context, tx *sql.Tx, personID int64) ([]RoundGroups, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT r.id, r.name, g.group_id, g.kind, g.name
		FROM round_members m
		JOIN round_groups g ON g.round_id = m.round_id AND g.group_id = m.group_id
		JOIN rounds r ON r.id = m.round_id
		WHERE m.person_id = ?
		ORDER BY r.created_at, r.id, g.kind, g.name, g.group_id`, personID)
	if err != nil {
		return nil, fmt.Errorf("data: unable to find kept groups of person %d: %w", personID, err)
	}
	defer rows.Close()
	out := []RoundGroups{}
	for rows.Next() {
		var roundID int64
		var roundName, kind string
		var g survey.Group
		if err := rows.Scan(&roundID, &roundName, &g.ID, &kind, &g.Name); err != nil {
			return nil, fmt.Errorf("data: unable to find kept groups of person %d: %w", personID, err)
		}
		g.Kind = survey.GroupKind(kind)
		if n := len(out); n == 0 || out[n-1].RoundID != roundID {
			out = append(out, RoundGroups{RoundID: roundID, RoundName: roundName})
		}
		out[len(out)-1].Groups = append(out[len(out)-1].Groups, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: unable to find kept groups of person %d: %w", personID, err)
	}
	return out, nil
}

// scanWith scans a row into the round columns and then extra.
type scanWith struct {
	rows  *sql.Rows
	extra []any
}

func (s scanWith) Scan(dest ...any) error { return s.rows.Scan(append(dest, s.extra...)...) }

// ErasePerson deletes a person and every row about them — team
// memberships and the memberships closed rounds kept of them, the
// consents to share their radar with a team, invitations
// with the sessions and the record of openings made through them,
// responses by or about them with their answers, tallies and form keys,
// the feedback they were shown, raters who rated only them and are no
// leader, and failed log-ins under their e-mail address — in one
// transaction,
// together with an audit entry by actor that names only the id.
// Afterwards their links and sessions stop working and no aggregate built
// later can include them. The kept reports of closed rounds stay as they
// are (migration 0009): they are anonymous statistics, final once
// published.
//
// Every connection deletes securely (secure_delete, see dsn), so the
// erased rows leave no copy in the database file's free space; after the
// commit the write-ahead log, which held earlier versions of the rows, is
// emptied (TruncateWAL). If readers keep it from being emptied, the
// erasure stands and the error wraps ErrWALKept.
func (d *DB) ErasePerson(ctx context.Context, personID int64, actor string) error {
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("data: unable to begin erasing person: %w", err)
	}
	defer tx.Rollback()

	var email string
	err = tx.QueryRowContext(ctx, "SELECT email FROM people WHERE id = ?", personID).Scan(&email)
	if errors.Is(err, sql.ErrNoRows) {
		return survey.Errorf(survey.ENOTFOUND, "no person with id %d", personID)
	} else if err != nil {
		return fmt.Errorf("data: unable to find person %d: %w", personID, err)
	}
	var raters []int64
	if err := scanInts(ctx, tx, `SELECT person_id FROM invitations WHERE subject_id = ?1 AND person_id != ?1
		UNION SELECT rater_id FROM responses WHERE subject_id = ?1 AND rater_id != ?1`, []any{personID}, func(id int64) {
		raters = append(raters, id)
	}); err != nil {
		return fmt.Errorf("data: unable to find the raters of person %d: %w", personID, err)
	}
	// The foreign keys cascade from people, but every table is named here
	// so the erasure does not rest on a schema detail a later migration
	// might change. Children go before their parents.
	for _, stmt := range []struct{ what, sql string }{
		{"form keys", `DELETE FROM form_keys WHERE response_id IN
			(SELECT id FROM responses WHERE subject_id = ?1 OR rater_id = ?1)`},
		{"answers", `DELETE FROM answers WHERE response_id IN
			(SELECT id FROM responses WHERE subject_id = ?1 OR rater_id = ?1)`},
		{"tallies", `DELETE FROM answer_tallies WHERE response_id IN
			(SELECT id FROM responses WHERE subject_id = ?1 OR rater_id = ?1)`},
		{"responses", "DELETE FROM responses WHERE subject_id = ?1 OR rater_id = ?1"},
		{"sessions", `DELETE FROM sessions WHERE invitation_id IN
			(SELECT id FROM invitations WHERE person_id = ?1 OR subject_id = ?1)`},
		{"link openings", `DELETE FROM link_openings WHERE invitation_id IN
			(SELECT id FROM invitations WHERE person_id = ?1 OR subject_id = ?1)`},
		{"mail", `DELETE FROM outbox WHERE invitation_id IN
			(SELECT id FROM invitations WHERE person_id = ?1 OR subject_id = ?1)`},
		{"invitations", "DELETE FROM invitations WHERE person_id = ?1 OR subject_id = ?1"},
		{"team memberships", "DELETE FROM team_members WHERE person_id = ?1"},
		{"memberships at close", "DELETE FROM round_members WHERE person_id = ?1"},
		{"team map consents", "DELETE FROM team_map_consents WHERE person_id = ?1"},
		{"feedback seen", "DELETE FROM kept_feedback WHERE subject_id = ?1"},
		{"plan focuses", "DELETE FROM plan_focuses WHERE person_id = ?1"},
		{"plans", "DELETE FROM plans WHERE person_id = ?1"},
		{"shares", "DELETE FROM shares WHERE person_id = ?1"},
		{"views of others", "DELETE FROM round_views WHERE person_id = ?1"},
		{"signed-in sessions", "DELETE FROM person_sessions WHERE person_id = ?1"},
		{"person", "DELETE FROM people WHERE id = ?1"},
	} {
		if _, err := tx.ExecContext(ctx, stmt.sql, personID); err != nil {
			return fmt.Errorf("data: unable to erase %s of person %d: %w", stmt.what, personID, err)
		}
	}
	// Raters who were in the system only to rate this person go too.
	for _, id := range raters {
		if err := deleteIdleRater(ctx, tx, id); err != nil {
			return fmt.Errorf("data: unable to erase a rater of person %d: %w", personID, err)
		}
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM login_failures WHERE email = ?", strings.ToLower(email)); err != nil {
		return fmt.Errorf("data: unable to erase failed log-ins of person %d: %w", personID, err)
	}
	// The entry names the id only: the name and e-mail are what was erased.
	if err := d.addAudit(ctx, tx, survey.AuditEntry{Actor: actor, Action: "person.erase", Target: fmt.Sprintf("person:%d", personID)}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("data: unable to commit erasure of person %d: %w", personID, err)
	}
	if err := d.TruncateWAL(ctx); err != nil {
		return fmt.Errorf("data: person %d erased: %w", personID, err)
	}
	return nil
}

// closeDate is the SQL for when a closed round closed. closed_at is set
// for every closed round (migration 0003 filled in the older ones); the
// rest is a guard for rows written around this code.
const closeDate = "coalesce(closed_at, closes_at, created_at)"

// FindRoundsExpiringBefore returns the closed rounds whose close date is
// before t, the oldest first. With t = now + notice − retention, these are
// the rounds the retention period deletes within the notice.
func (d *DB) FindRoundsExpiringBefore(ctx context.Context, t time.Time) ([]survey.Round, error) {
	if t.IsZero() {
		return []survey.Round{}, nil
	}
	rows, err := d.read.QueryContext(ctx, `
		SELECT `+roundColumns+`, `+closeDate+` FROM rounds
		WHERE status = 'closed' AND `+closeDate+` < ?
		ORDER BY `+closeDate+`, id`, formatTime(t))
	if err != nil {
		return nil, fmt.Errorf("data: unable to find expiring rounds: %w", err)
	}
	defer rows.Close()
	rs := []survey.Round{}
	for rows.Next() {
		var closed string
		r, err := scanRound(scanWith{rows, []any{&closed}})
		if err != nil {
			return nil, fmt.Errorf("data: unable to find expiring rounds: %w", err)
		}
		if r.ClosedAt, err = parseTime(closed); err != nil {
			return nil, err
		}
		rs = append(rs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("data: unable to find expiring rounds: %w", err)
	}
	return rs, nil
}

// DeleteExpiredRounds deletes every closed round whose close date is
// before before, with its invitations, sessions, link openings, responses,
// answers, form keys and report (kept and in memory), in one transaction
// that also writes one audit entry per round (actor "system", action
// "retention.delete"). It returns how many rounds went. Rounds that are draft or open are never touched.
func (d *DB) DeleteExpiredRounds(ctx context.Context, before time.Time) (int, error) {
	if before.IsZero() {
		return 0, nil
	}
	tx, err := d.write.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("data: unable to begin deleting expired rounds: %w", err)
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `
		SELECT id, `+closeDate+` FROM rounds
		WHERE status = 'closed' AND `+closeDate+` < ?
		ORDER BY id`, formatTime(before))
	if err != nil {
		return 0, fmt.Errorf("data: unable to find expired rounds: %w", err)
	}
	type expired struct {
		id     int64
		closed string
	}
	var due []expired
	for rows.Next() {
		var e expired
		if err := rows.Scan(&e.id, &e.closed); err != nil {
			_ = rows.Close() // the scan error is the one to report
			return 0, fmt.Errorf("data: unable to find expired rounds: %w", err)
		}
		due = append(due, e)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return 0, fmt.Errorf("data: unable to find expired rounds: %w", err)
	}
	for _, e := range due {
		// As in ErasePerson, children are deleted explicitly.
		for _, stmt := range []struct{ what, sql string }{
			{"form keys", "DELETE FROM form_keys WHERE response_id IN (SELECT id FROM responses WHERE round_id = ?)"},
			{"answers", "DELETE FROM answers WHERE response_id IN (SELECT id FROM responses WHERE round_id = ?)"},
			{"responses", "DELETE FROM responses WHERE round_id = ?"},
			{"sessions", "DELETE FROM sessions WHERE invitation_id IN (SELECT id FROM invitations WHERE round_id = ?)"},
			{"link openings", "DELETE FROM link_openings WHERE invitation_id IN (SELECT id FROM invitations WHERE round_id = ?)"},
			{"mail", "DELETE FROM outbox WHERE invitation_id IN (SELECT id FROM invitations WHERE round_id = ?)"},
			{"invitations", "DELETE FROM invitations WHERE round_id = ?"},
			{"team map consents", "DELETE FROM team_map_consents WHERE round_id = ?"},
			{"round", "DELETE FROM rounds WHERE id = ?"},
		} {
			if _, err := tx.ExecContext(ctx, stmt.sql, e.id); err != nil {
				return 0, fmt.Errorf("data: unable to delete %s of expired round %d: %w", stmt.what, e.id, err)
			}
		}
		if err := d.addAudit(ctx, tx, survey.AuditEntry{Actor: "system", Action: "retention.delete",
			Target: fmt.Sprintf("round:%d", e.id), Detail: "closed " + e.closed}); err != nil {
			return 0, err
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("data: unable to commit deleting expired rounds: %w", err)
	}
	gone := make([]int64, 0, len(due))
	for _, e := range due {
		gone = append(gone, e.id)
	}
	d.reports.forget(gone) // their kept reports went with them (ON DELETE CASCADE)
	return len(due), nil
}
