"""The shared tampering helper changes what a token says, never only its padding bits."""

from __future__ import annotations

import secrets

import pytest
from itsdangerous import BadSignature, URLSafeSerializer, URLSafeTimedSerializer

from tests.tampering import tampered


@pytest.mark.parametrize("serializer", [URLSafeSerializer, URLSafeTimedSerializer])
def test_no_tampered_token_still_loads(serializer):
    for number in range(500):
        signer = serializer(secrets.token_hex(16), salt="tampering")
        token = signer.dumps({"n": number, "id": secrets.token_hex(number % 24)})
        with pytest.raises(BadSignature):
            signer.loads(tampered(token))


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("abcdefgh.ijklmnopqrstu", "abcdefgh.ijAlmnopqrstu"),  # the middle character itself
        ("abcde.fgh", "abcAe.fgh"),  # "e" ends its segment: the nearest other one
        ("abcd.efgh", "abcd.Afgh"),  # the middle is a dot
        ("AAAA.AAAA", "AAAA.BAAA"),  # always a different character
    ],
)
def test_one_character_in_the_middle_changes_never_the_last_of_a_segment(token, expected):
    assert tampered(token) == expected


def test_a_token_of_one_character_segments_cannot_be_tampered_with():
    with pytest.raises(ValueError):
        tampered("a.b.c")
