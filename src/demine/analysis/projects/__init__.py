"""Development projects at risk from contamination, and their ranking for tasking.

See ``docs/forecast.md`` for the method.
"""
