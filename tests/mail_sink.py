"""A real SMTP sink (aiosmtpd) for scale and fault tests, counting what arrives by Message-ID.

It can misbehave the way mail servers do: refuse the first attempt at about a third of the
messages with a temporary ``451``, reject some recipients for good with ``550`` or defer them
with ``451`` every time, and stall on a chosen message after receiving it (the data is in, the
``250`` is not yet sent), so a test can kill the worker that is waiting for the answer.
"""

from __future__ import annotations

import asyncio
import threading
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller

TEMPORARY = "451 4.3.0 Temporary local problem, please try again later"
PERMANENT = "550 5.1.1 Mailbox unavailable"


def refused_once(message_id: str) -> bool:
    """About a third of all messages, always the same ones: their first attempt is refused."""
    return zlib.crc32(message_id.encode()) % 3 == 0


@dataclass
class Delivery:
    """One message the sink accepted."""

    message_id: str
    recipients: list[str]
    subject: str
    data: bytes


@dataclass
class SinkHandler:
    """aiosmtpd handler; every attribute may be set by the test before mail flows."""

    refuse_a_third: bool = False
    reject: set[str] = field(default_factory=set)  # 550 at RCPT TO
    defer: set[str] = field(default_factory=set)  # 451 at RCPT TO, every time
    stall_when: Callable[[Delivery], bool] | None = None
    deliveries: list[Delivery] = field(default_factory=list)
    attempts: Counter = field(default_factory=Counter)
    temporary_refusals: int = 0
    permanent_refusals: int = 0
    stalled: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.reject:
            with self.lock:
                self.permanent_refusals += 1
            return PERMANENT
        if address.lower() in self.defer:
            with self.lock:
                self.temporary_refusals += 1
            return TEMPORARY
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content or envelope.content
        message = message_from_bytes(data, policy=policy.default)
        message_id = str(message.get("Message-ID", "")).strip()
        with self.lock:
            self.attempts[message_id] += 1
            first = self.attempts[message_id] == 1
        if self.refuse_a_third and first and refused_once(message_id):
            with self.lock:
                self.temporary_refusals += 1
            return TEMPORARY
        delivery = Delivery(message_id, list(envelope.rcpt_tos), str(message["Subject"]), data)
        with self.lock:
            self.deliveries.append(delivery)
        if self.stall_when and not self.stalled.is_set() and self.stall_when(delivery):
            self.stalled.set()  # received, not yet answered: the sender is waiting for a reply
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        return "250 OK"

    def counts(self) -> Counter:
        """How often each Message-ID was accepted."""
        with self.lock:
            return Counter(delivery.message_id for delivery in self.deliveries)

    def accepted(self) -> int:
        with self.lock:
            return len(self.deliveries)


@contextmanager
def running_sink(handler: SinkHandler, port: int) -> Iterator[Controller]:
    """The sink on 127.0.0.1:``port`` for the duration of the block."""
    controller = Controller(handler, hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    try:
        yield controller
    finally:
        handler.release.set()
        controller.stop()
