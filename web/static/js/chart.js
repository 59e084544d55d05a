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
