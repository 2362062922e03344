"""Helpers for the staff tests: staff members made through the real repository, signed in
through the real form with a code from their authenticator secret."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from adapters.db.staff_store import StaffRole
from portal.staff import totp
from portal.staff.secret_box import seal
from tests.support.forms import submit

PASSWORD = "staff kettle orchard window"


@dataclass(frozen=True)
class StaffLogin:
    id: int
    email: str
    secret: str
    password: str = PASSWORD


def make_staff(
    app: Any, email: str = "advisor@council.example", role: str = "advisor"
) -> StaffLogin:
    """A member of staff who has finished set-up (password and authenticator)."""
    context = app.extensions["staff"]
    now = context.clock.now()
    token_hash = hashlib.sha256(secrets.token_bytes(16)).hexdigest()
    member = context.staff.create(email, StaffRole(role), token_hash, now + timedelta(days=1), now)
    secret = totp.new_secret()
    sealed = seal(secret, context.secret_key)
    assert context.staff.complete_setup(
        member.id, token_hash, context.hasher.hash(PASSWORD), sealed, 0
    )
    return StaffLogin(member.id, email, secret)


def sign_in_staff(client: Any, clock: Any, login: StaffLogin, **overrides: str) -> Any:
    """Through the sign-in form; the clock moves on 30 seconds first, so each sign-in uses a
    fresh code (a code is accepted once only)."""
    clock.advance(timedelta(seconds=30))
    data = {
        "email": login.email,
        "password": login.password,
        "code": totp.code_at(login.secret, clock.now()),
    }
    data.update(overrides)
    return submit(client, "/staff/sign-in", data)
