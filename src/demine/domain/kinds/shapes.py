"""Geometry types a kind's records may have (as shapely names them)."""

from __future__ import annotations

from demine.domain.rules import LINEAR, POLYGONAL, PUNCTUAL

__all__ = ["LINEAR", "POLYGONAL", "PUNCTUAL"]
