"""Booking pages are tested with the same two signed-in tenants as the tracking pages."""

from tests.web.tracking.conftest import app, client, neighbour  # noqa: F401
