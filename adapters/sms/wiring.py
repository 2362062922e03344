"""Building the text-message service from plain settings (the portal passes them in)."""

from __future__ import annotations

import dataclasses
import os
import socket
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from adapters.bank_holidays import GovukBankHolidays
from adapters.sms.sql_store import SqlMessageStore
from notifications.config import MessagingPolicy
from notifications.dispatch import Dispatcher, DispatchSettings
from notifications.messaging import Messaging, MessagingSetup
from notifications.ports import SmsSender
from notifications.templates import LinkRules, Sender
from repairs.clock import Clock

STATUS_PATH = "/webhooks/twilio/status"
INBOUND_PATH = "/webhooks/twilio/inbound"


def build_messaging(
    *,
    landlord: Mapping[str, Any],
    council_short_name: str,
    council_phone: str,
    public_base_url: str,
    sessions: sessionmaker[Session],
    sender: Callable[[], SmsSender],
    clock: Clock,
) -> Messaging:
    """Links in texts point at this site's public address, whatever the configured example
    says, so a tenant's link always reaches the service that sent it."""
    policy = MessagingPolicy.from_mapping(landlord.get("messages"))
    links = LinkRules(public_base_url.rstrip("/"), policy.links.max_length)
    policy = dataclasses.replace(policy, links=links)
    setup = MessagingSetup(
        policy=policy,
        sender=Sender(council=council_short_name, phone=council_phone),
        holidays=GovukBankHolidays(),
        status_callback=public_base_url.rstrip("/") + STATUS_PATH,
    )
    return Messaging(SqlMessageStore(sessions), sender, setup, clock)


def build_dispatcher(
    messaging: Messaging,
    sender: SmsSender,
    clock: Clock,
    *,
    batch_size: int = 50,
    concurrency: int = 4,
    worker: str | None = None,
) -> Dispatcher:
    policy = messaging.setup.policy
    settings = DispatchSettings(
        worker=worker or f"{socket.gethostname()}:{os.getpid()}",
        status_callback=messaging.setup.status_callback,
        batch_size=batch_size,
        concurrency=concurrency,
    )
    return Dispatcher(
        messaging.store,
        sender,
        window=messaging.window,
        limits=policy.limits,
        retry=policy.retry,
        clock=clock,
        settings=settings,
    )
