package data_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"lederradar/data"
	"lederradar/internal/orggen"
	"lederradar/survey"
)

// reportBenchSizes are the organisation sizes of the report benchmarks:
// LEDERRADAR_BENCH_PEOPLE (e.g. "1000,10000,100000"), by default 1,000
// and 10,000 people.
func reportBenchSizes(b *testing.B) []int {
	spec := os.Getenv("LEDERRADAR_BENCH_PEOPLE")
	if spec == "" {
		spec = "1000,10000"
	}
	var out []int
	for _, f := range strings.Split(spec, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 100 {
			b.Fatalf("LEDERRADAR_BENCH_PEOPLE: %q is not a size", f)
		}
		out = append(out, n)
	}
	return out
}

// benchRounds opens a copy of the generated organisation of n people and
// returns it with its open round's links, its newest closed round and
// its open round.
func benchRounds(b *testing.B, n int) (*data.DB, []orggen.Link, *survey.Round, *survey.Round) {
	b.Helper()
	path, links, _ := benchFixture(b, n, "report.db")
	db := mustOpenDBAt(b, path)
	rounds, err := db.FindRounds(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	var closed, open *survey.Round
	for i := range rounds { // newest first
		switch {
		case rounds[i].Status == survey.RoundClosed && closed == nil:
			closed = &rounds[i]
		case rounds[i].Status == survey.RoundOpen && open == nil:
			open = &rounds[i]
		}
	}
	if closed == nil || open == nil {
		b.Fatal("the fixture lacks a closed or an open round")
	}
	return db, links, closed, open
}

// BenchmarkRoundReport reads a closed round's report as HR's views do:
// held (in memory, as every view after the first), kept (read from the
// database, as the first view after a start) and none (built from the
// database and kept, as the first view when none is kept in this format:
// the first start after an upgrade from a format too old to read).
// The page's own work is web's BenchmarkHR.
func BenchmarkRoundReport(b *testing.B) {
	for _, n := range reportBenchSizes(b) {
		b.Run(fmt.Sprintf("people=%d", n), func(b *testing.B) {
			ctx := context.Background()
			db, _, closed, _ := benchRounds(b, n)
			if _, err := db.RoundReport(ctx, closed, reportMinGroup); err != nil { // kept by the first read
				b.Fatal(err)
			}
			for _, c := range []struct {
				cache  string
				before func()
			}{
				{"held", nil},
				{"kept", db.ForgetReports},
				{"none", func() {
					db.ForgetReports()
					if _, err := db.StoreRoundReport(ctx, closed.ID, data.StoredReport{MinGroup: reportMinGroup, Format: data.OldestReadFormat - 1, Body: []byte{}}); err != nil {
						b.Fatal(err)
					}
				}},
			} {
				b.Run("cache="+c.cache, func(b *testing.B) {
					b.ReportAllocs()
					for range b.N {
						if c.before != nil {
							c.before()
						}
						if _, err := db.RoundReport(ctx, closed, reportMinGroup); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// BenchmarkReportBuild builds a closed round's report from the database,
// as a round's close, or the first read of one closed without it, does.
func BenchmarkReportBuild(b *testing.B) {
	for _, n := range reportBenchSizes(b) {
		b.Run(fmt.Sprintf("people=%d", n), func(b *testing.B) {
			ctx := context.Background()
			db, _, closed, _ := benchRounds(b, n)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, err := db.BuildRoundReport(ctx, closed, reportMinGroup); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkKeepingReports measures what keeping the reports costs the
// writer, which saves wait behind: a round's close with its report built
// and kept in the close's transaction, against the plain close; and an
// erasure, which leaves the kept reports alone and empties the
// write-ahead log. Each close runs on a fresh copy of the organisation
// (outside the timing).
func BenchmarkKeepingReports(b *testing.B) {
	for _, n := range reportBenchSizes(b) {
		b.Run(fmt.Sprintf("people=%d", n), func(b *testing.B) {
			ctx := context.Background()
			for _, keep := range []bool{false, true} {
				name := "op=close/report=later"
				if keep {
					name = "op=close/report=kept"
				}
				b.Run(name, func(b *testing.B) {
					for range b.N {
						b.StopTimer()
						db, _, _, open := benchRounds(b, n)
						b.StartTimer()
						var err error
						if keep {
							err = db.CloseRound(ctx, open.ID, reportMinGroup)
						} else {
							err = db.SetRoundStatus(ctx, open.ID, survey.RoundClosed)
						}
						if err != nil {
							b.Fatal(err)
						}
					}
				})
			}
			b.Run("op=erase/report=kept", func(b *testing.B) {
				db, links, _, _ := benchRounds(b, n)
				rounds, err := db.FindRounds(ctx)
				if err != nil {
					b.Fatal(err)
				}
				for i := range rounds { // builds and keeps them
					if rounds[i].Status == survey.RoundClosed {
						if _, err := db.RoundReport(ctx, &rounds[i], reportMinGroup); err != nil {
							b.Fatal(err)
						}
					}
				}
				if len(links) < b.N {
					b.Fatalf("%d people to erase, want %d", len(links), b.N)
				}
				b.ResetTimer()
				for i := range b.N {
					if err := db.ErasePerson(ctx, links[i].PersonID, "bench"); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
