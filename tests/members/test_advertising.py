"""Absolute claims in a member's public profile text."""

from __future__ import annotations

import pytest

from portal.members.advertising import DEFAULT_FORBIDDEN_PHRASES, find_forbidden


def test_the_two_examples_of_the_code_are_in_the_list():
    assert "国家级认证" in DEFAULT_FORBIDDEN_PHRASES
    assert "100%治愈率" in DEFAULT_FORBIDDEN_PHRASES
    assert len(set(DEFAULT_FORBIDDEN_PHRASES)) == len(DEFAULT_FORBIDDEN_PHRASES)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("本机构通过国家级认证，服务优质。", ["国家级认证"]),
        ("尘肺病100%治愈率", ["100%治愈率"]),
        ("尘肺病１００％治愈率", ["100%治愈率"]),  # full-width digits and percent sign
        ("国 家 级 认 证", ["国家级认证"]),  # spaces between the characters
        ("国\u3000家\u3000级认证", ["国家级认证"]),  # ideographic spaces
        ("国\u200b家\u200d级\u00ad认证", ["国家级认证"]),  # invisible characters
        ("国\n家级\t认证", ["国家级认证"]),
        ("國家級認證", ["国家级认证"]),  # traditional characters
        ("100 % 治 愈 率", ["100%治愈率"]),
        ("行业 NO.1 检测机构", ["No.1"]),  # case
        ("行业ｎｏ．１", ["No.1"]),  # full-width Latin
        ("绝对安全，无副作用，包治百病", ["包治", "绝对安全", "无副作用"]),  # list order
        ("百分之百准确", ["百分之百"]),
    ],
)
def test_found(text, found):
    assert find_forbidden(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "本机构具备粉尘、噪声等5类危害因素检测资质，服务范围覆盖全市。",
        "建议最好提前预约体检。",
        "型号 No.12 声级计",  # a Latin phrase does not match inside a longer number
        "model no.1x",
        "治愈",
    ],
)
def test_clean(text):
    assert find_forbidden(text) == []


def test_phrase_inside_a_longer_found_phrase_is_not_repeated():
    assert find_forbidden("100%治愈率") == ["100%治愈率"]
    # but it is reported when it also occurs on its own
    assert find_forbidden("100%治愈率，另有某病治愈率高") == ["100%治愈率", "治愈率"]


def test_each_phrase_once_in_list_order():
    assert find_forbidden("根治 绝对安全 根治 国家级认证") == ["国家级认证", "根治", "绝对安全"]


def test_extra_phrases_from_admins():
    text = "省级示范单位，全程 VIP 服务"
    assert find_forbidden(text) == []
    assert find_forbidden(text, extra_phrases=["省级示范", "vip服务", "", "   "]) == [
        "省级示范",
        "vip服务",
    ]
    assert find_forbidden(text, extra_phrases=("省级示范", "省级示范")) == ["省级示范"]
    # an extra phrase written in full-width forms matches half-width text
    assert find_forbidden("VIP服务", extra_phrases=["ＶＩＰ 服务"]) == ["ＶＩＰ 服务"]


def test_extra_phrase_that_is_also_default_is_reported_once():
    assert find_forbidden("国家级认证", extra_phrases=["国家级认证"]) == ["国家级认证"]


@pytest.mark.parametrize("phrase", DEFAULT_FORBIDDEN_PHRASES)
def test_every_default_phrase_is_found_spaced_and_full_width(phrase):
    spaced = " ".join(phrase)
    full_width = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in phrase)
    assert phrase in find_forbidden(f"我们的服务：{spaced}。")
    assert phrase in find_forbidden(f"我们的服务：{full_width}。")
