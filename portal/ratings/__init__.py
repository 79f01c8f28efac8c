"""Ratings and credit (SPEC section 5): yearly figures, the score, stars and credit grade.

- `constants` (the published numbers), `rules` (the formula, pure), `models`;
- `services/`: `figures` (filing, validation, correction), `gather` (every fact for all
  members in a handful of aggregate queries), `compute` (the yearly run, idempotent and
  audited), `queries` (public list, history, CSV), `anomalies` (the anomaly watch);
- `sources`: the discipline and publication facts, read lazily;
- `presenters` (the stored figures in words), `charts` (history chart, pygal), `forms`;
- `views/` (blueprint `ratings`), `tasks` (`ratings.yearly`), `cli` (`flask ratings compute`);
  the JSON API is `portal/api/ratings/`; `demo`: figures and ratings of the demo members.
"""
