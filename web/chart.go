package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

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

// radarChart builds the option of a radar with axes labelled by labels,
// scored 1–5, with one or more series.
func radarChart(id, label string, labels []string, series []RadarSeries) (ChartData, error) {
	return buildRadar(id, label, labels, series, func(i, j int) any {
		if v := series[i].Values[j]; v != nil {
			return *v
		}
		return "-" // ECharts' empty value: no point drawn
	})
}

// buildRadar builds a radar's option with value(i, j) as series i's value
// on axis j.
func buildRadar(id, label string, labels []string, series []RadarSeries, value func(i, j int) any) (ChartData, error) {
	indicators := make([]*opts.Indicator, len(labels))
	for i, l := range labels {
		indicators[i] = &opts.Indicator{Name: l, Min: 1, Max: 5}
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
		for j := range s.Values {
			values[j] = value(i, j)
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
	if err != nil {
		return ChartData{}, fmt.Errorf("web: chart %s: %w", id, err)
	}
	return ChartData{ID: id, Label: label, Option: b}, nil
}

// radarStencils keep, for the radars of leaders' results, the option
// go-echarts built for each shape — id, label, axes, series names and
// lines: all but the values — split where the values go, so that a
// result's radar costs its values only. The same radar drawn directly is
// byte for byte the same (TestRadarStencilEqualsDirect).
type radarStencils struct {
	m sync.Map     // shape key → *radarStencil
	n atomic.Int64 // stencils kept
}

// maxRadarStencils bounds the shapes kept: a result's radar has few (per
// language, previous round and compared group); beyond it radars are
// drawn directly.
const maxRadarStencils = 1024

type radarStencil struct {
	parts [][]byte // the option's JSON between the values
	slots [][2]int // series and axis of the value after parts[k]
	id    string
	label string
}

// radarMarker stands in series i's value on axis j while a stencil is
// built: a string of private-use characters that json.Marshal writes as
// it is.
func radarMarker(i, j int) string { return fmt.Sprintf("\uE000%d.%d\uE001", i, j) }

// chart returns the radar radarChart would build, from its stencil.
func (rs *radarStencils) chart(id, label string, labels []string, series []RadarSeries) (ChartData, error) {
	var key strings.Builder
	for _, part := range append([]string{id, label}, labels...) {
		key.WriteString(part)
		key.WriteByte(0)
	}
	for _, s := range series {
		fmt.Fprintf(&key, "%s\x1f%s\x1f%d\x00", s.Name, s.LineType, len(s.Values))
	}
	got, ok := rs.m.Load(key.String())
	if !ok {
		if rs.n.Load() >= maxRadarStencils {
			return radarChart(id, label, labels, series)
		}
		st, err := newRadarStencil(id, label, labels, series)
		if err != nil {
			return ChartData{}, err
		}
		got, _ = rs.m.LoadOrStore(key.String(), st)
		rs.n.Add(1)
	}
	st := got.(*radarStencil)
	b := make([]byte, 0, 4096)
	for k, slot := range st.slots {
		b = append(b, st.parts[k]...)
		if v := series[slot[0]].Values[slot[1]]; v != nil {
			b = strconv.AppendFloat(b, *v, 'f', -1, 64)
		} else {
			b = append(b, `"-"`...)
		}
	}
	b = append(b, st.parts[len(st.parts)-1]...)
	return ChartData{ID: st.id, Label: st.label, Option: b}, nil
}

// newRadarStencil builds a radar with markers for values and splits its
// option at them.
func newRadarStencil(id, label string, labels []string, series []RadarSeries) (*radarStencil, error) {
	cd, err := buildRadar(id, label, labels, series, func(i, j int) any { return radarMarker(i, j) })
	if err != nil {
		return nil, err
	}
	st := &radarStencil{id: cd.ID, label: cd.Label}
	rest := []byte(cd.Option)
	for i, s := range series {
		for j := range s.Values {
			m := []byte(`"` + radarMarker(i, j) + `"`)
			k := bytes.Index(rest, m)
			if k < 0 {
				return nil, fmt.Errorf("web: chart %s: value %d.%d not found in the option", id, i, j)
			}
			st.parts = append(st.parts, rest[:k])
			st.slots = append(st.slots, [2]int{i, j})
			rest = rest[k+len(m):]
		}
	}
	if bytes.Contains(rest, []byte("\uE000")) {
		return nil, fmt.Errorf("web: chart %s: values out of order in the option", id)
	}
	st.parts = append(st.parts, rest)
	return st, nil
}

func areaOpacity(i int) float32 {
	if i == 0 {
		return 0.18
	}
	return 0
}

var _ = types.ChartRadar
