"""Common passwords refused at registration, password change and account creation.

zxcvbn's list of the 30,000 most frequent passwords (mostly from Western leaks), plus the
patterns most frequent in Chinese leaks (pinyin, 520/1314 "I love you forever", keyboard
runs), which the zxcvbn list partly misses.
"""

from __future__ import annotations

from functools import cache

CHINESE_COMMON = (
    "woaini1314",
    "woaini520",
    "woaini123456",
    "5201314",
    "52013145201314",
    "1314520520",
    "520520520",
    "qwe123456",
    "qwe123456789",
    "a123456789",
    "aa123456789",
    "123456789a",
    "zxc123456789",
    "asd123456789",
    "1qaz2wsx3edc",
    "qq123456789",
    "wang123456",
    "zhang123456",
    "li123456789",
    "abc123456789",
    "iloveyou1314",
    "woaiwojia123",
    "88888888888",
    "6666666666",
    "1314521521",
)


@cache
def common_passwords() -> frozenset[str]:
    """Loaded on first use (the zxcvbn list is large), lower-cased."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(p.lower() for p in (*FREQUENCY_LISTS["passwords"], *CHINESE_COMMON))


def is_common(password: str) -> bool:
    return password.lower() in common_passwords()
