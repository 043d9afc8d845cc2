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
