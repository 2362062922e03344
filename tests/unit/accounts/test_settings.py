"""RATELIMIT_STORAGE_URI: where Flask-Limiter keeps per-address counts (R38)."""

import pytest

from portal.settings import Settings, SettingsError
from tests.conftest import environ_for_tests

pytestmark = pytest.mark.unit


def test_the_default_store_is_in_memory():
    assert Settings.from_env(environ_for_tests()).ratelimit_storage_uri == "memory://"


def test_a_shared_store_can_be_named():
    env = environ_for_tests(RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0")
    assert Settings.from_env(env).ratelimit_storage_uri == "redis://127.0.0.1:6379/0"


def test_an_unknown_store_stops_start_up_with_one_line_naming_the_variable():
    with pytest.raises(SettingsError, match="^RATELIMIT_STORAGE_URI must start with"):
        Settings.from_env(environ_for_tests(RATELIMIT_STORAGE_URI="ftp://x"))
