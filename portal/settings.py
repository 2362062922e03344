"""Settings: one frozen dataclass, read from the environment once at start-up.

A missing or malformed value stops start-up with one line that names the variable, so an
operator never has to read a traceback to find a typo in a deployment.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"

ENVIRONMENTS = ("development", "test", "production")
DATABASE_SCHEMES = ("sqlite", "postgresql", "postgresql+psycopg")
RATELIMIT_SCHEMES = ("memory", "redis", "rediss", "redis+sentinel", "redis+cluster", "memcached")


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line, fit for an operator."""


@dataclass(frozen=True)
class Settings:
    environment: str
    database_url: str
    secret_key: str
    public_base_url: str
    housing_api_url: str
    housing_api_key: str
    housing_timeout_seconds: float
    twilio_account_sid: str
    twilio_auth_token: str
    twilio_from_number: str
    twilio_api_base_url: str
    landlord_config: Path
    instance_dir: Path = field(default=INSTANCE_DIR)
    # Flask-Limiter's store for per-address limits (R38). memory:// counts per process; with
    # several web processes use a shared store (redis://...), or each process counts alone.
    ratelimit_storage_uri: str = "memory://"

    @property
    def is_development(self) -> bool:
        return self.environment == "development"

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        environment = _choice(env, "PORTAL_ENV", ENVIRONMENTS, "development")
        instance_dir = Path(env.get("PORTAL_INSTANCE_DIR", str(INSTANCE_DIR)))
        default_db = f"sqlite:///{instance_dir / 'portal.sqlite'}"
        return cls(
            environment=environment,
            database_url=_database_url(env.get("DATABASE_URL", default_db)),
            secret_key=_secret_key(env, environment),
            public_base_url=_url(env, "PUBLIC_BASE_URL", "http://127.0.0.1:8000"),
            housing_api_url=_url(env, "HOUSING_API_URL", "http://127.0.0.1:8101/api/v1"),
            housing_api_key=env.get("HOUSING_API_KEY", "demo-northgate-key"),
            housing_timeout_seconds=_positive_float(env, "HOUSING_TIMEOUT_SECONDS", 3.0),
            twilio_account_sid=_twilio_sid(env),
            twilio_auth_token=_required_outside_dev(
                env, "TWILIO_AUTH_TOKEN", environment, "5e1a1a7ed5e1a1a7ed5e1a1a7ed5e1a1"
            ),
            twilio_from_number=env.get("TWILIO_FROM_NUMBER", "+447700900000"),
            twilio_api_base_url=_url(env, "TWILIO_API_BASE_URL", "http://127.0.0.1:8102"),
            landlord_config=_existing_file(
                env, "LANDLORD_CONFIG", PROJECT_ROOT / "config" / "landlord.yaml"
            ),
            instance_dir=instance_dir,
            ratelimit_storage_uri=_ratelimit_storage_uri(env),
        )


def _choice(env: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    value = env.get(name, default)
    if value not in allowed:
        raise SettingsError(f"{name} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def _database_url(value: str) -> str:
    scheme = value.split("://", 1)[0] if "://" in value else ""
    if scheme not in DATABASE_SCHEMES:
        raise SettingsError(
            f"DATABASE_URL must start with sqlite:/// or postgresql+psycopg://, not {value!r}"
        )
    if scheme == "postgresql":
        # psycopg 3 is the driver we ship; the bare scheme would pick psycopg2.
        value = "postgresql+psycopg://" + value.split("://", 1)[1]
    return value


def _secret_key(env: Mapping[str, str], environment: str) -> str:
    value = env.get("SECRET_KEY", "")
    if value:
        if len(value) < 32:
            raise SettingsError("SECRET_KEY must be at least 32 characters long")
        return value
    if environment == "production":
        raise SettingsError("SECRET_KEY is required in production (at least 32 random characters)")
    # Development and tests get a fresh key each start: sessions do not survive a restart.
    return secrets.token_urlsafe(48)


def _required_outside_dev(
    env: Mapping[str, str], name: str, environment: str, dev_default: str
) -> str:
    value = env.get(name, "")
    if value:
        return value
    if environment == "production":
        raise SettingsError(f"{name} is required in production")
    return dev_default


def _twilio_sid(env: Mapping[str, str]) -> str:
    # The default is the SMS simulator's fixed demo account, so development needs no setup.
    value = env.get("TWILIO_ACCOUNT_SID", "AC5e1a1a7ed0c0ffee5e1a1a7ed0c0ffee")
    if not (value.startswith("AC") and len(value) == 34):
        raise SettingsError("TWILIO_ACCOUNT_SID must be 'AC' followed by 32 characters")
    return value


def _url(env: Mapping[str, str], name: str, default: str) -> str:
    value = env.get(name, default).rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SettingsError(f"{name} must be an http:// or https:// address, not {value!r}")
    return value


def _positive_float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds, not {raw!r}") from None
    if value <= 0:
        raise SettingsError(f"{name} must be more than 0, not {raw!r}")
    return value


def _ratelimit_storage_uri(env: Mapping[str, str]) -> str:
    value = env.get("RATELIMIT_STORAGE_URI", "memory://")
    scheme = value.split("://", 1)[0] if "://" in value else ""
    if scheme not in RATELIMIT_SCHEMES:
        raise SettingsError(
            f"RATELIMIT_STORAGE_URI must start with memory://, redis:// or memcached://, "
            f"not {value!r}"
        )
    return value


def _existing_file(env: Mapping[str, str], name: str, default: Path) -> Path:
    path = Path(env.get(name, str(default)))
    if not path.is_file():
        raise SettingsError(f"{name} must name a readable file; {str(path)!r} does not exist")
    return path
