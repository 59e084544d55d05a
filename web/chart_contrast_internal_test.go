package web

import (
	"math"
	"strconv"
	"testing"
)

// Chart marks need 3:1 against the white page (WCAG 1.4.11, non-text
// contrast): the radar's series, the distribution's answer segments and the
// radar's grid. Text in the charts is #1a1a1a (16:1). The heatmap's light
// cells carry their value as text, which needs 4.5:1 against each cell.
func TestChartColourContrast(t *testing.T) {
	t.Parallel()
	for name, c := range map[string]struct {
		colours []string
		against string
		min     float64
	}{
		"radar series":        {radarColours, "#ffffff", 3},
		"distribution answer": {answerColours, "#ffffff", 3},
		"radar grid":          {[]string{"#8a8a8a"}, "#ffffff", 3},
		"heatmap cell labels": {heatmapColours, "#1a1a1a", 4.5},
	} {
		for _, colour := range c.colours {
			if got := contrastRatio(colour, c.against); got < c.min {
				t.Errorf("%s %s: contrast %.2f:1 against %s, want at least %.1f:1", name, colour, got, c.against, c.min)
			}
		}
	}
}

// contrastRatio is WCAG 2's contrast ratio of two #rrggbb colours.
func contrastRatio(a, b string) float64 {
	la, lb := relativeLuminance(a), relativeLuminance(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

func relativeLuminance(hex string) float64 {
	var ch [3]float64
	for i := range ch {
		v, err := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		if err != nil {
			panic(err)
		}
		c := float64(v) / 255
		if c <= 0.03928 {
			ch[i] = c / 12.92
		} else {
			ch[i] = math.Pow((c+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*ch[0] + 0.7152*ch[1] + 0.0722*ch[2]
}
