"""Every visible string exists in Bokmål and Nynorsk: each msgid used in code or templates is
translated in some feature's catalogue, nothing is fuzzy, and placeholders match."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from portal.web.i18n import translation_directories
from tests.catalogues import TEMPLATE_EXTRACTION

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {
    "_": None,
    "gettext": None,
    "lazy_gettext": None,
    "_l": None,
    "ngettext": (1, 2),
    "lazy_ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
}
METHODS = [
    ("portal/**.py", "python"),
    ("templates/**.html", "jinja2"),
    ("templates/**.txt", "jinja2"),
]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _used_msgids() -> dict[str, str]:
    found: dict[str, str] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT),
        METHODS,
        keywords=KEYWORDS,
        options_map={"templates/**": {"trimmed": "true", **TEMPLATE_EXTRACTION}},
    ):
        msgid = message[0] if isinstance(message, tuple) else message  # plurals: the singular
        if msgid:
            found.setdefault(msgid, filename)
    return found


def _catalogues(lang: str):
    for directory in translation_directories():
        path = Path(directory) / lang / "LC_MESSAGES" / "messages.po"
        if path.exists():
            with path.open("rb") as handle:
                yield path, read_po(handle)


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_translations_cover_every_msgid(lang):
    translated: dict[str, str] = {}
    for _path, catalogue in _catalogues(lang):
        for message in catalogue:
            if message.id and message.string and not message.fuzzy:
                key = message.id if isinstance(message.id, str) else message.id[0]
                translated[key] = message.string
    missing = {msgid: where for msgid, where in _used_msgids().items() if msgid not in translated}
    assert not missing, f"untranslated in {lang}: {missing}"


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_translations_are_not_fuzzy_and_keep_placeholders(lang):
    for path, catalogue in _catalogues(lang):
        assert not catalogue.fuzzy, f"{path} has a fuzzy header: pybabel compile would skip it"
        for message in catalogue:
            if not message.id:
                continue
            assert not message.fuzzy, f"{path}: fuzzy entry {message.id!r}"
            source = message.id if isinstance(message.id, str) else message.id[0]
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for string in strings:
                assert set(PLACEHOLDER.findall(source)) == set(PLACEHOLDER.findall(string)), (
                    f"{path}: placeholders differ in {source!r}"
                )
