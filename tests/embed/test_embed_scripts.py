"""The two scripts of the embed, read as text: what they may and may not do (SECURITY.md E5, N6)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOADER = (ROOT / "templates/embed/loader.js").read_text(encoding="utf-8")
FRAME = (ROOT / "static/js/embed-frame.js").read_text(encoding="utf-8")
STORAGE = re.compile(r"document\.cookie|localStorage|sessionStorage|indexedDB|caches\.")


def test_frame_script_registers_no_message_handler_and_never_posts_to_anyone():
    assert not re.search(r"""addEventListener\(\s*["']message["']|onmessage""", FRAME)
    assert "postMessage(message, host)" in FRAME
    assert not re.search(r"""postMessage\([^)]*["']\*["']""", FRAME)
    assert 'getAttribute("data-host-origin")' in FRAME


def test_loader_checks_origin_source_type_and_bounds_of_every_message():
    handler = LOADER[LOADER.index('addEventListener("message"') :]
    assert "event.origin !== portal" in handler
    assert "contentWindow === event.source" in handler
    assert (
        'data.type === "sesam:resize"' in handler and 'data.type === "sesam:submitted"' in handler
    )
    assert "Number.isInteger(height)" in handler
    assert "SETTINGS.min_height" in handler and "SETTINGS.max_height" in handler
    assert "postMessage" not in LOADER


def test_scripts_use_strict_mode_one_namespace_and_no_storage():
    for source in (LOADER, FRAME):
        assert '"use strict";' in source
        assert not STORAGE.search(source)
    assert set(re.findall(r"window\.([A-Z]\w*)\s*=", LOADER)) == {"SESAMEmbed"}
    assert not re.search(r"window\.\w+\s*=[^=]", FRAME)  # the frame script adds no globals
