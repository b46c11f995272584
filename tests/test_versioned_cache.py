"""What the web keeps between requests holds one data version of the register."""

from __future__ import annotations

from demine.web.versioned_cache import VersionedCache


def test_a_newer_version_empties_the_cache_and_an_older_one_is_not_kept() -> None:
    cache: VersionedCache[str, str] = VersionedCache(limit=2)
    cache.put(1, "a", "first")
    assert cache.get(1, "a") == "first"
    assert cache.get(2, "a") is None and len(cache) == 0
    cache.put(1, "a", "stale")  # made from the register before its last change
    assert len(cache) == 0
    made: list[str] = []
    assert cache.get_or_make(2, "a", lambda: made.append("a") or "second") == "second"
    assert cache.get_or_make(2, "a", lambda: made.append("a") or "third") == "second"
    assert made == ["a"]


def test_the_least_recently_used_go_first_past_the_weight() -> None:
    cache: VersionedCache[str, bytes] = VersionedCache(limit=10, weight=len)
    cache.put(1, "a", b"xxxx")
    cache.put(1, "b", b"yyyy")
    assert cache.get(1, "a") == b"xxxx"  # now the most recent
    cache.put(1, "c", b"zzzz")
    assert cache.get(1, "b") is None and cache.get(1, "a") == b"xxxx"
    assert cache.weight == 8
