"""Liveness facts for /healthz and the worker heartbeat."""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from adapters.db.tables.system import WorkerHeartbeat
from repairs.clock import Clock


@dataclass(frozen=True)
class HealthReport:
    database_ok: bool
    last_worker_beat: datetime | None


def check_health(sessions: sessionmaker[Session]) -> HealthReport:
    try:
        with sessions() as session:
            session.execute(text("SELECT 1"))
            last = session.scalar(select(func.max(WorkerHeartbeat.beat_at)))
    except SQLAlchemyError:
        return HealthReport(database_ok=False, last_worker_beat=None)
    return HealthReport(database_ok=True, last_worker_beat=last)


class Heartbeat:
    """Writes this worker's beat; several workers each keep their own row."""

    def __init__(self, sessions: sessionmaker[Session], clock: Clock) -> None:
        self._sessions = sessions
        self._clock = clock
        self.worker_id = f"{socket.gethostname()}:{os.getpid()}"
        self._started_at = clock.now()

    def beat(self) -> None:
        now = self._clock.now()
        with self._sessions.begin() as session:
            row = session.get(WorkerHeartbeat, self.worker_id)
            if row is None:
                session.add(
                    WorkerHeartbeat(
                        worker_id=self.worker_id,
                        hostname=socket.gethostname(),
                        started_at=self._started_at,
                        beat_at=now,
                    )
                )
            else:
                row.beat_at = now

    def stop(self) -> None:
        with self._sessions.begin() as session:
            row = session.get(WorkerHeartbeat, self.worker_id)
            if row is not None:
                session.delete(row)
