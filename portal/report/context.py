"""Wiring for reporting: the triage file, the repairs policy, the store, the service and the
worker jobs that relay the outbox.

`init_report(app)` runs inside `create_app`; a bad triage file or repairs section stops
start-up with one line (SettingsError), like any other setting. Other blueprints reach the
pieces with `report_context()` (e.g. the booking pages use `.store`, `.policy`, `.calendar`).
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml
from flask import Flask, current_app

from adapters.bank_holidays import GovukBankHolidays
from adapters.db.repairs_store import SqlRepairStore
from adapters.db.report_drafts import SqlReportDrafts
from notifications.messaging import NumberCannotBeTexted
from notifications.scheduler import IntervalJob
from notifications.templates import MessageKind, MessageValues
from portal.report.photos import PhotoFiles
from portal.settings import SettingsError
from repairs.calendar import WorkingDayCalendar
from repairs.clock import Clock
from repairs.config_reader import PolicyError
from repairs.policy import RepairsPolicy
from repairs.refs import RepairRef
from repairs.reporting import ReportingService
from repairs.triage import TriageError, TriageTree

log = logging.getLogger(__name__)

RELAY_SECONDS = 10
RELAY_BATCH = 20
DRAFTS_KEPT_FOR = timedelta(days=7)


@dataclass(frozen=True)
class ReportContext:
    service: ReportingService
    store: SqlRepairStore
    drafts: SqlReportDrafts
    photos: PhotoFiles
    tree: TriageTree
    policy: RepairsPolicy
    calendar: WorkingDayCalendar
    clock: Clock


def report_context() -> ReportContext:
    context: ReportContext = current_app.extensions["report"]
    return context


def init_report(app: Flask) -> None:
    """Build the reporting pieces from the landlord configuration and register the report
    pages. A repair's own page is the tracking pages' (`tracking.repair`)."""
    from portal import report

    services = app.extensions["services"]
    settings = app.extensions["settings"]
    policy = repairs_policy(services.landlord)
    services.extras.setdefault("repairs_policy", policy)
    tree = load_triage(services.landlord, settings.landlord_config, policy)
    calendar = policy.calendar(GovukBankHolidays())
    store = SqlRepairStore(services.sessions, policy.slot_times)
    service = ReportingService(
        store=store,
        tenancies=_Housing(services),
        orders=_Housing(services),
        texts=MessagingRepairTexts(services),
        tree=tree,
        targets=policy.targets,
        calendar=calendar,
        clock=services.clock,
    )
    app.extensions["report"] = ReportContext(
        service=service,
        store=store,
        drafts=SqlReportDrafts(services.sessions),
        photos=PhotoFiles(Path(settings.instance_dir) / "photos"),
        tree=tree,
        policy=policy,
        calendar=calendar,
        clock=services.clock,
    )
    app.register_blueprint(report.bp)


def repairs_policy(landlord: Mapping[str, Any]) -> RepairsPolicy:
    section = landlord.get("repairs")
    if not isinstance(section, Mapping):
        raise SettingsError("landlord config repairs: missing section")
    try:
        return RepairsPolicy.from_mapping(section)
    except PolicyError as error:
        raise SettingsError(f"landlord config {error}") from None


def load_triage(
    landlord: Mapping[str, Any], landlord_path: Path, policy: RepairsPolicy
) -> TriageTree:
    """R16: the triage file named by `triage.triage_file`, relative to the landlord file."""
    section = landlord.get("triage")
    name = section.get("triage_file") if isinstance(section, Mapping) else None
    if not isinstance(name, str) or not name.strip() or set(section or {}) != {"triage_file"}:
        raise SettingsError("landlord config triage: give only triage_file, e.g. triage.yaml")
    path = Path(landlord_path).parent / name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        reason = str(error).splitlines()[0]
        raise SettingsError(f"triage file {path}: cannot be read as YAML ({reason})") from None
    if not isinstance(data, Mapping):
        raise SettingsError(f"triage file {path}: must be a mapping with locations")
    try:
        tree = TriageTree.from_mapping(data)
        tree.check_defects(policy.targets.right_to_repair.defects)
    except TriageError as error:
        raise SettingsError(f"triage file {path}: {error}") from None
    return tree


class _Housing:
    """Reads `services.housing` at each call, so tests may swap the backend after start-up."""

    def __init__(self, services: Any) -> None:
        self._services = services

    def __getattr__(self, name: str) -> Any:
        return getattr(self._services.housing, name)


class MessagingRepairTexts:
    """repairs.reporting.RepairTexts over the text-message service. The dedupe keys make a
    repeated outbox pass harmless: each text is queued once per repair."""

    def __init__(self, services: Any) -> None:
        self._services = services

    def book_later(self, ref: RepairRef, to: str) -> None:
        values = MessageValues(reference=str(ref))
        self._notify(MessageKind.BOOK_LATER, to, values, ref)

    def ready_to_book(self, ref: RepairRef, to: str) -> None:
        messaging = self._services.messaging
        values = MessageValues(reference=str(ref), link=messaging.link(f"/repairs/{ref}"))
        self._notify(MessageKind.BOOK_REPAIR, to, values, ref)

    def _notify(self, kind: MessageKind, to: str, values: MessageValues, ref: RepairRef) -> None:
        try:
            self._services.messaging.notify(
                kind, to, values, str(ref), dedupe_key=f"{kind.value}:{ref}"
            )
        except NumberCannotBeTexted:
            # Opted out or flagged (R29, R33): staff see it on the message log; retrying
            # would never succeed.
            log.warning("repair %s: %s text not sent, the number cannot be texted", ref, kind)


def report_worker_jobs(app: Flask) -> list[IntervalJob]:
    """The outbox relay and the draft clean-up; any number of workers may run them."""
    context: ReportContext = app.extensions["report"]
    clock = app.extensions["services"].clock
    worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"

    def relay() -> None:
        # Keep going while whole batches come back, so a backlog clears in one turn.
        for _ in range(50):
            if context.service.relay_outbox(worker, RELAY_BATCH).claimed < RELAY_BATCH:
                return

    def purge_drafts() -> None:
        photos = context.drafts.purge(clock.now() - DRAFTS_KEPT_FOR)
        for photo in photos:
            context.photos.delete(photo)
        if photos:
            log.info("purged %d photos of abandoned report drafts", len(photos))

    return [
        IntervalJob("repairs-outbox", RELAY_SECONDS, relay),
        IntervalJob("report-drafts-purge", 3600, purge_drafts),
    ]
