// Starts every chart on the page from its JSON data block. The option is
// built on the server by go-echarts and escaped by html/template; nothing
// here is inline, so the Content-Security-Policy can forbid inline script.
(function () {
  "use strict";
  var blocks = document.querySelectorAll('script[type="application/json"][data-chart]');
  Array.prototype.forEach.call(blocks, function (block) {
    var el = document.getElementById(block.getAttribute("data-chart"));
    if (!el || typeof echarts === "undefined") {
      return;
    }
    var option;
    try {
      option = JSON.parse(block.textContent);
    } catch (e) {
      return;
    }
    var height = parseInt(el.getAttribute("data-height"), 10);
    if (height > 0) {
      el.style.height = height + "px"; // CSSOM, which the policy allows
    }
    // Numbers in tooltips as the tables show them (web.Printer's Dec and
    // Pct): one decimal rounded half up, with a decimal comma in Danish;
    // on a percentage axis ("{value} %") whole percents, "9 %" in Danish
    // and "9%" in English.
    var danish = (document.documentElement.lang || "da") === "da";
    var percent = false;
    [].concat(option.xAxis || [], option.yAxis || []).forEach(function (a) {
      var f = a && a.type === "value" && a.axisLabel && a.axisLabel.formatter;
      if (typeof f === "string" && f.indexOf("%") >= 0) {
        percent = true;
      }
    });
    var number = function (v) {
      if (typeof v !== "number" || !isFinite(v)) {
        return "–"; // no score: ECharts passes "-", null or NaN
      }
      if (percent) {
        return Math.round(v) + (danish ? " %" : "%");
      }
      var s = (Math.round(v * 10) / 10).toFixed(1);
      return danish ? s.replace(".", ",") : s;
    };
    // A heatmap cell's tooltip says which group and competence it is.
    var axisNames = function (axis) {
      var a = [].concat(axis || [])[0];
      return (a && a.data) || [];
    };
    var cols = axisNames(option.xAxis), rows = axisNames(option.yAxis);
    var heatmap = [].concat(option.series || []).some(function (s) { return s.type === "heatmap"; });
    // Tooltips drawn by ECharts into the chart's SVG (richText) rather
    // than as an HTML box: the policy refuses the inline styles an HTML
    // tooltip is made of, and drawn text can carry no markup.
    [].concat(option.tooltip || []).forEach(function (t) {
      t.renderMode = "richText";
      t.valueFormatter = number;
      if (heatmap) {
        // The cell's own label, as the server formatted it.
        t.formatter = function (p) {
          var v = p.value || [];
          return [rows[v[1]], cols[v[0]] + ": " + p.name].join("\n");
        };
      }
    });
    // A radar as large as its box allows: the radius leaves room for each
    // axis name beside its axis (measured in ECharts' font), the centre
    // sits above the legend, and a polar system drawn over the radar (for
    // series with gaps, see web/chart_radar.go) follows it.
    var radarBox = function () {
      var r = option.radar;
      if (!r || Array.isArray(r)) {
        return null;
      }
      var w = el.clientWidth, h = el.clientHeight;
      var measure = document.createElement("canvas").getContext("2d");
      // On a phone the names take 12 px, the least the chart may use.
      var size = w < 480 ? 12 : (r.axisName && r.axisName.fontSize) || 12;
      measure.font = size + "px sans-serif";
      var legendH = 0;
      var legend = [].concat(option.legend || [])[0];
      if (legend && legend.show) {
        var rows = 1, x = 0;
        measure.font = ((legend.textStyle && legend.textStyle.fontSize) || 12) + "px sans-serif";
        [].concat(option.series || []).forEach(function (s) {
          var item = 25 + 5 + measure.measureText(s.name || "").width + 10;
          if (x > 0 && x + item > w) { rows++; x = 0; }
          x += item;
        });
        legendH = rows * 24 + 8;
        measure.font = size + "px sans-serif";
      }
      var gap = r.axisNameGap || 15, pad = 6, line = size * 1.4, n = (r.indicator || []).length;
      var half = (h - legendH) / 2 - pad;
      var radius = Math.min(w / 2 - pad, half) - gap;
      (r.indicator || []).forEach(function (ind, i) {
        var a = 2 * Math.PI * i / n, s = Math.abs(Math.sin(a)), c = Math.abs(Math.cos(a));
        // A two-part name is drawn on two lines (web/chart.go).
        var lines = String(ind.name || "").split("\n");
        var tw = Math.max.apply(null, lines.map(function (l) { return measure.measureText(l).width; }));
        var th = lines.length * line;
        if (s > 0.05) {
          radius = Math.min(radius, (w / 2 - pad - (s > 0.3 ? tw : tw / 2)) / s - gap);
        }
        if (c > 0.05) {
          radius = Math.min(radius, (half - (c > 0.3 ? th : th / 2)) / c - gap);
        }
      });
      return { radius: Math.max(40, Math.floor(radius)), center: [w / 2, (h - legendH) / 2], axisName: { fontSize: size } };
    };
    var fitRadar = function (o) {
      var box = radarBox();
      if (box) {
        o.radar = box;
        if (option.polar) {
          o.polar = { radius: box.radius, center: box.center };
        }
      }
      return o;
    };
    var chart = echarts.init(el, null, { renderer: "svg" });
    // A viewBox as large as the drawing lets the print stylesheet scale
    // the SVG to the paper: the browser lays out the printed page after
    // any script could resize the chart to it.
    var fit = function () {
      var svg = el.querySelector("svg");
      if (svg) {
        svg.setAttribute("viewBox", "0 0 " + chart.getWidth() + " " + chart.getHeight());
      }
    };
    var resize = function () { chart.resize(); chart.setOption(fitRadar({})); fit(); };
    chart.on("finished", fit);
    chart.setOption(option);
    chart.setOption(fitRadar({}));
    fit();
    el.classList.add("chart-ready");
    window.addEventListener("resize", resize);
    window.addEventListener("beforeprint", resize);
  });
})();
