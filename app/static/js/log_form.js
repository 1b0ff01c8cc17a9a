// Practice-log form: keeps each element's "applied" toggle in step with its techniques and rating,
// and folds an element away until it is applied. The form works the same without this file.
(function () {
  "use strict";
  var form = document.querySelector("[data-log-form]");
  if (!form) { return; }
  Array.prototype.forEach.call(form.querySelectorAll("[data-element]"), function (section) {
    var toggle = section.querySelector("[data-applied] input[type=checkbox]");
    var body = section.querySelector("[data-element-body]");
    if (!toggle || !body) { return; }
    var inputs = body.querySelectorAll("input");
    var chosen = function () {
      return Array.prototype.some.call(inputs, function (input) { return input.checked; });
    };
    var sync = function () { section.classList.toggle("is-collapsed", !toggle.checked); };
    toggle.addEventListener("change", function () {
      // Un-applying an element clears its choices, so nothing hidden is sent along.
      if (!toggle.checked) {
        Array.prototype.forEach.call(inputs, function (input) { input.checked = false; });
      }
      sync();
    });
    body.addEventListener("change", function (event) {
      if (event.target.checked) { toggle.checked = true; sync(); }
    });
    if (chosen()) { toggle.checked = true; }
    sync();
  });
})();
