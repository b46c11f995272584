"""Marking the words people read in the domain's descriptions, without translating them.

A kind's title and description and a field's help are shown on pages and forms in the
reader's language. The domain imports nothing of ours, so it only marks them here for the
catalogue's extractor (``N_`` is one of its keywords); the layer that shows them
translates them (``demine.i18n.gettext``).
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark ``message`` for the translation catalogue; it is returned unchanged."""
    return message
