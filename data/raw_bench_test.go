package data_test

// The raw ceiling of docs/performance.md, figure 1. It runs only with
// -bench.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/survey"
)

// BenchmarkRawWrites is the raw ceiling of figure 1: the statements a page
// save and a submit run, prepared once, sent straight to SQLite on one
// connection with the same schema and the same durability settings (WAL,
// synchronous=FULL, BEGIN IMMEDIATE), one transaction and one commit per
// write, one writer. It writes into a new round of a copy of the generated
// organisation of 10,000 people that web.BenchmarkWritesHTTP writes into,
// so that both meet indexes of the same size. An op is one write; every
// twelfth is the submit after eleven pages, as a leader's questionnaire
// goes.
func BenchmarkRawWrites(b *testing.B) {
	ctx := context.Background()
	path, links, in := benchFixture(b, 10000, "raw.db")
	r := &survey.Round{Name: "Raw", Status: survey.RoundOpen, InstrumentVersion: in.Version}
	d, err := data.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := d.CreateRound(ctx, r); err != nil {
		b.Fatal(err)
	}
	if err := d.Close(); err != nil {
		b.Fatal(err)
	}
	people := make([]int64, len(links))
	for i, l := range links {
		people[i] = l.PersonID
	}
	h, err := sql.Open("sqlite", data.RawWriteDSN(path))
	if err != nil {
		b.Fatal(err)
	}
	defer h.Close()
	h.SetMaxOpenConns(1)
	prep := func(q string) *sql.Stmt {
		s, err := h.PrepareContext(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		return s
	}
	var (
		findRound = prep("SELECT id, name, status, instrument_version, opens_at, closes_at, created_at, closed_at FROM rounds WHERE id = ?")
		findResp  = prep("SELECT id, relation, submitted_at FROM responses WHERE round_id = ? AND subject_id = ? AND rater_id = ?")
		findKey   = prep("SELECT response_id FROM form_keys WHERE key = ?")
		person    = prep("SELECT 1 FROM people WHERE id = ?")
		newResp   = prep("INSERT INTO responses (round_id, subject_id, rater_id, relation) VALUES (?, ?, ?, 'self') RETURNING id")
		answer    = prep("INSERT INTO answers (response_id, item_id, value) VALUES (?, ?, ?) ON CONFLICT (response_id, item_id) DO UPDATE SET value = excluded.value")
		submit    = prep("UPDATE responses SET submitted_at = ? WHERE id = ? AND submitted_at IS NULL")
		answers   = prep("SELECT item_id, value FROM answers WHERE response_id = ?")
		tally     = prep("INSERT INTO answer_tallies (response_id, tally) VALUES (?, ?) ON CONFLICT (response_id) DO UPDATE SET tally = excluded.tally")
		key       = prep("INSERT INTO form_keys (key, response_id) VALUES (?, ?)")
	)
	pages := len(in.Competences)
	rng := rand.New(rand.NewPCG(1, 2))
	write := func(op int) error {
		leader := people[op/(pages+1)%len(people)]
		page := op % (pages + 1)
		tx, err := h.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		st := func(s *sql.Stmt) *sql.Stmt { return tx.StmtContext(ctx, s) }
		var round [8]any
		if err := st(findRound).QueryRowContext(ctx, r.ID).Scan(&round[0], &round[1], &round[2], &round[3], &round[4], &round[5], &round[6], &round[7]); err != nil {
			return err
		}
		var id int64
		var rel string
		var submitted sql.NullString
		err = st(findResp).QueryRowContext(ctx, r.ID, leader, leader).Scan(&id, &rel, &submitted)
		if errors.Is(err, sql.ErrNoRows) {
			for range 2 {
				var one int
				if err := st(person).QueryRowContext(ctx, leader).Scan(&one); err != nil {
					return err
				}
			}
			err = st(newResp).QueryRowContext(ctx, r.ID, leader, leader).Scan(&id)
		}
		if err != nil {
			return err
		}
		k := fmt.Sprintf("raw-%d", op)
		var other int64
		if err := st(findKey).QueryRowContext(ctx, k).Scan(&other); !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("form key: %v", err)
		}
		if page < pages {
			a := rawPageAnswers(in, page, rng)
			ids := make([]string, 0, len(a))
			for id := range a {
				ids = append(ids, id)
			}
			sort.Strings(ids)
			for _, item := range ids {
				if _, err := st(answer).ExecContext(ctx, id, item, int(a[item])); err != nil {
					return err
				}
			}
		} else {
			if _, err := st(submit).ExecContext(ctx, time.Now().UTC().Format(time.RFC3339), id); err != nil {
				return err
			}
			rows, err := st(answers).QueryContext(ctx, id)
			if err != nil {
				return err
			}
			a := survey.Answers{}
			for rows.Next() {
				var item string
				var v int
				if err := rows.Scan(&item, &v); err != nil {
					rows.Close()
					return err
				}
				a[item] = survey.Answer(v)
			}
			rows.Close()
			if _, err := st(tally).ExecContext(ctx, id, data.AppendTally(nil, in.Tally(a))); err != nil {
				return err
			}
		}
		if _, err := st(key).ExecContext(ctx, k, id); err != nil {
			return err
		}
		return tx.Commit()
	}
	b.ResetTimer()
	for op := range b.N {
		if err := write(op); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "writes/s")
}

// rawPageAnswers answers page (0-based) of the instrument at random.
func rawPageAnswers(in *survey.Instrument, page int, rng *rand.Rand) survey.Answers {
	a := survey.Answers{}
	for _, it := range in.Competences[page].Items {
		a[it.ID] = survey.Answer(rng.IntN(6))
	}
	return a
}
