"""Checks of Chinese identifiers: resident identity numbers and unified social credit codes.

One function per identifier returns None when the value is valid, else the reason (an
English sentence passed through gettext). Services and pydantic models call these (or
the `clean_*` variants, which raise ValueError as pydantic validators should); forms use
the WTForms validators `ResidentId()` and `CreditCode()`, which call the same functions.
The problem functions check the *normalized* value (`normalize_*`: trimmed, upper case),
so normalize before storing, e.g. with ``StringField(filters=[normalize_resident_id])``.

Resident identity number (居民身份证号码, GB 11643-1999), 18 characters:

- 1-6: the region where it was first issued. The first two digits must be a province
  code in use (11-15, 21-23, 31-37, 41-46, 50-54, 61-65, 71) or 81/82/83, which the
  residence permits of Hong Kong, Macao and Taiwan residents use and which share this
  format. Numbers starting with 9 (the foreigners' permanent residence card of 2023) are
  another document and are refused, as are the old 15-digit numbers.
- 7-14: the birth date YYYYMMDD: a real date, not before 1900, not after today
  (`portal.clock.today()`, Asia/Shanghai).
- 15-17: a sequence number (odd for men, even for women).
- 18: the check character, ISO 7064 MOD 11-2: sum of digit x weight (7 9 10 5 8 4 2 1 6
  3 7 9 10 5 8 4 2) mod 11 indexes "10X98765432".

Unified social credit code (统一社会信用代码, GB 32100-2015), 18 characters from
"0123456789ABCDEFGHJKLMNPQRTUWXY" (no I, O, S, V, Z):

- 1: registration authority, one of 1-9, A, N, Y (1 机构编制, 5 民政, 9 工商/市场监管,
  Y 其他, ...). 2: organisation type (any code character; not checked against the
  authority's list). 3-8: the administrative division code (digits). 9-17: the
  organisation's identity code. 18: check character: with the characters' values 0-30
  and weights 3^i mod 31 (1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28), the check
  value is 31 - (sum mod 31), with 31 written as 0.

Test and demo data: `make_resident_id(birth, region, seq)` and `make_credit_code(body17)`
append the right check character.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter
from wtforms.validators import ValidationError

from portal import clock

RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK_CHARS = "10X98765432"
PROVINCE_CODES = frozenset(
    "11 12 13 14 15  21 22 23  31 32 33 34 35 36 37  41 42 43 44 45 46  "  # noqa: SIM905
    "50 51 52 53 54  61 62 63 64 65  71  81 82 83".split()
)
EARLIEST_BIRTH = date(1900, 1, 1)

CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
REGISTRATION_AUTHORITIES = "123456789ANY"

_DIGITS = frozenset("0123456789")  # str.isdigit() would accept full-width and other digits
_CREDIT_VALUES = {char: value for value, char in enumerate(CREDIT_CODE_CHARSET)}


def _is_digits(value: str) -> bool:
    return bool(value) and all(char in _DIGITS for char in value)


# --- resident identity number ----------------------------------------------------------------


def normalize_resident_id(value: str | None) -> str:
    """Trimmed and upper-cased (a final x becomes X); "" for None (usable as a form filter)."""
    return (value or "").strip().upper()


def resident_id_check_char(first17: str) -> str:
    """The check character of the first 17 digits."""
    if len(first17) != 17 or not _is_digits(first17):
        raise ValueError("the check character is computed from exactly 17 digits")
    pairs = zip(first17, RESIDENT_ID_WEIGHTS, strict=True)
    total = sum(int(char) * weight for char, weight in pairs)
    return RESIDENT_ID_CHECK_CHARS[total % 11]


def resident_id_problem(value: str) -> str | None:
    """None if `value` (normalized first) is a valid resident identity number, else why not."""
    value = normalize_resident_id(value)
    if len(value) == 15 and _is_digits(value):
        return _("Old 15-digit numbers are not accepted: enter the 18-character number.")
    if len(value) != 18:
        return _("A resident identity number has 18 characters (%(n)s given).", n=len(value))
    if not _is_digits(value[:17]):
        return _("The first 17 characters of a resident identity number must be digits.")
    if value[17] not in RESIDENT_ID_CHECK_CHARS:
        return _("The last character of a resident identity number must be a digit or X.")
    if value[:2] not in PROVINCE_CODES:
        return _("The number does not start with a valid region code.")
    try:
        birth = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return _("The birth date in the number (characters 7 to 14) is not a real date.")
    if birth < EARLIEST_BIRTH:
        return _("The birth date in the number is before 1900.")
    if birth > clock.today():
        return _("The birth date in the number is in the future.")
    expected = resident_id_check_char(value[:17])
    if value[17] != expected:
        return _("The check character should be %(char)s.", char=expected)
    return None


def clean_resident_id(value: str) -> str:
    """The normalized number, or ValueError with the reason (for pydantic validators)."""
    problem = resident_id_problem(value)
    if problem:
        raise ValueError(problem)
    return normalize_resident_id(value)


def make_resident_id(birth: date, region: str = "110105", seq: int = 123) -> str:
    """A valid number for test and demo data: region, birth date, sequence, check character."""
    if len(region) != 6 or not _is_digits(region):
        raise ValueError("region must be 6 digits")
    if not 0 <= seq <= 999:
        raise ValueError("seq must be between 0 and 999")
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + resident_id_check_char(first17)


# --- unified social credit code --------------------------------------------------------------


def normalize_credit_code(value: str | None) -> str:
    """Trimmed and upper-cased; "" for None (usable as a form filter)."""
    return (value or "").strip().upper()


def credit_code_check_char(first17: str) -> str:
    """The check character of the first 17 characters."""
    if len(first17) != 17 or any(char not in _CREDIT_VALUES for char in first17):
        raise ValueError("the check character is computed from exactly 17 code characters")
    total = sum(
        _CREDIT_VALUES[char] * weight
        for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def credit_code_problem(value: str) -> str | None:
    """None if `value` (normalized first) is a valid unified social credit code, else why not."""
    value = normalize_credit_code(value)
    if len(value) != 18:
        return _("A unified social credit code has 18 characters (%(n)s given).", n=len(value))
    for position, char in enumerate(value, start=1):
        if char not in _CREDIT_VALUES:
            return _(
                "Character %(pos)s (%(char)s) is not used in credit codes: they never contain "
                "I, O, S, V or Z.",
                pos=position,
                char=char,
            )
    if value[0] not in REGISTRATION_AUTHORITIES:
        return _("The first character (the registration authority) is not valid.")
    if not _is_digits(value[2:8]):
        return _("Characters 3 to 8 (the region code) must be digits.")
    expected = credit_code_check_char(value[:17])
    if value[17] != expected:
        return _("The check character should be %(char)s.", char=expected)
    return None


def clean_credit_code(value: str) -> str:
    """The normalized code, or ValueError with the reason (for pydantic validators)."""
    problem = credit_code_problem(value)
    if problem:
        raise ValueError(problem)
    return normalize_credit_code(value)


def make_credit_code(body17: str) -> str:
    """`body17` plus its check character: a valid code for test and demo data."""
    body17 = body17.upper()
    code = body17 + credit_code_check_char(body17)
    problem = credit_code_problem(code)
    if problem:
        raise ValueError(f"{body17!r} cannot make a valid code: {problem}")
    return code


# --- WTForms ------------------------------------------------------------------------------


class _IdentifierValidator:
    problem: Any

    def __init__(self, message: str | None = None):
        self.message = message

    def __call__(self, form: Any, field: Any) -> None:
        if not field.data:  # emptiness is DataRequired's or Optional's business
            return
        problem = type(self).problem(str(field.data))
        if problem:
            raise ValidationError(self.message or problem)


class ResidentId(_IdentifierValidator):
    """The field holds a valid resident identity number (empty passes: add DataRequired)."""

    problem = staticmethod(resident_id_problem)


class CreditCode(_IdentifierValidator):
    """The field holds a valid unified social credit code (empty passes: add DataRequired)."""

    problem = staticmethod(credit_code_problem)


# --- Text hygiene: characters no field may hold ---------------------------------------------
#
# PostgreSQL refuses NUL in text ("A string literal cannot contain NUL (0x00) characters"),
# SQLite's driver cannot encode a lone surrogate, and other C0 control characters only hide
# text or break exports. Forms, query strings, path segments and JSON bodies are checked once,
# early (`portal.forms_support.refuse_control_characters`); tab, CR and LF stay allowed.

_ALLOWED_CONTROLS = frozenset("\t\r\n")


def text_problem(value: str) -> str | None:
    """Why `value` may not be stored, or None: C0 control characters (but tab, CR, LF)
    and lone surrogates (U+D800-U+DFFF, which only broken JSON escapes produce)."""
    for char in value:
        code = ord(char)
        if (code < 0x20 and char not in _ALLOWED_CONTROLS) or 0xD800 <= code <= 0xDFFF:
            return _("Contains a control character (such as NUL) or invalid text; remove it.")
    return None


def text_problems(data: Any, where: str = "") -> dict[str, str]:
    """{dotted field path: reason} for every bad string (and key) in a JSON-like value."""
    found: dict[str, str] = {}
    if isinstance(data, str):
        problem = text_problem(data)
        if problem:
            found[where or "body"] = problem
    elif isinstance(data, dict):
        for key, value in data.items():
            path = f"{where}.{key}" if where else str(key)
            if isinstance(key, str) and text_problem(key):
                found[where or "body"] = text_problem(key) or ""
            found.update(text_problems(value, path))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.update(text_problems(value, f"{where}.{index}" if where else str(index)))
    return found


class NoControlCharacters:
    """WTForms validator with the same rule, for forms checked outside a request."""

    def __call__(self, form: Any, field: Any) -> None:
        if isinstance(field.data, str):
            problem = text_problem(field.data)
            if problem:
                raise ValidationError(problem)


def number_problems(data: Any, where: str = "") -> dict[str, str]:
    """{dotted field path: reason} for every number no column can hold: integers beyond a
    PostgreSQL `integer` (SQLite overflows past 64 bits; either way a 500), NaN, infinities."""
    found: dict[str, str] = {}
    if isinstance(data, bool):
        return found
    if isinstance(data, int) and not -DATABASE_INT_MAX - 1 <= data <= DATABASE_INT_MAX:
        found[where or "body"] = _("The number is too large.")
    elif isinstance(data, float) and not math.isfinite(data):
        found[where or "body"] = _("Not a finite number.")
    elif isinstance(data, dict):
        for key, value in data.items():
            found.update(number_problems(value, f"{where}.{key}" if where else str(key)))
    elif isinstance(data, list | tuple):
        for index, value in enumerate(data):
            found.update(number_problems(value, f"{where}.{index}" if where else str(index)))
    return found


# --- Integers in URLs ---------------------------------------------------------------------

DATABASE_INT_MAX = 2**31 - 1  # PostgreSQL `integer`; SQLite raises OverflowError past 2**63 - 1


class DatabaseIntConverter(IntegerConverter):
    """The `int` URL converter, bounded to what an integer column holds: a larger number is a
    404 like any id that does not exist, not an OverflowError (a 500) in the driver."""

    def __init__(
        self,
        url_map: Any,
        fixed_digits: int = 0,
        min: int | None = None,  # noqa: A002
        max: int | None = DATABASE_INT_MAX,
        signed: bool = False,
    ) -> None:  # noqa: A002
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
