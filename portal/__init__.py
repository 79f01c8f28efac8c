"""The portal's application factory."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

from portal import config as config_module
from portal.extensions import babel, bootstrap, csrf, db, limiter, login_manager, migrate

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict[str, Any] | type | None = None) -> Flask:
    """Build the app. `config` (a dict or a class) is applied last, after the environment."""
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "portal" / "static"),
    )
    _configure(app, config)
    _init_extensions(app)
    _register_blueprints(app)
    _register_hooks(app)
    _register_commands(app)
    _maybe_start_scheduler(app)
    return app


def _configure(app: Flask, config: dict[str, Any] | type | None) -> None:
    app.config.from_object(config_module.Config)
    if isinstance(config, type):
        app.config.from_object(config)
    app.config.from_pyfile("config.py", silent=True)
    config_module.apply_environment(app.config)
    if isinstance(config, dict):
        app.config.update(config)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = (
            f"sqlite:///{Path(app.instance_path) / 'portal.sqlite3'}"
        )
    if not app.config.get("UPLOAD_DIR"):
        app.config["UPLOAD_DIR"] = str(Path(app.instance_path) / "uploads")
    config_module.refuse_insecure_production(app.config)
    if app.config["ENV_NAME"] == "production":
        app.config.update(
            SESSION_COOKIE_SECURE=True,
            SESSION_COOKIE_NAME="__Host-session",
            REMEMBER_COOKIE_SECURE=True,
        )


def _init_extensions(app: Flask) -> None:
    from portal import crypto, database, i18n, models  # noqa: F401  (connection settings; every table)

    crypto.init_app(app)  # a malformed data key stops the start, naming the key
    db.init_app(app)
    with app.app_context():
        for engine in db.engines.values():
            database.ping_when_idle(engine, app.config["DATABASE_PING_AFTER_IDLE_SECONDS"])
            database.plan_for_parameters(engine)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    bootstrap.init_app(app)
    limiter.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from portal.accounts.views import bp as accounts_bp
    from portal.admin.views import bp as admin_bp
    from portal.api import bp as api_bp
    from portal.committees.public_views import bp as public_register_bp
    from portal.committees.views import bp as committees_bp
    from portal.complaints.views import bp as complaints_bp
    from portal.discipline.views import bp as discipline_bp
    from portal.inspections.views import bp as inspections_bp
    from portal.mail import bp as outbox_bp
    from portal.mediation.views import bp as mediation_bp
    from portal.members.views import bp as members_bp
    from portal.notifications import bp as notifications_bp
    from portal.public.views import bp as public_bp
    from portal.publication.views import bp as publication_bp
    from portal.ratings.views import bp as ratings_bp
    from portal.uploads import bp as files_bp
    from portal.validators import DatabaseIntConverter

    app.url_map.converters["int"] = DatabaseIntConverter  # before any rule is added
    app.register_blueprint(public_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(files_bp)
    app.register_blueprint(outbox_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(members_bp)
    app.register_blueprint(committees_bp)
    app.register_blueprint(public_register_bp)
    app.register_blueprint(complaints_bp)
    app.register_blueprint(ratings_bp)
    app.register_blueprint(inspections_bp)
    app.register_blueprint(mediation_bp)
    app.register_blueprint(discipline_bp)
    app.register_blueprint(publication_bp)
    csrf.exempt(api_bp)  # the API authenticates by bearer token only, never by cookie


def _register_hooks(app: Flask) -> None:
    from portal import forms_support, http, i18n, navigation, security
    from portal.accounts import auth

    auth.register(app)
    i18n.register(app)
    navigation.register(app)
    app.before_request(security.enforce_access)
    # after the access check, so a stranger learns nothing from it
    app.before_request(forms_support.refuse_control_characters)
    http.register(app)


def _register_commands(app: Flask) -> None:
    from portal import audit, calendar_edits, crypto_rotate, demo, scheduler
    from portal.accounts import cli as accounts_cli

    audit.register(app)
    calendar_edits.register(app)
    crypto_rotate.register(app)
    accounts_cli.register(app)
    demo.register(app)
    scheduler.register(app)


def _maybe_start_scheduler(app: Flask) -> None:
    if app.config.get("RUN_SCHEDULER") and not app.testing:
        from portal import scheduler

        scheduler.start_background(app)
