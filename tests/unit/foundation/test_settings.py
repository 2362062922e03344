import pytest

from portal.settings import Settings, SettingsError
from tests.conftest import environ_for_tests

pytestmark = pytest.mark.unit


def settings_with(**env: str) -> Settings:
    return Settings.from_env(environ_for_tests(**env))


def test_the_default_database_is_a_sqlite_file_under_instance():
    settings = Settings.from_env({"PORTAL_ENV": "development"})
    assert settings.database_url.startswith("sqlite:///")
    assert settings.database_url.endswith("instance/portal.sqlite")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DATABASE_URL", "nonsense://", "DATABASE_URL must start with"),
        ("PORTAL_ENV", "staging", "PORTAL_ENV must be one of"),
        ("PUBLIC_BASE_URL", "portal.example", "PUBLIC_BASE_URL must be an http"),
        ("HOUSING_TIMEOUT_SECONDS", "soon", "HOUSING_TIMEOUT_SECONDS must be a number"),
        ("HOUSING_TIMEOUT_SECONDS", "0", "must be more than 0"),
        ("TWILIO_ACCOUNT_SID", "SK123", "TWILIO_ACCOUNT_SID must be 'AC'"),
        ("LANDLORD_CONFIG", "/no/such/file.yaml", "LANDLORD_CONFIG must name a readable file"),
        ("SECRET_KEY", "short", "SECRET_KEY must be at least 32"),
    ],
)
def test_a_bad_setting_is_named_in_one_line(name, value, message):
    with pytest.raises(SettingsError) as error:
        settings_with(**{name: value})
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_production_refuses_to_start_without_a_secret_key():
    env = environ_for_tests(PORTAL_ENV="production")
    env.pop("SECRET_KEY")
    with pytest.raises(SettingsError, match="SECRET_KEY is required in production"):
        Settings.from_env(env)


def test_production_needs_the_twilio_auth_token():
    with pytest.raises(SettingsError, match="TWILIO_AUTH_TOKEN is required in production"):
        settings_with(PORTAL_ENV="production")


def test_a_plain_postgresql_url_uses_the_psycopg_3_driver():
    settings = settings_with(DATABASE_URL="postgresql://postgres@127.0.0.1/test")
    assert settings.database_url == "postgresql+psycopg://postgres@127.0.0.1/test"


def test_settings_cannot_be_changed_after_start_up():
    settings = settings_with()
    with pytest.raises(AttributeError):
        settings.secret_key = "x" * 40  # type: ignore[misc]
