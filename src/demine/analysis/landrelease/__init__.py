"""Land-release accounting: what remains hazardous on any day, what was released, how fast.

See ``docs/forecast.md`` for how the remaining area is computed.
"""
