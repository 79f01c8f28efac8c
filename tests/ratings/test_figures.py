"""Yearly figures: filing, amending, validation, correction with a reason, anomalies."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.audit import AuditEntry
from portal.errors import InvalidTransition, NotFound, NotPermitted, ValidationFailed
from portal.extensions import db
from portal.ratings.services import anomalies
from portal.ratings.services import figures as service
from tests.factories import make_user
from tests.ratings.factories import file_figures

GOOD = {
    "enterprises_served": 100,
    "workers_examined": 4000,
    "reports_issued": 900,
    "reports_corrected": 3,
    "abnormal_results": 250,
}


def test_a_member_files_and_amends_until_validated(now, people):
    figures = service.file_figures(people["member"], 2025, GOOD)
    assert figures.status == "filed" and figures.reports_issued == 900
    service.file_figures(people["member"], 2025, {**GOOD, "reports_issued": 950})
    assert figures.reports_issued == 950
    assert [c.kind for c in figures.changes] == ["filed", "amended"]
    service.validate(people["staff"], figures)
    with pytest.raises(InvalidTransition):
        service.file_figures(people["member"], 2025, GOOD)
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert {"ratings.figures_filed", "ratings.figures_amended", "ratings.figures_validated"} <= set(
        actions
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reports_issued": -1}, "reports_issued"),
        ({"workers_examined": "many"}, "workers_examined"),
        ({"reports_corrected": 901}, "reports_corrected"),
        ({"abnormal_results": 5000}, "abnormal_results"),
        ({"enterprises_served": 0, "workers_examined": 0}, "enterprises_served"),
        ({"reports_issued": 10_000_001}, "reports_issued"),
    ],
)
def test_bad_figures_name_the_field(now, people, changes, field):
    with pytest.raises(ValidationFailed) as caught:
        service.file_figures(people["member"], 2025, {**GOOD, **changes})
    assert field in caught.value.fields


@pytest.mark.parametrize("year", [1999, 2027, None])
def test_the_year_is_checked(now, people, year):
    with pytest.raises(ValidationFailed):
        service.file_figures(people["member"], year, GOOD)


def test_only_a_linked_member_user_files(now, people):
    with pytest.raises(NotPermitted):
        service.file_figures(people["staff"], 2025, GOOD)
    with pytest.raises(NotFound):
        service.file_figures(make_user("member", "loose"), 2025, GOOD)


def test_a_correction_needs_a_reason_and_is_kept(now, people, member):
    figures = file_figures(member)
    with pytest.raises(ValidationFailed) as caught:
        service.correct(people["staff"], figures, GOOD, "no")
    assert "reason" in caught.value.fields
    with pytest.raises(NotPermitted):
        service.correct(people["member"], figures, GOOD, "because I say so")
    service.correct(people["staff"], figures, GOOD, "Invoices show 900 reports.")
    assert figures.status == "validated" and figures.reports_issued == 900
    change = figures.changes[-1]
    assert change.kind == "corrected" and change.reason == "Invoices show 900 reports."
    assert change.before["reports_issued"] == 1000
    entry = db.session.scalar(
        select(AuditEntry).where(AuditEntry.action == "ratings.figures_corrected")
    )
    assert "Invoices show 900 reports." in entry.payload


def test_anomaly_checks():
    base = {**GOOD}
    assert anomalies.check(base, None, 6) == []
    codes = lambda flags: [f.code.value for f in flags]  # noqa: E731
    assert codes(anomalies.check({**base, "abnormal_results": 0}, None, 6)) == ["perfect_pass_rate"]
    assert (
        codes(
            anomalies.check(
                {**base, "workers_examined": 999, "reports_issued": 999, "abnormal_results": 0},
                None,
                6,
            )
        )
        == []
    )
    assert codes(
        anomalies.check({**base, "reports_issued": 1500}, {**base, "reports_issued": 500}, 6)
    ) == ["jump"]
    assert (
        codes(anomalies.check({**base, "reports_issued": 1400}, {**base, "reports_issued": 500}, 6))
        == []
    )
    assert codes(anomalies.check({**base, "workers_examined": 150_001}, None, 6)) == ["capacity"]


def test_flagged_members_for_staff(now, member, people):
    file_figures(member, 2024, reports_issued=200)
    file_figures(member, 2025, reports_issued=2000, abnormal_results=0)
    flagged = anomalies.flagged(2025)
    assert [f.code.value for f in flagged[0].flags] == ["perfect_pass_rate", "jump"]
    assert "2000" in anomalies.describe(flagged[0].flags[1])
