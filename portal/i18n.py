"""Language choice: zh-CN unless the visitor picked English (a cookie), or an API
client asked for it with Accept-Language."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale

LANG_COOKIE = "lang"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if not has_request_context():  # commands and scheduled jobs
        return default
    if request.path.startswith("/api/"):
        return request.accept_languages.best_match(languages) or default
    chosen = request.cookies.get(LANG_COOKIE)
    return chosen if chosen in languages else default


def html_lang() -> str:
    """The value for <html lang>: zh-CN or en."""
    locale = get_locale()
    return f"{locale.language}-{locale.territory}" if locale.territory else locale.language


def register(app: Flask) -> None:
    @app.context_processor
    def _inject_locale():
        current = "en" if get_locale().language == "en" else "zh_CN"
        other = "zh_CN" if current == "en" else "en"
        return {"html_lang": html_lang(), "current_locale": current, "other_locale": other}
