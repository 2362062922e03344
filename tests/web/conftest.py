"""Web tests run the real app with the housing system and Twilio replaced by their fakes."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.housing.fake import FakeHousingBackend
from adapters.passwords import cheap_hasher_for_tests
from adapters.sms.fake import FakeSmsSender


@pytest.fixture
def housing(clock: Any) -> FakeHousingBackend:
    return FakeHousingBackend(clock).seed_demo()


@pytest.fixture
def sms(clock: Any) -> FakeSmsSender:
    return FakeSmsSender(clock)


@pytest.fixture
def app(make_app: Any, housing: FakeHousingBackend, sms: FakeSmsSender) -> Any:
    # Still Argon2id, at the smallest cost: these tests sign in many times.
    return make_app(
        housing=housing, sms_sender=sms, extras={"password_hasher": cheap_hasher_for_tests()}
    )
