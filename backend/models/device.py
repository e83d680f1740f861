from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.models.base import Base, JSONType, UTCDateTime, utcnow


class Device(Base):
    """A board, phone or forwarder that connected to the studio over remote management.

    `holder` names the API process holding its socket and `session` that socket; both are empty
    once it disconnects. A process that dies cannot say so, so "connected" is derived from a
    holder plus a recent `last_seen_at` (the holder refreshes it while the socket is open).
    """

    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    device_id: Mapped[str] = mapped_column(String(255))  # the id the device sends in its hello
    name: Mapped[str] = mapped_column(String(255))
    device_type: Mapped[str] = mapped_column(String(255), default="")
    # [{"name", "frequencies": [Hz...], "max_sample_length_s"}]
    sensors: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    connection: Mapped[str] = mapped_column(String(16), default="ip")  # ip | daemon
    holder: Mapped[str | None] = mapped_column(String(128))
    session: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("project_id", "device_id", name="uq_devices_project_device"),)
