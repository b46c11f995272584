"""What the web keeps between requests holds one data version of the register."""

from __future__ import annotations

import threading

import pytest

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


def test_threads_asking_at_once_wait_for_the_one_making_the_value() -> None:
    cache: VersionedCache[str, str] = VersionedCache(limit=4)
    started = threading.Event()
    release = threading.Event()
    made: list[str] = []

    def slow() -> str:
        made.append("slow")
        started.set()
        release.wait(5)
        return "made once"

    answers: list[str] = []
    first = threading.Thread(target=lambda: answers.append(cache.get_or_make(1, "a", slow)))
    first.start()
    started.wait(5)
    second = threading.Thread(
        target=lambda: answers.append(
            cache.get_or_make(1, "a", lambda: made.append("again") or "x")
        )
    )
    second.start()
    second.join(0.2)
    assert second.is_alive()  # waiting for the first thread, not making its own
    release.set()
    first.join(5)
    second.join(5)
    assert answers == ["made once", "made once"] and made == ["slow"]


def test_when_making_fails_the_next_thread_makes_it() -> None:
    cache: VersionedCache[str, str] = VersionedCache(limit=4)

    def failing() -> str:
        raise RuntimeError("the register could not be read")

    with pytest.raises(RuntimeError, match="could not be read"):
        cache.get_or_make(1, "a", failing)
    assert cache.get_or_make(1, "a", lambda: "made") == "made"
