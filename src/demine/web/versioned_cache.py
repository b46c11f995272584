"""Things made from the register, kept in the process while the register is unchanged.

Every entry belongs to one data version of the register
(:func:`demine.store.data_version.data_version`, raised by triggers on every write):
once something of a newer version is asked for or kept, every older entry is dropped,
so nothing kept outlives an approval, an edit or a deletion. Bounded by a total weight
(a count by default, or bytes), the least recently used dropped first. Safe to share
between a server's request threads: threads asking at once for a value not yet kept
wait for the one thread making it rather than each making it again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def _one(_value: object) -> int:
    return 1


class VersionedCache(Generic[K, V]):
    """Values of the register's latest data version seen, least recently used dropped
    first once their total weight passes ``limit``."""

    def __init__(self, limit: int, weight: Callable[[V], int] = _one) -> None:
        self.limit = limit
        self._weight = weight
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._total = 0
        self._version = -1
        self._lock = threading.Lock()
        #: Values being made, by version and key: the threads asking meanwhile wait.
        self._making: dict[tuple[int, K], threading.Event] = {}

    def get(self, version: int, key: K) -> V | None:
        """The value kept for ``key`` at ``version``, or None."""
        with self._lock:
            return self._found(version, key)

    def _found(self, version: int, key: K) -> V | None:
        """:meth:`get`, the lock held."""
        self._see(version)
        found = self._entries.get(key)
        if found is not None and version == self._version:
            self._entries.move_to_end(key)
            return found
        return None

    def put(self, version: int, key: K, value: V) -> None:
        """Keep ``value`` (not when a newer version was seen meanwhile, or ``key`` is kept)."""
        with self._lock:
            self._see(version)
            if version != self._version or key in self._entries:
                return
            self._entries[key] = value
            self._total += self._weight(value)
            while self._total > self.limit and self._entries:
                _, dropped = self._entries.popitem(last=False)
                self._total -= self._weight(dropped)

    def get_or_make(self, version: int, key: K, make: Callable[[], V]) -> V:
        """The value kept for ``key``, else made by ``make`` (outside the lock) and kept.

        While one thread makes it, others asking for the same version and key wait for
        it; if making fails or its value cannot be kept, the next of them makes it.
        """
        while True:
            with self._lock:
                found = self._found(version, key)
                if found is not None:
                    return found
                pending = self._making.get((version, key))
                if pending is None:
                    making = self._making[(version, key)] = threading.Event()
                    break
            pending.wait()
        try:
            made = make()
            self.put(version, key, made)
            return made
        finally:
            with self._lock:
                del self._making[(version, key)]
            making.set()

    @property
    def weight(self) -> int:
        """The total weight held."""
        return self._total

    def __len__(self) -> int:
        return len(self._entries)

    def _see(self, version: int) -> None:
        if version > self._version:
            self._entries.clear()
            self._total = 0
            self._version = version
