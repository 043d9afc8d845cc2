// The staff screens' behaviour on top of htmx: failures shown where they happened, bulk
// selection, and the keyboard shortcuts (listed on "?", each person can turn them off).
(function () {
  "use strict";
  var body = document.body;

  // ---- Failures: a message next to the control, and the control put back as it was.
  function errorSlot(control) {
    var next = control.nextElementSibling;
    if (next && next.hasAttribute("data-action-error")) return next;
    var slot = document.createElement("p");
    slot.className = "action-error";
    slot.setAttribute("data-action-error", "");
    slot.setAttribute("role", "alert");
    control.insertAdjacentElement("afterend", slot);
    return slot;
  }
  function controlOf(elt) {
    return (elt && elt.closest && elt.closest("form")) || elt;
  }
  function failed(event, message) {
    var control = controlOf(event.detail && event.detail.elt);
    if (!control || !control.insertAdjacentElement) return;
    if (control.tagName === "FORM") control.reset();
    errorSlot(control).textContent = message;
  }
  document.addEventListener("htmx:responseError", function (event) {
    failed(event, body.getAttribute("data-error-server"));
  });
  document.addEventListener("htmx:sendError", function (event) {
    failed(event, body.getAttribute("data-error-offline"));
  });
  document.addEventListener("htmx:timeout", function (event) {
    failed(event, body.getAttribute("data-error-offline"));
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var control = controlOf(event.detail && event.detail.elt);
    var next = control && control.nextElementSibling;
    if (next && next.hasAttribute("data-action-error")) next.remove();
  });

  // ---- Bulk selection: "select all" and the actions shown once something is selected.
  function syncBulk(root) {
    (root || document).querySelectorAll("[data-select-all]").forEach(function (all) {
      var form = all.form;
      var boxes = form.querySelectorAll('input[name="' + all.getAttribute("data-select-all") + '"]');
      var checked = Array.prototype.filter.call(boxes, function (box) { return box.checked; });
      all.checked = boxes.length > 0 && checked.length === boxes.length;
      all.indeterminate = checked.length > 0 && checked.length < boxes.length;
      var actions = form.querySelector("[data-bulk-actions]");
      if (actions) actions.hidden = checked.length === 0;
    });
  }
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.hasAttribute && target.hasAttribute("data-select-all")) {
      target.form.querySelectorAll('input[name="' + target.getAttribute("data-select-all") + '"]')
        .forEach(function (box) { box.checked = target.checked; });
    }
    if (target.form && target.form.querySelector("[data-select-all]")) syncBulk(target.form);
  });
  document.addEventListener("DOMContentLoaded", function () { syncBulk(document); });
  document.addEventListener("htmx:afterSettle", function () { syncBulk(document); });

  // ---- Keyboard shortcuts (WCAG 2.1.4: off in "My account" for whoever prefers).
  if (body.getAttribute("data-shortcuts") !== "on") return;
  // Keys typed into a field, a list box or an open dialog are theirs, not shortcuts.
  var TEXT = "input:not([type=checkbox]):not([type=radio]):not([type=submit]):not([type=button])";
  function typing(target) {
    return target.closest && target.closest(TEXT + ", textarea, select, [contenteditable], dialog");
  }
  function rowLinks() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-row-link]"));
  }
  function move(step) {
    var links = rowLinks();
    if (!links.length) return;
    var at = links.indexOf(document.activeElement);
    var next = at < 0 ? 0 : Math.min(Math.max(at + step, 0), links.length - 1);
    links[next].focus();
  }
  function act(selector) {
    var control = document.querySelector(selector);
    if (control) { control.focus(); return control; }
    return null;
  }
  var keys = {
    "j": function () { move(1); },
    "k": function () { move(-1); },
    "o": function () {
      var link = rowLinks().indexOf(document.activeElement) >= 0 ? document.activeElement : rowLinks()[0];
      if (link) link.click();
    },
    "a": function () {
      var select = document.querySelector("#assignee");
      var me = body.getAttribute("data-me");
      if (select && me && select.querySelector('option[value="' + me + '"]')) {
        select.value = me;
        var save = document.querySelector("#triage-save");
        if (save) save.click();
      }
    },
    "s": function () { act("#status"); },
    "?": function () {
      var dialog = document.getElementById("shortcuts-help");
      if (dialog && dialog.showModal && !dialog.open) dialog.showModal();
    }
  };
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var run = keys[event.key];
    if (run) { event.preventDefault(); run(); }
  });
})();
