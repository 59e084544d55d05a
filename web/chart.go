package web

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"
)

// ChartData is a chart option ready for a page: the template writes it with
// html/template into <script type="application/json">, where it is escaped
// as JSON (so "</script>" in a name stays text), and static/js/chart.js
// starts ECharts from it with the SVG renderer.
type ChartData struct {
	ID     string
	Label  string // accessible name of the chart
	Option json.RawMessage
	// Height in pixels, for charts whose height grows with their rows;
	// 0 leaves it to the stylesheet.
	Height int
	// Wide charts keep a minimum width and scroll sideways inside their own
	// region on narrow screens instead of squeezing their labels.
	Wide bool
}

// RadarSeries is one line on a radar: a name and one value per axis; NaN-free
// values only, a missing value is nil.
type RadarSeries struct {
	Name   string
	Values []*float64
	// LineType is solid (the default), dashed or dotted: series differ by
	// line and symbol as well as colour.
	LineType string
}

// series colours meet 3:1 against white; series also differ by line style,
// symbol and ECharts' decal patterns, not by colour alone.
var radarColours = []string{"#1f5fa8", "#b0451c", "#2f7d32", "#6b3fa0"}

var radarSymbols = []string{"circle", "rect", "triangle", "diamond"}

// axisName is a chart label as a radar axis shows it: a two-part label
// (»Tillid, relationer«) on two lines, so that it fits beside a radar on
// a phone.
func axisName(label string) string {
	return strings.Replace(label, ", ", ",\n", 1)
}

// radarChart builds the option of a radar with axes labelled by labels,
// scored 1–5, with one or more series.
func radarChart(id, label string, labels []string, series []RadarSeries) (ChartData, error) {
	indicators := make([]*opts.Indicator, len(labels))
	for i, l := range labels {
		indicators[i] = &opts.Indicator{Name: axisName(l), Min: 1, Max: 5}
	}
	radar := charts.NewRadar()
	radar.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{ChartID: id, Renderer: "svg"}),
		charts.WithAnimation(false),
		charts.WithAriaOpts(&opts.Aria{Enabled: opts.Bool(true), Label: &opts.AriaLabel{Description: label}, Decal: &opts.AriaDecal{Show: opts.Bool(true)}}),
		charts.WithColorsOpts(opts.Colors(radarColours)),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(len(series) > 1), Bottom: "0", TextStyle: &opts.TextStyle{Color: "#1a1a1a", FontSize: 14}}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
		charts.WithRadarComponentOpts(opts.RadarComponent{
			Indicator:   indicators,
			Shape:       "polygon",
			SplitNumber: 4,
			Center:      []string{"50%", "50%"},
			AxisName:    &opts.AxisName{Show: opts.Bool(true), Color: "#1a1a1a", FontSize: 13},
			SplitLine:   &opts.SplitLine{Show: opts.Bool(true), LineStyle: &opts.LineStyle{Color: "#8a8a8a"}},
			AxisLine:    &opts.AxisLine{Show: opts.Bool(true), LineStyle: &opts.LineStyle{Color: "#8a8a8a"}},
		}),
	)
	for i, s := range series {
		values := make([]any, len(s.Values))
		for j, v := range s.Values {
			if v == nil {
				values[j] = "-" // ECharts' empty value: no point drawn
			} else {
				values[j] = *v
			}
		}
		lineType := s.LineType
		if lineType == "" {
			lineType = "solid"
		}
		radar.AddSeries(s.Name, []opts.RadarData{{Name: s.Name, Value: values}},
			charts.WithLineStyleOpts(opts.LineStyle{Width: 2.5, Type: lineType, Color: radarColours[i%len(radarColours)]}),
			charts.WithAreaStyleOpts(opts.AreaStyle{Opacity: opts.Float(areaOpacity(i))}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: radarColours[i%len(radarColours)]}),
			charts.WithSeriesOpts(func(s *charts.SingleSeries) {
				s.Symbol = radarSymbols[i%len(radarSymbols)]
				s.SymbolSize = 7
			}),
		)
	}
	radar.Validate()
	option := radar.JSON()
	delete(option, "renderer") // not an ECharts option; the starter script sets SVG
	b, err := json.Marshal(option)
	if err == nil {
		b, err = finishRadar(b, labels, series)
	}
	if err != nil {
		return ChartData{}, fmt.Errorf("web: chart %s: %w", id, err)
	}
	return ChartData{ID: id, Label: label, Option: b}, nil
}

func areaOpacity(i int) float32 {
	if i == 0 {
		return 0.18
	}
	return 0
}

var _ = types.ChartRadar
