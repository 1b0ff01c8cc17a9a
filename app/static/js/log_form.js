// Practice-log form: keeps each element's "applied" toggle in step with its techniques and rating,
// folds an element away until it is applied, and keeps the focused control clear of the sticky
// save bar. The form works the same without this file.
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

  // WCAG 2.4.11: nothing that has focus may sit under the sticky save bar. The stylesheet's
  // scroll-padding does this where the browser honours it; this covers the rest.
  var bar = form.querySelector(".form-actions");
  if (!bar) { return; }
  form.addEventListener("focusin", function (event) {
    var target = event.target;
    if (bar.contains(target)) { return; }
    // A pill's checkbox is visually hidden: what the person sees is its label.
    var shown = target.labels && target.labels.length && target.offsetWidth < 2 ? target.labels[0] : target;
    var box = shown.getBoundingClientRect();
    var cover = bar.getBoundingClientRect();
    if (box.bottom > cover.top && box.top < cover.bottom) {
      window.scrollBy(0, box.bottom - cover.top + 16);
    }
  });
})();
