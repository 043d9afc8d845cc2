"""Error pages in every language without stack traces, and /healthz."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError


@pytest.mark.parametrize(
    ("path", "lang", "title"),
    [
        ("/finnes-ikke", "nb", "Vi fant ikke siden"),
        ("/nn/finst-ikkje", "nn", "Vi fann ikkje sida"),
        ("/en/missing", "en", "We could not find that page"),
    ],
)
def test_errors_404_is_friendly_in_the_path_language(client, path, lang, title):
    response = client.get(path)
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert title in html
    assert "Set-Cookie" not in response.headers


def _failing_app(make_app, error):
    app = make_app(TESTING=False)

    @app.get("/en/explode")
    def explode():
        raise error

    return app


def test_errors_500_shows_no_stack_trace(make_app, caplog):
    app = _failing_app(make_app, RuntimeError("secret internals"))
    response = app.test_client().get("/en/explode")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Something went wrong on our side" in html
    assert "Traceback" not in html and "secret internals" not in html
    assert "unhandled error" in caplog.text


def test_errors_database_down_is_503(make_app):
    app = _failing_app(make_app, OperationalError("SELECT 1", {}, Exception("gone")))
    response = app.test_client().get("/en/explode")
    assert response.status_code == 503
    assert "temporarily unavailable" in response.get_data(as_text=True)


def test_errors_htmx_gets_a_fragment(hx):
    response = hx.get("/en/missing")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "<html" not in html and "We could not find that page" in html
    assert "HX-Request" in response.headers["Vary"]


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["app"] == "up"
    assert response.json["database"] is True
    assert response.json["outbox_lag_seconds"] is None


def test_healthz_reports_outbox_lag(app, client, time_machine):
    from portal.extensions import db
    from portal.outbox.queueing import enqueue

    time_machine.move_to("2026-11-28 12:00:00+00:00", tick=False)
    enqueue(
        kind="test",
        to="a@example.org",
        template="notice",
        lang="en",
        context={"subject": "Hello", "heading": "Hello", "body": "Body"},
    )
    db.session.commit()
    time_machine.move_to("2026-11-28 12:02:00+00:00", tick=False)
    assert client.get("/healthz").json["outbox_lag_seconds"] == 120.0


def test_healthz_database_unreachable_is_503(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing/dir/db.sqlite3")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {
        "status": "degraded",
        "app": "up",
        "database": False,
        "outbox_lag_seconds": None,
    }
