"""TOTP second factor for staff, committee members and administrators.

The secret is stored encrypted (`UserTotp.secret`); a code is checked against the portal's
clock with one step of drift either way, and the step it matched is remembered, so the same
code (or an older one) is never accepted twice. Ten single-use recovery codes are shown once
at enrolment and stored as hashes only.

Services: explicit actor, no request, no commit.
"""

from __future__ import annotations

import re
import secrets

import pyotp
from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from portal import audit, clock
from portal.accounts.models import RecoveryCode, User, UserTotp
from portal.crypto import blind_index
from portal.errors import Conflict, NotPermitted, ValidationFailed
from portal.extensions import db
from portal.security import Role

TWO_FACTOR_ROLES = frozenset({Role.STAFF, Role.COMMITTEE, Role.ADMIN})
ISSUER = "OHA Portal"
STEP_SECONDS = 30
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i
_TOTP_RE = re.compile(r"^\d{6}$")


def requires_two_factor(user: User) -> bool:
    return user.role in TWO_FACTOR_ROLES


def totp_of(user: User) -> UserTotp | None:
    return db.session.scalar(select(UserTotp).where(UserTotp.user_id == user.id))


def is_enrolled(user: User) -> bool:
    totp = totp_of(user)
    return totp is not None and totp.confirmed_at is not None


def current_step() -> int:
    return int(clock.now().timestamp()) // STEP_SECONDS


def group_secret(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def start_enrolment(user: User) -> UserTotp:
    """The user's unconfirmed secret, created on first call; refused once enrolled."""
    totp = totp_of(user)
    if totp is not None and totp.confirmed_at is not None:
        raise Conflict(_("Two-factor sign-in is already set up."))
    if totp is None:
        totp = UserTotp(user_id=user.id)
        totp.secret = pyotp.random_base32()
        db.session.add(totp)
        db.session.flush()
    return totp


def _accept_totp(totp: UserTotp, code: str) -> bool:
    """Check `code` against the steps around now; a step at or before the last one used
    is refused (replay). Records the step accepted."""
    engine = pyotp.TOTP(totp.secret, interval=STEP_SECONDS)
    now_step = current_step()
    for step in (now_step - 1, now_step, now_step + 1):
        if totp.last_step is not None and step <= totp.last_step:
            continue
        if engine.verify(code, for_time=step * STEP_SECONDS, valid_window=0):
            totp.last_step = step
            return True
    return False


def confirm_enrolment(user: User, code: str) -> list[str]:
    """Confirm the pending secret with a first code; returns the new recovery codes."""
    totp = start_enrolment(user)
    code = normalize_code(code)
    if not _TOTP_RE.match(code) or not _accept_totp(totp, code):
        raise ValidationFailed(
            _("The code is wrong."), {"code": _("Enter the 6-digit code your app shows now.")}
        )
    totp.confirmed_at = clock.now()
    audit.record("user.totp_enrolled", user, actor=user)
    return issue_recovery_codes(user)


def normalize_code(code: str | None) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def _hash_recovery_code(user_id: int, code: str) -> str:
    # Keyed (the blind-index key, kept outside the database): a copy of the table alone
    # does not allow trying all 2**50 codes offline.
    return blind_index("users.recovery_code", f"{user_id}:{normalize_code(code)}")


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def issue_recovery_codes(user: User) -> list[str]:
    """Ten fresh codes (the old ones stop working); only their hashes are stored."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=_hash_recovery_code(user.id, c)) for c in codes
    )
    audit.record(
        "user.recovery_codes_issued", user, actor=user, payload={"count": RECOVERY_CODE_COUNT}
    )
    return codes


def regenerate_recovery_codes(user: User, code: str | None) -> list[str]:
    """Ten new recovery codes for an enrolled user, who proves they hold the app now with a
    current code from it (a recovery code does not do: it may be what was lost). The old
    codes stop working."""
    totp = totp_of(user)
    if totp is None or totp.confirmed_at is None:
        why = _("Set up two-factor sign-in first.")
        raise ValidationFailed(why, {"code": why})
    code = normalize_code(code)
    if not _TOTP_RE.match(code) or not _accept_totp(totp, code):
        raise ValidationFailed(
            _("The code is wrong."), {"code": _("Enter the 6-digit code your app shows now.")}
        )
    return issue_recovery_codes(user)


def remaining_recovery_codes(user: User) -> int:
    return db.session.scalar(
        select(func.count(RecoveryCode.id)).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )


def verify_second_factor(user: User, code: str | None) -> str | None:
    """ "totp" or "recovery_code" when `code` is a valid second factor of an enrolled user
    (a recovery code is spent, and audited); None otherwise."""
    totp = totp_of(user)
    if totp is None or totp.confirmed_at is None:
        return None
    code = normalize_code(code)
    if _TOTP_RE.match(code):
        return "totp" if _accept_totp(totp, code) else None
    if len(code) != 10:
        return None
    row = db.session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash_recovery_code(user.id, code),
            RecoveryCode.used_at.is_(None),
        )
    )
    if row is None:
        return None
    row.used_at = clock.now()
    db.session.flush()
    audit.record(
        "user.recovery_code_used",
        user,
        actor=user,
        payload={"remaining": remaining_recovery_codes(user)},
    )
    return "recovery_code"


def record_refusal(user: User) -> None:
    audit.record("user.second_factor_refused", user, actor=user)


def reset_two_factor(actor: User, user: User) -> None:
    """An administrator removes a user's second factor: the user enrols again at the next
    sign-in, and every session and token of theirs ends."""
    if actor.role != Role.ADMIN:
        raise NotPermitted(_("Only administrators manage users."))
    db.session.execute(delete(UserTotp).where(UserTotp.user_id == user.id))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    user.session_version += 1
    user.token_version += 1
    audit.record("user.totp_reset", user, actor=actor)
