"""Health of the service, for load balancers and monitoring."""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import text

from portal.api.registry import api_route
from portal.extensions import db
from portal.security import public


class Health(BaseModel):
    status: str
    database: str


def check_health() -> tuple[dict[str, str], int]:
    try:
        db.session.execute(text("SELECT 1"))
        return {"status": "ok", "database": "ok"}, 200
    except Exception:  # the answer itself is the report
        db.session.rollback()
        return {"status": "degraded", "database": "unreachable"}, 503


@api_route(
    "/health", summary="Service and database state", tags=["meta"], response=Health, errors=(503,)
)
@public
def health():
    return check_health()
