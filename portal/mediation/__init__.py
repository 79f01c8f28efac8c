"""Mediation committee and case files (SPEC section 3).

- `states` (the case's state machine table), `rules` (the panel rules, pure), `models`;
- `services/`: `cases` (proposal, consent, opening), `panel` (proposal and changes),
  `sessions`, `documents` (append-only, SHA-256, versions), `outcome` (agreement with both
  confirmations, judicial mark, failure with the notice of the right to sue), `deadline`
  (first session within 3 working days of acceptance), `casefile` (what a reader may see),
  `access` (who may see and do what), `notices`, `timeline`;
- `tasks`: the `mediation.first_session_watch` sweep; `demo`: the demo case;
- `views/`: pages (blueprint `mediation`); the JSON API is `portal/api/mediation/`; the
  PDF export uses `portal/pdf.py`.
"""
