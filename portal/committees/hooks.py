"""What other domains run when a motion closes.

The discipline domain registers, once at import:

    from portal.committees.hooks import on_motion_closed

    @on_motion_closed("sanction")
    def _sanction_voted(motion):
        ...  # motion.result is "passed" or "failed"; motion.subject_ref names the case

Callbacks run in the transaction that closes the motion, after the result and the tally are
stored and audited, in the order they were registered. A callback that raises rolls the
closing back with everything else (the sweep retries it on its next run), so callbacks must
be idempotent-safe and quick; they take the motion and return nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from portal.committees.states import SubjectType

MotionCallback = Callable[[object], None]

_CALLBACKS: dict[SubjectType, list[MotionCallback]] = {}


def on_motion_closed(
    subject_type: str | SubjectType, callback: MotionCallback | None = None
) -> MotionCallback | Callable[[MotionCallback], MotionCallback]:
    """Register `callback(motion)` for motions of `subject_type`; usable as a decorator."""
    subject = SubjectType(subject_type)

    def register(function: MotionCallback) -> MotionCallback:
        if function not in _CALLBACKS.setdefault(subject, []):
            _CALLBACKS[subject].append(function)
        return function

    return register(callback) if callback is not None else register


def remove_motion_closed(subject_type: str | SubjectType, callback: MotionCallback) -> None:
    """Unregister a callback (tests)."""
    callbacks = _CALLBACKS.get(SubjectType(subject_type), [])
    if callback in callbacks:
        callbacks.remove(callback)


def run_motion_closed(motion) -> None:
    for callback in list(_CALLBACKS.get(SubjectType(motion.subject_type), [])):
        callback(motion)
