"""The one source of the current time, so tests can move it.

Everything stores UTC instants; `today()` is the date in Asia/Shanghai, where the
association's working days are counted.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

_lock = threading.Lock()
_frozen: datetime | None = None


def now() -> datetime:
    """The current instant, timezone-aware, in UTC."""
    frozen = _frozen
    return frozen if frozen is not None else datetime.now(UTC)


def today() -> date:
    """Today's date in Asia/Shanghai."""
    return now().astimezone(SHANGHAI).date()


def set_now(instant: datetime) -> None:
    """Freeze the clock at `instant` (tests and benchmarks only)."""
    if instant.tzinfo is None:
        raise ValueError("the clock takes timezone-aware instants only")
    global _frozen
    with _lock:
        _frozen = instant.astimezone(UTC)


def reset() -> None:
    """Let the clock follow the real time again."""
    global _frozen
    with _lock:
        _frozen = None


def shanghai(instant: datetime) -> datetime:
    """An instant shown in the association's time zone."""
    return instant.astimezone(SHANGHAI)
