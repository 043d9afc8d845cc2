// Form behaviour with htmx: after a swap, move focus to the error summary or the receipt.
(function () {
  "use strict";
  function focusFirst(root) {
    var target = (root || document).querySelector("[data-focus]");
    if (target) {
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.focus();
    }
  }
  document.addEventListener("htmx:afterSettle", function (event) {
    var detail = event.detail || {};
    var elt = detail.elt;
    // Field-level validation swaps keep focus where the visitor is; whole-form swaps move it.
    if (elt && elt.matches && elt.matches("[data-focus-scope]")) focusFirst(elt);
  });
  document.addEventListener("DOMContentLoaded", function () { focusFirst(document); });

  // An error-summary link (GOV.UK's pattern): the field's label or legend at the top of the
  // window, its message and input under it, and the input focused. The link's own target, the
  // field's wrapper, does the scrolling part without JavaScript.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
    if (!link) return;
    var wrapper = document.getElementById(link.getAttribute("href").slice(1));
    var input = wrapper && wrapper.querySelector("input:not([type=hidden]), textarea, select");
    if (!input) return;
    event.preventDefault();
    var folded = wrapper.closest("details");
    if (folded) folded.open = true;
    (wrapper.querySelector("legend, label") || wrapper).scrollIntoView();
    input.focus({ preventScroll: true });
  });

  // htmx 2 writes the current path to sessionStorage as it loads, whatever its history
  // settings. Public pages keep nothing in web storage (SPEC.md, SECURITY.md N6) and no page
  // uses htmx's history, so the entry goes again at once and after every swap.
  function forgetHistoryPath() {
    try {
      window.sessionStorage.removeItem("htmx-current-path-for-history");
    } catch (e) {
      // storage blocked by the browser: nothing was written either
    }
  }
  forgetHistoryPath();
  document.addEventListener("htmx:afterSettle", forgetHistoryPath);
})();
