"""Property tests of kleene.ipam: any sequence of operations matches a set model.

The model is the set of used addresses; the lowest free address is found by a
plain scan of the pool. Both range stores run the same sequences.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kleene.errors import AddressUnavailable, PoolExhausted
from kleene.ipam import (
    MemoryRanges,
    RangeStore,
    allocate,
    create_pool,
    is_free,
    pool_bounds,
    release,
    reserve,
)
from kleene.store.ranges import RANGES_SCHEMA, SqliteRanges

POOL = "net/x"

# Small pools, so that sequences fill them; the IPv6 ones sit at 128-bit
# offsets, one of them at the very top of the address space.
SUBNETS = [
    "10.0.0.0/28",
    "172.19.0.0/30",
    "fd00:1::/124",
    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffe0/123",
]

Op = tuple[str, int, frozenset[int]]
StoreFactory = Callable[[], AbstractContextManager[RangeStore]]


@contextmanager
def memory_store() -> Iterator[RangeStore]:
    yield MemoryRanges()


@contextmanager
def sqlite_store() -> Iterator[RangeStore]:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        conn.executescript(RANGES_SCHEMA)
        yield SqliteRanges(conn)
    finally:
        conn.close()


STORES = {"memory": memory_store, "sqlite": sqlite_store}


def operations(size: int) -> st.SearchStrategy[list[Op]]:
    """Draw operations on offsets from the pool's first address, some outside."""
    offset = st.integers(min_value=-2, max_value=size + 1)
    skip = st.frozensets(offset, max_size=4)
    op = st.tuples(st.sampled_from(["allocate", "reserve", "release"]), offset, skip)
    return st.lists(op, max_size=60)


class Model:
    """The used addresses of one pool, as a plain set."""

    def __init__(self, first: int, last: int) -> None:
        self.first = first
        self.last = last
        self.used: set[int] = set()

    def inside(self, address: int) -> bool:
        return self.first <= address <= self.last

    def lowest_free(self, skip: frozenset[int]) -> int | None:
        for address in range(self.first, self.last + 1):
            if address not in self.used and address not in skip:
                return address
        return None


def check_allocate(store: RangeStore, model: Model, skip: frozenset[int]) -> None:
    expected = model.lowest_free(skip)
    if expected is None:
        with pytest.raises(PoolExhausted):
            allocate(store, POOL, skip)
        return
    got = allocate(store, POOL, skip)
    assert model.inside(got)
    assert got not in model.used
    assert got not in skip
    assert got == expected
    model.used.add(got)


def check_reserve(store: RangeStore, model: Model, address: int) -> None:
    if not model.inside(address) or address in model.used:
        with pytest.raises(AddressUnavailable):
            reserve(store, POOL, address)
        return
    reserve(store, POOL, address)
    model.used.add(address)


def run(store: RangeStore, subnet: str, ops: list[Op]) -> None:
    bounds = pool_bounds(subnet)
    assert bounds is not None
    create_pool(store, POOL, *bounds)
    model = Model(*bounds)

    for name, offset, skip_offsets in ops:
        address = model.first + offset
        skip = frozenset(model.first + each for each in skip_offsets)
        if name == "allocate":
            check_allocate(store, model, skip)
        elif name == "reserve":
            check_reserve(store, model, address)
        else:
            release(store, POOL, address)
            model.used.discard(address)

    for address in range(model.first - 2, model.last + 3):
        assert is_free(store, POOL, address) == (
            model.inside(address) and address not in model.used
        )


@pytest.mark.parametrize("make_store", STORES.values(), ids=list(STORES))
@pytest.mark.parametrize("subnet", SUBNETS)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_any_operation_sequence_matches_the_set_model(
    make_store: StoreFactory,
    subnet: str,
    data: st.DataObject,
) -> None:
    bounds = pool_bounds(subnet)
    assert bounds is not None
    ops = data.draw(operations(bounds[1] - bounds[0]))
    with make_store() as store:
        run(store, subnet, ops)


@pytest.mark.parametrize("make_store", STORES.values(), ids=list(STORES))
@settings(max_examples=40, deadline=None)
@given(order=st.permutations(range(14)))
def test_releasing_everything_in_any_order_leaves_one_range(
    make_store: StoreFactory, order: list[int]
) -> None:
    with make_store() as store:
        create_pool(store, POOL, 100, 113)
        for _ in range(14):
            allocate(store, POOL)
        for offset in order:
            release(store, POOL, 100 + offset)
        assert store.next_free(POOL, 0) == (100, 113)
        assert store.next_free(POOL, 114) is None
