"""Members and their qualification checks (SPEC section 1).

The rule engine here is pure: dataclasses go in, results come out; no database, no request.

- `constants`: agency types, hazard categories, instrument kinds, quality documents, staff
  roles and certificates (each with a lazily translated label), the thresholds and the
  table of required instruments.
- `rules`: `evaluate(application, on)` -> a `Checklist` with one `RuleResult` per
  requirement (pass / fail / expiring / not applicable, with the reason in words), and
  `upcoming_expiries(application, on)` for the reminder sweep.
- `staff_rules`: `evaluate_staff(person, on)` -> `StaffCompliance` (certificates,
  experience, pre-job and continuing training, the annual examination).
- `advertising`: `find_forbidden(text, extra_phrases)` -> the absolute claims a member's
  public profile text may not contain.

Reasons are English msgids passed through flask_babel's gettext when a rule is evaluated,
so they come out in the language of the current request (zh-CN by default); outside any
Flask context they come out in English.
"""
