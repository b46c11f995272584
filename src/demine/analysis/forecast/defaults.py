"""Defaults of the completion forecast (light: the command line shows them in its help)."""

from __future__ import annotations

#: Weeks of land release the recent rate is measured on.
DEFAULT_WEEKS = 26
