"""Reasons are translated when the rules run, in the language of the current context.

The engine needs no Flask context (outside one, flask_babel translates nothing and the
English msgids come back, as the other tests here rely on). Inside the app, the locale
selector decides: zh-CN by default (commands, scheduled jobs and pages without a choice),
English when the visitor picked it.
"""

from __future__ import annotations

import flask_babel

from portal.members.constants import AgencyType, HazardCategory
from portal.members.rules import evaluate
from tests.members.builders import CREDIT_CODE, ON, application

WRONG_CODE = CREDIT_CODE[:-1] + ("0" if CREDIT_CODE[-1] != "0" else "1")


def _evaluate():
    return evaluate(application(credit_code=WRONG_CODE, premises_m2=180), ON)


def test_without_a_context_reasons_are_english():
    checklist = _evaluate()
    assert checklist.by_code["licence.credit_code"].reason.startswith(
        "The check character should be"
    )
    assert AgencyType.EXAMINATION.label == "Occupational health examination institution"


def test_default_locale_is_chinese_inside_the_app(app):
    with app.app_context():
        flask_babel.refresh()
        checklist = _evaluate()
        # a msgid the zh_CN catalogue already holds comes back in Chinese ...
        assert checklist.by_code["licence.credit_code"].reason.startswith("校验码应为")
        # ... and every reason is a plain str, rendered when the rule ran
        assert all(type(result.reason) is str for result in checklist.results)
        assert checklist.by_code["premises.area"].reason
        assert isinstance(HazardCategory.DUST.label, str)


def test_english_when_chosen(app):
    with app.test_request_context("/", headers={"Cookie": "lang=en"}):
        flask_babel.refresh()
        checklist = _evaluate()
        assert checklist.by_code["licence.credit_code"].reason.startswith(
            "The check character should be"
        )
        assert checklist.by_code["premises.area"].reason == (
            "Premises 180 m², at least 200 m² required."
        )
