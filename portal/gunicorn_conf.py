"""Gunicorn settings for production: ``gunicorn -c python:portal.gunicorn_conf wsgi:app``.

Meant for an instance behind a reverse proxy on the same host (see bench/README.md, "Deployment
notes"). Command-line flags win over these values (``-b unix:/run/sesam/portal.sock``), and
gunicorn's own environment variables apply: ``WEB_CONCURRENCY`` (workers),
``FORWARDED_ALLOW_IPS`` and ``GUNICORN_CMD_ARGS``.
"""

from __future__ import annotations

import os
from pathlib import Path

# Only the proxy may reach the instance: a client talking to gunicorn directly could send its
# own X-Forwarded-For and dodge the rate limits (PROXY_COUNT trusts exactly one proxy hop).
bind = ["127.0.0.1:8000"]

# Sync workers: one request at a time per process, so gunicorn's timeout is a timeout per
# request. (A gthread worker's heartbeat comes from its main loop, which runs on while one of
# its threads hangs on a frozen database: its timeout never fires.) Each worker holds at most
# one database connection, so the connections one instance may open are its workers (keep the
# sum over all instances and background workers below PostgreSQL's max_connections, 100 by
# default). Slow clients are the proxy's to buffer.
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1)

# A request that takes 30 s is stuck (every page is budgeted far below that), most likely on a
# database server that is reachable but frozen, which no database timeout notices.
# ``worker_abort`` ends it with the 503 page; gunicorn then replaces the worker.
timeout = 30
graceful_timeout = 20
# Recycle workers now and then, staggered, so a slow leak can never take an instance down.
max_requests = 2000
max_requests_jitter = 200

# X-Forwarded-Proto is believed from the local proxy only; client addresses are ProxyFix's job
# (PROXY_COUNT), so there is a single place that decides which X-Forwarded-For hop to trust.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# No access log here: it would hold client addresses in clear (SECURITY.md N4); the proxy's log
# is configured once for the site. Errors go to stderr for the service manager to collect.
accesslog = None
errorlog = "-"
loglevel = "info"

# Heartbeat files in memory, not on a disk that may stall (the usual advice for containers).
SHARED_MEMORY = Path("/dev/shm")  # noqa: S108 - gunicorn makes its files there with mkstemp
worker_tmp_dir = str(SHARED_MEMORY) if SHARED_MEMORY.is_dir() else None

# No gunicornc control socket (gunicorn >= 25.1): instances on one host would share its default
# path, and the service manager already starts, stops and reloads them.
control_socket_disable = True


def worker_abort(worker) -> None:
    """Gunicorn's timeout fired (SIGABRT, in the stuck request): end it with the 503 page.

    Gunicorn's own handler would exit the worker in mid-request and leave the proxy a cut
    connection (a bare 502). Raised here, in the signal handler, the error unwinds the request
    instead: the portal's error handling sends the 503 page (the enquiry form filled in), the
    worker exits after it, and gunicorn kills it if it is still there a second later.
    """
    from portal.database import RequestTimedOut  # loaded already: the worker runs the app

    raise RequestTimedOut(f"request still running after gunicorn's {worker.cfg.timeout} s timeout")
