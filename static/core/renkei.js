// Behaviour every page shares, read from data- attributes: the Content-Security-Policy allows no inline
// script (onsubmit=, onclick=) and no inline style (style=), so pages declare what they want here.
(function () {
  "use strict";

  // <form data-confirm="…"> asks before it is sent. The text is data, never code: a name with quotes stays text.
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) { event.preventDefault(); }
  }, true);

  // <button data-print> opens the browser's print dialog.
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });

  // <span data-colour="#1f77b4"> gets that background (set through the DOM, which the policy allows).
  function paint(root) {
    var nodes = root.querySelectorAll ? root.querySelectorAll("[data-colour]") : [];
    for (var i = 0; i < nodes.length; i++) { nodes[i].style.backgroundColor = nodes[i].dataset.colour; }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { paint(document); });
  } else {
    paint(document);
  }
  document.addEventListener("htmx:load", function (event) { paint(event.detail.elt.parentNode || event.detail.elt); });

  // A form sent back with errors: the focus goes to its summary (templates/core/_error_summary.html), so a
  // keyboard or screen-reader user starts from the list of problems; each links to its field.
  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusErrorSummary);
  } else {
    focusErrorSummary();
  }
  // Following a link in the summary puts the focus in its field, not only the view.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-summary] a[href^='#']");
    var target = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!target) { return; }
    var input = target.matches("input, select, textarea") ? target : target.querySelector("input, select, textarea");
    if (input) { event.preventDefault(); input.focus(); input.scrollIntoView({block: "center"}); }
  });

  // Pollers marked data-poll-visible-only skip their request while the tab is hidden (no eval'd trigger filter).
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.hasAttribute && elt.hasAttribute("data-poll-visible-only") && document.visibilityState !== "visible") {
      event.preventDefault();
    }
  });
})();
