"""Configuration: defaults here, then instance/config.py, then PORTAL_* environment variables.

A production run refuses to start while any development secret is still in use.
"""

from __future__ import annotations

import json
import os
from typing import Any

import orjson

# Development-only secrets. They are public (they are in this file), so production refuses them.
DEV_SECRET_KEY = "dev-secret-key-do-not-use-in-production"  # noqa: S105 (refused in production)
DEV_DATA_KEY = "ZGV2LWRhdGEta2V5LTMyLWJ5dGVzLWxvbmctLS0tLS0="  # base64 of 32 bytes
DEV_BLIND_INDEX_KEY = "ZGV2LWJsaW5kLWluZGV4LWtleS0zMi1ieXRlcy0tLS0="


class Config:
    ENV_NAME = "development"  # development | testing | production
    SECRET_KEY = DEV_SECRET_KEY
    # Field encryption: key id -> base64 of a 32-byte AES-256 key; the current id encrypts.
    DATA_KEYS: dict[str, str] = {"dev1": DEV_DATA_KEY}  # noqa: RUF012
    DATA_KEY_ID = "dev1"
    BLIND_INDEX_KEY = DEV_BLIND_INDEX_KEY

    SQLALCHEMY_DATABASE_URI: str | None = None  # default: instance/portal.sqlite3
    # hide_parameters: SQL logging (echo) and database error messages never show the bound
    # values, which may be personal data (e-mail addresses, names in plain columns).
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {  # noqa: RUF012
        "hide_parameters": True,
        # JSON columns parse ten times faster (a yearly rating run reads 15,000 of them)
        "json_deserializer": orjson.loads,
    }
    SQLITE_BUSY_TIMEOUT_MS = 30_000
    # a pooled connection idle this long is pinged before use (`database.ping_when_idle`)
    DATABASE_PING_AFTER_IDLE_SECONDS = 5

    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    LANGUAGES = ("zh_CN", "en")

    BOOTSTRAP_SERVE_LOCAL = True
    BOOTSTRAP_BTN_STYLE = "primary"

    MAX_CONTENT_LENGTH = 20 * 1024 * 1024  # whole request; uploads have their own limit
    UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    UPLOAD_DIR: str | None = None  # default: instance/uploads (outside the web root)

    WTF_CSRF_TIME_LIMIT = 3600 * 8

    JWT_ISSUER = "oha-portal"
    JWT_AUDIENCE = "oha-portal-api"
    JWT_TTL_SECONDS = 900  # 15 minutes at most
    JWT_ALGORITHM = "HS256"  # pinned: decoding accepts this algorithm only

    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = "10 per minute"
    LOGIN_ACCOUNT_RATE_LIMIT = "5 per 15 minutes"  # failed sign-ins per account, any address
    COMPLAINT_RETENTION_YEARS = 5  # a closed file keeps its personal fields this long

    RUN_SCHEDULER = False  # `make run` turns it on; production runs `flask scheduler run`
    SCHEDULER_SWEEP_MINUTES = 5

    # Production also sets Secure and the name __Host-session (portal/__init__.py), which
    # browsers accept only with Path=/ and no Domain: keep these two as they are.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_PATH = "/"
    SESSION_COOKIE_DOMAIN = None
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"

    MAIL_SERVER: str | None = None  # None: e-mail goes to the viewable outbox
    MAIL_PORT = 587
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_USE_TLS = True
    MAIL_SENDER = "noreply@oha.example.cn"
    MAIL_MAX_ATTEMPTS = 5
    BASE_URL: str | None = None  # e.g. https://portal.example.cn, for links in e-mail

    ASSOCIATION_NAME = "职业健康管理行业自律协会"


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    WTF_CSRF_ENABLED = False  # CSRF has its own tests, which turn it back on
    RATELIMIT_ENABLED = False
    SERVER_NAME = "localhost"


# Environment variables with names that differ from the config key they set.
ENV_ALIASES = {
    "PORTAL_DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "PORTAL_REDIS_URL": "RATELIMIT_STORAGE_URI",
    "PORTAL_ENV": "ENV_NAME",
}


def _parse(raw: str, current: Any) -> Any:
    if isinstance(current, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(current, int):
        return int(raw)
    if isinstance(current, dict | list | tuple):
        return json.loads(raw)
    return raw


def apply_environment(config: dict[str, Any], environ: dict[str, str] | None = None) -> None:
    """Override config keys from PORTAL_<KEY> variables (and the aliases above)."""
    environ = os.environ if environ is None else environ
    for name, raw in environ.items():
        if not name.startswith("PORTAL_") or name == "PORTAL_TEST_DATABASE_URL":
            continue
        key = ENV_ALIASES.get(name, name.removeprefix("PORTAL_"))
        if key == "DATA_KEY":  # one key given alone: it becomes the only, current key
            config["DATA_KEYS"] = {"k1": raw}
            config["DATA_KEY_ID"] = "k1"
            continue
        config[key] = _parse(raw, config.get(key))


class InsecureConfiguration(RuntimeError):
    pass


def refuse_insecure_production(config: dict[str, Any]) -> None:
    """A production run must not start with any development secret."""
    if config.get("ENV_NAME") != "production":
        return
    problems = []
    if config.get("SECRET_KEY") in (None, "", DEV_SECRET_KEY):
        problems.append("PORTAL_SECRET_KEY")
    if DEV_DATA_KEY in config.get("DATA_KEYS", {}).values():
        problems.append("PORTAL_DATA_KEY")
    if config.get("BLIND_INDEX_KEY") in (None, "", DEV_BLIND_INDEX_KEY):
        problems.append("PORTAL_BLIND_INDEX_KEY")
    if problems:
        raise InsecureConfiguration(
            "refusing to start in production with development secrets: set " + ", ".join(problems)
        )
