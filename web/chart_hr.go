package web

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// heatmapColours run from light yellow to light teal: every step keeps black
// cell labels above 4.5:1, and the scale reads without colour too because
// each cell carries its number.
var heatmapColours = []string{"#fff7bc", "#d9f0a3", "#a1dab4", "#7fcdbb", "#5bbcd6"}

// HeatCell is one cell of a heatmap: row, column and value; suppressed cells
// are left out and the table says why.
type HeatCell struct {
	Row, Col int
	Value    float64
}

// heatmapChart builds a groups × competences heatmap with the numbers in
// the cells. The colours run over the whole answer scale, 1 to 5, the
// same in every round: a scale stretched over the values shown would make
// half a point look dramatic. The key under the chart gives its ends.
func heatmapChart(id, label string, cols, rows []string, cells []HeatCell, valueText func(float64) string) (ChartData, error) {
	hm := charts.NewHeatMap()
	data := make([]opts.HeatMapData, 0, len(cells))
	for _, c := range cells {
		data = append(data, opts.HeatMapData{Value: [3]any{c.Col, c.Row, round1(c.Value)}, Name: valueText(c.Value)})
	}
	const lo, hi = 1.0, 5.0
	height := 160 + 34*len(rows)
	hm.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{ChartID: id, Height: fmt.Sprintf("%dpx", height)}),
		charts.WithAnimation(false),
		charts.WithAriaOpts(&opts.Aria{Enabled: opts.Bool(true), Label: &opts.AriaLabel{Description: label}}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "190", Right: "10", Top: "100", Bottom: "60", ContainLabel: opts.Bool(false)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: cols, Position: "top", AxisLabel: &opts.AxisLabel{Interval: "0", Rotate: 35, Color: "#1a1a1a"}, SplitArea: &opts.SplitArea{Show: opts.Bool(true)}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: rows, Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Color: "#1a1a1a", Width: 180, Overflow: "truncate"}, SplitArea: &opts.SplitArea{Show: opts.Bool(true)}}),
		charts.WithVisualMapOpts(opts.VisualMap{Type: "continuous", Min: float32(lo), Max: float32(hi), Show: opts.Bool(true), Orient: "horizontal",
			Left: "center", Bottom: "0", Text: []string{valueText(hi), valueText(lo)}, TextStyle: &opts.TextStyle{Color: "#1a1a1a"},
			InRange: &opts.VisualMapInRange{Color: heatmapColours}}),
	)
	hm.AddSeries(label, data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Color: "#1a1a1a", Formatter: "{b}"}),
		charts.WithItemStyleOpts(opts.ItemStyle{BorderColor: "#ffffff", BorderWidth: 1}))
	cd, err := chartData(id, label, hm.BaseConfiguration.JSON, hm.Validate, height)
	cd.Wide = true
	return cd, err
}

// StackSegment is one part of a stacked bar series: its name and one value
// per category.
type StackSegment struct {
	Name   string
	Colour string
	Values []float64
}

// distributionChart builds horizontal 100 % stacked bars: one bar per
// competence, one segment per answer.
func distributionChart(id, label string, categories []string, segments []StackSegment) (ChartData, error) {
	bar := charts.NewBar()
	height := 90 + 34*len(categories)
	bar.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{ChartID: id, Height: fmt.Sprintf("%dpx", height)}),
		charts.WithAnimation(false),
		charts.WithAriaOpts(&opts.Aria{Enabled: opts.Bool(true), Label: &opts.AriaLabel{Description: label}, Decal: &opts.AriaDecal{Show: opts.Bool(true)}}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "0", TextStyle: &opts.TextStyle{Color: "#1a1a1a"}}),
		charts.WithGridOpts(opts.Grid{Left: "120", Right: "20", Top: "60", Bottom: "20"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Max: 100, AxisLabel: &opts.AxisLabel{Formatter: "{value} %", Color: "#1a1a1a"}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: categories, Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Color: "#1a1a1a"}}),
	)
	for _, seg := range segments {
		data := make([]opts.BarData, len(seg.Values))
		for i, v := range seg.Values {
			data[i] = opts.BarData{Value: round1(v)}
		}
		bar.AddSeries(seg.Name, data, charts.WithBarChartOpts(opts.BarChart{Stack: "answers"}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: seg.Colour, BorderColor: "#ffffff", BorderWidth: 1}))
	}
	return chartData(id, label, bar.BaseConfiguration.JSON, bar.Validate, height)
}

// chartData validates a go-echarts chart and packs its option. For
// cartesian charts the x axis data set by SetXAxis is moved to the y axis
// when the bars are horizontal (go-echarts assumes vertical bars).
func chartData(id, label string, option func() map[string]any, validate func(), height int) (ChartData, error) {
	validate()
	o := option()
	delete(o, "renderer")
	b, err := json.Marshal(o)
	if err != nil {
		return ChartData{}, fmt.Errorf("web: chart %s: %w", id, err)
	}
	return ChartData{ID: id, Label: label, Option: b, Height: height}, nil
}

// round1 keeps two decimals in chart data: enough for drawing, and the
// tables carry the formatted numbers.
func round1(v float64) float64 { return math.Round(v*100) / 100 }

// The spread band's fill and edge: the edge meets 3:1 against white
// (#4f7fb8 is 4.3:1), and the table beside the chart gives every sd.
const (
	bandFill = "#cfe0f3"
	bandEdge = "#4f7fb8"
)

// spreadBand redraws the last two series of a group radar, the mean plus
// and minus one sd, as one shaded band: the upper filled with the band's
// colour, the lower filled white over it, both under the radar's grid
// (ECharts draws the radar component at z 0, series at 2), so what shows
// is the space between them. The mean loses its own fill, which would
// blur the band. go-echarts has no z for series, so the option is edited
// as JSON.
func spreadBand(cd ChartData) (ChartData, error) {
	var o map[string]any
	if err := json.Unmarshal(cd.Option, &o); err != nil {
		return ChartData{}, fmt.Errorf("web: chart %s: %w", cd.ID, err)
	}
	series, _ := o["series"].([]any)
	if len(series) < 3 {
		return cd, nil
	}
	n := len(series)
	for i, fill := range map[int]string{n - 2: bandFill, n - 1: "#ffffff"} {
		s, ok := series[i].(map[string]any)
		if !ok {
			return cd, nil
		}
		s["z"] = -1
		s["symbol"] = "none"
		s["areaStyle"] = map[string]any{"color": fill, "opacity": 1}
		s["lineStyle"] = map[string]any{"color": bandEdge, "width": 1, "type": "dotted"}
		// No decal: the aria pattern would hatch the white fill, and the
		// band must read as one shaded area between two edges.
		s["itemStyle"] = map[string]any{"color": bandFill, "borderColor": bandEdge, "decal": map[string]any{"symbol": "none"}}
	}
	if mean, ok := series[0].(map[string]any); ok {
		mean["areaStyle"] = map[string]any{"opacity": 0}
	}
	b, err := json.Marshal(o)
	if err != nil {
		return ChartData{}, fmt.Errorf("web: chart %s: %w", cd.ID, err)
	}
	cd.Option = b
	return cd, nil
}
