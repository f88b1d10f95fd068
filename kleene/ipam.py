"""Address allocation: allocate / reserve / release over pools of free ranges.

A *pool* is the allocatable part of one subnet, named by a ``pool_id`` string
(the engine uses ``"<network-id>/4"`` and ``"<network-id>/6"``) and covering
the inclusive integer range ``[first, last]`` (``pool_bounds`` computes it from
a CIDR block, SPEC §4.9). Addresses are plain ``int`` values, 128 bits wide for
IPv6, so no arithmetic here ever goes through floating point.

The free part of a pool is kept as disjoint *free ranges* ``(lo, hi)``, not as
a list of used addresses. Allocating the lowest address takes the free range
with the smallest ``lo``; ``reserve`` splits the range that holds the address;
``release`` merges the address with the range that ends just below it and the
one that starts just above it. Each step is a few indexed look-ups, so its cost
does not grow with the number of addresses in use.

The allocator is pure logic over a ``RangeStore``, a handful of primitive
operations. ``MemoryRanges`` below keeps them in sorted lists;
``kleene.store.ranges.SqliteRanges`` keeps them in the engine's SQLite file,
inside the caller's ``BEGIN IMMEDIATE`` transaction (SPEC §4.16).

Errors: ``PoolExhausted`` when nothing is left, ``AddressUnavailable`` for a
reserved address that is used or outside the pool, ``Conflict`` for a pool
created twice and ``StateError`` for a pool that the store does not know.
"""

from __future__ import annotations

import logging
from bisect import bisect_left
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from kleene.errors import (
    AddressUnavailable,
    Conflict,
    PoolExhausted,
    StateError,
)

logger = logging.getLogger(__name__)

MAX_ADDRESS = 2**128 - 1


class FreeRange(NamedTuple):
    """An inclusive run of free addresses, ``lo <= hi``."""

    lo: int
    hi: int


class RangeStore(Protocol):
    """The primitive operations the allocator needs from its storage."""

    def bounds(self, pool: str) -> tuple[int, int] | None:
        """Return ``(first, last)`` of a pool, or None when it is unknown."""
        ...

    def add_pool(self, pool: str, first: int, last: int) -> None:
        """Record a new pool and its bounds, with no free range yet."""
        ...

    def drop(self, pool: str) -> None:
        """Forget a pool and all its free ranges."""
        ...

    def next_free(self, pool: str, start: int) -> FreeRange | None:
        """Return the lowest free range that ends at or after ``start``."""
        ...

    def ending_at(self, pool: str, hi: int) -> FreeRange | None:
        """Return the free range whose last address is ``hi``."""
        ...

    def add(self, pool: str, lo: int, hi: int) -> None:
        """Record a free range that overlaps no other."""
        ...

    def remove(self, pool: str, lo: int) -> None:
        """Delete the free range that starts at ``lo``."""
        ...


@dataclass
class _MemoryPool:
    first: int
    last: int
    los: list[int] = field(default_factory=list)
    his: list[int] = field(default_factory=list)


class MemoryRanges:
    """A ``RangeStore`` in memory: per pool, parallel sorted lists of lo and hi."""

    def __init__(self) -> None:
        self._pools: dict[str, _MemoryPool] = {}

    def bounds(self, pool: str) -> tuple[int, int] | None:
        """Return ``(first, last)`` of a pool, or None when it is unknown."""
        found = self._pools.get(pool)
        return None if found is None else (found.first, found.last)

    def add_pool(self, pool: str, first: int, last: int) -> None:
        """Record a new pool and its bounds, with no free range yet."""
        self._pools[pool] = _MemoryPool(first, last)

    def drop(self, pool: str) -> None:
        """Forget a pool and all its free ranges."""
        self._pools.pop(pool, None)

    def next_free(self, pool: str, start: int) -> FreeRange | None:
        """Return the lowest free range that ends at or after ``start``."""
        ranges = self._pools.get(pool)
        if ranges is None:
            return None
        index = bisect_left(ranges.his, start)
        if index == len(ranges.his):
            return None
        return FreeRange(ranges.los[index], ranges.his[index])

    def ending_at(self, pool: str, hi: int) -> FreeRange | None:
        """Return the free range whose last address is ``hi``."""
        ranges = self._pools.get(pool)
        if ranges is None:
            return None
        index = bisect_left(ranges.his, hi)
        if index == len(ranges.his) or ranges.his[index] != hi:
            return None
        return FreeRange(ranges.los[index], hi)

    def add(self, pool: str, lo: int, hi: int) -> None:
        """Record a free range that overlaps no other."""
        ranges = self._pools[pool]
        index = bisect_left(ranges.los, lo)
        ranges.los.insert(index, lo)
        ranges.his.insert(index, hi)

    def remove(self, pool: str, lo: int) -> None:
        """Delete the free range that starts at ``lo``."""
        ranges = self._pools[pool]
        index = bisect_left(ranges.los, lo)
        if index < len(ranges.los) and ranges.los[index] == lo:
            del ranges.los[index]
            del ranges.his[index]


def pool_bounds(cidr: str) -> tuple[int, int] | None:
    """Return the allocatable ``(first, last)`` of a subnet, or None if empty."""
    from netaddr import IPNetwork

    network = IPNetwork(cidr)
    first = int(network.first) + 1
    last = int(network.last)
    if network.version == 4 and network.prefixlen <= 30:
        last -= 1
    return (first, last) if first <= last else None


def create_pool(store: RangeStore, pool_id: str, first: int, last: int) -> None:
    """Create a pool whose addresses ``first`` to ``last`` are all free."""
    if not 0 <= first <= last <= MAX_ADDRESS:
        raise ValueError(f"pool {pool_id} has invalid bounds {first}..{last}")
    if store.bounds(pool_id) is not None:
        raise Conflict(f"address pool {pool_id} already exists")

    store.add_pool(pool_id, first, last)
    store.add(pool_id, first, last)
    logger.debug("created pool %s: %s..%s", pool_id, first, last)


def drop_pool(store: RangeStore, pool_id: str) -> None:
    """Remove a pool with all its allocations; an unknown pool is ignored."""
    store.drop(pool_id)
    logger.debug("dropped pool %s", pool_id)


def allocate(store: RangeStore, pool_id: str, skip: Collection[int] = ()) -> int:
    """Take the lowest free address of a pool that is not in ``skip``."""
    start = 0
    while True:
        free = store.next_free(pool_id, start)
        if free is None:
            _require_pool(store, pool_id)
            raise PoolExhausted(f"no free address is left in pool {pool_id}")
        address = max(free.lo, start)
        if address not in skip:
            break
        # Skipped addresses stay free: look again just above this one.
        start = address + 1

    _take(store, pool_id, free, address)
    logger.debug("allocated %s in pool %s", address, pool_id)
    return address


def reserve(store: RangeStore, pool_id: str, address: int) -> None:
    """Mark one given address of a pool as used."""
    free = store.next_free(pool_id, address)
    if free is None or free.lo > address:
        first, last = _require_pool(store, pool_id)
        if not first <= address <= last:
            raise AddressUnavailable(
                f"address {address} is outside pool {pool_id} ({first}..{last})"
            )
        raise AddressUnavailable(f"address {address} is already used in {pool_id}")

    _take(store, pool_id, free, address)
    logger.debug("reserved %s in pool %s", address, pool_id)


def release(store: RangeStore, pool_id: str, address: int) -> None:
    """Mark an address of a pool free again; a free or foreign one is ignored."""
    bounds = store.bounds(pool_id)
    if bounds is None or not bounds[0] <= address <= bounds[1]:
        logger.debug("release of %s: not in pool %s, ignored", address, pool_id)
        return
    above = store.next_free(pool_id, address)
    if above is not None and above.lo <= address:
        logger.debug("release of %s: already free in %s, ignored", address, pool_id)
        return

    lo = hi = address
    below = store.ending_at(pool_id, address - 1)
    if below is not None:
        store.remove(pool_id, below.lo)
        lo = below.lo
    # ``above`` is the next free range; it touches the address only if adjacent.
    if above is not None and above.lo == address + 1:
        store.remove(pool_id, above.lo)
        hi = above.hi
    store.add(pool_id, lo, hi)
    logger.debug("released %s in pool %s", address, pool_id)


def is_free(store: RangeStore, pool_id: str, address: int) -> bool:
    """Tell whether an address of a pool is free."""
    free = store.next_free(pool_id, address)
    if free is None:
        _require_pool(store, pool_id)
        return False
    return free.lo <= address


def _require_pool(store: RangeStore, pool_id: str) -> tuple[int, int]:
    bounds = store.bounds(pool_id)
    if bounds is None:
        raise StateError(
            f"address pool {pool_id} is not in the store; remove and recreate "
            "its network"
        )
    return bounds


def _take(store: RangeStore, pool_id: str, free: FreeRange, address: int) -> None:
    """Split ``free`` around ``address``, which it must contain."""
    store.remove(pool_id, free.lo)
    if free.lo < address:
        store.add(pool_id, free.lo, address - 1)
    if address < free.hi:
        store.add(pool_id, address + 1, free.hi)
