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
    var resize = function () { chart.resize(); fit(); };
    chart.on("finished", fit);
    chart.setOption(option);
    fit();
    el.classList.add("chart-ready");
    window.addEventListener("resize", resize);
    window.addEventListener("beforeprint", resize);
  });
})();
