"""The free ranges of address pools in SQLite: the ``RangeStore`` of ``kleene.ipam``.

Tables (``RANGES_SCHEMA``, created by the store's migration 1):

- ``address_pools (pool, first, last)``: one row per pool, so that a pool with
  no free address left is still known to exist;
- ``free_ranges (pool, lo, hi)``: the disjoint free ranges of each pool, keyed
  by ``(pool, lo)`` and indexed by ``(pool, hi)``.

SQLite integers stop at 64 bits and IPv6 addresses need 128, so every address
is stored as 32 lowercase hex digits: text order is then numeric order, and
both indexes serve range look-ups in O(log n).

``SqliteRanges`` only reads and writes rows. It never begins or commits a
transaction: the caller holds one ``BEGIN IMMEDIATE`` transaction around the
allocation and the rows that use it (SPEC §4.16).
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from kleene.ipam import MAX_ADDRESS, FreeRange

logger = logging.getLogger(__name__)

RANGES_SCHEMA = """
CREATE TABLE address_pools (
    pool TEXT PRIMARY KEY,
    first TEXT NOT NULL,
    last TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE free_ranges (
    pool TEXT NOT NULL REFERENCES address_pools (pool),
    lo TEXT NOT NULL,
    hi TEXT NOT NULL,
    PRIMARY KEY (pool, lo)
) WITHOUT ROWID;
CREATE UNIQUE INDEX free_ranges_by_hi ON free_ranges (pool, hi);
"""


def encode(address: int) -> str:
    """Return an address as 32 lowercase hex digits, ordered like the integer."""
    if not 0 <= address <= MAX_ADDRESS:
        raise ValueError(f"address {address} does not fit in 128 bits")
    return f"{address:032x}"


def decode(text: str) -> int:
    """Return the address stored as hex text."""
    return int(text, 16)


class SqliteRanges:
    """A ``RangeStore`` on an open connection, inside the caller's transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def bounds(self, pool: str) -> tuple[int, int] | None:
        """Return ``(first, last)`` of a pool, or None when it is unknown."""
        row = self._one("SELECT first, last FROM address_pools WHERE pool = ?", pool)
        return None if row is None else (decode(row[0]), decode(row[1]))

    def add_pool(self, pool: str, first: int, last: int) -> None:
        """Record a new pool and its bounds, with no free range yet."""
        self.conn.execute(
            "INSERT INTO address_pools (pool, first, last) VALUES (?, ?, ?)",
            (pool, encode(first), encode(last)),
        )

    def drop(self, pool: str) -> None:
        """Forget a pool and all its free ranges."""
        self.conn.execute("DELETE FROM free_ranges WHERE pool = ?", (pool,))
        self.conn.execute("DELETE FROM address_pools WHERE pool = ?", (pool,))

    def next_free(self, pool: str, start: int) -> FreeRange | None:
        """Return the lowest free range that ends at or after ``start``."""
        return self._range(
            "SELECT lo, hi FROM free_ranges WHERE pool = ? AND hi >= ? "
            "ORDER BY hi LIMIT 1",
            pool,
            max(start, 0),
        )

    def ending_at(self, pool: str, hi: int) -> FreeRange | None:
        """Return the free range whose last address is ``hi``."""
        return self._range(
            "SELECT lo, hi FROM free_ranges WHERE pool = ? AND hi = ?", pool, hi
        )

    def add(self, pool: str, lo: int, hi: int) -> None:
        """Record a free range that overlaps no other."""
        self.conn.execute(
            "INSERT INTO free_ranges (pool, lo, hi) VALUES (?, ?, ?)",
            (pool, encode(lo), encode(hi)),
        )

    def remove(self, pool: str, lo: int) -> None:
        """Delete the free range that starts at ``lo``."""
        self.conn.execute(
            "DELETE FROM free_ranges WHERE pool = ? AND lo = ?", (pool, encode(lo))
        )

    def _range(self, query: str, pool: str, address: int) -> FreeRange | None:
        if address > MAX_ADDRESS or address < 0:
            return None
        row = self._one(query, pool, encode(address))
        return None if row is None else FreeRange(decode(row[0]), decode(row[1]))

    def _one(self, query: str, *args: str) -> Any:
        return self.conn.execute(query, args).fetchone()
