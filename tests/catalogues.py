"""For the catalogue tests: a feature's messages, and the msgids its code and templates use."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None, "ngettext": (1, 2)}
# Templates use Flask-Caching's {% cache %} tag: the extractor must know it, and must fail
# loudly on a template it cannot read instead of finding no messages in it.
TEMPLATE_EXTRACTION = {"extensions": "flask_caching.jinja2ext.CacheExtension", "silent": "false"}


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
        python = path.suffix == ".py"
        method = "python" if python else "jinja2.ext:babel_extract"
        options = {} if python else TEMPLATE_EXTRACTION
        for _, message, _, _ in extract_from_file(
            method, str(path), keywords=KEYWORDS, options=options
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def feature_sources(feature: str) -> list[Path]:
    """The Python modules of ``portal/<feature>`` and its templates, ``templates/<feature>``."""
    return [
        *sorted((ROOT / "portal" / feature).glob("*.py")),
        *sorted((ROOT / "templates" / feature).rglob("*.html")),
    ]


def assert_complete(feature: str, lang: str, used: set[str] | None = None) -> None:
    """Every msgid ``used`` (by default: in the feature's sources) is translated in ``lang``,
    plurals in every form, and the catalogue holds nothing else."""
    translations = feature_catalogue(feature, lang)
    used = msgids_used_in(feature_sources(feature)) if used is None else used
    assert sorted(m for m in used if not translations.get(m)) == []
    plurals = [text for text in translations.values() if isinstance(text, tuple | list)]
    assert all(all(form for form in text) for text in plurals)
    assert set(translations) == used


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")


def assert_consistent(feature: str, lang: str) -> None:
    """Placeholders survive translation, and a msgid another feature translates too reads the
    same in both catalogues (one word for one thing, GLOSSARY.md)."""
    mine = feature_catalogue(feature, lang)
    for msgid, text in mine.items():
        wanted = set(PLACEHOLDER.findall(msgid))
        for translated in text if isinstance(text, tuple | list) else [text]:
            assert set(PLACEHOLDER.findall(translated)) == wanted, msgid
    for path in sorted((ROOT / "portal").glob(f"*/translations/{lang}/LC_MESSAGES/messages.po")):
        if path.is_relative_to(ROOT / "portal" / feature):
            continue
        for msgid, text in read_catalogue(path).items():
            if msgid in mine:
                assert mine[msgid] == text, (path.parts[-5], msgid)
