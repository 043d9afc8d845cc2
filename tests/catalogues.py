"""For the catalogue tests: a feature's messages, and the msgids its code and templates use."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None, "ngettext": (1, 2)}


def read_catalogue(path: Path) -> dict[str, object]:
    """msgid -> translation of the ``.po`` at ``path`` (plurals: by the singular, all forms)."""
    with path.open("rb") as po:
        return {
            (message.id if isinstance(message.id, str) else message.id[0]): message.string
            for message in read_po(po)
            if message.id
        }


def feature_catalogue(feature: str, lang: str) -> dict[str, object]:
    """``portal/<feature>``'s own catalogue in ``lang``."""
    return read_catalogue(
        ROOT / "portal" / feature / "translations" / lang / "LC_MESSAGES" / "messages.po"
    )


def msgids_used_in(paths: Iterable[Path]) -> set[str]:
    """Every msgid the Python modules and Jinja templates at ``paths`` use (plurals: singular)."""
    found = set()
    for path in paths:
        method = "python" if path.suffix == ".py" else "jinja2.ext:babel_extract"
        for _, message, _, _ in extract_from_file(method, str(path), keywords=KEYWORDS):
            found.add(message if isinstance(message, str) else message[0])
    return found
