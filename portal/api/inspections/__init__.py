"""Inspections through the API: the public draws, the secretariat's draw and results, the
administrators' inspector pool."""

from portal.api.inspections import routes  # noqa: F401  (routes register)
