from __future__ import annotations

from typing import Any

import pytest

from adapters.db.accounts import NewAccount, SqlAccounts
from tests.web.report.support import PASSWORD, SIGN_IN_NAME, sign_in


@pytest.fixture
def tenant(app: Any, client: Any, clock: Any) -> Any:
    """A client signed in as the demo tenancy's account (TEN-100001, mobile 07700 900123)."""
    services = app.extensions["services"]
    hasher = services.extras["password_hasher"]
    SqlAccounts(services.sessions).create(
        NewAccount(
            sign_in_name=SIGN_IN_NAME,
            password_hash=hasher.hash(PASSWORD),
            tenancy_ref="TEN-100001",
            tenant_name="Mr Connor Hall",
            address="Flat 3\n12 Alder Court\nNorthbridge",
            mobile="+447700900123",
            mobile_verified_at=clock.now(),
        ),
        clock.now(),
    )
    response = sign_in(client)
    assert response.status_code == 302, response.text[:500]
    return client
