"""Discipline through the API: the secretariat's cases, decisions, appeals and breach
reports; the agency's decisions, appeals, rectification and breach reports."""

from portal.api.discipline import member, staff  # noqa: F401  (routes register)
