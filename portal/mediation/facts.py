"""What other domains read about mediation: whether a complaint's mediation is under way (the
complaint workflow refuses a resolution then). One query."""

from __future__ import annotations

from sqlalchemy import select

from portal.extensions import db
from portal.mediation.models import MediationCase
from portal.mediation.states import ACTIVE, Status

UNDER_WAY = (Status.AWAITING_CONSENT, *ACTIVE)


def under_way(complaint_id: int) -> bool:
    """Proposed and not yet declined, agreed or failed."""
    found = db.session.scalar(
        select(MediationCase.id)
        .where(
            MediationCase.complaint_id == complaint_id,
            MediationCase.status.in_([s.value for s in UNDER_WAY]),
        )
        .limit(1)
    )
    return found is not None
