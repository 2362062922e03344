"""What every request needs: the simulator's state on the app and a connection per request."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, g

from . import store
from .catalogue import SorItem
from .faults import FaultInjector
from .settings import Settings
from .wire import utc_iso

EXTENSION = "northgate_sim"


@dataclass(frozen=True)
class Simulator:
    settings: Settings
    catalogue: dict[str, SorItem]
    faults: FaultInjector


def sim() -> Simulator:
    state: Simulator = current_app.extensions[EXTENSION]
    return state


def db() -> sqlite3.Connection:
    if "northgate_db" not in g:
        g.northgate_db = store.connect(sim().settings.database)
    conn: sqlite3.Connection = g.northgate_db
    return conn


def close_db(_error: BaseException | None = None) -> None:
    conn = g.pop("northgate_db", None)
    if conn is not None:
        conn.close()


def now() -> datetime:
    return sim().settings.now()


def now_iso() -> str:
    return utc_iso(now())
