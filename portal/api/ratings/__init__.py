"""Ratings through the API: the public ratings, a member's figures and rating, the
secretariat's validation, correction, computation and anomaly watch."""

from portal.api.ratings import member, public, staff  # noqa: F401  (routes register)
