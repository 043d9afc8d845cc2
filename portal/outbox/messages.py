"""Email content: ``templates/email/<name>.<lang>.{txt,html}`` rendered in the message's language.

The subject is the ``{% block subject %}`` of the ``.txt`` template, rendered alone, on one line;
the ``.txt`` template extends ``email/_layout.txt``, which never places that block, so the subject
stays out of the body (the ``.html`` gets it as ``subject`` for its title). ``.html``
templates are autoescaped (Flask autoescapes every ``*.html`` template); ``.txt`` templates are
not, so the text part shows what people typed, verbatim. Every value that reaches a mail header
passes ``checked_header``: line breaks and other control characters are refused, never cleaned.
"""

from __future__ import annotations

import re
import unicodedata

from flask import current_app
from flask_babel import force_locale
from jinja2 import Template, TemplateNotFound

from portal.web.i18n import LANGS
from portal.web.urls import public_url

TEMPLATE_NAME = re.compile(r"[a-z][a-z0-9_]{0,60}")
# Cc: C0/C1 controls incl. CR, LF, TAB, NUL, NEL; Zl/Zp: U+2028/U+2029, which Python's email
# package also treats as line breaks (CVE-2024-6923).
FORBIDDEN_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})


def checked_header(value: str, field: str) -> str:
    """``value`` unchanged if it may stand in a mail header.

    Raises ValueError if it holds CR, LF or any other control or line-separator character.
    """
    if any(unicodedata.category(char) in FORBIDDEN_CATEGORIES for char in value):
        raise ValueError(f"{field} contains a line break or another control character")
    return value


def paragraphs(text: str) -> list[list[str]]:
    """``text`` as paragraphs (split on blank lines) of lines, for HTML without ``|safe``."""
    blocks = re.split(r"\n\s*\n", (text or "").strip())
    return [block.splitlines() for block in blocks if block.strip()]


def render_message(template: str, lang: str, /, **context) -> tuple[str, str, str | None]:
    """Render ``email/<template>.<lang>.txt`` and ``.html`` under ``lang``'s translations.

    Returns ``(subject, text, html)``; ``html`` is None when the template has no ``.html``.
    Raises ValueError for an unknown language, a malformed template name, a missing or empty
    subject block, or a subject holding a line break; jinja2.TemplateNotFound without a .txt.
    """
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    if not TEMPLATE_NAME.fullmatch(template):
        raise ValueError(f"malformed email template name {template!r}")
    base = f"email/{template}.{lang}"
    with force_locale(lang):
        values = {**_shared_context(lang), **context}
        current_app.update_template_context(values)  # once: the three renderings share it
        text_template = current_app.jinja_env.get_template(f"{base}.txt")
        subject = _subject(text_template, values)
        values["subject"] = subject
        text = tidy_text(text_template.render(values))
        html_template = _optional_template(f"{base}.html")
        html = html_template.render(values) if html_template else None
    return subject, text, html


def tidy_text(text: str) -> str:
    """Plain-text body: no trailing spaces, at most one blank line in a row, one final newline."""
    lines = [line if line == "-- " else line.rstrip() for line in text.splitlines()]
    tidy = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return tidy + "\n"


def _shared_context(lang: str) -> dict:
    config = current_app.config
    return {
        "lang": lang,
        "site_url": public_url("public.landing", lang=lang),
        "contact_email": config.get("CONTACT_EMAIL"),
        "paragraphs": paragraphs,
    }


def _subject(template: Template, values: dict) -> str:
    block = template.blocks.get("subject")
    if block is None:
        raise ValueError(f"{template.name} has no {{% block subject %}}")
    # Only spaces are trimmed: a line break anywhere, even at an end, is refused (keep the
    # block on one line in the template).
    subject = "".join(block(template.new_context(dict(values)))).strip(" ")
    if not subject:
        raise ValueError(f"{template.name} renders an empty subject")
    return checked_header(subject, "Subject")


def _optional_template(name: str) -> Template | None:
    try:
        return current_app.jinja_env.get_template(name)
    except TemplateNotFound as error:
        if error.name != name:  # the template exists but something it includes does not
            raise
        return None
