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
			ItemStyle map[string]any `json:"itemStyle"`
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
		// The aria decal would hatch the band's white inside.
		// ECharts takes a decal object; a bare "none" makes it throw.
		if d, ok := s.ItemStyle["decal"].(map[string]any); i > 0 && (!ok || d["symbol"] != "none") {
			t.Errorf("series %d: decal %v, want none", i, s.ItemStyle["decal"])
		}
	}
	if got := contrastRatio(bandEdge, "#ffffff"); got < 3 {
		t.Errorf("band edge contrast %.2f:1, want at least 3:1", got)
	}
}

// TestGappedRadarHasNoFill checks that a series with a missing value is
// drawn as a line with a gap and no fill, which would run to the centre at
// the missing axis and read as the lowest score, while a complete series
// keeps its radar fill.
func TestGappedRadarHasNoFill(t *testing.T) {
	t.Parallel()
	v := func(f float64) *float64 { return &f }
	cd, err := radarChart("r", "label", []string{"a", "b", "c"}, []RadarSeries{
		{Name: "gapped", Values: []*float64{v(3), nil, v(4)}},
		{Name: "whole", Values: []*float64{v(2), v(3), v(4)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var o struct {
		Series []struct {
			Type      string           `json:"type"`
			AreaStyle map[string]any   `json:"areaStyle"`
			Data      []map[string]any `json:"data"`
		} `json:"series"`
	}
	if err := json.Unmarshal(cd.Option, &o); err != nil || len(o.Series) != 2 {
		t.Fatalf("option: %v, %d series", err, len(o.Series))
	}
	gapped, whole := o.Series[0], o.Series[1]
	if gapped.Type != "line" || gapped.AreaStyle != nil {
		t.Errorf("gapped series: type %q, area %v; want a line without fill", gapped.Type, gapped.AreaStyle)
	}
	if len(gapped.Data) != 4 || gapped.Data[1]["value"].([]any)[0] != "-" {
		t.Errorf("gapped series data %v: want four points, the second missing", gapped.Data)
	}
	if whole.Type != "radar" || whole.AreaStyle == nil {
		t.Errorf("whole series: type %q, area %v; want a filled radar", whole.Type, whole.AreaStyle)
	}
}
