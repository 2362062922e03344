from __future__ import annotations

from typing import Any

import pytest

from tests.web.tracking.support import make_tenant, sign_in


@pytest.fixture
def app(app: Any) -> Any:
    """The web app with two tenants: ours (TEN-100001) and a neighbour (TEN-100002)."""
    make_tenant(app)
    make_tenant(app, "TEN-100002", "neighbour@example.com")
    return app


@pytest.fixture
def client(app: Any) -> Any:
    client = app.test_client()
    sign_in(client)
    return client


@pytest.fixture
def neighbour(app: Any) -> Any:
    client = app.test_client()
    sign_in(client, "neighbour@example.com")
    return client
