"""The public register of sanctions (SPEC 4 and 5): published disciplinary decisions, the
blacklist, agencies' statements and factual-error disputes, and credit repair.

Discipline calls `services.publish_decision` / `services.withdraw_entry`; ratings read
`facts.blacklisted_member_ids` / `facts.levels_in_force`. See docs/architecture.md.
"""
