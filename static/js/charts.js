// Draws every chart on the page with plotly.js (loaded before this file).
//
// reports/charts.py renders each chart as an empty div.app-chart__plot and its figure as JSON
// in <script type="application/json" id="<div id>-data">: data the browser never runs, so the
// Content-Security-Policy needs no inline script for charts.
(function () {
  "use strict";
  var config = { displaylogo: false, responsive: true, displayModeBar: false };
  document.querySelectorAll(".app-chart__plot").forEach(function (div) {
    var block = document.getElementById(div.id + "-data");
    if (!block) {
      return;
    }
    var figure = JSON.parse(block.textContent);
    window.Plotly.newPlot(div, figure.data, figure.layout || {}, config);
  });
})();
