"""Complaints through the API: public intake and tracking, the complainant's material, the
secretariat's work, the agency's view and response, the public statistics."""

from portal.api.complaints import member, privacy, public, staff  # noqa: F401  (routes register)
