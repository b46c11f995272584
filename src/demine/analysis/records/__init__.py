"""Verifying handed-over minefield records against clearance results and accidents.

See ``docs/records-verification.md`` for what is measured and how verdicts are reached:
:mod:`.verify` holds the entry points, :mod:`.thresholds` the criteria.
"""
