package data

// Benchmarks of the durable writes behind docs/performance.md, figure 1
// and group commit. They run only with -bench.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"lederradar/internal/gcsettings"
	"lederradar/survey"
)

// benchLeaders is how many leaders the write benchmarks' organisation has.
const benchLeaders = 10000

// benchOrg makes a database of benchLeaders people and an open round on
// the default instrument, with opt.
func benchOrg(b *testing.B, opt Options) (*DB, string, *survey.Instrument, *survey.Round, []int64) {
	b.Helper()
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "bench.db")
	d, err := OpenWithOptions(path, opt)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.Close() })
	in, err := survey.DefaultInstrument()
	if err != nil {
		b.Fatal(err)
	}
	if err := d.EnsureInstrument(ctx, in, survey.DefaultInstrumentFile()); err != nil {
		b.Fatal(err)
	}
	r := &survey.Round{Name: "Bench", Status: survey.RoundOpen, InstrumentVersion: in.Version}
	if err := d.CreateRound(ctx, r); err != nil {
		b.Fatal(err)
	}
	ids := make([]int64, 0, benchLeaders)
	err = d.WriteBatch(ctx, func(l *Batch) error {
		for i := range benchLeaders {
			p := survey.Person{Email: fmt.Sprintf("leder%05d@bench.example", i), Name: fmt.Sprintf("Leder %05d", i)}
			if err := l.CreatePerson(&p); err != nil {
				return err
			}
			ids = append(ids, p.ID)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return d, path, in, r, ids
}

// pageAnswers answers page (0-based) of the instrument at random.
func pageAnswers(in *survey.Instrument, page int, rng *rand.Rand) survey.Answers {
	a := survey.Answers{}
	for _, it := range in.Competences[page].Items {
		a[it.ID] = survey.Answer(rng.IntN(6))
	}
	return a
}

// BenchmarkDataWrites runs the same writes through data's API —
// SaveAnswers for the pages, SubmitResponse for the submit — at 1, 8 and
// 64 concurrent writers, with group commit and with one commit per write,
// so the two can be compared with each other and with the raw ceiling.
func BenchmarkDataWrites(b *testing.B) {
	gcsettings.Apply(os.LookupEnv) // the collector as the server runs it
	for _, mode := range []struct {
		name string
		opt  Options
	}{
		{"commit=group", Options{}},
		{"commit=single", Options{MaxBatch: 1}},
	} {
		b.Run(mode.name, func(b *testing.B) {
			d, _, in, r, people := benchOrg(b, mode.opt)
			pool := &leaderPool{d: d, in: in, round: r.ID, people: people}
			for _, clients := range []int{1, 8, 64} {
				b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
					benchDataWrites(b, d, in, pool, clients)
				})
			}
		})
	}
}

// leaderPool hands out leaders who have not answered yet, opening a new
// round for everyone when a round's leaders are used up.
type leaderPool struct {
	d      *DB
	in     *survey.Instrument
	round  int64
	people []int64
	next   int
	rounds int
}

// take returns n (round, person) pairs of leaders who have not answered.
func (p *leaderPool) take(b *testing.B, n int) [][2]int64 {
	out := make([][2]int64, 0, n)
	for len(out) < n {
		if p.next == len(p.people) {
			p.rounds++
			r := &survey.Round{Name: fmt.Sprintf("Bench %d", p.rounds), Status: survey.RoundOpen, InstrumentVersion: p.in.Version}
			if err := p.d.CreateRound(context.Background(), r); err != nil {
				b.Fatal(err)
			}
			p.round, p.next = r.ID, 0
		}
		out = append(out, [2]int64{p.round, p.people[p.next]})
		p.next++
	}
	return out
}

func benchDataWrites(b *testing.B, d *DB, in *survey.Instrument, pool *leaderPool, clients int) {
	ctx := context.Background()
	pages := len(in.Competences)
	perLeader := pages + 1
	leaders := pool.take(b, (b.N+perLeader-1)/perLeader)
	var forms0, batches0 int64
	if d.writer != nil {
		forms0, batches0 = d.writer.stats()
	}
	var next, done atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	b.ResetTimer()
	for w := range clients {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 3))
			for {
				i := next.Add(1) - 1
				if i >= int64(len(leaders)) {
					return
				}
				round, p := leaders[i][0], leaders[i][1]
				for step := range perLeader {
					if done.Add(1) > int64(b.N) {
						return
					}
					key := fmt.Sprintf("%d-%d-%d", round, p, step)
					var err error
					if step < pages {
						_, err = d.SaveAnswers(ctx, AnswerSave{RoundID: round, SubjectID: p, RaterID: p, Relation: survey.Self, FormKey: key, Answers: pageAnswers(in, step, rng)})
					} else {
						_, err = d.SubmitResponse(ctx, round, p, p, survey.Self, key)
					}
					if err != nil {
						errs <- err
						return
					}
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "writes/s")
	if d.writer != nil {
		forms, batches := d.writer.stats()
		if n := batches - batches0; n > 0 {
			b.ReportMetric(float64(forms-forms0)/float64(n), "writes/commit")
		}
	}
}
