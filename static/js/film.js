// Click-to-play film: nothing is loaded from the video provider until the visitor asks for it.
(function () {
  "use strict";
  document.querySelectorAll("a.film__facade[data-film-src]").forEach(function (facade) {
    facade.addEventListener("click", function (event) {
      var src = facade.getAttribute("data-film-src");
      if (!/^https:\/\/(www\.youtube-nocookie\.com|player\.vimeo\.com)\//.test(src)) return;
      event.preventDefault();
      var frame = document.createElement("iframe");
      frame.className = "film__frame";
      frame.src = src;
      frame.title = facade.getAttribute("data-film-title") || "";
      frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
      frame.allowFullscreen = true;
      frame.referrerPolicy = "strict-origin-when-cross-origin";
      facade.replaceWith(frame);
      frame.focus();
    });
  });
})();
