"""Every log record of the whole test run is checked for the demo workers' and the test
complainants' names, ID numbers, phones and health details; a hit fails the run.

`tests/test_pii_in_logs.py` walks the complaint flows with every logger at DEBUG; this watch
covers everything else the suite does (browser sessions, sweeps, errors), at INFO, the level
a production deployment logs at.
"""

from __future__ import annotations

import logging

from portal.complaints import demo as complaint_demo
from portal.validators import make_resident_id

# The complainant every complaint test files (tests/complaints/conftest.py `complaint_input`).
TEST_COMPLAINANT = ("张卫国", "11010519491231002X", "13812345678", "噪声作业十年，左耳听力下降。")


def personal_values() -> set[str]:
    values = set(TEST_COMPLAINANT)
    for item in complaint_demo.DEMOS:
        name, phone, birth = item.person
        values |= {name, phone, make_resident_id(birth, "440106", 37)}
    return values


class PersonalDataWatch(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.values = personal_values()
        self.hits: list[str] = []
        self._root_level = logging.NOTSET

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        for value in self.values:
            if value in text:  # reported without the value itself
                where = f"{record.pathname}:{record.lineno}"
                self.hits.append(f"{record.name} ({where}): a personal value in a log record")

    def install(self) -> None:
        root = logging.getLogger()
        self._root_level = root.level
        root.setLevel(min(root.level or logging.WARNING, logging.INFO))
        root.addHandler(self)

    def uninstall(self) -> list[str]:
        root = logging.getLogger()
        root.removeHandler(self)
        root.setLevel(self._root_level)
        return sorted(set(self.hits))
