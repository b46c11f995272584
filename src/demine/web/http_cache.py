"""Conditional requests and a small in-process cache for answers made of register data.

An answer is tagged (a strong ``ETag``) with the data version it was made from
(:func:`demine.store.data_version.data_version`, raised by triggers on every write),
who it was made for (the caller's roles decide which collections and free text it
shows), the reader's language and the request (path, query, format). A client that
sends the tag back in ``If-None-Match`` gets ``304 Not Modified`` while nothing has
been written. The same key finds the answer in :class:`ResponseCache`, so an answer is
never served to a caller of other roles than the one it was built for, nor after a
write.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable
from dataclasses import dataclass

from demine.domain.access import Principal, Role
from demine.web.versioned_cache import VersionedCache

#: Bytes of answers kept per process, and the largest answer kept.
CACHE_BYTES = 32 * 1024 * 1024
LARGEST_CACHED = 2 * 1024 * 1024


@dataclass(frozen=True)
class Stored:
    """An answer as it was sent."""

    status: int
    media_type: str
    body: bytes


@dataclass(frozen=True)
class Tagged:
    """What tags and finds an answer: its cache key and its entity tag."""

    key: tuple[Hashable, ...]
    etag: str
    version: int


def audience(principal: Principal) -> str:
    """Who an answer is for, as far as its content can differ: the caller's roles."""
    return ",".join(sorted(role.value for role in principal.roles))


def is_public(principal: Principal) -> bool:
    return principal.roles <= {Role.PUBLIC}


def tagged(version: int, principal: Principal, locale: str, *request: str) -> Tagged:
    """The key and strong entity tag of the answer to ``request`` for ``principal``."""
    key = (audience(principal), locale, *request)
    digest = hashlib.sha256("\x1f".join(key).encode()).hexdigest()[:20]
    return Tagged((version, *key), f'"{version}-{digest}"', version)


def cache_control(principal: Principal) -> str:
    """Answers for the public may be kept by shared caches; others by the caller's own
    only. Both revalidate (the tag makes that a 304 while nothing changed)."""
    return "public, no-cache" if is_public(principal) else "private, no-cache"


def not_modified(if_none_match: str | None, etag: str) -> bool:
    """Whether ``If-None-Match`` names ``etag`` (weak comparison, as RFC 9110 wants)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    names = {name.strip().removeprefix("W/") for name in if_none_match.split(",")}
    return etag in names


class ResponseCache:
    """Recently sent answers, least recently used dropped first, bounded in bytes.

    Entries are keyed by :class:`Tagged` keys, which start with the data version: once
    an answer of a newer version is asked for, every older entry is dropped
    (:class:`~demine.web.versioned_cache.VersionedCache`).
    """

    def __init__(self, max_bytes: int = CACHE_BYTES, largest: int = LARGEST_CACHED) -> None:
        self.max_bytes = max_bytes
        self.largest = min(largest, max_bytes)
        self._answers: VersionedCache[tuple[Hashable, ...], Stored] = VersionedCache(
            max_bytes, weight=lambda stored: len(stored.body)
        )

    def get(self, tag: Tagged) -> Stored | None:
        return self._answers.get(tag.version, tag.key)

    def put(self, tag: Tagged, stored: Stored) -> None:
        if len(stored.body) <= self.largest:
            self._answers.put(tag.version, tag.key, stored)

    @property
    def size(self) -> int:
        """Bytes held."""
        return self._answers.weight

    def __len__(self) -> int:
        return len(self._answers)
