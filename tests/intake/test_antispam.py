"""Anti-forgery and anti-spam without cookies: tokens, origin rule, heuristics (E1, S1, S2, S5)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from itsdangerous import URLSafeTimedSerializer

from portal.intake.antispam import (
    FORM_SALT,
    TokenRefused,
    body_fingerprint,
    content_signals,
    issue_form_token,
    origin_of,
    read_form_token,
    same_origin_request,
    spam_reasons,
)
from portal.intake.services import submit_enquiry
from tests.intake.enquiry_builders import service_values
from tests.tampering import tampered

OWN = ["http://127.0.0.1:5000", "http://localhost/"]
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_token_round_trip_carries_form_time_and_nonce(app):
    with time_machine.travel(T0, tick=False):
        token = read_form_token(issue_form_token())
    assert token.form_id == "enquiry"
    assert token.issued_at == T0
    assert len(token.nonce) >= 32


def test_every_token_has_its_own_nonce(app):
    nonces = {read_form_token(issue_form_token()).nonce for _ in range(20)}
    assert len(nonces) == 20


@pytest.mark.parametrize("raw", [None, "", "garbage", "eyJmb3JtX2lkIjoiZW5xdWlyeSJ9.abc.def"])
def test_missing_or_forged_tokens_are_refused(app, raw):
    with pytest.raises(TokenRefused):
        read_form_token(raw)


def test_a_tampered_token_is_refused(app):
    with pytest.raises(TokenRefused):
        read_form_token(tampered(issue_form_token()))


def test_a_token_signed_with_another_key_is_refused(app):
    foreign = URLSafeTimedSerializer("another-key", salt=FORM_SALT).dumps(
        {"form_id": "enquiry", "issued_at": T0.timestamp(), "nonce": "x" * 32}
    )
    with pytest.raises(TokenRefused):
        read_form_token(foreign)


def test_a_token_for_another_form_is_refused(app):
    with pytest.raises(TokenRefused):
        read_form_token(issue_form_token("case"))


def test_token_age_decides_too_fast_and_expired(app):
    app.config.update(FORM_MIN_FILL_SECONDS=3, FORM_MAX_AGE_HOURS=24)
    with time_machine.travel(T0, tick=False) as traveller:
        token = read_form_token(issue_form_token())
        traveller.shift(timedelta(seconds=1))
        assert token.too_fast() and not token.expired()
        traveller.shift(timedelta(seconds=5))
        assert not token.too_fast() and not token.expired()
        traveller.shift(timedelta(hours=25))
        assert token.expired()


@pytest.mark.parametrize(
    ("headers", "allowed"),
    [
        ({"Sec-Fetch-Site": "same-origin"}, True),
        ({"Sec-Fetch-Site": "none"}, True),
        ({"Sec-Fetch-Site": "cross-site"}, False),
        ({"Sec-Fetch-Site": "same-site"}, False),
        ({"Sec-Fetch-Site": "cross-site", "Origin": "http://127.0.0.1:5000"}, False),
        ({"Origin": "http://127.0.0.1:5000"}, True),
        ({"Origin": "http://localhost"}, True),
        ({"Origin": "HTTP://LOCALHOST:80"}, True),
        ({"Origin": "null"}, False),
        ({"Origin": "https://evil.example"}, False),
        ({"Origin": "http://127.0.0.1:5001"}, False),
        ({"Origin": "https://127.0.0.1:5000"}, False),
        ({}, True),
    ],
)
def test_origin_rule_follows_fetch_metadata_then_origin(headers, allowed):
    assert same_origin_request(headers, OWN) is allowed


def test_origin_of_is_canonical():
    assert origin_of("https://USN.no:443/path?q") == "https://usn.no"
    assert origin_of("http://127.0.0.1:8080/") == "http://127.0.0.1:8080"
    assert origin_of("null") is None
    assert origin_of("javascript:alert(1)") is None


def test_fingerprint_ignores_case_spacing_and_punctuation():
    assert body_fingerprint("Lonely  elders, in Bø!", None) == body_fingerprint(
        "lonely elders in BØ", ""
    )
    assert body_fingerprint("Lonely elders", None) != body_fingerprint("Lonely youth", None)


# A small corpus: genuine enquiries (ham) must never be flagged; typical spam must be.
HAM = [
    "Ungdom i bydelen faller ut av skolen. Vi vil prøve samskaping med elever og foreldre.",
    "We run https://example.org/project and https://example.org/report on homelessness.",
    "Eldre med demens og pårørende trenger bedre avlastning; se www.kommune.no/demens.",
    "Our NGO works with gambling addiction and casino debt among young adults in Oslo.",
    "Hvordan kan vi bruke håndboka i et kurs for ansatte i NAV? 20 deltakere, høsten 2027.",
]
SPAM = [
    "Buy followers now http://a.example http://b.example http://c.example http://d.example",
    "Best SEO services for your website, guaranteed backlinks and top ranking.",
    "[url=http://pills.example]cheap viagra[/url] cheap cialis",
    "1234567890 1234567890 !!! ??? 1234567890",
]


@pytest.mark.parametrize("problem", HAM)
def test_genuine_enquiries_raise_no_content_signal_enough_for_spam(app, problem):
    assert sum(content_signals(service_values(problem=problem)).values()) < 3


@pytest.mark.parametrize("problem", SPAM)
def test_typical_spam_is_caught_by_the_heuristics(app, problem):
    assert sum(content_signals(service_values(problem=problem)).values()) >= 3


def test_the_same_text_within_a_day_is_a_duplicate(app):
    values = service_values()
    assert "duplicate" not in content_signals(values)
    with time_machine.travel(T0, tick=False):
        submit_enquiry(**values, lang="nb", source="site", nonce="n-1")
    with time_machine.travel(T0 + timedelta(hours=23), tick=False):
        assert "duplicate" in content_signals(values)
    with time_machine.travel(T0 + timedelta(hours=25), tick=False):
        assert "duplicate" not in content_signals(values)


def test_spam_reasons_name_the_honeypot_and_the_fill_time(app):
    app.config["FORM_MIN_FILL_SECONDS"] = 3
    with time_machine.travel(T0, tick=False):
        token = read_form_token(issue_form_token())
        assert spam_reasons(service_values(), token=token, trap_filled=True) == [
            "honeypot",
            "too_fast",
        ]
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        assert spam_reasons(service_values(), token=token, trap_filled=False) == []
