"""The committees: the self-regulation (discipline), appeal and mediation committees, their
seats and their members' ties to agencies; motions put to their vote, the electorate, the
votes and the results.

- `roster`: committees, seats, the composition rule; `ties`: members' ties to agencies;
- `motions`: drafting, opening (`open_motion` for other domains), withdrawing, closing;
- `voting`: `can_vote`, casting a vote, recusal, what each person may see;
- `hooks`: `on_motion_closed(subject_type, callback)` for the domains acting on results;
- `tasks`: the closing and reminder sweeps; `rules`: the arithmetic, pure.
"""
