"""Tables the running system needs for itself: worker heartbeats."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from adapters.db.base import Base, UtcDateTime


class WorkerHeartbeat(Base):
    """One row per worker process; /healthz reads the newest beat."""

    __tablename__ = "worker_heartbeat"

    worker_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    hostname: Mapped[str] = mapped_column(String(255))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    beat_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
