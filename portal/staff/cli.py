"""`flask --app wsgi staff ...`: create staff accounts and hand out one-time set-up links.

Only someone with shell access to the server can make a member of staff; the link printed is
the only way in, works once, and expires ([72 h], assisted.staff_setup_link_hours).
"""

from __future__ import annotations

import secrets

import click
from flask import current_app
from flask.cli import AppGroup

from adapters.db.staff_store import NameTaken, StaffRole
from portal.staff.context import StaffContext
from portal.staff.forms import EMAIL
from portal.staff.views_auth import token_hash


def _context() -> StaffContext:
    context: StaffContext = current_app.extensions["staff"]
    return context


def _link(context: StaffContext) -> tuple[str, str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_hash(token), f"{context.public_base_url}/staff/setup/{token}"


@click.group(cls=AppGroup, help="Staff accounts for the assisted-digital pages.")
def staff() -> None:
    pass


@staff.command("create", help="Add a member of staff and print their one-time set-up link.")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in StaffRole]), required=True)
def create(email: str, role: str) -> None:
    context = _context()
    email = email.strip().lower()
    if not EMAIL.match(email) or len(email) > 254:
        raise click.UsageError(f"{email!r} is not an email address")
    token, hashed, link = _link(context)
    now = context.clock.now()
    try:
        context.staff.create(
            email, StaffRole(role), hashed, now + context.config.setup_link_valid, now
        )
    except NameTaken:
        raise click.UsageError(f"{email} already has a staff account; use `staff reset`") from None
    _print_link(context, email, link)


@staff.command("reset", help="Clear a member's password and authenticator; print a new link.")
@click.argument("email")
def reset(email: str) -> None:
    context = _context()
    member = context.staff.by_email(email)
    if member is None:
        raise click.UsageError(f"no staff account for {email}")
    _, hashed, link = _link(context)
    context.staff.restart_setup(
        member.id, hashed, context.clock.now() + context.config.setup_link_valid
    )
    _print_link(context, member.email, link)


@staff.command("deactivate", help="Stop a member of staff signing in (their history stays).")
@click.argument("email")
def deactivate(email: str) -> None:
    context = _context()
    member = context.staff.by_email(email)
    if member is None:
        raise click.UsageError(f"no staff account for {email}")
    context.staff.deactivate(member.id)
    click.echo(f"{member.email} can no longer sign in")


@staff.command("list", help="List staff accounts.")
def list_staff() -> None:
    for member in _context().staff.all():
        state = "active" if member.active else "deactivated"
        ready = "set up" if member.is_set_up else "waiting for set-up"
        click.echo(f"{member.email}\t{member.role.value}\t{state}\t{ready}")


def _print_link(context: StaffContext, email: str, link: str) -> None:
    hours = int(context.config.setup_link_valid.total_seconds() // 3600)
    click.echo(f"Set-up link for {email} (works once, for {hours} hours):")
    click.echo(link)
