"""Error pages in every language without stack traces, and /healthz."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from portal.web import health
from portal.web.health import register_check


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


def test_errors_no_free_connection_is_503(make_app):
    app = _failing_app(make_app, PoolTimeout("QueuePool limit reached, timed out"))
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


def test_healthz_answers_the_checks_features_register(make_app):
    app = make_app()
    register_check(app, "mailbox_reachable", lambda: True)
    register_check(app, "broken", _raises_database_error)
    body = app.test_client().get("/healthz").json
    assert body["mailbox_reachable"] is True
    assert body["broken"] is None  # a check that cannot read the database says nothing
    assert body["database"] is True


def _raises_database_error():
    raise OperationalError("SELECT 1", {}, Exception("gone"))


def test_healthz_imports_no_feature():
    """The shared base knows no feature: the outbox registers its own line."""
    tree = ast.parse(Path(health.__file__).read_text())
    imported = [
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    ]
    imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    features = ("accounts", "embed", "inbox", "intake", "outbox", "public")
    assert not [name for name in imported if name.split(".")[:2][-1] in features]
