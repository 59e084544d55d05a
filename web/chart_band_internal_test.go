package web

import (
	"encoding/json"
	"testing"
)

// TestSpreadBand checks that a group radar draws its spread as one band
// under the grid: the upper bound filled, the lower filled white over it,
// and the mean without a fill of its own.
func TestSpreadBand(t *testing.T) {
	t.Parallel()
	v := func(f float64) *float64 { return &f }
	cd, err := radarChart("r", "label", []string{"a", "b", "c"}, []RadarSeries{
		{Name: "mean", Values: []*float64{v(3), v(3.5), v(4)}},
		{Name: "band", Values: []*float64{v(3.5), v(4), v(4.5)}},
		{Name: "band", Values: []*float64{v(2.5), v(3), v(3.5)}},
	})
	if err == nil {
		cd, err = spreadBand(cd)
	}
	if err != nil {
		t.Fatal(err)
	}
	var o struct {
		Series []struct {
			Z         float64        `json:"z"`
			AreaStyle map[string]any `json:"areaStyle"`
		} `json:"series"`
	}
	if err := json.Unmarshal(cd.Option, &o); err != nil || len(o.Series) != 3 {
		t.Fatalf("option: %v, %d series", err, len(o.Series))
	}
	for i, want := range []struct {
		z       float64
		colour  any
		opacity float64
	}{{0, nil, 0}, {-1, bandFill, 1}, {-1, "#ffffff", 1}} {
		s := o.Series[i]
		if s.Z != want.z || s.AreaStyle["color"] != want.colour || s.AreaStyle["opacity"] != want.opacity {
			t.Errorf("series %d: z %v, area %v; want z %v, colour %v, opacity %v", i, s.Z, s.AreaStyle, want.z, want.colour, want.opacity)
		}
	}
	if got := contrastRatio(bandEdge, "#ffffff"); got < 3 {
		t.Errorf("band edge contrast %.2f:1, want at least 3:1", got)
	}
}
