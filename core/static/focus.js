// Keyboard focus across htmx swaps: a swap that replaces the element holding the focus
// (a TVB cell turning into its editor and back) would drop the focus to <body>, and a
// keyboard user would start again at the top of a page of 2,000 cells. The focus moves
// to the first control of the new content instead. Loaded as a file: the
// Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  var FOCUSABLE = "[autofocus], input:not([type=hidden]):not([disabled]), select:not([disabled]), " +
    "textarea:not([disabled]), button:not([disabled]), a[href]";
  var pending = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var active = document.activeElement;
    pending = target && target.id && active && active !== document.body && target.contains(active) ? target.id : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!pending) { return; }
    var id = pending;
    pending = null;
    var active = document.activeElement;
    if (active && active !== document.body && document.contains(active)) { return; }  // kept by htmx itself
    var swapped = document.getElementById(id);
    var first = swapped && swapped.querySelector(FOCUSABLE);
    if (first) { first.focus(); }
  });
}());
