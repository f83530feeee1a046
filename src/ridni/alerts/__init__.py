"""Alerts for caseworkers: children at particular risk, recomputed in bulk once a day."""
