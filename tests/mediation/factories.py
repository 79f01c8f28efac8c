"""Building mediation cases through the services, for the domain's tests."""

from __future__ import annotations

from datetime import timedelta

from portal import clock
from portal.complaints.services import workflow
from portal.extensions import db
from portal.mediation.services import cases, outcome, sessions
from tests.complaints.conftest import file

AGREEMENT = "双方同意：机构免费为申请人重新进行听力复查，并在十个工作日内出具更正报告。"


def accepted_complaint(people, member, *, anonymous: bool = False):
    filed = file(None if anonymous else people["worker"], member)
    complaint = filed.complaint
    workflow.accept(people["staff"], complaint, "simple")
    db.session.commit()
    if anonymous:
        complaint.receipt_code_for_tests = filed.receipt_code
    return complaint


def proposed(people, complaint):
    case = cases.propose(people["staff"], complaint, "")
    db.session.commit()
    return case


def opened(people, complaint):
    case = proposed(people, complaint)
    cases.consent(people["member"], case)
    cases.consent(people["worker"], case)
    db.session.commit()
    return case


def with_session(people, case):
    session = sessions.schedule(
        people["staff"], case, starts_at=clock.now() + timedelta(hours=2), place="协会三楼调解室"
    )
    db.session.commit()
    return session


def agreed(people, case):
    outcome.draft_agreement(people["staff"], case, AGREEMENT)
    outcome.confirm(people["worker"], case, version=case.agreement_version)
    outcome.confirm(people["member"], case, version=case.agreement_version)
    db.session.commit()
    return case
