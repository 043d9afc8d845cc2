"""Rate limits on form posts (S3) and no cookie on any intake response (E1, N6)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.intake.links import case_token
from portal.intake.models import Enquiry
from tests.intake.enquiry_builders import answers, fresh_token, submit


def test_the_sixth_post_in_a_minute_is_429_with_the_form_filled(make_app):
    client = make_app(FORM_MIN_FILL_SECONDS=0).test_client()  # default: 5 per minute
    tokens = [fresh_token(client, "en") for _ in range(6)]
    codes = [
        submit(client, "en", token=token, problem=f"Problem {i} with enough words.").status_code
        for i, token in enumerate(tokens[:5])
    ]
    assert codes == [303] * 5
    response = submit(client, "en", token=tokens[5], name="Sixth Visitor")
    page = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "Many enquiries have been sent from your network in a short time" in page
    assert 'value="Sixth Visitor"' in page
    assert "Set-Cookie" not in response.headers


def test_the_limit_is_shared_by_the_three_languages(make_app):
    client = make_app(FORM_MIN_FILL_SECONDS=0).test_client()
    codes = [
        submit(client, lang, problem=f"Problem {i} with enough words.").status_code
        for i, lang in enumerate(["nb", "nn", "en", "nb", "nn", "en"])
    ]
    assert codes == [303] * 5 + [429]


def test_the_limit_counts_refused_posts_too(make_app):
    client = make_app(FORM_MIN_FILL_SECONDS=0).test_client()
    codes = [submit(client, "en", token="forged").status_code for _ in range(6)]
    assert codes == [400] * 5 + [429]


def test_rotating_x_forwarded_for_does_not_reset_the_counter(make_app):
    app = make_app(FORM_MIN_FILL_SECONDS=0, PROXY_COUNT=0)
    client = app.test_client()
    codes = [
        submit(
            client,
            "en",
            headers={"X-Forwarded-For": f"203.0.113.{i}"},
            problem=f"Problem {i} with enough words.",
        ).status_code
        for i in range(6)
    ]
    assert codes == [303] * 5 + [429]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Enquiry)) == 5


def test_get_requests_do_not_count_against_the_submit_limit(make_app):
    client = make_app(FORM_MIN_FILL_SECONDS=0).test_client()
    for _ in range(10):
        assert client.get("/kontakt").status_code == 200
    assert submit(client, "nb").status_code == 303


def _every_intake_response(app, client, hx):
    """One request of every kind the intake answers, with its expected status."""
    token = fresh_token(client, "en")
    yield client.get("/kontakt"), 200
    yield client.get("/nn/kontakt?enquiry_type=talk"), 200
    yield client.get("/en/contact"), 200
    ok = client.post("/en/contact", data={**answers(), "form_token": token})
    yield ok, 303
    yield client.get(ok.headers["Location"]), 200
    yield client.get("/kontakt/mottatt"), 404
    yield submit(client, "en", email="bad"), 200
    yield submit(client, "en", token="forged"), 400
    yield submit(client, "en", headers={"Origin": "https://evil.example"}), 403
    yield submit(hx, "en"), 200
    yield hx.post("/kontakt/felt/email", data=answers()), 200
    yield client.post("/kontakt/felt/website", data=answers()), 404
    yield client.post("/kontakt", data={"problem": "x" * 400_000}), 413
    enquiry = db.session.scalars(select(Enquiry)).first()
    with app.test_request_context():
        case = "/en/contact/case/" + case_token(enquiry.public_id)
    yield client.get(case), 200
    yield client.get("/kontakt/sak/nope"), 404
    yield client.post(case, data={"information": "More", "form_token": "forged"}), 400


def test_no_intake_response_sets_a_cookie(app, client, hx):
    seen = []
    for response, status in _every_intake_response(app, client, hx):
        assert response.status_code == status
        assert "Set-Cookie" not in response.headers, response.request.path
        seen.append(status)
    assert len(seen) == 16
    assert client.get_cookie("session") is None


@pytest.mark.parametrize("path", ["/kontakt", "/nn/kontakt", "/en/contact"])
def test_form_posts_need_no_session_csrf_token(client, path):
    # Flask-WTF's session CSRF is off for the intake: the signed form token replaces it.
    response = client.post(path, data={**answers(), "form_token": fresh_token(client)})
    assert response.status_code == 303
