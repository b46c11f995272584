"""Aggregates, spatial checks and forecasts computed from the register."""
