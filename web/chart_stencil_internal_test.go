package web

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestRadarStencilEqualsDirect checks that a radar filled into its
// stencil is byte for byte the radar go-echarts builds directly, for
// random values, missing values, series and names that need escaping.
func TestRadarStencilEqualsDirect(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var rs radarStencils
	names := []string{"Dig", "Forår 2026", `</script><script>alert(1)</script>`, "Team \"Ærø\" & co", "\u2028line"}
	for n := range 400 {
		axes := []int{3, 11}[rng.IntN(2)]
		labels := make([]string, axes)
		for j := range labels {
			labels[j] = names[j%len(names)] + string(rune('A'+j))
		}
		series := make([]RadarSeries, 1+rng.IntN(3))
		for i := range series {
			series[i].Name = names[i+rng.IntN(2)]
			series[i].LineType = []string{"", "dotted", "dashed"}[i]
			series[i].Values = make([]*float64, axes)
			for j := range axes {
				switch rng.IntN(5) {
				case 0: // missing
				case 1:
					v := float64(1 + rng.IntN(5))
					series[i].Values[j] = &v
				default:
					v := 1 + 4*rng.Float64()
					series[i].Values[j] = &v
				}
			}
		}
		want, err := radarChart("radar", "label", labels, series)
		if err != nil {
			t.Fatal(err)
		}
		got, err := rs.chart("radar", "label", labels, series)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Option) == 0 || strings.Contains(string(got.Option), "</script>") {
			t.Fatalf("case %d: option %q: empty, or a name not escaped", n, got.Option)
		}
		if got.ID != want.ID || got.Label != want.Label || string(got.Option) != string(want.Option) {
			t.Fatalf("case %d: stencil\n%s\ndirect\n%s", n, got.Option, want.Option)
		}
	}
	// Shapes repeat, so most radars came from a stencil made before.
	if made := rs.n.Load(); made == 0 || made > 200 {
		t.Fatalf("%d stencils for 400 radars", made)
	}
}
