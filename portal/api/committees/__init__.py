"""The committees through the API: the public composition and resolutions, the
administrators' committees, seats and ties, the secretariat's motions, and committee
members' votes, recusals and ties. The same services as the pages."""

from portal.api.committees import (  # noqa: F401  (routes register themselves on import)
    motions,
    roster,
)
