"""The embed in real Chromium: a host page on another origin, third-party cookies blocked.

The portal runs on http://127.0.0.1:<port>, the university's stand-in (hostsite.py) on
http://127.0.0.2:<port> (allow-listed) and on http://127.0.0.3:<port> (not allow-listed).
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.extensions import db
from portal.intake.models import Enquiry
from tests.axe import axe_violations
from tests.embed.embed_support import FORM_PATHS, FRAME_TITLES
from tests.embed.hostsite import make_host_app

pytestmark = pytest.mark.browser
# Chromium's switch for blocking third-party cookies (on top of Playwright's off-the-record
# contexts, which block them too); the test proves it by a cookie write that fails in the frame.
BLOCK_THIRD_PARTY_COOKIES = "--test-third-party-cookie-phaseout"
COOKIE_PROBE = """() => {
  document.cookie = "sesam_probe=1; SameSite=None; Secure; Path=/";
  return document.cookie.includes("sesam_probe");
}"""
IFRAME_HEIGHT = "() => Math.round(document.querySelector('iframe').getBoundingClientRect().height)"
ADD_FRAME = (
    "src => { const f = document.createElement('iframe'); f.src = src; document.body.append(f) }"
)
IFRAME_TOP = "document.querySelector('iframe').getBoundingClientRect().top"
TALL_FOOTER = (
    "() => { const div = document.createElement('div'); div.style.height = '5000px';"
    " document.body.append(div); }"
)
CONTENT_HEIGHT = "() => Math.ceil(document.documentElement.getBoundingClientRect().height)"


@pytest.fixture(scope="module")
def cookieless_browser(browser_type, browser_type_launch_args):
    args = [*browser_type_launch_args.get("args", []), BLOCK_THIRD_PARTY_COOKIES]
    browser = browser_type.launch(**{**browser_type_launch_args, "args": args})
    yield browser
    browser.close()


@pytest.fixture
def context(cookieless_browser):
    context = cookieless_browser.new_context(viewport={"width": 900, "height": 900})
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def sites(make_app, live_server_factory):
    """The portal, an allow-listed host and a stranger, each on its own origin."""
    host_app = make_host_app("http://127.0.0.1")
    host = live_server_factory(host_app, host="127.0.0.2")
    stranger = live_server_factory(make_host_app("http://127.0.0.1"), host="127.0.0.3")
    app = make_app(
        FORM_MIN_FILL_SECONDS=0, SUBMIT_RATE_LIMIT="1000 per minute", EMBED_ALLOWED_ORIGINS=host.url
    )
    portal = live_server_factory(app)
    for server in (host, stranger):
        server.app.config["PORTAL_URL"] = portal.url
    return SimpleNamespace(app=app, portal=portal.url, host=host.url, stranger=stranger.url)


def _portal_frame(page, sites):
    page.wait_for_selector("iframe")
    frame = page.frame_locator("iframe").first
    expect(frame.locator("#enquiry-form")).to_be_visible()
    return next(f for f in page.frames if f.url.startswith(sites.portal))


def _wait_for_fit(page, frame) -> int:
    """Wait until the iframe is as tall as its content (the loader applied a resize)."""
    for _ in range(100):
        height = page.evaluate(IFRAME_HEIGHT)
        if height == frame.evaluate(CONTENT_HEIGHT):
            return height
        page.wait_for_timeout(50)
    raise AssertionError(f"iframe height {height} never fitted {frame.evaluate(CONTENT_HEIGHT)}")


def _enquiries(app):
    with app.app_context():
        return db.session.scalars(select(Enquiry)).all()


def test_embedded_form_submits_with_third_party_cookies_blocked(page, context, sites):
    page.goto(f"{sites.host}/?enquiry-type=course_workshop")
    frame = _portal_frame(page, sites)
    assert page.locator("iframe").get_attribute("title") == FRAME_TITLES["nb"]
    assert frame.evaluate(COOKIE_PROBE) is False  # third-party cookies really are blocked
    form = page.frame_locator("iframe").first
    expect(form.locator("input[name=enquiry_type][value=course_workshop]")).to_be_checked()
    empty = _wait_for_fit(page, frame)

    form.get_by_role("button", name=re.compile("Send")).click()
    expect(form.locator(".error-summary")).to_be_visible()
    page.wait_for_function(f"h => ({IFRAME_HEIGHT})() > h", arg=empty)
    assert _wait_for_fit(page, frame) > empty

    form.locator("input[name=name]").fill("Kari Nordmann")
    form.locator("input[name=email]").fill("kari@example.org")
    form.locator("input[name=organisation_type][value=municipality]").check()
    form.locator("input[name=organisation]").fill("Bø kommune")
    form.locator("textarea[name=problem]").fill("Older people in our villages are lonely.")
    # Below the frame the host page goes on; sending scrolls far below the short receipt.
    page.emulate_media(reduced_motion="reduce")
    page.evaluate(TALL_FOOTER)
    form.get_by_role("button", name=re.compile("Send")).click()
    expect(form.locator("#receipt")).to_contain_text("SESAM-")
    receipt = next(f for f in page.frames if "/embed/kontakt/mottatt" in f.url)
    page.wait_for_function(f"h => ({IFRAME_HEIGHT})() < h", arg=empty)
    page.wait_for_function(f"() => Math.abs({IFRAME_TOP}) < 2")  # sesam:submitted scrolled it
    assert _wait_for_fit(page, receipt) < empty

    (enquiry,) = _enquiries(sites.app)
    assert enquiry.source == "embed"
    assert enquiry.source_page == f"{sites.host}/?enquiry-type=course_workshop"
    assert (enquiry.enquiry_type, enquiry.lang) == ("course_workshop", "nb")
    assert enquiry.reference in form.locator("#receipt").inner_text()
    assert context.cookies() == []


def test_placeholder_variant_in_english_with_accent(page, sites):
    page.goto(f"{sites.host}/?placeholder=1&lang=en&accent=%23660099&region=telemark")
    frame = _portal_frame(page, sites)
    assert page.locator("[data-sesam-form] iframe").get_attribute("title") == FRAME_TITLES["en"]
    form = page.frame_locator("iframe").first
    expect(form.locator("h1")).to_have_text("Contact SESAM")
    expect(form.locator("select[name=region]")).to_have_value("telemark")
    button = form.get_by_role("button", name=re.compile("Send"))
    expect(button).to_have_css("background-color", "rgb(102, 0, 153)")
    assert frame.evaluate("() => window.SESAMEmbed === undefined")  # the namespace is the host's
    assert page.evaluate("() => window.SESAMEmbed.version") == "1.1.0"


def test_low_contrast_accent_falls_back_to_sesam_colours(page, sites):
    page.goto(f"{sites.host}/?lang=en&accent=%23ffcc00")
    _portal_frame(page, sites)
    button = page.frame_locator("iframe").first.get_by_role("button", name=re.compile("Send"))
    expect(button).to_have_css("background-color", "rgb(0, 91, 95)")


def test_origin_not_allowed_cannot_frame_the_form(page, sites):
    with page.expect_console_message(lambda m: "frame-ancestors" in m.text) as refusal:
        page.goto(f"{sites.stranger}/?lang=en")
    assert f'"frame-ancestors {sites.host}"' in refusal.value.text
    frame = page.frames[1]
    frame.wait_for_load_state()
    assert frame.url.startswith("chrome-error://")  # Chromium's "refused to connect" page
    assert frame.locator("input[name=email]").count() == 0
    assert _enquiries(sites.app) == []


def test_forged_messages_leave_the_frame_height_unchanged(page, sites):
    page.goto(f"{sites.host}/?lang=nn")
    frame = _portal_frame(page, sites)
    height = _wait_for_fit(page, frame)
    page.evaluate("""() => {
      window.seen = [];
      window.addEventListener("message", e => window.seen.push(e.data && e.data.probe));
    }""")
    # 1. the host page itself; 2. a third-party frame (stranger origin) posting on load
    page.evaluate("() => window.postMessage({type: 'sesam:resize', height: 5, probe: 'self'}, '*')")
    page.evaluate(
        ADD_FRAME,
        f"{sites.stranger}/hostile",
    )
    # 3. our own frame, with heights out of bounds or not whole numbers
    bad_heights = [5, 20001, 300.5, "300", None, {}]
    for index, bad in enumerate(bad_heights):
        frame.evaluate(
            "([h, p]) => parent.postMessage({type: 'sesam:resize', height: h, probe: p}, '*')",
            [bad, f"bad {index}"],
        )
    # 4. another window on the portal's origin that the loader did not create
    page.evaluate(
        ADD_FRAME,
        f"{sites.portal}{FORM_PATHS['nn']}",
    )
    impostor = page.frame_locator("iframe >> nth=-1").locator("#enquiry-form")
    expect(impostor).to_be_visible()
    impostor_frame = [f for f in page.frames if f.url.startswith(sites.portal)][-1]
    impostor_frame.evaluate(
        "() => parent.postMessage({type: 'sesam:resize', height: 300, probe: 'impostor'}, '*')"
    )
    expected = ["self", "third-party", "impostor", *(f"bad {i}" for i in range(len(bad_heights)))]
    page.wait_for_function("wanted => wanted.every(p => window.seen.includes(p))", arg=expected)
    assert page.evaluate(IFRAME_HEIGHT) == height
    # The same channel does work for a well-formed message from the real frame.
    frame.evaluate("() => parent.postMessage({type: 'sesam:resize', height: 640}, '*')")
    page.wait_for_function(f"() => ({IFRAME_HEIGHT})() === 640")


@pytest.mark.parametrize("lang", FORM_PATHS)
def test_embed_pages_have_no_axe_violations(page, sites, lang):
    page.goto(sites.portal + FORM_PATHS[lang])
    assert axe_violations(page) == []
    page.get_by_role("button", name=re.compile("Send")).click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert axe_violations(page) == []
    page.locator("input[name=name]").fill("Kari Nordmann")
    page.locator("input[name=email]").fill("kari@example.org")
    page.locator("input[name=organisation_type][value=private]").check()
    page.locator("input[name=enquiry_type][value=talk]").check()
    page.locator("textarea[name=problem]").fill("Older people in our villages are lonely.")
    page.get_by_role("button", name=re.compile("Send")).click()
    expect(page.locator("#receipt")).to_contain_text("SESAM-")
    assert axe_violations(page) == []


def test_host_page_with_the_frame_has_no_axe_violations(page, sites):
    page.goto(f"{sites.host}/?lang=en")
    _portal_frame(page, sites)
    assert page.locator("iframe").get_attribute("title") == FRAME_TITLES["en"]
    assert axe_violations(page, iframes=False) == []
