/* SESAM embed loader {{ settings.version }}: puts SESAM's enquiry form on another site in an
   auto-resizing iframe. Written for the SESAM portal; no dependencies, no cookies, no storage.
   Usage: <script src="https://PORTAL/embed.js" data-lang="nb" async></script>, or
   <div data-sesam-form data-lang="en"></div> anywhere on the page plus the script.
   data-title="hidden": the host page has its own H1, so the frame's is for screen readers only;
   data-back-link="show": the receipt in the frame offers a link back to the form. */
(function () {
  "use strict";
  var SETTINGS = {{ settings|tojson }};
  var script = document.currentScript;
  if (!script || !script.src) return;
  var portal = new URL(script.src, document.baseURI).origin;
  var frames = [];

  // data-enquiry-type and data-enquiry_type both name the field enquiry_type.
  function option(element, name) {
    var value = element.getAttribute("data-" + name.replace(/_/g, "-"));
    if (value === null) value = element.getAttribute("data-" + name);
    return value === null ? null : value.trim();
  }

  function frameUrl(element) {
    var lang = option(element, "lang") || option(script, "lang") || SETTINGS.default_lang;
    if (!SETTINGS.langs[lang]) lang = SETTINGS.default_lang;
    var url = new URL(SETTINGS.langs[lang].path, portal);
    SETTINGS.fields.forEach(function (name) {
      var value = option(element, name);
      if (value) url.searchParams.set(name, value.slice(0, 200));
    });
    var accent = option(element, "accent");
    if (accent && /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(accent)) url.searchParams.set("accent", accent);
    if (option(element, "title") === "hidden") url.searchParams.set("title", "hidden");
    if (option(element, "back-link") === "show") url.searchParams.set("back_link", "show");
    var page = location.href.split("#")[0];
    if (page.length > SETTINGS.max_page_length) page = location.origin + location.pathname;
    url.searchParams.set("host_origin", location.origin);
    url.searchParams.set("source_page", page.slice(0, SETTINGS.max_page_length));
    return { url: url.href, lang: lang };
  }

  function mount(element, after) {
    if (element.hasAttribute("data-sesam-mounted")) return null;
    element.setAttribute("data-sesam-mounted", "");
    var target = frameUrl(element);
    var frame = document.createElement("iframe");
    frame.src = target.url;
    frame.title = SETTINGS.langs[target.lang].title;
    frame.className = "sesam-form-frame";
    if (option(element, "loading") !== "eager") frame.setAttribute("loading", "lazy");
    frame.style.display = "block";
    frame.style.width = "100%";
    frame.style.border = "0";
    frame.style.height = SETTINGS.initial_height + "px";
    if (after) element.parentNode.insertBefore(frame, element.nextSibling);
    else element.appendChild(frame);
    frames.push(frame);
    return frame;
  }

  function reducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  // SECURITY.md E5: only our own frames, from the portal's origin, with one of two shapes.
  window.addEventListener("message", function (event) {
    if (event.origin !== portal) return;
    var frame = null;
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) frame = frames[i];
    }
    var data = event.data;
    if (!frame || !data || typeof data !== "object") return;
    if (data.type === "sesam:resize") {
      var height = data.height;
      if (typeof height !== "number" || !Number.isInteger(height)) return;
      if (height < SETTINGS.min_height || height > SETTINGS.max_height) return;
      frame.style.height = height + "px";
    } else if (data.type === "sesam:submitted") {
      frame.scrollIntoView({ block: "start", behavior: reducedMotion() ? "auto" : "smooth" });
    }
  });

  function start() {
    var holders = document.querySelectorAll("[data-sesam-form]");
    if (holders.length) {
      for (var i = 0; i < holders.length; i++) mount(holders[i], false);
    } else if (script.parentNode && script.parentNode !== document.head) {
      mount(script, true);
    }
  }

  var api = window.SESAMEmbed = window.SESAMEmbed || {};
  api.version = SETTINGS.version;
  api.mount = api.mount || function (element) { return mount(element, false); };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
