"""Normalising and checking what visitors type: whitespace, control characters, email, phone,
Norwegian organisation numbers, and fields required only in some cases."""

from __future__ import annotations

import re
import unicodedata

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from stdnum.exceptions import ValidationError as OrgNumberError
from stdnum.no import orgnr
from wtforms.validators import StopValidation, ValidationError

_SPACE_RUNS = re.compile(r"[ \t\r\n\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_LINE_BREAKS = re.compile(r"\r\n|\r|\u2028|\u2029")
_PHONE = re.compile(r"[0-9+()./ -]+")


# --------------------------------------------------------------------------- normalisation


def single_line(value):
    """NFC, every run of whitespace (line breaks included) to one space, trimmed."""
    if not isinstance(value, str):
        return value
    return _SPACE_RUNS.sub(" ", unicodedata.normalize("NFC", value)).strip()


def without_format_characters(value):
    """``value`` without invisible format characters (Unicode Cf: bidirectional overrides such
    as U+202E, zero-width spaces), which can make a name or an organisation read as something
    else to the staff who see it."""
    if not isinstance(value, str):
        return value
    return "".join(char for char in value if unicodedata.category(char) != "Cf")


def multi_line(value):
    """NFC, line breaks to ``\\n``, trailing spaces off each line, trimmed."""
    if not isinstance(value, str):
        return value
    text = _LINE_BREAKS.sub("\n", unicodedata.normalize("NFC", value))
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def has_control_characters(text: str, allowed: str = "") -> bool:
    """True if ``text`` holds a control character other than those in ``allowed``."""
    return any(unicodedata.category(char) in ("Cc", "Cs") and char not in allowed for char in text)


# --------------------------------------------------------------------------- validators


class NoControlCharacters:
    """Refuse invisible control characters (tabs and line breaks are fine in long texts)."""

    def __init__(self, allowed: str = "") -> None:
        self.allowed = allowed

    def __call__(self, form, field) -> None:
        if isinstance(field.data, str) and has_control_characters(field.data, self.allowed):
            raise StopValidation(_l("Remove the invisible control characters from this text."))


class RequiredUnless:
    """Required unless another field holds one of ``values`` (organisation vs private person)."""

    field_flags = {"conditional": True}

    def __init__(self, other: str, values: tuple[str, ...], message) -> None:
        self.other, self.values, self.message = other, values, message

    def __call__(self, form, field) -> None:
        if not field.data:
            needed = form[self.other].data not in self.values
            raise StopValidation(self.message if needed else None)


class RequiredIf:
    """Required when another field holds ``value`` (a phone number for a call-back)."""

    def __init__(self, other: str, value: str, message) -> None:
        self.other, self.value, self.message = other, value, message

    def __call__(self, form, field) -> None:
        if not field.data:
            needed = form[self.other].data == self.value
            raise StopValidation(self.message if needed else None)


def email_address(form, field) -> None:
    """Syntax only (no DNS look-up); stores the normalised address."""
    try:
        result = validate_email(field.data, check_deliverability=False)
    except EmailNotValidError as exc:
        raise StopValidation(
            _l("Enter an email address in the right format, like name@example.no.")
        ) from exc
    field.data = result.normalized


def phone_number(form, field) -> None:
    if not _PHONE.fullmatch(field.data) or sum(c.isdigit() for c in field.data) < 5:
        raise StopValidation(_l("Enter a phone number with digits, like +47 35 00 00 00."))


def organisation_number(form, field) -> None:
    """Norwegian organisation number with its checksum; spaces allowed, stored as 9 digits."""
    try:
        field.data = orgnr.validate(field.data)
    except OrgNumberError as exc:
        raise StopValidation(
            _l("Enter a valid 9-digit organisation number, or leave the field empty.")
        ) from exc


def stopping(validator):
    """``validator`` whose failure ends the field's checks (one clear message, not two)."""

    def check(form, field) -> None:
        try:
            validator(form, field)
        except ValidationError as exc:
            raise StopValidation(str(exc)) from exc

    return check
