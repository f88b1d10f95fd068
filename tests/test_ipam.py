"""Unit tests of kleene.ipam, run against the memory and the SQLite range store."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
from netaddr import IPAddress

from kleene.errors import AddressUnavailable, Conflict, PoolExhausted, StateError
from kleene.ipam import (
    MemoryRanges,
    RangeStore,
    allocate,
    create_pool,
    drop_pool,
    is_free,
    pool_bounds,
    release,
    reserve,
)
from kleene.store.ranges import RANGES_SCHEMA, SqliteRanges, decode, encode

POOL = "net1/4"


def ip(text: str) -> int:
    return int(IPAddress(text))


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest) -> Iterator[RangeStore]:
    if request.param == "memory":
        yield MemoryRanges()
        return
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.executescript(RANGES_SCHEMA)
    yield SqliteRanges(conn)
    conn.close()


def subnet_pool(store: RangeStore, cidr: str, pool: str = POOL) -> tuple[int, int]:
    bounds = pool_bounds(cidr)
    assert bounds is not None
    create_pool(store, pool, *bounds)
    return bounds


# pool_bounds


def test_pool_bounds_of_ipv4_subnet_excludes_network_and_broadcast() -> None:
    assert pool_bounds("10.0.0.0/24") == (ip("10.0.0.1"), ip("10.0.0.254"))


def test_pool_bounds_of_slash_30_holds_two_addresses() -> None:
    assert pool_bounds("172.19.0.0/30") == (ip("172.19.0.1"), ip("172.19.0.2"))


def test_pool_bounds_of_slash_31_holds_the_address_after_the_network() -> None:
    # SPEC §4.9: the broadcast is excluded only up to /30, so a /31 keeps .1.
    assert pool_bounds("10.0.0.0/31") == (ip("10.0.0.1"), ip("10.0.0.1"))


@pytest.mark.parametrize("cidr", ["10.0.0.7/32", "fd00::7/128"])
def test_pool_bounds_of_single_address_block_is_empty(cidr: str) -> None:
    assert pool_bounds(cidr) is None


def test_pool_bounds_of_ipv6_subnet_keeps_the_last_address() -> None:
    first, last = pool_bounds("fd00:1::/64") or (0, 0)
    assert first == ip("fd00:1::1")
    assert last == ip("fd00:1::ffff:ffff:ffff:ffff")
    assert last - first == 2**64 - 2


# allocate


def test_allocate_returns_addresses_lowest_first(store: RangeStore) -> None:
    subnet_pool(store, "10.4.6.0/24")
    got = [allocate(store, POOL) for _ in range(3)]
    assert got == [ip("10.4.6.1"), ip("10.4.6.2"), ip("10.4.6.3")]


def test_allocate_in_slash_30_gives_two_addresses_then_raises(
    store: RangeStore,
) -> None:
    subnet_pool(store, "172.19.0.0/30")
    assert allocate(store, POOL) == ip("172.19.0.1")
    assert allocate(store, POOL) == ip("172.19.0.2")
    with pytest.raises(PoolExhausted, match="net1/4"):
        allocate(store, POOL)


def test_allocate_in_slash_31_gives_one_address(store: RangeStore) -> None:
    subnet_pool(store, "10.0.0.0/31")
    assert allocate(store, POOL) == ip("10.0.0.1")
    with pytest.raises(PoolExhausted):
        allocate(store, POOL)


def test_allocate_when_pool_is_full_keeps_it_known(store: RangeStore) -> None:
    create_pool(store, POOL, 5, 5)
    allocate(store, POOL)
    with pytest.raises(PoolExhausted):
        allocate(store, POOL)
    release(store, POOL, 5)
    assert allocate(store, POOL) == 5


def test_allocate_in_ipv6_slash_64_uses_exact_integers(store: RangeStore) -> None:
    _, last = subnet_pool(store, "fd00:1::/64", "net1/6")
    assert allocate(store, "net1/6") == ip("fd00:1::1")
    reserve(store, "net1/6", last)
    assert not is_free(store, "net1/6", last)
    assert is_free(store, "net1/6", last - 1)
    assert allocate(store, "net1/6") == ip("fd00:1::2")


def test_allocate_in_ipv6_slash_48_skips_past_reserved_run(store: RangeStore) -> None:
    first, last = subnet_pool(store, "2001:db8:42::/48", "net1/6")
    for address in range(first, first + 3):
        reserve(store, "net1/6", address)
    assert allocate(store, "net1/6") == first + 3
    assert last == ip("2001:db8:42:ffff:ffff:ffff:ffff:ffff")


def test_allocate_at_the_top_of_ipv6_space(store: RangeStore) -> None:
    first, last = subnet_pool(store, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fff0/124")
    assert last == 2**128 - 1
    for address in range(first, last):
        reserve(store, POOL, address)
    with pytest.raises(PoolExhausted):
        allocate(store, POOL, skip={last})
    assert allocate(store, POOL) == last


def test_allocate_skips_addresses_without_consuming_them(store: RangeStore) -> None:
    subnet_pool(store, "10.0.2.0/24")
    host = {ip("10.0.2.1"), ip("10.0.2.2"), ip("10.0.2.15")}
    assert allocate(store, POOL, skip=host) == ip("10.0.2.3")
    assert all(is_free(store, POOL, address) for address in host)
    assert allocate(store, POOL) == ip("10.0.2.1")


def test_allocate_skips_to_the_next_free_range(store: RangeStore) -> None:
    create_pool(store, POOL, 1, 10)
    reserve(store, POOL, 3)
    assert allocate(store, POOL, skip=[1, 2, 4]) == 5


def test_allocate_when_only_skipped_addresses_are_left_raises(
    store: RangeStore,
) -> None:
    create_pool(store, POOL, 1, 3)
    reserve(store, POOL, 2)
    with pytest.raises(PoolExhausted):
        allocate(store, POOL, skip=(1, 3))


def test_allocate_in_unknown_pool_raises_state_error(store: RangeStore) -> None:
    with pytest.raises(StateError, match="nope/4"):
        allocate(store, "nope/4")


# reserve


def test_reserve_splits_the_free_range(store: RangeStore) -> None:
    create_pool(store, POOL, 1, 10)
    reserve(store, POOL, 5)
    assert store.next_free(POOL, 0) == (1, 4)
    assert store.next_free(POOL, 5) == (6, 10)
    assert [allocate(store, POOL) for _ in range(5)] == [1, 2, 3, 4, 6]


def test_reserve_at_the_edges_shrinks_the_range(store: RangeStore) -> None:
    create_pool(store, POOL, 1, 10)
    reserve(store, POOL, 1)
    reserve(store, POOL, 10)
    assert store.next_free(POOL, 0) == (2, 9)
    assert store.next_free(POOL, 10) is None


def test_reserve_of_used_address_raises(store: RangeStore) -> None:
    create_pool(store, POOL, 1, 10)
    reserve(store, POOL, 4)
    with pytest.raises(AddressUnavailable, match="already used"):
        reserve(store, POOL, 4)


@pytest.mark.parametrize("address", [-1, 0, 11, 2**128])
def test_reserve_outside_the_pool_raises(store: RangeStore, address: int) -> None:
    create_pool(store, POOL, 1, 10)
    with pytest.raises(AddressUnavailable, match="outside"):
        reserve(store, POOL, address)


def test_reserve_in_unknown_pool_raises_state_error(store: RangeStore) -> None:
    with pytest.raises(StateError):
        reserve(store, "nope/4", 1)


# release


def test_release_merges_with_both_neighbours(store: RangeStore) -> None:
    create_pool(store, POOL, 1, 10)
    reserve(store, POOL, 5)
    release(store, POOL, 5)
    assert store.next_free(POOL, 0) == (1, 10)
    assert store.next_free(POOL, 11) is None


def test_release_merges_with_one_neighbour(store: RangeStore) -> None:
    create_pool(store, POOL, 1, 10)
    for address in (4, 5, 6):
        reserve(store, POOL, address)
    release(store, POOL, 4)
    assert store.next_free(POOL, 0) == (1, 4)
    release(store, POOL, 6)
    assert store.next_free(POOL, 5) == (6, 10)


def test_release_of_isolated_address_adds_a_range(store: RangeStore) -> None:
    create_pool(store, POOL, 1, 10)
    for _ in range(10):
        allocate(store, POOL)
    release(store, POOL, 7)
    assert store.next_free(POOL, 0) == (7, 7)


def test_released_address_is_allocated_first(store: RangeStore) -> None:
    subnet_pool(store, "10.0.0.0/24")
    for _ in range(4):
        allocate(store, POOL)
    release(store, POOL, ip("10.0.0.2"))
    assert allocate(store, POOL) == ip("10.0.0.2")
    assert allocate(store, POOL) == ip("10.0.0.5")


@pytest.mark.parametrize("address", [0, 3, 11])
def test_release_of_free_or_foreign_address_is_a_no_op(
    store: RangeStore, address: int
) -> None:
    create_pool(store, POOL, 1, 10)
    release(store, POOL, address)
    release(store, "nope/4", address)
    assert store.next_free(POOL, 0) == (1, 10)
    assert store.next_free(POOL, 11) is None


# pools


def test_create_pool_twice_raises(store: RangeStore) -> None:
    create_pool(store, POOL, 1, 10)
    with pytest.raises(Conflict):
        create_pool(store, POOL, 1, 10)


@pytest.mark.parametrize("bounds", [(5, 4), (-1, 3), (1, 2**128)])
def test_create_pool_with_invalid_bounds_raises(
    store: RangeStore, bounds: tuple[int, int]
) -> None:
    with pytest.raises(ValueError):
        create_pool(store, POOL, *bounds)


def test_drop_pool_forgets_it_and_leaves_others(store: RangeStore) -> None:
    create_pool(store, POOL, 1, 10)
    create_pool(store, "net2/4", 1, 10)
    allocate(store, POOL)
    drop_pool(store, POOL)
    drop_pool(store, POOL)
    assert store.bounds(POOL) is None
    assert allocate(store, "net2/4") == 1
    create_pool(store, POOL, 1, 10)
    assert allocate(store, POOL) == 1


def test_pools_are_independent(store: RangeStore) -> None:
    create_pool(store, "a/4", 1, 10)
    create_pool(store, "b/4", 1, 10)
    reserve(store, "a/4", 1)
    assert allocate(store, "b/4") == 1
    assert allocate(store, "a/4") == 2


def test_is_free_outside_the_pool_is_false(store: RangeStore) -> None:
    create_pool(store, POOL, 1, 10)
    assert not is_free(store, POOL, 0)
    assert not is_free(store, POOL, 11)
    assert is_free(store, POOL, 10)


# the SQLite encoding


@pytest.mark.parametrize("address", [0, 1, 2**32, 2**64 + 5, 2**128 - 1])
def test_encode_is_fixed_width_and_round_trips(address: int) -> None:
    text = encode(address)
    assert len(text) == 32
    assert text == text.lower()
    assert decode(text) == address


def test_encode_orders_like_integers() -> None:
    addresses = [0, 9, 10, 255, 2**32 - 1, 2**32, 2**127, 2**128 - 1]
    assert sorted(addresses, key=encode) == addresses


@pytest.mark.parametrize("address", [-1, 2**128])
def test_encode_outside_128_bits_raises(address: int) -> None:
    with pytest.raises(ValueError):
        encode(address)


def test_sqlite_lookups_search_an_index() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.executescript(RANGES_SCHEMA)
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    store = SqliteRanges(conn)
    create_pool(store, POOL, 1, 10)
    reserve(store, POOL, 5)
    allocate(store, POOL, skip={1})
    release(store, POOL, 5)
    is_free(store, POOL, 9)
    conn.set_trace_callback(None)

    lookups = {sql for sql in statements if sql.startswith(("SELECT", "DELETE"))}
    assert len(lookups) >= 5
    for sql in lookups:
        plan = conn.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()
        detail = " ".join(str(row[-1]) for row in plan)
        assert "SEARCH" in detail, sql
        assert "SCAN" not in detail, sql
        assert "TEMP B-TREE" not in detail, sql
    conn.close()
