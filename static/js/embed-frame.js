// Inside the embed frame: tell the host page our height, and that the form was sent.
// SECURITY.md E5: posts only to the host origin the server vouched for (data-host-origin, which it
// renders only for allow-listed origins), never "*"; registers no message handler.
(function () {
  "use strict";
  var marker = document.querySelector("[data-sesam-frame]");
  if (!marker || window.parent === window) return;
  var host = marker.getAttribute("data-host-origin");

  // Links out of the form (privacy notice, front page) open in a new tab: the portal's other
  // pages refuse to be framed.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || link.target || link.getAttribute("href").charAt(0) === "#") return;
    if (new URL(link.href).pathname.indexOf("/embed/") !== -1) return;
    link.target = "_blank";
    link.rel = "noopener";
  });

  if (!host) return;
  var root = document.documentElement;
  var sent = 0;
  var timer = null;

  function post(message) {
    window.parent.postMessage(message, host);
  }

  function measure() {
    timer = null;
    var height = Math.ceil(root.getBoundingClientRect().height);
    if (height !== sent) {
      sent = height;
      post({ type: "sesam:resize", height: height });
    }
  }

  function schedule() {
    if (timer === null) timer = window.setTimeout(measure, 50);
  }

  if (window.ResizeObserver) {
    var observer = new ResizeObserver(schedule);
    observer.observe(root);
    observer.observe(document.body);
  }
  window.addEventListener("load", schedule);
  document.addEventListener("htmx:afterSettle", schedule);
  schedule();
  if (marker.hasAttribute("data-sesam-submitted")) post({ type: "sesam:submitted" });
})();
