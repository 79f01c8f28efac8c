"""Inspections (SPEC section 7, 双随机 一公开): each year at least 20% of active members,
drawn at random, each with inspectors drawn at random from the pool, none tied to it.

- `models`; `draw` (the procedure, pure, reproducible from the published seed);
- `services` (the pool, the draw, the results); `views` (blueprint `inspections`, with the
  public draw pages and downloads); `cli` (`flask inspections redraw --year`);
- results feed the rating's service quality (`portal.ratings.services.gather`).
"""
