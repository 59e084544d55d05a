package web

import (
	"encoding/json"
	"fmt"
)

// Radar options go-echarts has no fields for, set on the option it built:
// competences clockwise from the top in the instrument's order, the scale
// 1–5 written along the first axis, and series with gaps.
//
// ECharts draws a radar series' missing value at the centre, where it
// reads as the lowest score. A series with a missing value is therefore
// drawn as a line in a polar coordinate system laid exactly over the
// radar (same centre, radius, start angle and direction): a line series
// leaves a gap where a value is missing and puts no point there.

// radarScaleFontSize is the size of the scale's numbers and the axis names
// in pixels: 12 at least, on a phone too.
const radarScaleFontSize = 12

// finishRadar sets those options on the radar option o (JSON) built for
// labels and series, and returns it.
func finishRadar(o []byte, labels []string, series []RadarSeries) ([]byte, error) {
	var option map[string]any
	if err := json.Unmarshal(o, &option); err != nil {
		return nil, fmt.Errorf("web: radar option: %w", err)
	}
	radar, _ := option["radar"].(map[string]any)
	if radar == nil {
		return o, nil
	}
	radar["clockwise"] = true
	radar["startAngle"] = 90
	// static/js/chart.js fits the radius to the box and the axis names;
	// this is the size without it (print).
	radar["radius"] = "62%"
	radar["axisNameGap"] = 8
	if ind, _ := radar["indicator"].([]any); len(ind) > 0 {
		if first, ok := ind[0].(map[string]any); ok {
			first["axisLabel"] = map[string]any{"show": true, "color": "#1a1a1a", "fontSize": radarScaleFontSize,
				"showMinLabel": true, "showMaxLabel": true, "margin": 6}
		}
	}
	all, _ := option["series"].([]any)
	gapped := false
	for i, s := range series {
		if i >= len(all) || !hasGap(s.Values) {
			continue
		}
		entry, ok := all[i].(map[string]any)
		if !ok {
			continue
		}
		all[i] = polarLine(entry, labels, s.Values)
		gapped = true
	}
	if gapped {
		option["polar"] = map[string]any{"center": radar["center"], "radius": radar["radius"]}
		option["angleAxis"] = map[string]any{"type": "value", "min": 0, "max": len(labels), "startAngle": 90, "clockwise": true, "show": false}
		option["radiusAxis"] = map[string]any{"type": "value", "min": 1, "max": 5, "show": false}
	}
	return json.Marshal(option)
}

// hasGap reports whether a series misses a value.
func hasGap(values []*float64) bool {
	for _, v := range values {
		if v == nil {
			return true
		}
	}
	return false
}

// polarLine redraws the radar series entry as a closed line over the
// radar's axes, values[i] on axis i, with no point where a value is
// missing. It has no fill: a polar line fills down to the centre, so at a
// missing axis the fill would again read as the lowest score.
func polarLine(entry map[string]any, labels []string, values []*float64) map[string]any {
	data := make([]any, 0, len(values)+1)
	for i, v := range values {
		var r any = "-"
		if v != nil {
			r = round1(*v)
		}
		data = append(data, map[string]any{"name": labels[i], "value": []any{r, i}})
	}
	// Back to the first axis, to close the line.
	first, _ := data[0].(map[string]any)
	data = append(data, map[string]any{"name": labels[0], "value": []any{first["value"].([]any)[0], len(values)}})
	line := map[string]any{
		"type": "line", "coordinateSystem": "polar", "data": data, "connectNulls": false,
		"encode": map[string]any{"radius": 0, "angle": 1, "tooltip": 0},
		"z":      3,
	}
	for _, k := range []string{"name", "lineStyle", "itemStyle", "symbol", "symbolSize"} {
		if v, ok := entry[k]; ok {
			line[k] = v
		}
	}
	return line
}
