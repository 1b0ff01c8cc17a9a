// Charts: every element with data-chart="<id>" is drawn from the figure JSON in
// <script type="application/json" id="<id>"> (no inline script: the CSP allows only our files).
(function () {
  "use strict";
  if (!window.Plotly) { return; }
  var config = { displaylogo: false, showSendToCloud: false, responsive: true, displayModeBar: false };
  Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), function (element) {
    var source = document.getElementById(element.getAttribute("data-chart"));
    if (!source) { return; }
    var figure = JSON.parse(source.textContent);
    window.Plotly.newPlot(element, figure.data, figure.layout || {}, config);
  });
})();
