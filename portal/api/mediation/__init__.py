"""/api/v1 for mediation: the secretariat's steps, the parties' steps (an anonymous
complainant with the receipt code in the body), the panel's reading, the case file (PDF)."""

from portal.api.mediation import parties, staff  # noqa: F401
