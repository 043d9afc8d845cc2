"""A private Dovecot IMAP server on a free loopback port, with a throwaway mailbox.

Used by the IMAP tests and by the ingest benchmark: ``with PrivateDovecot() as box: box.url``.
Needs Debian's ``dovecot-imapd`` (the package's own service stays off) and root, which the
machines and CI have; ``available()`` says whether it can run here.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from imapclient import IMAPClient

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "sesam", "secret"
CONFIG = """\
base_dir = {d}/run
state_dir = {d}/run/state
log_path = {d}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = dovecot
default_internal_group = dovecot
default_login_user = dovenull
first_valid_uid = 100
mail_location = maildir:{d}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/users
}}
userdb {{
  driver = static
  args = uid=dovecot gid=dovecot home={d}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


def available() -> str | None:
    """None when a private Dovecot can run here, else why not."""
    if not Path(DOVECOT).exists():
        return "no dovecot (apt-get install dovecot-imapd)"
    if os.geteuid() != 0:
        return "a private Dovecot needs root (it switches to the dovecot user)"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateDovecot:
    """Start on enter, stop and remove everything on exit."""

    def __init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="sesam-dovecot-"))
        self.port = _free_port()
        self.config = self.directory / "dovecot.conf"

    @property
    def url(self) -> str:
        return f"imap://{USER}:{PASSWORD}@127.0.0.1:{self.port}/INBOX"

    def __enter__(self) -> PrivateDovecot:
        d = self.directory
        (d / "mail").mkdir()
        (d / "run").mkdir()
        self.config.write_text(CONFIG.format(d=d, port=self.port))
        (d / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        shutil.chown(d / "mail", "dovecot", "dovecot")
        d.chmod(0o755)
        subprocess.run(
            [DOVECOT, "-c", str(self.config)],
            check=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._wait()
        return self

    def _wait(self) -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"Dovecot did not start: {self.log()}")

    def log(self) -> str:
        path = self.directory / "dovecot.log"
        return path.read_text(errors="replace")[-2000:] if path.exists() else ""

    def __exit__(self, *exc_info) -> None:
        subprocess.run(
            ["doveadm", "-c", str(self.config), "stop"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        shutil.rmtree(self.directory, ignore_errors=True)

    def client(self) -> IMAPClient:
        client = IMAPClient("127.0.0.1", port=self.port, ssl=False, timeout=10)
        client.login(USER, PASSWORD)
        return client

    def deliver(self, *messages: bytes, folder: str = "INBOX") -> None:
        """Put ``messages`` into ``folder`` as an MTA would (IMAP APPEND)."""
        with self.client() as client:
            for raw in messages:
                client.append(folder, raw)

    def count(self, folder: str) -> int:
        with self.client() as client:
            if not client.folder_exists(folder):
                return 0
            return client.select_folder(folder, readonly=True)[b"EXISTS"]
