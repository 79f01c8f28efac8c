"""Imports every model so that the metadata (migrations, create_all) knows all tables."""

from portal.accounts.models import User  # noqa: F401
from portal.audit import AuditEntry  # noqa: F401
from portal.calendar import CalendarDay, CalendarYear  # noqa: F401
from portal.mail import OutboxMessage  # noqa: F401
from portal.notifications import Notification  # noqa: F401
from portal.scheduler import JobLease  # noqa: F401
from portal.uploads import StoredFile  # noqa: F401
