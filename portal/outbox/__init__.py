"""The mail outbox: messages queued with their cause (``queueing``), delivered by workers
(``delivery``), the ``outbox`` CLI, the delivery job and the outbox's line in ``/healthz``."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import Flask

log = logging.getLogger("portal.outbox")
DELIVERY_EVERY = timedelta(seconds=2)  # how soon a queued message leaves an idle worker
DELIVERY_BATCH = 20


def init_app(app: Flask) -> None:
    """The ``outbox`` commands, delivery in ``flask worker``, and the pending mail's age."""
    from portal.background.jobs import register_job
    from portal.outbox.cli import outbox_cli
    from portal.web.health import register_check

    app.cli.add_command(outbox_cli)
    register_job(app, "outbox-delivery", every=DELIVERY_EVERY, run=_deliver, each_worker=True)
    register_check(app, "outbox_lag_seconds", _lag)


def _deliver(worker_id: str) -> bool:
    """One batch; True when it was full (more may be due at once)."""
    from portal.outbox.delivery import deliver_due

    report = deliver_due(worker_id=worker_id, batch=DELIVERY_BATCH)
    if report.claimed:
        log.info("outbox batch: %s", report)
    return report.claimed == DELIVERY_BATCH


def _lag() -> float | None:
    """Age in seconds of the oldest undelivered email, None when none waits."""
    from portal.outbox.queries import pending_lag_seconds

    lag = pending_lag_seconds()
    return None if lag is None else round(lag, 1)
