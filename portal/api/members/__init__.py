"""The members domain through the API: the directory (public), the agency's applications,
documents, staff and profile text, the secretariat's review, the administrators' phrases."""

from portal.api.members import (  # noqa: F401  (routes register themselves on import)
    applications,
    phrases,
    public,
    review,
    staff,
)
