"""The local password policy (A1) and Argon2id hashing."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, extract_parameters
from flask_babel import force_locale

from portal.accounts import passwords


@pytest.fixture
def english(app):
    with force_locale("en"):
        yield


@pytest.mark.parametrize(
    "password",
    ["abcdefgh", "correct horse battery", "æøå ÆØÅ 1234", "x" * 64, "  leading and trailing  "],
)
def test_policy_accepts_8_to_64_characters_of_any_kind(app, password):
    assert passwords.policy_problems(password) == []
    passwords.check_policy(password)


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("", "at least 8"),
        ("abcdefg", "at least 8"),
        ("x" * 65, "at most 64"),
        (" " * 10, "only spaces"),
    ],
)
def test_policy_refuses_short_long_and_blank_passwords(english, password, fragment):
    with pytest.raises(passwords.PasswordPolicyError) as excinfo:
        passwords.check_policy(password)
    assert fragment in str(excinfo.value)


def test_policy_refuses_the_accounts_own_email(english):
    problems = passwords.policy_problems("Kari@Example.org", email="kari@example.org")
    assert [str(problem) for problem in problems] == ["The password cannot be your email address."]


def test_policy_counts_characters_not_bytes(app):
    assert passwords.policy_problems("ææææææææ") == []  # 8 characters, 16 bytes
    assert passwords.policy_problems("æ" * 64) == []


def test_hash_is_argon2id_and_verifies(app):
    hashed = passwords.hash_password("correct horse battery")
    assert hashed.startswith("$argon2id$")
    assert extract_parameters(hashed).type.name == "ID"
    assert passwords.verify_password(hashed, "correct horse battery")
    assert not passwords.verify_password(hashed, "correct horse batterY")
    assert hashed != passwords.hash_password("correct horse battery")  # salted


def test_missing_or_broken_hash_never_verifies(app):
    assert not passwords.verify_password(None, "anything at all")
    assert not passwords.verify_password("not-a-hash", "anything at all")
    assert not passwords.verify_password(passwords.hash_password("x" * 8), "x" * 5000)


def test_production_parameters_are_memory_hard(make_app):
    production = make_app(TESTING=False)
    with production.app_context():
        hasher = passwords.hasher()
    assert isinstance(hasher, PasswordHasher)
    assert hasher.memory_cost >= 19 * 1024  # OWASP's floor for Argon2id: 19 MiB
    assert hasher.time_cost >= 2


def test_hash_from_other_parameters_needs_rehash(app):
    strong = PasswordHasher().hash("correct horse battery")
    assert passwords.verify_password(strong, "correct horse battery")
    assert passwords.needs_rehash(strong)
    assert not passwords.needs_rehash(passwords.hash_password("correct horse battery"))


def test_policy_messages_are_translated(app):
    with force_locale("nn"):
        assert [str(p) for p in passwords.policy_problems("kort")] == ["Bruk minst 8 teikn."]
    with force_locale("nb"):
        assert [str(p) for p in passwords.policy_problems("kort")] == ["Bruk minst 8 tegn."]
