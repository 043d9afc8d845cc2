"""A stand-in for the university's website, on another origin, for the embed's browser tests.

``/`` is the demo page with SESAM's snippet (``host_page.html``); query parameters choose the
variant: ``lang``, ``placeholder=1``, and any ``data-*`` attribute to pass (``enquiry-type=...``).
``/hostile`` is a page that posts forged messages to whatever frames it (SECURITY.md E5).
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, render_template, request

HERE = Path(__file__).resolve().parent
FALLBACK = {"nb": "/kontakt", "nn": "/nn/kontakt", "en": "/en/contact"}
HOSTILE_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>hostile</title>
</head><body><p>hostile</p><script>
parent.postMessage({type: "sesam:resize", height: 5, probe: "third-party"}, "*");
parent.postMessage({type: "sesam:submitted", probe: "third-party-submitted"}, "*");
</script></body></html>"""


def make_host_app(portal_url: str) -> Flask:
    """The host site; ``app.config["PORTAL_URL"]`` may be changed after the portal starts."""
    app = Flask("embed_host_site", template_folder=str(HERE))
    app.config["PORTAL_URL"] = portal_url.rstrip("/")

    @app.get("/")
    def page():
        lang = request.args.get("lang", "nb")
        attrs = {k: v for k, v in request.args.items() if k not in {"lang", "placeholder"}}
        return render_template(
            "host_page.html",
            portal=app.config["PORTAL_URL"],
            lang=lang,
            placeholder=request.args.get("placeholder") == "1",
            attrs=attrs,
            fallback_path=FALLBACK.get(lang, "/kontakt"),
        )

    @app.get("/hostile")
    def hostile():
        return HOSTILE_PAGE

    return app


if __name__ == "__main__":  # the README's "Trying it locally": PORTAL_URL [HOST [PORT]]
    import sys

    args = sys.argv[1:]
    host = args[1] if len(args) > 1 else "127.0.0.2"
    port = int(args[2]) if len(args) > 2 else 8001
    make_host_app(args[0]).run(host=host, port=port)
