import pytest

from portal import create_app
from portal.config import (
    DEV_SECRET_KEY,
    Config,
    InsecureConfiguration,
    apply_environment,
    refuse_insecure_production,
)
from portal.crypto import KeyConfigError, generate_key


def _config(**overrides):
    values = {k: getattr(Config, k) for k in dir(Config) if k.isupper()}
    values.update(overrides)
    return values


def test_environment_variables_override_defaults():
    config = _config()
    apply_environment(
        config,
        {
            "PORTAL_DATABASE_URL": "postgresql+psycopg://db/portal",
            "PORTAL_SECRET_KEY": "s3cret",
            "PORTAL_RUN_SCHEDULER": "true",
            "PORTAL_JWT_TTL_SECONDS": "600",
            "PORTAL_DATA_KEY": "a2V5",
            "OTHER": "ignored",
        },
    )
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://db/portal"
    assert config["SECRET_KEY"] == "s3cret"
    assert config["RUN_SCHEDULER"] is True
    assert config["JWT_TTL_SECONDS"] == 600
    assert config["DATA_KEYS"] == {"k1": "a2V5"} and config["DATA_KEY_ID"] == "k1"
    assert "OTHER" not in config


@pytest.mark.parametrize(
    "missing", ["PORTAL_SECRET_KEY", "PORTAL_DATA_KEY", "PORTAL_BLIND_INDEX_KEY"]
)
def test_production_refuses_each_development_secret(missing):
    good = {
        "SECRET_KEY": "prod-secret",
        "DATA_KEYS": {"k1": "cHJvZA=="},
        "BLIND_INDEX_KEY": "cHJvZC1iaWR4",
    }
    dev = {
        "PORTAL_SECRET_KEY": {"SECRET_KEY": DEV_SECRET_KEY},
        "PORTAL_DATA_KEY": {"DATA_KEYS": Config.DATA_KEYS},
        "PORTAL_BLIND_INDEX_KEY": {"BLIND_INDEX_KEY": Config.BLIND_INDEX_KEY},
    }[missing]
    config = _config(ENV_NAME="production", **{**good, **dev})
    with pytest.raises(InsecureConfiguration, match=missing):
        refuse_insecure_production(config)


def test_production_starts_with_real_secrets_and_hardens_cookies(tmp_path):
    app = create_app(
        {
            "ENV_NAME": "production",
            "SECRET_KEY": "prod-secret",
            "DATA_KEYS": {"k1": generate_key()},
            "DATA_KEY_ID": "k1",
            "BLIND_INDEX_KEY": generate_key(),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.sqlite3",
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"


def test_a_malformed_data_key_stops_the_start_naming_the_key(tmp_path):
    with pytest.raises(KeyConfigError, match="k2"):
        create_app(
            {
                "DATA_KEYS": {"k2": "dG9vLXNob3J0"},
                "DATA_KEY_ID": "k2",
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/k.sqlite3",
            }
        )


def test_the_development_app_refuses_nothing(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/d.sqlite3"})
    assert app.config["ENV_NAME"] == "development"


def test_sqlite_connections_use_foreign_keys_wal_and_a_busy_timeout(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/pragmas.sqlite3"})
    with app.app_context():
        from portal.extensions import db

        with db.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
        db.engine.dispose()
