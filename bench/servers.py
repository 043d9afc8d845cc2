"""Gunicorn under the benchmark's fixed settings, and the peak memory of its workers."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The fixed settings of SPEC.md "Non-functional budgets": identical for the portal and the
# baseline, so the only difference between the two is the application.
GUNICORN_SETTINGS = [
    "--workers",
    "2",
    "--worker-class",
    "sync",
    "--timeout",
    "60",
    "--graceful-timeout",
    "5",
    "--log-level",
    "warning",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def peak_rss_kb(pid: int) -> int | None:
    """``VmHWM`` (peak resident set size) of a process, in KiB; None if it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None


def child_pids(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(part) for part in text.split()]


class ServerError(RuntimeError):
    """A server did not start or answer."""


class Gunicorn:
    """One gunicorn master on 127.0.0.1 and a free port, with an error log of its own."""

    def __init__(
        self,
        name: str,
        app: str,
        env: dict[str, str],
        log_dir: Path,
        settings: list[str] | None = None,
    ) -> None:
        self.name = name
        self.app = app
        self.env = env
        self.settings = GUNICORN_SETTINGS if settings is None else settings
        self.port = free_port()
        self.log_path = log_dir / f"{name}.log"
        self.process: subprocess.Popen | None = None
        self.worker_peaks: dict[int, int] = {}

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def start(self, ready_path: str = "/", timeout: float = 30) -> Gunicorn:
        """Start and wait until ``ready_path`` answers (any status below 500)."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items() if k != "GUNICORN_CMD_ARGS"}
        env.update(self.env)
        env["PYTHONPATH"] = str(ROOT)
        command = [sys.executable, "-m", "gunicorn", *self.settings]
        command += ["--bind", f"127.0.0.1:{self.port}", "--error-logfile", str(self.log_path)]
        command.append(self.app)  # access log stays off: gunicorn's default
        self.process = subprocess.Popen(command, cwd=ROOT, env=env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerError(f"{self.name} exited at start; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.url(ready_path), timeout=2):
                    pass
                if len(self.workers()) >= self.expected_workers:
                    return self
            except urllib.error.HTTPError as exc:
                if exc.code < 500 and len(self.workers()) >= self.expected_workers:
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise ServerError(f"{self.name} did not answer {ready_path} within {timeout} s")

    @property
    def expected_workers(self) -> int:
        if "--workers" in self.settings:
            return int(self.settings[self.settings.index("--workers") + 1])
        return 1

    def workers(self) -> list[int]:
        return child_pids(self.process.pid) if self.process else []

    def record_memory(self) -> dict[int, int]:
        """Remember each worker's peak RSS so far (call before stopping)."""
        for pid in self.workers():
            peak = peak_rss_kb(pid)
            if peak is not None:
                self.worker_peaks[pid] = max(peak, self.worker_peaks.get(pid, 0))
        return self.worker_peaks

    def stop(self) -> None:
        if not self.process or self.process.poll() is not None:
            return
        self.record_memory()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def __enter__(self) -> Gunicorn:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
