// Draws the page's interactive charts with plotly.js (loaded before this file); every other
// chart is SVG drawn on the server (presentation.charts).
//
// presentation/charts.py renders each interactive chart as an empty div.app-chart__plot and its
// figure as JSON in <script type="application/json" id="<div id>-data">: data the browser never
// runs, so the Content-Security-Policy needs no inline script for charts.
//
// A chart is drawn when it comes near the screen (IntersectionObserver), so charts below the
// fold cost nothing until scrolled to. Marks for the browser bench (bench/browser.py):
// performance mark "perfhub:charts-in-view" once the charts on the first screen are drawn, and
// "perfhub:charts-drawn" (and <html data-charts-drawn="all">) once every chart is.
(function () {
  "use strict";
  var config = { displaylogo: false, responsive: true, displayModeBar: false };
  var plots = Array.prototype.slice.call(document.querySelectorAll(".app-chart__plot"));
  var pending = plots.length;
  var inView = plots.filter(function (div) {
    var box = div.getBoundingClientRect();
    return box.top < window.innerHeight && box.bottom > 0;
  });
  var inViewPending = inView.length;

  function done(div) {
    pending -= 1;
    if (inView.indexOf(div) !== -1) {
      inViewPending -= 1;
      if (inViewPending === 0) {
        performance.mark("perfhub:charts-in-view");
      }
    }
    if (pending === 0) {
      performance.mark("perfhub:charts-drawn");
      document.documentElement.setAttribute("data-charts-drawn", "all");
    }
  }

  function draw(div) {
    var block = document.getElementById(div.id + "-data");
    if (!block) {
      done(div);
      return;
    }
    var figure = JSON.parse(block.textContent);
    window.Plotly.newPlot(div, figure.data, figure.layout || {}, config).then(function () {
      done(div);
    });
  }

  if (inViewPending === 0) {
    performance.mark("perfhub:charts-in-view");
  }
  if (pending === 0) {
    performance.mark("perfhub:charts-drawn");
    document.documentElement.setAttribute("data-charts-drawn", "all");
    return;
  }
  if (!("IntersectionObserver" in window)) {
    plots.forEach(draw);
    return;
  }
  var observer = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) {
        observer.unobserve(entry.target);
        draw(entry.target);
      }
    });
  }, { rootMargin: "200px 0px" });
  plots.forEach(function (div) {
    observer.observe(div);
  });
})();
