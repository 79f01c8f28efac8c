from __future__ import annotations

from flask import Blueprint, current_app, jsonify, make_response, redirect, render_template, request

from portal.api.system import check_health
from portal.forms_support import safe_next
from portal.i18n import LANG_COOKIE
from portal.security import public

bp = Blueprint("public", __name__)


@bp.route("/")
@public
def home():
    return render_template("public/home.html")


@bp.route("/lang/<code>")
@public
def set_language(code: str):
    """Switch the page language; works without JavaScript."""
    response = make_response(redirect(safe_next(request.args.get("next"), "public.home")))
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANG_COOKIE,
            code,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            httponly=True,
            secure=current_app.config["ENV_NAME"] == "production",
        )
    return response


@bp.route("/healthz")
@public
def healthz():
    body, status = check_health()
    return jsonify(body), status
