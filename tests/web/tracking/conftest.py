from __future__ import annotations

from typing import Any

import pytest

from adapters.housing.fake import FakeHousingBackend
from adapters.passwords import cheap_hasher_for_tests
from adapters.sms.fake import FakeSmsSender
from tests.web.tracking.support import make_tenant, sign_in


@pytest.fixture
def housing(clock: Any) -> FakeHousingBackend:
    return FakeHousingBackend(clock).seed_demo()


@pytest.fixture
def sms(clock: Any) -> FakeSmsSender:
    return FakeSmsSender(clock)


@pytest.fixture
def app(make_app: Any, housing: FakeHousingBackend, sms: FakeSmsSender) -> Any:
    app = make_app(
        housing=housing, sms_sender=sms, extras={"password_hasher": cheap_hasher_for_tests()}
    )
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
