"""The form cycle as another feature reuses it (the embed): its own page, source and checks."""

from __future__ import annotations

from flask import Blueprint
from sqlalchemy import select

from portal.extensions import csrf, db
from portal.intake.handling import FormPage, handle_enquiry_form
from portal.intake.models import Enquiry
from portal.web.i18n import localized_route
from tests.intake.enquiry_builders import answers, token_in

PATHS = {"nb": "/proeve/kontakt", "nn": "/nn/proeve/kontakt", "en": "/en/trial/contact"}
HOST = "https://www.usn.no/sesam"


def _only_from_usn(url: str | None) -> str | None:
    return url if url and url.startswith("https://www.usn.no/") else None


def _app_with_reused_form(make_app):
    app = make_app(SUBMIT_RATE_LIMIT="1000 per minute", FORM_MIN_FILL_SECONDS=0)
    bp = Blueprint("trial", __name__)
    csrf.exempt(bp)  # like the intake: the signed form token protects the POST
    page = FormPage(
        "intake/form.html", "intake.received", "embed", accept_source_page=_only_from_usn
    )

    @localized_route(bp, PATHS, methods=["GET", "POST"])
    def form(lang):
        return handle_enquiry_form(lang, page, source_page=HOST)

    app.register_blueprint(bp)
    return app


def test_a_reused_form_posts_to_its_own_url_and_carries_the_host_page(make_app):
    client = _app_with_reused_form(make_app).test_client()
    page = client.get("/en/trial/contact").get_data(as_text=True)
    assert 'action="/en/trial/contact"' in page and 'hx-post="/en/trial/contact"' in page
    assert f'name="source_page" type="hidden" value="{HOST}"' in page


def test_a_reused_form_stores_its_source_and_checks_the_host_page(make_app):
    app = _app_with_reused_form(make_app)
    client = app.test_client()
    for host in (HOST, "https://evil.example/page"):
        token = token_in(client.get("/nn/proeve/kontakt").get_data(as_text=True))
        data = {
            **answers(problem=f"A problem reported from {host}"),
            "source_page": host,
            "form_token": token,
        }
        response = client.post("/nn/proeve/kontakt", data=data)
        assert response.status_code == 303
        assert response.headers["Location"].startswith("/nn/kontakt/motteke?t=")
    with app.app_context():
        stored = db.session.execute(
            select(Enquiry.source, Enquiry.source_page, Enquiry.lang).order_by(Enquiry.id)
        ).all()
    assert stored == [("embed", HOST, "nn"), ("embed", None, "nn")]
