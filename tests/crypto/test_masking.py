"""Masking values for people who need not see them in full."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.crypto import mask, mask_id_number, mask_name, mask_phone


def test_name():
    assert mask_name("张卫国") == "张**"
    assert mask_name("张伟") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("张") == "*"
    assert mask_name(" 张卫国 ") == "张**"


def test_id_number():
    assert mask_id_number("110105194912311234") == "1101**********1234"
    assert mask_id_number("11010519491231002X") == "1101**********002X"


def test_phone():
    assert mask_phone("13812345678") == "138****5678"


def test_empty_and_none():
    for masker in (mask, mask_name, mask_id_number, mask_phone):
        assert masker(None) == ""
        assert masker("") == ""


def test_short_values_never_show_in_full():
    assert mask("张三") == "张*"
    assert mask("a") == "*"
    assert mask("1234", 4, 4) == "1***"
    assert mask_phone("12345") == "1****"


def test_custom_fill_and_bounds():
    assert mask("abcdef", 2, 1, fill="•") == "ab•••f"
    with pytest.raises(ValueError):
        mask("abcdef", -1, 1)


@given(st.text(min_size=1), st.integers(0, 20), st.integers(0, 20))
def test_mask_keeps_length_and_hides_something(value, keep_start, keep_end):
    masked = mask(value, keep_start, keep_end)
    assert len(masked) == len(value)
    assert "*" in masked
    assert masked != value or set(value) == {"*"}
