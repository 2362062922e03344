"""The composition root's wiring: which implementation serves each port.

`build_services(settings)` makes the production set from settings; tests build their own
`Services` with fakes and pass it to `create_app`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from adapters.clock import SystemClock
from adapters.db.engine import make_engine, make_session_factory
from adapters.housing.northgate import NorthgateBackend
from adapters.sms.twilio_sender import TwilioSmsSender
from adapters.sms.wiring import build_messaging
from portal.landlord import Council, council_from_mapping, load_landlord_file
from portal.settings import Settings, SettingsError
from repairs.clock import Clock


@dataclass
class Services:
    clock: Clock
    engine: Engine
    sessions: sessionmaker[Session]
    council: Council
    landlord: Mapping[str, Any]
    # The housing management system: one object serving the three ports
    # (repairs.ports.Tenancies, RepairOrders, Appointments). None until wired.
    housing: Any = None
    # notifications.ports.SmsSender. None until wired.
    sms_sender: Any = None
    # The text-message service the web pages call (verification codes, appointment messages).
    messaging: Any = None
    # Anything else a package needs to share, e.g. "worker_job_factories": a list of
    # callables app -> list[notifications.scheduler.IntervalJob].
    extras: dict[str, Any] = field(default_factory=dict)


def build_services(settings: Settings, clock: Clock | None = None) -> Services:
    landlord = load_landlord_file(settings.landlord_config)
    settings.instance_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    clock = clock or SystemClock()
    services = Services(
        clock=clock,
        engine=engine,
        sessions=make_session_factory(engine),
        council=council_from_mapping(landlord),
        landlord=landlord,
        # No connection is made until the first call, so building the app never waits on it.
        housing=NorthgateBackend(
            settings.housing_api_url,
            settings.housing_api_key,
            timeout_seconds=settings.housing_timeout_seconds,
            clock=clock,
        ),
    )
    _wire_sms(services, settings)
    _wire_reporting(services)
    return services


def _wire_reporting(services: Services) -> None:
    """The worker relays the repairs outbox: raise jobs exactly once, text the tenant."""
    from portal.report.context import report_worker_jobs

    services.extras.setdefault("worker_job_factories", []).append(report_worker_jobs)


def _wire_sms(services: Services, settings: Settings) -> None:
    """Texts go through Twilio (the simulator in the demo); the service reads the sender at
    each send, so a test may put a FakeSmsSender in `services.sms_sender` after this."""
    from portal.sms_cli import sms_worker_jobs

    services.sms_sender = TwilioSmsSender(
        settings.twilio_account_sid,
        settings.twilio_auth_token,
        settings.twilio_from_number,
        settings.twilio_api_base_url,
    )
    try:
        services.messaging = build_messaging(
            landlord=services.landlord,
            council_short_name=services.council.short_name,
            council_phone=services.council.phone.repairs,
            public_base_url=settings.public_base_url,
            sessions=services.sessions,
            sender=lambda: services.sms_sender,
            clock=services.clock,
        )
    except ValueError as error:  # ConfigError or TemplateError: one line naming the key
        raise SettingsError(f"landlord config {error}") from None
    services.extras.setdefault("worker_job_factories", []).append(sms_worker_jobs)
