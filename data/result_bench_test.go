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

// BenchmarkFindOwnResult is the result page's lookup: a submitted leader's
// tally in the open round and in the previous round, on the benchmark
// organisation of 1,000 people.
func BenchmarkFindOwnResult(b *testing.B) {
	gcsettings.Apply(os.LookupEnv) // the collector as the server runs it
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "own.db")
	links, err := orggen.CopyFixture(ctx, orggen.FixtureDir(), 1000, path)
	if err != nil {
		b.Fatal(err)
	}
	db, err := data.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	in, err := survey.DefaultInstrument()
	if err != nil {
		b.Fatal(err)
	}
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
