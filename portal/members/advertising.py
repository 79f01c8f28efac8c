"""Absolute claims a member's public profile text may not contain (SPEC section 1).

The code (chapter 02, 诚实守信原则) forbids "国家级认证" and "100%治愈率"; the default list
adds the absolute terms of the Advertising Law of the PRC (《广告法》 art. 9(3): 国家级、最高级、
最佳 and the like; art. 16 on medical services: assertions or guarantees of efficacy or safety,
cure or effectiveness rates). Administrators extend the list (`extra_phrases`); they cannot
remove a default phrase.

Matching (`find_forbidden`) is robust to the usual ways round a word filter:

- full-width and half-width forms: text and phrases are NFKC-normalized ("１００％治愈率"
  matches "100%治愈率", "ＮＯ．１" matches "No.1");
- spacing between characters: invisible formatting characters (zero-width space, soft
  hyphen, ...) are removed and any whitespace between the characters of a phrase is skipped
  ("国 家 级 认 证" and "国\n家级认证" match "国家级认证");
- case: Latin letters are compared case-folded;
- traditional characters: those used by the default phrases are mapped to their simplified
  forms ("國家級認證" matches "国家级认证"). Phrases an administrator adds are matched as
  written in that respect.

A phrase that starts or ends with a Latin letter or digit must not continue a longer word or
number there: "No.1" does not match "No.12". A phrase found only inside a longer phrase that
was also found is not reported again ("100%治愈率" is reported, not also "治愈率").
Phrases come back as they are written in the list, in list order, each once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

DEFAULT_FORBIDDEN_PHRASES: tuple[str, ...] = (
    # claims of rank or official standing (广告法 art. 9(3))
    "国家级认证",
    "国家级机构",
    "国家级专家",
    "最高级",
    "最佳",
    "最权威",
    "最先进",
    "最专业",
    "最优秀",
    "第一品牌",
    "全国第一",
    "行业第一",
    "排名第一",
    "No.1",
    "顶级",
    "独一无二",
    "唯一指定",
    # cure or effectiveness rates, guarantees of efficacy or safety (广告法 art. 16)
    "100%治愈率",
    "治愈率",
    "总有效率",
    "100%有效",
    "100%准确",
    "100%安全",
    "百分之百",
    "百分百",
    "保证治愈",
    "包治",
    "根治",
    "药到病除",
    "永不复发",
    "无效退款",
    "绝对安全",
    "绝对准确",
    "零风险",
    "无副作用",
    "无任何副作用",
)

# Traditional -> simplified, for the characters of the default phrases that differ.
_TRADITIONAL = str.maketrans(
    {
        "國": "国",
        "級": "级",
        "認": "认",
        "證": "证",
        "機": "机",
        "構": "构",
        "專": "专",
        "權": "权",
        "進": "进",
        "優": "优",
        "業": "业",
        "頂": "顶",
        "獨": "独",
        "無": "无",
        "癒": "愈",
        "瘉": "愈",
        "總": "总",
        "準": "准",
        "確": "确",
        "藥": "药",
        "復": "复",
        "發": "发",
        "絕": "绝",
        "對": "对",
        "險": "险",
        "風": "风",
    }
)

# Between the characters of a phrase, any run of whitespace is allowed.
_GAP = r"\s*"


def normalize(text: str) -> str:
    """NFKC, case-folded, invisible characters removed, traditional characters mapped.

    Whitespace is kept (it separates words for the Latin-boundary check); the phrase
    patterns skip it.
    """
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = "".join(
        char
        for char in text
        if char.isspace() or unicodedata.category(char) not in ("Cf", "Cc", "Co", "Cs")
    )
    return text.translate(_TRADITIONAL)


def _is_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _pattern(phrase: str) -> re.Pattern[str] | None:
    """A pattern for `phrase` that skips whitespace between its characters; None if blank."""
    chars = [char for char in normalize(phrase) if not char.isspace()]
    if not chars:
        return None
    body = _GAP.join(re.escape(char) for char in chars)
    before = r"(?<![a-z0-9])" if _is_word_char(chars[0]) else ""
    after = r"(?![a-z0-9])" if _is_word_char(chars[-1]) else ""
    return re.compile(before + body + after)


def find_forbidden(text: str, extra_phrases: Iterable[str] = ()) -> list[str]:
    """The forbidden phrases found in `text`, as written in the list, in list order, once each.

    `extra_phrases` are the ones administrators added; blank ones are ignored. Returns [] for
    clean text.
    """
    normalized = normalize(text if isinstance(text, str) else "")
    if not normalized.strip():
        return []
    phrases: list[str] = []
    for phrase in (*DEFAULT_FORBIDDEN_PHRASES, *extra_phrases):
        if isinstance(phrase, str) and phrase.strip() and phrase not in phrases:
            phrases.append(phrase)

    spans: dict[str, list[tuple[int, int]]] = {}
    for phrase in phrases:
        pattern = _pattern(phrase)
        if pattern is None:
            continue
        found = [match.span() for match in pattern.finditer(normalized)]
        if found:
            spans[phrase] = found

    def covered(span: tuple[int, int], by: str) -> bool:
        return any(
            start <= span[0] and span[1] <= end and (end - start) > (span[1] - span[0])
            for other, other_spans in spans.items()
            if other != by
            for start, end in other_spans
        )

    return [
        phrase
        for phrase in phrases
        if phrase in spans and not all(covered(span, phrase) for span in spans[phrase])
    ]
