"""Resident identity numbers (GB 11643-1999) and unified social credit codes (GB 32100-2015)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import AfterValidator, BaseModel, ValidationError
from werkzeug.datastructures import MultiDict
from wtforms import Form, StringField
from wtforms.validators import DataRequired, Optional

from portal import clock
from portal.validators import (
    CREDIT_CODE_CHARSET,
    PROVINCE_CODES,
    REGISTRATION_AUTHORITIES,
    CreditCode,
    ResidentId,
    clean_credit_code,
    clean_resident_id,
    credit_code_check_char,
    credit_code_problem,
    make_credit_code,
    make_resident_id,
    normalize_credit_code,
    normalize_resident_id,
    resident_id_check_char,
    resident_id_problem,
)

DIGITS = "0123456789"


# --- generators for test data ------------------------------------------------------------

regions = st.builds(
    lambda province, rest: province + rest,
    st.sampled_from(sorted(PROVINCE_CODES)),
    st.text(DIGITS, min_size=4, max_size=4),
)
resident_ids = st.builds(
    make_resident_id,
    st.dates(min_value=date(1900, 1, 1), max_value=date(2024, 12, 31)),
    regions,
    st.integers(0, 999),
)
credit_codes = st.builds(
    lambda authority, kind, division, body: make_credit_code(authority + kind + division + body),
    st.sampled_from(REGISTRATION_AUTHORITIES),
    st.sampled_from(CREDIT_CODE_CHARSET),
    st.text(DIGITS, min_size=6, max_size=6),
    st.text(CREDIT_CODE_CHARSET, min_size=9, max_size=9),
)


def _replace(value: str, position: int, char: str) -> str:
    return value[:position] + char + value[position + 1 :]


# --- resident identity number ------------------------------------------------------------


def test_known_resident_id_is_valid():
    assert resident_id_check_char("11010519491231002") == "X"
    assert resident_id_problem("11010519491231002X") is None
    assert resident_id_problem(" 11010519491231002x\n") is None  # normalized first
    assert normalize_resident_id(" 11010519491231002x ") == "11010519491231002X"
    assert normalize_resident_id(None) == ""


def test_make_resident_id():
    assert make_resident_id(date(1949, 12, 31), "110105", 2) == "11010519491231002X"
    assert make_resident_id(date(1990, 5, 17)) == "110105199005171233"
    assert resident_id_problem(make_resident_id(date(1990, 5, 17))) is None
    with pytest.raises(ValueError):
        make_resident_id(date(1990, 5, 17), region="1101")
    with pytest.raises(ValueError):
        make_resident_id(date(1990, 5, 17), seq=1000)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("110105194912310021", "The check character should be X."),
        ("", "18 characters (0 given)"),
        ("11010519491231002", "18 characters (17 given)"),
        ("11010519491231002XX", "18 characters (19 given)"),
        ("110105491231002", "Old 15-digit numbers"),
        ("1101051949123100AX", "first 17 characters"),
        ("１10105194912310021", "first 17 characters"),  # a full-width digit
        ("11010519491231002Y", "digit or X"),
        ("001051194912310021", "region code"),
        ("991051194912310021", "region code"),
        ("910105194912310021", "region code"),
        (make_resident_id(date(1949, 12, 31))[:10] + "1302" + "1230", "not a real date"),
        (make_resident_id(date(1899, 12, 31)), "before 1900"),
    ],
)
def test_resident_id_problems(value, reason):
    problem = resident_id_problem(value)
    assert problem is not None and reason in problem


def test_resident_id_birth_date_limits(clock_at):
    clock_at(datetime(2026, 3, 1, 4, 0, tzinfo=UTC))  # 12:00 in Shanghai
    assert resident_id_problem(make_resident_id(date(1900, 1, 1))) is None
    assert resident_id_problem(make_resident_id(date(2026, 3, 1))) is None
    assert "future" in resident_id_problem(make_resident_id(date(2026, 3, 2)))
    assert resident_id_problem(make_resident_id(date(2024, 2, 29))) is None
    assert "real date" in resident_id_problem("11010520230229" + "123" + "0")


def test_future_is_judged_in_shanghai(clock_at):
    clock_at(datetime(2026, 3, 1, 17, 0, tzinfo=UTC))  # already 2 March in Shanghai
    assert clock.today() == date(2026, 3, 2)
    assert resident_id_problem(make_resident_id(date(2026, 3, 2))) is None
    assert "future" in resident_id_problem(make_resident_id(clock.today() + timedelta(days=1)))


@given(resident_ids)
def test_generated_resident_ids_pass(value):
    assert resident_id_problem(value) is None


@given(resident_ids, st.integers(0, 17), st.sampled_from(DIGITS + "X"))
def test_one_changed_character_is_refused(value, position, char):
    if position < 17 and char == "X":
        char = "7"  # X is only ever a check character
    if value[position] == char:
        char = DIGITS[(DIGITS.index(char) + 1) % 10] if char != "X" else "0"
    assert resident_id_problem(_replace(value, position, char)) is not None


@given(resident_ids, st.integers(0, 16))
def test_swapped_neighbours_are_refused_or_equal(value, position):
    a, b = value[position], value[position + 1]
    swapped = value[:position] + b + a + value[position + 2 :]
    assert swapped == value or resident_id_problem(swapped) is not None


# --- unified social credit code ----------------------------------------------------------


def test_known_credit_code_is_valid():
    assert credit_code_check_char("91350100M000100Y4") == "3"
    assert credit_code_problem("91350100M000100Y43") is None
    assert credit_code_problem(" 91350100m000100y43 ") is None  # normalized first
    assert normalize_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"
    assert make_credit_code("91350100M000100Y4") == "91350100M000100Y43"


def test_check_value_31_is_written_0():
    # find a body whose check value is 31 (sum divisible by 31): its check char is "0"
    body = next(
        f"9111010{n:010d}" for n in range(1000) if credit_code_check_char(f"9111010{n:010d}") == "0"
    )
    assert credit_code_problem(body + "0") is None


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("91350100M000100Y44", "The check character should be 3."),
        ("", "18 characters (0 given)"),
        ("91350100M000100Y4", "18 characters (17 given)"),
        ("91350100M0001O0Y43", "Character 14 (O)"),
        ("91350100I000100Y43", "Character 9 (I)"),
        ("9135010SM000100Y43", "Character 8 (S)"),
        ("B1350100M000100Y43", "registration authority"),
        ("913501A0M000100Y43", "Characters 3 to 8"),
    ],
)
def test_credit_code_problems(value, reason):
    problem = credit_code_problem(value)
    assert problem is not None and reason in problem


def test_make_credit_code_refuses_bodies_that_cannot_be_valid():
    with pytest.raises(ValueError, match="registration authority"):
        make_credit_code("B1350100M000100Y4")
    with pytest.raises(ValueError):
        make_credit_code("91350100M000100Y")  # 16 characters
    with pytest.raises(ValueError):
        make_credit_code("91350100M000100O4")  # O is not a code character


@given(credit_codes)
def test_generated_credit_codes_pass(value):
    assert credit_code_problem(value) is None


@given(credit_codes, st.integers(0, 17), st.sampled_from(CREDIT_CODE_CHARSET))
def test_one_changed_credit_code_character_is_refused(value, position, char):
    if value[position] == char:
        char = CREDIT_CODE_CHARSET[(CREDIT_CODE_CHARSET.index(char) + 1) % 31]
    assert credit_code_problem(_replace(value, position, char)) is not None


# --- where they are used -----------------------------------------------------------------


class IdentityForm(Form):
    id_number = StringField(
        validators=[DataRequired(), ResidentId()], filters=[normalize_resident_id]
    )
    credit_code = StringField(
        validators=[Optional(), CreditCode()], filters=[normalize_credit_code]
    )


def test_wtforms_validators(app):
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        form = IdentityForm(MultiDict({"id_number": "11010519491231002x", "credit_code": ""}))
        assert form.validate(), form.errors
        assert form.id_number.data == "11010519491231002X"

        form = IdentityForm(
            MultiDict({"id_number": "110105194912310021", "credit_code": "91350100M000100Y44"})
        )
        assert not form.validate()
        assert form.errors == {
            "id_number": ["The check character should be X."],
            "credit_code": ["The check character should be 3."],
        }


def test_wtforms_validator_custom_message(app):
    class Custom(Form):
        id_number = StringField(validators=[ResidentId(message="Check the number.")])

    with app.test_request_context(headers={"Cookie": "lang=en"}):
        form = Custom(MultiDict({"id_number": "123"}))
        assert not form.validate()
        assert form.errors == {"id_number": ["Check the number."]}


class Registration(BaseModel):
    id_number: Annotated[str, AfterValidator(clean_resident_id)]
    credit_code: Annotated[str, AfterValidator(clean_credit_code)]


def test_pydantic_models_use_the_clean_functions():
    ok = Registration(id_number=" 11010519491231002x", credit_code="91350100m000100y43")
    assert (ok.id_number, ok.credit_code) == ("11010519491231002X", "91350100M000100Y43")
    with pytest.raises(ValidationError) as caught:
        Registration(id_number="110105194912310021", credit_code="91350100M000100Y44")
    messages = {error["loc"][0]: error["msg"] for error in caught.value.errors()}
    assert "The check character should be X." in messages["id_number"]
    assert "The check character should be 3." in messages["credit_code"]


def test_reasons_work_in_an_app_context_without_a_request(app):
    # CLI commands and the scheduler run with an app context but no request.
    with app.app_context():
        assert resident_id_problem("110105194912310021") is not None
        assert credit_code_problem("91350100M000100Y44") is not None
