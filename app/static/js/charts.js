// Werkzaam dashboards: draw every figure whose JSON the page holds in a
// <script type="application/json" class="figure"> element (no inline script, so the CSP holds).
// Without this file, or without JavaScript, each chart's table shows the same numbers.
(function () {
  "use strict";
  if (!window.Plotly) { return; }
  var lang = document.documentElement.lang === "en" ? "en" : "nl";
  window.Plotly.register({
    moduleType: "locale", name: "nl",
    dictionary: {
      "Download plot as a png": "Grafiek opslaan als png", "Download plot": "Grafiek opslaan",
      "Reset axes": "Assen herstellen", "Zoom in": "Inzoomen", "Zoom out": "Uitzoomen",
      "Autoscale": "Automatisch schalen", "Toggle Spike Lines": "Hulplijnen aan of uit",
      "Double-click on legend to isolate one trace": "Dubbelklik op de legenda om één lijn te tonen"
    },
    format: {
      days: ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
      shortDays: ["zo", "ma", "di", "wo", "do", "vr", "za"],
      months: ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
        "september", "oktober", "november", "december"],
      shortMonths: ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
      date: "%d-%m-%Y", decimal: ",", thousands: "."
    }
  });
  var config = {
    displayModeBar: false, displaylogo: false, showSendToCloud: false, showEditInChartStudio: false,
    responsive: true,
    locale: lang, modeBarButtonsToRemove: ["select2d", "lasso2d", "zoom2d", "pan2d", "autoScale2d"]
  };
  var figures = document.querySelectorAll("script.figure[type='application/json']");
  Array.prototype.forEach.call(figures, function (holder) {
    var target = document.getElementById(holder.getAttribute("data-target"));
    if (!target) { return; }
    var figure = JSON.parse(holder.textContent);
    window.Plotly.newPlot(target, figure.data, figure.layout, config).then(function () {
      target.setAttribute("data-drawn", "1");
    });
  });
})();
