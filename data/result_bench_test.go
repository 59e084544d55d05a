package data_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"lederradar/data"
	"lederradar/internal/gcsettings"
	"lederradar/internal/orggen"
	"lederradar/survey"
)

// benchFixture runs the collector as the server runs it, and copies the
// generated organisation of n people (internal/orggen) into the
// benchmark's temporary directory as file: the copy's path, the links of
// its open round, and the instrument its rounds use.
func benchFixture(b *testing.B, n int, file string) (string, []orggen.Link, *survey.Instrument) {
	b.Helper()
	gcsettings.Apply(os.LookupEnv)
	path := filepath.Join(b.TempDir(), file)
	links, err := orggen.CopyFixture(context.Background(), orggen.FixtureDir(), n, path)
	if err != nil {
		b.Fatal(err)
	}
	in, err := survey.DefaultInstrument()
	if err != nil {
		b.Fatal(err)
	}
	return path, links, in
}

// BenchmarkFindOwnResult is the result page's lookup: a submitted leader's
// tally in the open round and in the previous round, on the benchmark
// organisation of 1,000 people.
func BenchmarkFindOwnResult(b *testing.B) {
	ctx := context.Background()
	path, links, in := benchFixture(b, 1000, "own.db")
	db, err := data.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	rounds, err := db.FindRounds(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var open *survey.Round
	for i := range rounds {
		if rounds[i].Status == survey.RoundOpen {
			open = &rounds[i]
		}
	}
	var person int64
	for _, l := range links {
		if l.State == orggen.Submitted {
			person = l.PersonID
			break
		}
	}
	b.ResetTimer()
	for range b.N {
		res, err := db.FindOwnResult(ctx, open, person, person, in)
		if err != nil || res.Tally == nil || res.Previous == nil {
			b.Fatalf("FindOwnResult = %+v, %v", res, err)
		}
	}
}
