"""Mail that came in: each inbound message once (unique Message-ID), its attachments.

Personal data (issue 16's purge and export must include them): ``InboundMessage.sender``,
``sender_name``, ``subject``, ``body_text``, ``raw``; ``InboundAttachment.filename`` and ``data``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.timestamps import UTCDateTime, utcnow


class InboundMessage(db.Model):
    """One message read from the mailbox or an MTA pipe, whatever became of it.

    ``state`` is ``attached`` (on ``enquiry_id``'s timeline), ``unmatched`` (waiting for staff,
    perhaps with a ``suggested_enquiry_id``) or ``discarded`` (by ``decided_by``). ``kind`` says
    what it is: an answer, an auto-reply or list mail (``auto``), or a delivery report about
    ``outbox_message_id`` (``bounce``).
    """

    __tablename__ = "inbound_message"
    __table_args__ = (
        Index("ix_inbound_message_state_received", "state", "received_at"),
        Index("ix_inbound_message_sender_received", "sender", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(300), unique=True)
    state: Mapped[str] = mapped_column(String(12))
    kind: Mapped[str] = mapped_column(String(10), default="reply")
    reason: Mapped[str | None] = mapped_column(String(30))  # why it is unmatched
    enquiry_id: Mapped[int | None] = mapped_column(
        ForeignKey("enquiry.id", ondelete="SET NULL"), index=True
    )
    suggested_enquiry_id: Mapped[int | None] = mapped_column(
        ForeignKey("enquiry.id", ondelete="SET NULL")
    )
    outbox_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_message.id", ondelete="SET NULL")
    )
    sender: Mapped[str] = mapped_column(String(254))
    sender_name: Mapped[str | None] = mapped_column(String(200))
    subject: Mapped[str | None] = mapped_column(String(300))
    body_text: Mapped[str | None] = mapped_column(Text)
    raw: Mapped[bytes | None] = mapped_column(LargeBinary)
    attachments_dropped: Mapped[bool] = mapped_column(Boolean, default=False)
    notified: Mapped[bool] = mapped_column(Boolean, default=False)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class InboundAttachment(db.Model):
    """A file that came with an inbound message; ``data`` is None when it was not kept."""

    __tablename__ = "inbound_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    inbound_id: Mapped[int] = mapped_column(
        ForeignKey("inbound_message.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
