"""The rules of complaints. Services take an explicit `actor`, never read the request, and
never commit; they raise the domain errors of `portal.errors`."""
