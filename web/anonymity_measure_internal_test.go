package web

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"lederradar/data"
	"lederradar/internal/orggen"
	"lederradar/scoring"
	"lederradar/survey"
)

// TestMeasureGroupsShown measures what the combination rule hides: for
// the demo organisation and orggen's, how many groups (shown on at least
// one competence) and group-competences each closed round shows under the
// pairwise rule alone and under the combination rule, and how long the
// rule takes. It runs only when LEDERRADAR_MEASURE lists the sizes, e.g.
//
//	LEDERRADAR_MEASURE=demo,1000,10000,100000 go test ./web -run TestMeasureGroupsShown -v -timeout 60m
func TestMeasureGroupsShown(t *testing.T) {
	t.Parallel()
	sizes := os.Getenv("LEDERRADAR_MEASURE")
	if sizes == "" {
		t.Skip("set LEDERRADAR_MEASURE to measure")
	}
	ctx := context.Background()
	in, err := survey.DefaultInstrument()
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range strings.Split(sizes, ",") {
		var db *data.DB
		var rounds []survey.Round
		if size == "demo" {
			db, err = data.Open(filepath.Join(t.TempDir(), "demo.db"))
			if err != nil {
				t.Fatal(err)
			}
			if err := db.EnsureInstrument(ctx, in, survey.DefaultInstrumentFile()); err != nil {
				t.Fatal(err)
			}
			if _, err := orggen.SeedDemo(ctx, db, in, rand.New(rand.NewPCG(1, 2)), time.Now()); err != nil {
				t.Fatal(err)
			}
			all, err := db.FindRounds(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range all {
				if r.Status == survey.RoundClosed {
					rounds = append(rounds, r)
				}
			}
		} else {
			n, err := strconv.Atoi(size)
			if err != nil {
				t.Fatal(err)
			}
			_, gdb, generated := generatedServer(t, n)
			db, rounds = gdb, generated.ClosedRounds
		}
		for _, round := range rounds {
			inputs, err := db.FindReportInputs(ctx, round.ID, true)
			if err != nil {
				t.Fatal(err)
			}
			specs := scoring.ReportGroups(inputs.People, inputs.Groups, inputs.Members)
			var respondents []scoring.TalliedRespondent
			for _, tl := range inputs.Tallies {
				respondents = append(respondents, scoring.TalliedRespondent{PersonID: tl.SubjectID, Tally: tl.Tally})
			}
			start := time.Now()
			pairwise := scoring.PairwiseProfilesFromTallies(in, specs, respondents, scoring.DefaultMinGroup)
			tookPairwise := time.Since(start)
			start = time.Now()
			combined := scoring.ProfilesFromTallies(in, specs, respondents, scoring.DefaultMinGroup)
			took := time.Since(start)
			count := func(ps []scoring.GroupProfile) (groups, cells int) {
				for _, p := range ps {
					if !p.Suppressed {
						groups++
					}
					for _, c := range p.Competences {
						if !c.Suppressed {
							cells++
						}
					}
				}
				return groups, cells
			}
			pg, pc := count(pairwise)
			cg, cc := count(combined)
			t.Logf("%s %s: %d groups, %d respondents; shown groups %d → %d, group-competences %d → %d; pairwise %v, combination %v",
				size, round.Name, len(specs), len(respondents), pg, cg, pc, cc, tookPairwise.Round(time.Millisecond), took.Round(time.Millisecond))
		}
	}
}
