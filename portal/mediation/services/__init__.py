"""Services of mediation: each takes an explicit actor, never commits, audits every change."""
