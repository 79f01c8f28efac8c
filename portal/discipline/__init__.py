"""Graded discipline and appeals (SPEC section 4): cases, decisions, appeals, effects and
personal-data breach reports. See `states.py` for the state machines."""
