"""The public register's committee pages, on the blueprint `public_register` (the public
navigation lists `public_register.committees`):

- `/committees`: each committee's members in office (names and categories) with the
  composition figures, and the published resolutions with their tally;
- `/committees/resolutions/<id>`: one resolution: its text and tally (never who voted how).
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from portal.committees import public
from portal.committees.rules import yes_needed
from portal.extensions import db
from portal.open_data import cacheable
from portal.security import public as public_access

bp = Blueprint("public_register", __name__)


@bp.route("/committees")
@public_access
@cacheable()
def committees():
    page = db.paginate(
        public.resolutions_query(),
        page=request.args.get("page", 1, type=int),
        per_page=20,
        error_out=False,
    )
    return render_template(
        "committees/public/index.html", committees=public.committees_in_office(), page=page
    )


@bp.route("/committees/resolutions/<int:motion_id>")
@public_access
@cacheable()
def resolution(motion_id: int):
    motion = public.published_resolution(motion_id)
    if motion is None:
        abort(404)
    return render_template(
        "committees/public/resolution.html",
        motion=motion,
        needed=yes_needed(motion.kind, motion.eligible_count or 0),
    )
