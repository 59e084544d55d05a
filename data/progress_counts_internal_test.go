package data

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"lederradar/internal/auth"
	"lederradar/internal/csvfile"
	"lederradar/survey"
)

// countedProgress is the naive computation the triggers of migration 0006
// must agree with: per round and group (0 for the organisation), today's
// members' progress flags counted one by one.
func countedProgress(t *testing.T, d *DB) map[[2]int64]RoundCounts {
	t.Helper()
	ctx := context.Background()
	rounds, err := d.FindRounds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	people, err := d.FindPeople(ctx)
	if err != nil {
		t.Fatal(err)
	}
	members, err := d.FindGroupMembers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	everyone := []int64{}
	for _, p := range people {
		everyone = append(everyone, p.ID)
	}
	out := map[[2]int64]RoundCounts{}
	for _, r := range rounds {
		progress, err := d.FindRoundProgress(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		of := map[int64]PersonProgress{}
		for _, p := range progress {
			of[p.PersonID] = p
		}
		add := func(g int64, members []int64) {
			var c RoundCounts
			for _, id := range members {
				p := of[id]
				if p.Invited {
					c.Invited++
				}
				if p.Started {
					c.Started++
				}
				if p.Submitted {
					c.Submitted++
				}
			}
			if c != (RoundCounts{}) {
				out[[2]int64{r.ID, g}] = c
			}
		}
		add(0, everyone) // group 0: the organisation
		for g, ms := range members {
			add(g, ms)
		}
	}
	return out
}

// countedRaters is the naive computation the triggers of migration 0015
// must agree with: per round, over the organisation and each group of
// today's organisation, the rater pairs (a link, or a submitted rating)
// of its leaders counted one by one, and their distinct raters.
func countedRaters(t *testing.T, d *DB) map[int64]*RaterProgress {
	t.Helper()
	ctx := context.Background()
	type pair struct{ round, rater, subject int64 }
	type state struct {
		rel       int
		submitted bool
	}
	links := map[pair]state{}
	var order []pair
	rows, err := d.read.QueryContext(ctx, `
		SELECT round_id, person_id, subject_id, relation, 0 FROM invitations WHERE relation <> 'self'
		UNION ALL
		SELECT round_id, rater_id, subject_id, relation, 1 FROM responses
		WHERE relation <> 'self' AND submitted_at IS NOT NULL
		ORDER BY 1, 2, 3, 5`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var p pair
		var rel survey.Relation
		var submitted bool
		if err := rows.Scan(&p.round, &p.rater, &p.subject, &rel, &submitted); err != nil {
			t.Fatal(err)
		}
		s, seen := links[p]
		if !seen {
			order = append(order, p)
			s.rel = slices.Index(RaterRelations[:], rel)
		}
		s.submitted = s.submitted || submitted
		links[p] = s
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	groupsOf := map[int64][]int64{}
	if err := scanPairs(ctx, d.read, `
		SELECT id, department_id FROM people WHERE department_id IS NOT NULL
		UNION ALL SELECT person_id, team_id FROM team_members`, nil, func(person, group int64) {
		groupsOf[person] = append(groupsOf[person], group)
	}); err != nil {
		t.Fatal(err)
	}
	out := map[int64]*RaterProgress{}
	seen := map[[4]int64]bool{} // round, group, relation, rater
	submitted := map[[4]int64]bool{}
	for _, p := range order {
		s := links[p]
		if out[p.round] == nil {
			out[p.round] = &RaterProgress{Groups: map[int64][3]RelationCounts{}}
		}
		for _, g := range append([]int64{0}, groupsOf[p.subject]...) {
			c := out[p.round].Groups[g]
			key := [4]int64{p.round, g, int64(s.rel), p.rater}
			c[s.rel].Invited++
			if !seen[key] {
				seen[key] = true
				c[s.rel].Raters++
			}
			if s.submitted {
				c[s.rel].Submitted++
				if !submitted[key] {
					submitted[key] = true
					c[s.rel].RatersSubmitted++
				}
			}
			out[p.round].Groups[g] = c
		}
	}
	for _, r := range out {
		r.Organisation = r.Groups[0]
		delete(r.Groups, 0)
	}
	return out
}

// keptRaters is what FindRaterProgress reads from rater_counts, for every
// round and group.
func keptRaters(t *testing.T, d *DB) map[int64]*RaterProgress {
	t.Helper()
	ctx := context.Background()
	var groups []int64
	if err := scanInts(ctx, d.read, "SELECT id FROM groups ORDER BY id", nil, func(id int64) { groups = append(groups, id) }); err != nil {
		t.Fatal(err)
	}
	rounds, err := d.FindRounds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int64]*RaterProgress{}
	for _, r := range rounds {
		p, err := d.FindRaterProgress(ctx, r.ID, groups)
		if err != nil {
			t.Fatal(err)
		}
		if p.Organisation != ([3]RelationCounts{}) || len(p.Groups) > 0 {
			out[r.ID] = p
		}
	}
	var orphans int
	if err := d.read.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM rater_counts WHERE round_id NOT IN (SELECT id FROM rounds)
			OR group_id <> 0 AND group_id NOT IN (SELECT id FROM groups)
			OR raters < 0 OR raters_submitted < 0 OR invited < 0 OR submitted < 0)
		+ (SELECT count(*) FROM rater_groups WHERE pairs < 0 OR submitted < 0)`).Scan(&orphans); err != nil || orphans != 0 {
		t.Fatalf("%d rater counts of deleted rounds or groups, or below zero (%v)", orphans, err)
	}
	return out
}

// checkRaters fails the test when the kept rater counts differ from the
// counted ones.
func checkRaters(t *testing.T, d *DB, when string) {
	t.Helper()
	want, got := countedRaters(t, d), keptRaters(t, d)
	if !reflect.DeepEqual(got, want) {
		for id := range want {
			if !reflect.DeepEqual(got[id], want[id]) {
				t.Errorf("%s, round %d:\nkept    %+v\ncounted %+v", when, id, got[id], want[id])
			}
		}
		for id := range got {
			if want[id] == nil {
				t.Errorf("%s, round %d: kept %+v, counted none", when, id, got[id])
			}
		}
		t.FailNow()
	}
}

// keptProgress is what progress_counts holds, rows of zeros left out. A
// row for a group or round that no longer exists fails the test.
func keptProgress(t *testing.T, d *DB) map[[2]int64]RoundCounts {
	t.Helper()
	ctx := context.Background()
	rows, err := d.read.QueryContext(ctx, `
		SELECT round_id, group_id, invited, started, submitted,
			group_id = 0 OR EXISTS (SELECT 1 FROM groups WHERE id = group_id)
		FROM progress_counts`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[[2]int64]RoundCounts{}
	for rows.Next() {
		var k [2]int64
		var c RoundCounts
		var live bool
		if err := rows.Scan(&k[0], &k[1], &c.Invited, &c.Started, &c.Submitted, &live); err != nil {
			t.Fatal(err)
		}
		if !live {
			t.Errorf("progress_counts keeps a row for group %d, which is gone", k[1])
		}
		if c != (RoundCounts{}) {
			out[k] = c
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// checkProgressPages compares every page of FindGroupProgress, and
// CountRoundProgress, with the counted progress and the groups' members.
func checkProgressPages(t *testing.T, d *DB, want map[[2]int64]RoundCounts) {
	t.Helper()
	ctx := context.Background()
	rounds, err := d.FindRounds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	groups, err := d.FindGroups(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	// As a round's report lists them: departments, then teams, by name
	// in byte order.
	slices.SortFunc(groups, func(a, b survey.Group) int {
		if a.Kind != b.Kind {
			return strings.Compare(string(a.Kind), string(b.Kind))
		}
		return strings.Compare(a.Name, b.Name)
	})
	members, err := d.FindGroupMembers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	people, err := d.FindPeople(ctx)
	if err != nil {
		t.Fatal(err)
	}
	total, err := d.CountGroupRows(ctx)
	if err != nil || total != 1+len(groups) {
		t.Fatalf("CountGroupRows = %d, %v; want %d", total, err, 1+len(groups))
	}
	for _, r := range rounds {
		wantRows := []GroupProgress{{Group: survey.Group{Kind: survey.Organisation}, Members: len(people), RoundCounts: want[[2]int64{r.ID, 0}]}}
		for _, g := range groups {
			wantRows = append(wantRows, GroupProgress{Group: g, Members: len(members[g.ID]), RoundCounts: want[[2]int64{r.ID, g.ID}]})
		}
		var got []GroupProgress
		for offset := 0; offset < total; offset += 3 {
			page, err := d.FindGroupProgress(ctx, r.ID, offset, 3)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, page...)
		}
		if !reflect.DeepEqual(got, wantRows) {
			t.Fatalf("round %d: FindGroupProgress pages =\n%+v\nwant\n%+v", r.ID, got, wantRows)
		}
		if c, err := d.CountRoundProgress(ctx, r.ID); err != nil || c != wantRows[0].RoundCounts {
			t.Fatalf("round %d: CountRoundProgress = %+v, %v; want %+v", r.ID, c, err, wantRows[0].RoundCounts)
		}
	}
}

// TestProgressCounts drives an organisation through random changes by
// every path that touches what the response rates count — the data API,
// the bulk loader, the imports, erasure, retention and plain SQL with its
// cascades — and checks after each that the counts the triggers keep equal
// the counts made one member at a time.
func TestProgressCounts(t *testing.T) {
	t.Parallel()
	for seed := range uint64(3) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 6))
			ctx := context.Background()
			d, open, closed, _ := testOrg(t, Options{}, 16)
			clk := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
			d.Now = func() time.Time { clk = clk.Add(time.Second); return clk }
			if err := d.CreateRound(ctx, &survey.Round{Name: "tredje", Status: survey.RoundOpen, InstrumentVersion: "gc-1"}); err != nil {
				t.Fatal(err)
			}
			pick := func(xs []int64) int64 {
				if len(xs) == 0 {
					return 0
				}
				return xs[rng.IntN(len(xs))]
			}
			// idsOf returns the ids a query finds, in order.
			idsOf := func(q string, args ...any) []int64 {
				ids := []int64{}
				if err := scanInts(ctx, d.read, q, args, func(id int64) { ids = append(ids, id) }); err != nil {
					t.Fatal(err)
				}
				return ids
			}
			livePeople := func() []int64 { return idsOf("SELECT id FROM people ORDER BY id") }
			groupsOf := func(kind survey.GroupKind) []int64 {
				return idsOf("SELECT id FROM groups WHERE kind = ? ORDER BY id", string(kind))
			}
			roundIDs := func() []int64 { return idsOf("SELECT id FROM rounds ORDER BY id") }
			answers := func() survey.Answers {
				a := survey.Answers{}
				for _, id := range []string{"a1", "a2", "a3", "a4", "b1", "b2", "b3", "b4"} {
					if rng.IntN(2) == 0 {
						a[id] = survey.Answer(rng.IntN(6))
					}
				}
				return a
			}
			// anyOf picks one of the ids a query returns, 0 when none.
			anyOf := func(q string) int64 { return pick(idsOf(q)) }
			raw := func(q string, args ...any) {
				if _, err := d.write.ExecContext(ctx, q, args...); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			for i := range 3 {
				for _, kind := range []survey.GroupKind{survey.Department, survey.Team} {
					if err := d.CreateGroup(ctx, &survey.Group{Kind: kind, Name: fmt.Sprintf("%s %d", kind, i)}); err != nil {
						t.Fatal(err)
					}
				}
			}
			step := 0
			ops := []struct {
				name string
				do   func() error
			}{
				{"create person", func() error {
					step++
					return d.CreatePerson(ctx, &survey.Person{Email: fmt.Sprintf("n%d@example.dk", step), Name: fmt.Sprintf("N%d", step), DepartmentID: pick(append(groupsOf(survey.Department), 0))})
				}},
				{"move person", func() error {
					p, err := d.FindPersonByID(ctx, pick(livePeople()))
					if err != nil {
						return err
					}
					p.DepartmentID = pick(append(groupsOf(survey.Department), 0))
					return d.UpdatePerson(ctx, p)
				}},
				{"set teams", func() error {
					var teams []int64
					for _, tm := range groupsOf(survey.Team) {
						if rng.IntN(2) == 0 {
							teams = append(teams, tm)
						}
					}
					return d.SetPersonTeams(ctx, pick(livePeople()), teams)
				}},
				{"add team member", func() error { return d.AddTeamMember(ctx, pick(groupsOf(survey.Team)), pick(livePeople())) }},
				{"create group", func() error {
					step++
					kind := []survey.GroupKind{survey.Department, survey.Team}[rng.IntN(2)]
					return d.CreateGroup(ctx, &survey.Group{Kind: kind, Name: fmt.Sprintf("%sg%d", []string{"a", "B", "c", "Æ", "ø"}[rng.IntN(5)], step)})
				}},
				{"delete group", func() error {
					if rng.IntN(3) != 0 { // rarer than the rest
						return nil
					}
					return d.DeleteGroup(ctx, pick(append(groupsOf(survey.Department), groupsOf(survey.Team)...)))
				}},
				{"invite", func() error {
					_, hash := auth.NewToken()
					p := pick(livePeople())
					return d.CreateInvitation(ctx, &survey.Invitation{RoundID: pick(roundIDs()), PersonID: p, Relation: survey.Self}, p, hash)
				}},
				{"invite a peer", func() error {
					_, hash := auth.NewToken()
					ps := livePeople()
					rater, subject := pick(ps), pick(ps)
					if rater == subject {
						return nil
					}
					return d.CreateInvitation(ctx, &survey.Invitation{RoundID: pick(roundIDs()), PersonID: rater, Relation: survey.Peer}, subject, hash)
				}},
				{"issue links", func() error {
					var ps []int64
					for _, p := range livePeople() {
						if rng.IntN(3) == 0 {
							ps = append(ps, p)
						}
					}
					_, err := d.IssueInvitations(ctx, pick(roundIDs()), ps, auth.NewToken)
					return err
				}},
				{"save", func() error {
					p := pick(livePeople())
					step++
					_, err := d.SaveAnswers(ctx, AnswerSave{RoundID: pick(roundIDs()), SubjectID: p, RaterID: p, Relation: survey.Self, FormKey: fmt.Sprintf("k%d", step), Answers: answers()})
					return err
				}},
				{"save as a peer", func() error {
					ps := livePeople()
					rater, subject := pick(ps), pick(ps)
					if rater == subject {
						return nil
					}
					step++
					_, err := d.SaveAnswers(ctx, AnswerSave{RoundID: pick(roundIDs()), SubjectID: subject, RaterID: rater, Relation: survey.Peer, FormKey: fmt.Sprintf("k%d", step), Answers: answers()})
					return err
				}},
				{"submit", func() error {
					p := pick(livePeople())
					step++
					_, err := d.SubmitResponse(ctx, pick(roundIDs()), p, p, survey.Self, fmt.Sprintf("s%d", step))
					return err
				}},
				{"submit as a peer", func() error {
					var round, subject, rater int64
					err := d.read.QueryRowContext(ctx, `SELECT round_id, subject_id, rater_id FROM responses
						WHERE relation <> 'self' AND submitted_at IS NULL ORDER BY id LIMIT 1 OFFSET ?`, rng.IntN(3)).Scan(&round, &subject, &rater)
					if err != nil {
						return err
					}
					step++
					_, err = d.SubmitResponse(ctx, round, subject, rater, survey.Peer, fmt.Sprintf("s%d", step))
					return err
				}},
				{"import responses", func() error {
					r, err := d.FindRoundByID(ctx, pick(roundIDs()))
					if err != nil {
						return err
					}
					ps, err := d.FindPeople(ctx)
					if err != nil {
						return err
					}
					var rows []csvfile.ResponseRow
					for i, p := range ps {
						if rng.IntN(4) == 0 {
							rows = append(rows, csvfile.ResponseRow{Line: i + 2, Email: p.Email, Answers: answers()})
						}
					}
					_, err = d.ImportResponses(ctx, r, rows)
					return err
				}},
				{"import people", func() error {
					ps, err := d.FindPeople(ctx)
					if err != nil {
						return err
					}
					var rows []csvfile.PersonRow
					for i, p := range ps {
						if rng.IntN(4) == 0 {
							row := csvfile.PersonRow{Line: i + 2, Email: p.Email, Name: p.Name, Department: fmt.Sprintf("department %d", rng.IntN(4))}
							if rng.IntN(3) == 0 {
								row.Department = ""
							}
							for j := range 4 {
								if rng.IntN(3) == 0 {
									row.Teams = append(row.Teams, fmt.Sprintf("team %d", j))
								}
							}
							rows = append(rows, row)
						}
					}
					_, err = d.ImportPeople(ctx, rows)
					return err
				}},
				{"bulk load", func() error {
					return d.WriteBatch(ctx, func(l *Batch) error {
						step++
						p := &survey.Person{Email: fmt.Sprintf("b%d@example.dk", step), Name: fmt.Sprintf("B%d", step), DepartmentID: pick(append(groupsOf(survey.Department), 0))}
						if err := l.CreatePerson(p); err != nil {
							return err
						}
						if tm := pick(groupsOf(survey.Team)); tm != 0 {
							if err := l.AddTeamMember(tm, p.ID); err != nil {
								return err
							}
						}
						_, hash := auth.NewToken()
						if err := l.Invite(open.ID, p.ID, hash); err != nil {
							return err
						}
						var at time.Time
						if rng.IntN(2) == 0 {
							at = clk
						}
						return l.SaveResponse(open.ID, p.ID, survey.Answers{"a1": 3}, at)
					})
				}},
				{"erase", func() error {
					if rng.IntN(3) != 0 {
						return nil
					}
					return d.ErasePerson(ctx, pick(livePeople()), "test")
				}},
				{"delete a person in SQL", func() error {
					if rng.IntN(3) != 0 {
						return nil
					}
					raw("DELETE FROM people WHERE id = ?", pick(livePeople()))
					return nil
				}},
				{"delete a response in SQL", func() error {
					raw("DELETE FROM responses WHERE id = ?", anyOf("SELECT id FROM responses ORDER BY id"))
					return nil
				}},
				{"take back a submit in SQL", func() error {
					raw("UPDATE responses SET submitted_at = NULL WHERE id = ?", anyOf("SELECT id FROM responses WHERE submitted_at IS NOT NULL ORDER BY id"))
					return nil
				}},
				{"delete a link in SQL", func() error {
					raw("DELETE FROM invitations WHERE id = ?", anyOf("SELECT id FROM invitations ORDER BY id"))
					return nil
				}},
				{"delete a membership in SQL", func() error {
					tm := anyOf("SELECT DISTINCT team_id FROM team_members ORDER BY team_id")
					raw("DELETE FROM team_members WHERE team_id = ? AND person_id = ?", tm, anyOf(fmt.Sprintf("SELECT person_id FROM team_members WHERE team_id = %d ORDER BY person_id", tm)))
					return nil
				}},
				{"close a round", func() error {
					if rng.IntN(4) != 0 {
						return nil
					}
					return d.SetRoundStatus(ctx, pick(roundIDs()), survey.RoundClosed)
				}},
			}
			var failed int
			for i := range 300 {
				op := ops[rng.IntN(len(ops))]
				if err := op.do(); err != nil {
					failed++ // refused changes must change nothing, which the check below sees too
				}
				want := countedProgress(t, d)
				if got := keptProgress(t, d); !reflect.DeepEqual(got, want) {
					t.Fatalf("after step %d (%s):\nkept    %v\ncounted %v", i, op.name, got, want)
				}
				checkRaters(t, d, fmt.Sprintf("after step %d (%s)", i, op.name))
			}
			checkProgressPages(t, d, countedProgress(t, d))

			// Retention takes whole rounds, with their counts.
			if err := d.SetRoundStatus(ctx, closed.ID, survey.RoundClosed); err != nil && survey.ErrorCode(err) != survey.ECONFLICT {
				t.Fatal(err)
			}
			if _, err := d.DeleteExpiredRounds(ctx, clk.AddDate(10, 0, 0)); err != nil {
				t.Fatal(err)
			}
			want := countedProgress(t, d)
			if got := keptProgress(t, d); !reflect.DeepEqual(got, want) {
				t.Fatalf("after retention:\nkept    %v\ncounted %v", got, want)
			}
			checkRaters(t, d, "after retention")
			var orphans int
			if err := d.read.QueryRowContext(ctx, "SELECT count(*) FROM progress_counts WHERE round_id NOT IN (SELECT id FROM rounds)").Scan(&orphans); err != nil || orphans != 0 {
				t.Errorf("%d counts of deleted rounds left (%v)", orphans, err)
			}
			checkProgressPages(t, d, want)
			var pairs, submitted int
			if err := d.read.QueryRowContext(ctx, "SELECT count(*), coalesce(sum(submitted), 0) FROM rater_pairs").Scan(&pairs, &submitted); err != nil {
				t.Fatal(err)
			}
			t.Logf("%d of 300 changes refused; %d rater pairs left, %d submitted", failed, pairs, submitted)
		})
	}
}

// TestMigration0006 opens a database that 0005 left with people, teams,
// links and responses in it, and finds the counts 0006 fills in equal to
// the counted ones.
func TestMigration0006(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "old.db")
	oldDatabase(t, path, 5, "0006_progress_counts.sql",
		"INSERT INTO instruments (version, body) VALUES ('gc-1', X'')",
		"INSERT INTO rounds (id, name, status, instrument_version, created_at) VALUES (1, 'r1', 'closed', 'gc-1', '2026-01-01T00:00:00Z'), (2, 'r2', 'open', 'gc-1', '2026-02-01T00:00:00Z')",
		"INSERT INTO groups (id, kind, name) VALUES (10, 'department', 'A'), (11, 'department', 'B'), (20, 'team', 'T1'), (21, 'team', 'T2')",
		"INSERT INTO people (id, email, name, department_id) VALUES (1, 'a@x.dk', 'A', 10), (2, 'b@x.dk', 'B', 10), (3, 'c@x.dk', 'C', 11), (4, 'd@x.dk', 'D', NULL)",
		"INSERT INTO team_members (team_id, person_id) VALUES (20, 1), (20, 3), (21, 3), (21, 4)",
		`INSERT INTO invitations (round_id, person_id, subject_id, relation, token_hash, created_at) VALUES
			(1, 1, 1, 'self', 'h1', '2026-01-01T00:00:00Z'), (1, 2, 2, 'self', 'h2', '2026-01-01T00:00:00Z'),
			(1, 3, 3, 'self', 'h3', '2026-01-01T00:00:00Z'), (2, 3, 3, 'self', 'h4', '2026-02-01T00:00:00Z'),
			(2, 4, 4, 'self', 'h5', '2026-02-01T00:00:00Z'), (2, 1, 3, 'peer', 'h6', '2026-02-01T00:00:00Z')`,
		`INSERT INTO responses (round_id, subject_id, rater_id, relation, submitted_at) VALUES
			(1, 1, 1, 'self', '2026-01-05T00:00:00Z'), (1, 3, 3, 'self', NULL), (1, 4, 4, 'self', '2026-01-06T00:00:00Z'),
			(2, 3, 3, 'self', '2026-02-02T00:00:00Z'), (2, 3, 1, 'peer', '2026-02-02T00:00:00Z')`)
	d, err := Open(path)
	if err != nil {
		t.Fatalf("Open of a 0005 database: %v", err)
	}
	defer d.Close()
	want := countedProgress(t, d)
	if got := keptProgress(t, d); !reflect.DeepEqual(got, want) {
		t.Fatalf("after the migration:\nkept    %v\ncounted %v", got, want)
	}
	// A spot check of the counting itself: team T1 (people 1 and 3) in
	// round 1 has two links, two started, one submitted.
	if c := want[[2]int64{1, 20}]; c != (RoundCounts{Invited: 2, Started: 2, Submitted: 1}) {
		t.Errorf("T1 in r1 = %+v", c)
	}
	checkProgressPages(t, d, want)
}

// TestMigration0015 opens a database that 0014 left with a 360 round in
// it — links, a link without an answer, a submitted rating without a link
// — and finds the rater counts 0015 fills in equal to the counted ones.
func TestMigration0015(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "old.db")
	oldDatabase(t, path, 14, "0015_rater_counts.sql",
		"INSERT INTO instruments (version, body) VALUES ('gc-1', X'')",
		"INSERT INTO rounds (id, name, status, instrument_version, created_at, kind) VALUES (1, 'r1', 'open', 'gc-1', '2026-02-01T00:00:00Z', '360')",
		"INSERT INTO groups (id, kind, name) VALUES (10, 'department', 'A'), (20, 'team', 'T1')",
		`INSERT INTO people (id, email, name, department_id, rater_only) VALUES
			(1, 'a@x.dk', 'A', 10, 0), (2, 'b@x.dk', 'B', 10, 0), (3, 'c@x.dk', 'C', NULL, 0), (4, 'r@x.dk', 'R', NULL, 1)`,
		"INSERT INTO team_members (team_id, person_id) VALUES (20, 2), (20, 3)",
		`INSERT INTO invitations (round_id, person_id, subject_id, relation, token_hash, created_at) VALUES
			(1, 2, 1, 'peer', 'h1', '2026-02-01T00:00:00Z'), (1, 4, 1, 'employee', 'h2', '2026-02-01T00:00:00Z'),
			(1, 4, 2, 'employee', 'h3', '2026-02-01T00:00:00Z'), (1, 1, 2, 'manager', 'h4', '2026-02-01T00:00:00Z'),
			(1, 3, 3, 'self', 'h5', '2026-02-01T00:00:00Z')`,
		`INSERT INTO responses (round_id, subject_id, rater_id, relation, submitted_at) VALUES
			(1, 1, 2, 'peer', '2026-02-02T00:00:00Z'), (1, 2, 4, 'employee', NULL),
			(1, 3, 4, 'employee', '2026-02-03T00:00:00Z'), (1, 3, 3, 'self', '2026-02-03T00:00:00Z')`)
	d, err := Open(path)
	if err != nil {
		t.Fatalf("Open of a 0014 database: %v", err)
	}
	defer d.Close()
	checkRaters(t, d, "after the migration")
	// A spot check of the counting itself: employees in team T1 (B and C)
	// are one rater, R, with two pairs, one submitted (without a link).
	p, err := d.FindRaterProgress(context.Background(), 1, []int64{20})
	if err != nil {
		t.Fatal(err)
	}
	if c := p.Groups[20][2]; c != (RelationCounts{Raters: 1, RatersSubmitted: 1, Invited: 2, Submitted: 1}) {
		t.Errorf("employees of T1 = %+v", c)
	}
}

// TestMigration0016 opens a database that 0015 left with a kept raters'
// report as one JSON body and finds it split into a row per group, in
// the report's order, the threshold kept.
func TestMigration0016(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "old.db")
	oldDatabase(t, path, 15, "0016_others_groups.sql",
		"INSERT INTO instruments (version, body) VALUES ('gc-1', X'')",
		"INSERT INTO rounds (id, name, status, instrument_version, created_at, kind) VALUES (1, 'r1', 'closed', 'gc-1', '2026-02-01T00:00:00Z', '360')",
		`INSERT INTO round_others_reports (round_id, min_group, body) VALUES (1, 6, '[`+
			`{"Key":"organisation","Name":"","Kind":"organisation","ID":0,"Members":13,"N":13,"Suppressed":false,"Competences":[{"CompetenceID":"a","Mean":2.5,"N":13}]},`+
			`{"Key":"department-2","Name":"B","Kind":"department","ID":2,"Members":5,"N":5,"Suppressed":true,"Competences":[{"CompetenceID":"a","Suppressed":true}]}]')`)
	d, err := Open(path)
	if err != nil {
		t.Fatalf("Open of a 0015 database: %v", err)
	}
	defer d.Close()
	ctx := context.Background()
	round, err := d.FindRoundByID(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	o, err := d.RoundOthersReport(ctx, round, 5)
	if err != nil {
		t.Fatal(err)
	}
	groups, err := o.Groups(ctx)
	if err != nil || o.MinGroup != 6 || len(groups) != 2 {
		t.Fatalf("after the migration: k=%d, %+v, %v", o.MinGroup, groups, err)
	}
	if g := groups[0]; g.Key != "organisation" || g.N != 13 || g.Competences[0].Mean != 2.5 || groups[1].Key != "department-2" || !groups[1].Suppressed {
		t.Errorf("groups = %+v", groups)
	}
}
