"""The privacy notice shows the configured retention periods, and its version follows its text."""

from __future__ import annotations

import re

import pytest

from portal.public import notice_version

PATHS = {"nb": "/personvern", "nn": "/nn/personvern", "en": "/en/privacy"}


def _periods(html: str) -> str:
    paragraph = re.search(r'<p id="retention-periods">(.*?)</p>', html, re.S).group(1)
    return " ".join(paragraph.split())


@pytest.mark.parametrize(
    ("lang", "months", "days"),
    [
        ("nb", "36 måneder etter det siste", "etter 30 dager"),
        ("nn", "36 månader etter det siste", "etter 30 dagar"),
        ("en", "36 months after the last thing", "after 30 days"),
    ],
)
def test_the_notice_shows_the_default_periods(client, lang, months, days):
    text = _periods(client.get(PATHS[lang]).get_data(as_text=True))
    assert months in text and days in text


@pytest.mark.parametrize(
    ("lang", "words"), [("nb", "med en gang"), ("nn", "med ein gong"), ("en", "straight away")]
)
def test_zero_reads_as_at_once(make_app, lang, words):
    client = make_app(RETENTION_MONTHS=0, SPAM_RETENTION_DAYS=0).test_client()
    text = _periods(client.get(PATHS[lang]).get_data(as_text=True))
    assert text.count(words) == 2 and "0 " not in text


def test_other_periods_show_and_change_the_version(make_app):
    default = make_app()
    shorter = make_app(RETENTION_MONTHS=12, SPAM_RETENTION_DAYS=7)
    html = shorter.test_client().get("/en/privacy").get_data(as_text=True)
    assert "12 months after" in html and "after 7 days" in html
    versions = default.config["PRIVACY_NOTICE_VERSION"], shorter.config["PRIVACY_NOTICE_VERSION"]
    assert versions[0] != versions[1]
    assert f"Version {versions[1]}" in html
    assert all(len(version) <= 20 for version in versions)  # enquiry.privacy_version


def test_the_version_follows_the_text(tmp_path, monkeypatch):
    import portal.public as public

    for lang in ("nb", "nn", "en"):
        (tmp_path / lang).mkdir()
        (tmp_path / lang / "privacy.html").write_text("the notice")
    monkeypatch.setattr(public, "NOTICES", tmp_path)
    before = notice_version("2026-11-28", 36, 30)
    assert before == notice_version("2026-11-28", 36, 30)
    (tmp_path / "nn" / "privacy.html").write_text("the notice, reworded")
    assert notice_version("2026-11-28", 36, 30) != before
    assert before.startswith("2026-11-28.")
