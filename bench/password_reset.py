"""``python -m bench.password_reset``: does asking for a reset link take as long for an address
without an account as for one with? (SECURITY: the timing must not tell which addresses exist.)

Posts the "forgot password" form through the test client, alternating a known and an unknown
address, and prints the median and 90th percentile of each. SQLite in a temporary folder.
"""

from __future__ import annotations

import re
import statistics
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade

from portal import create_app
from portal.accounts.models import StaffUser
from portal.extensions import db

ROUNDS = 300
PATH = "/inbox/password/forgot"


def _token(client) -> str:
    page = client.get(PATH).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'reset.sqlite3'}",
                "SECRET_KEY": "bench-reset-secret-key-0123456789abcdef",
                "MAIL_FILE_DIR": folder,
                "RATELIMIT_ENABLED": False,
            }
        )
        with app.app_context():
            upgrade()
            db.session.add(StaffUser(email="kari@example.org", name="Kari Nordmann", role="staff"))
            db.session.commit()
            client = app.test_client()
            token = _token(client)
            times: dict[str, list[float]] = {"known": [], "unknown": []}
            for number in range(ROUNDS):
                for kind, email in (
                    ("known", "kari@example.org"),
                    ("unknown", f"x{number}@example.org"),
                ):
                    started = time.perf_counter()
                    response = client.post(PATH, data={"email": email, "csrf_token": token})
                    times[kind].append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 303, response.status_code
            db.engine.dispose()
    for kind, values in times.items():
        values.sort()
        p90 = values[int(len(values) * 0.9)]
        median = statistics.median(values)
        print(f"{kind:8} median {median:.2f} ms  p90 {p90:.2f} ms  ({ROUNDS} posts)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
