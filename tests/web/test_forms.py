"""WTForms' own messages in the visitor's language: WTForms' catalogue for nb (and English as
written), the portal's catalogue for nn, which WTForms does not ship."""

from __future__ import annotations

import pytest
from flask import Flask
from wtforms import RadioField, SelectChoice, StringField
from wtforms.validators import DataRequired, Length

from portal.web.forms import Form


class _Probe(Form):
    class Meta:
        csrf = False

    name = StringField(validators=[DataRequired()])
    note = StringField(validators=[Length(max=3)])
    choice = RadioField(choices=[SelectChoice("a", "A")])


@pytest.mark.parametrize(
    ("path", "required", "too_long", "not_a_choice"),
    [
        (
            "/",
            "Dette feltet er påkrevd.",
            "Feltet kan ikke være lenger enn 3 tegn.",
            "Ikke et gyldig valg",
        ),
        (
            "/nn/",
            "Dette feltet må fyllast ut.",
            "Feltet kan ikkje vere lengre enn 3 teikn.",
            "Dette er ikkje eit gyldig val.",
        ),
        (
            "/en/",
            "This field is required.",
            "Field cannot be longer than 3 characters.",
            "Not a valid choice.",
        ),
    ],
)
def test_built_in_messages_speak_the_page_language(
    app: Flask, path: str, required: str, too_long: str, not_a_choice: str
) -> None:
    with app.test_request_context(path, method="POST", data={"note": "four", "choice": "x"}):
        app.preprocess_request()  # the route's language, as a real request sets it
        form = _Probe()
        assert not form.validate()
        assert form.errors == {"name": [required], "note": [too_long], "choice": [not_a_choice]}
