"""Rate limits count an IPv6 client by its /64 (submit, login, reset), an IPv4 client by address."""

from __future__ import annotations

import pytest

from portal.extensions import client_network
from tests.accounts.support import try_login
from tests.intake.enquiry_builders import submit
from tests.staff_forms import post


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("192.0.2.7", "192.0.2.7"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("::ffff:192.0.2.7", "192.0.2.7"),
        ("not an address", "not an address"),
        (None, "unknown"),
    ],
)
def test_client_network(address, network):
    assert client_network(address) == network


def _client(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_form_posts_from_one_ipv6_64_share_a_limit(make_app):
    app = make_app(FORM_MIN_FILL_SECONDS=0, SUBMIT_RATE_LIMIT="2 per minute")
    codes = [
        submit(
            _client(app, f"2001:db8:5:6::{n}"), "en", problem=f"Problem {n} with enough words."
        ).status_code
        for n in range(1, 4)
    ]
    assert codes == [303, 303, 429]
    other = _client(app, "2001:db8:5:7::1")  # the next /64 is someone else
    assert submit(other, "en", problem="Another problem with enough words.").status_code == 303


def test_login_posts_from_one_ipv6_64_share_a_limit(make_app):
    app = make_app(LOGIN_RATE_LIMIT="2 per minute")
    with app.app_context():
        codes = [
            try_login(_client(app, f"2001:db8::{n:x}"), "x@example.org", "wrong").status_code
            for n in range(1, 4)
        ]
        assert codes == [200, 200, 429]
        assert (
            try_login(_client(app, "2001:db8:0:1::1"), "x@example.org", "wrong").status_code == 200
        )


def test_reset_requests_from_one_ipv6_64_share_a_limit(make_app):
    app = make_app(PASSWORD_RESET_RATE_LIMIT="2 per minute")
    with app.app_context():
        codes = [
            post(
                _client(app, f"2001:db8:9:9:{n}::1"),
                "/inbox/password/forgot",
                {"email": f"x{n}@example.org"},
                page="/inbox/password/forgot",
            ).status_code
            for n in range(1, 4)
        ]
        assert codes == [303, 303, 429]
