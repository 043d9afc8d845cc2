"""What a framed page takes from its request: the host's origin, the accent, and carrying them on.

The loader passes ``host_origin``, ``source_page`` and ``accent`` as query parameters; only an
allow-listed origin (SECURITY.md E5) and a contrast-checked accent survive. The host's two
display choices come along too: ``title=hidden`` (the host page has its own H1, so the frame's is
for assistive technology only) and ``back_link=show`` (the receipt offers a way back to the
form). ``carry_frame_values`` puts them back on every URL built for the embed's pages during the
request (the form's action, the receipt's address), so the receipt still knows them.
"""

from __future__ import annotations

from flask import g, request, url_for

from portal.embed.origins import allowed_host_origin, origin_of
from portal.embed.theme import usable_accent

FRAMED = ("embed.form", "embed.received")


def frame_context() -> dict:
    """Template context for an embed page: ``host_origin`` (or None) and ``theme_url``."""
    page = request.args.get("source_page") or request.form.get("source_page")
    host = allowed_host_origin(request.args.get("host_origin")) or origin_of(page)
    accent = usable_accent(request.args.get("accent"))
    title = "hidden" if request.args.get("title") == "hidden" else None
    back_link = "show" if request.args.get("back_link") == "show" else None
    carried = (
        ("host_origin", host),
        ("accent", accent),
        ("title", title),
        ("back_link", back_link),
    )
    g.embed_carry = {name: value for name, value in carried if value}
    theme_url = url_for("embed.theme", accent=accent) if accent else None
    return {
        "host_origin": host,
        "theme_url": theme_url,
        "framed": True,
        "title_hidden": bool(title),
        "back_link": bool(back_link),
    }


def carry_frame_values(endpoint: str, values: dict) -> None:
    """``url_defaults`` hook: URLs of framed pages keep the host origin and the accent."""
    if endpoint in FRAMED:
        for name, value in g.get("embed_carry", {}).items():
            values.setdefault(name, value)
