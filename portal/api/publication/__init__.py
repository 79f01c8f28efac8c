"""Publication through the API: the public blacklist and decisions (open data), the
agency's statements, disputes and credit-repair applications, the secretariat's answers."""

from portal.api.publication import agency, public, staff  # noqa: F401  (routes register)
