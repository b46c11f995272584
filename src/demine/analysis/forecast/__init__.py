"""Completion forecasts of known hazardous area, and the evidence of what they miss.

See ``docs/forecast.md`` for the method.
"""
