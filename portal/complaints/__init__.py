"""Complaints about member agencies, with working-day deadlines (SPEC section 2).

- `constants`, `states` (the state machine table), `models`, `receipts` (tracking numbers,
  receipt codes, submission keys);
- `services/`: `intake` (filing), `workflow` (the secretariat's actions, material, the
  agency's response), `deadlines` (working-day clocks, pauses, calendar changes),
  `tracking` (what the complainant sees), `identity` (masking and revealing), `queries`
  (the dashboard's queues), `stats` (public statistics), `notices`, `access`, `timeline`;
- `tasks`: the `complaints.deadline_watch` sweep; `charts`: the statistics chart;
- `views/`: pages (blueprint `complaints`); the JSON API is `portal/api/complaints/`;
- `demo`: demo complaints in every state.
"""
