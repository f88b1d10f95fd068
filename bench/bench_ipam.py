"""Cost of address allocation in SQLite as a pool fills up.

Fills 10.0.0.0/16 through ``SqliteRanges`` on a temporary WAL database
(synchronous=NORMAL), each allocation in its own ``BEGIN IMMEDIATE``
transaction as the engine does, and prints:

- the median cost around the 100th and the 60,000th allocation, and their
  ratio (target <= 1.5: the cost does not grow with the addresses in use);
- the speed-up over a naive first-free scan of a table of used addresses, at
  30,000 addresses in use (target >= 20x);
- release and allocate costs in a pool cut into 30,000 free ranges (no target);
- the memory needed for the full /16 (target < 50 MB), as the tracemalloc peak
  of an extra fill and the growth of the process's RSS high-water mark.

The fill runs ``FILLS`` times on fresh databases and each figure is the best
of the runs' medians, so that a burst of load from other processes during one
window does not decide a verdict; every run's figure is printed too.

Run as ``python bench/bench_ipam.py``; it prints PASS or FAIL per target and
exits 0 either way.
"""

from __future__ import annotations

import resource
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from array import array
from pathlib import Path

from kleene.ipam import allocate, create_pool, pool_bounds, release
from kleene.store.ranges import RANGES_SCHEMA, SqliteRanges

SUBNET = "10.0.0.0/16"
POOL = "bench/4"
FILLS = 3
EARLY = 100
LATE = 60_000
NAIVE_IN_USE = 30_000
WINDOW = 50
NAIVE_RUNS = 51
TARGET_RATIO = 1.5
TARGET_SPEEDUP = 20.0
TARGET_MEMORY_MB = 50.0


def open_db(path: Path) -> sqlite3.Connection:
    """Open a database in WAL mode with synchronous=NORMAL, as the engine does."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def new_pool(path: Path) -> tuple[sqlite3.Connection, SqliteRanges, int]:
    """Create a database holding the /16 pool; return it and the pool size."""
    conn = open_db(path)
    conn.executescript(RANGES_SCHEMA)
    store = SqliteRanges(conn)
    first, last = pool_bounds(SUBNET) or (0, -1)
    conn.execute("BEGIN IMMEDIATE")
    create_pool(store, POOL, first, last)
    conn.execute("COMMIT")
    return conn, store, last - first + 1


def fill(conn: sqlite3.Connection, store: SqliteRanges, count: int) -> array[int]:
    """Allocate ``count`` addresses, one transaction each; return nanoseconds."""
    timings = array("q", bytes(8 * count))
    clock = time.perf_counter_ns
    for index in range(count):
        start = clock()
        conn.execute("BEGIN IMMEDIATE")
        allocate(store, POOL)
        conn.execute("COMMIT")
        timings[index] = clock() - start
    return timings


def timed_fills(work: Path) -> tuple[list[array[int]], float, float]:
    """Fill the pool FILLS times; return timings, seconds per fill, RSS growth."""
    runs = []
    rss_before = max_rss_mb()
    began = time.perf_counter()
    for run in range(FILLS):
        conn, store, size = new_pool(work / f"fill{run}.db")
        runs.append(fill(conn, store, size))
        conn.close()
    seconds = (time.perf_counter() - began) / FILLS
    return runs, seconds, max_rss_mb() - rss_before


def median_around(timings: array[int], nth: int) -> float:
    """Return the median cost in µs of the allocations around the nth one."""
    window = timings[max(nth - 1 - WINDOW, 0) : nth - 1 + WINDOW]
    return statistics.median(window) / 1000


def best_around(runs: list[array[int]], nth: int) -> tuple[float, list[float]]:
    """Return the best median around the nth allocation, and every run's."""
    medians = [median_around(timings, nth) for timings in runs]
    return min(medians), medians


def naive_median(path: Path, in_use: int) -> float:
    """Return the median µs of a first-free scan over ``in_use`` used rows."""
    conn = open_db(path)
    conn.execute("CREATE TABLE used (address INTEGER PRIMARY KEY)")
    first, _ = pool_bounds(SUBNET) or (0, 0)
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO used VALUES (?)", ((first + n,) for n in range(in_use))
    )
    conn.execute("COMMIT")

    timings = []
    for _ in range(NAIVE_RUNS):
        start = time.perf_counter_ns()
        conn.execute("BEGIN IMMEDIATE")
        rows = conn.execute("SELECT address FROM used ORDER BY address")
        candidate = first
        for (address,) in rows:
            if address != candidate:
                break
            candidate += 1
        conn.execute("INSERT INTO used VALUES (?)", (candidate,))
        conn.execute("COMMIT")
        timings.append(time.perf_counter_ns() - start)
    conn.close()
    return statistics.median(timings) / 1000


def fragmented(path: Path) -> tuple[float, float]:
    """Free every other address of a full pool; return median release, allocate."""
    conn = open_db(path)
    store = SqliteRanges(conn)
    first, _ = pool_bounds(SUBNET) or (0, 0)
    releases = []
    for address in range(first, first + 2 * NAIVE_IN_USE, 2):
        start = time.perf_counter_ns()
        conn.execute("BEGIN IMMEDIATE")
        release(store, POOL, address)
        conn.execute("COMMIT")
        releases.append(time.perf_counter_ns() - start)
    allocations = fill(conn, store, 2 * WINDOW)
    conn.close()
    return statistics.median(releases) / 1000, statistics.median(allocations) / 1000


def max_rss_mb() -> float:
    """Return the process's RSS high-water mark in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def traced_fill_mb(path: Path) -> float:
    """Fill a fresh pool under tracemalloc; return the peak in MB."""
    tracemalloc.start()
    conn, store, size = new_pool(path)
    for _ in range(size):
        conn.execute("BEGIN IMMEDIATE")
        allocate(store, POOL)
        conn.execute("COMMIT")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    conn.close()
    return peak / 2**20


def verdict(ok: bool) -> str:
    """Return the PASS / FAIL tag of a target."""
    return "[PASS]" if ok else "[FAIL]"


def runs_text(medians: list[float]) -> str:
    """Return every run's median, for the report line."""
    return ", ".join(f"{value:.1f}" for value in medians)


def report_fill(runs: list[array[int]], seconds: float) -> float:
    """Print the early and late costs; return the cost at NAIVE_IN_USE."""
    early, early_runs = best_around(runs, EARLY)
    late, late_runs = best_around(runs, LATE)
    at_naive, _ = best_around(runs, NAIVE_IN_USE)
    ratio = late / early
    print(
        f"fill {SUBNET}: {len(runs[0])} allocations, one transaction each, "
        f"{seconds:.1f} s per fill, best of {FILLS} fills"
    )
    print(f"  median around allocation {EARLY}: {early:.1f} us")
    print(f"    per fill: {runs_text(early_runs)} us")
    print(f"  median around allocation {LATE}: {late:.1f} us")
    print(f"    per fill: {runs_text(late_runs)} us")
    ok = ratio <= TARGET_RATIO
    print(f"  ratio {ratio:.2f} (target <= {TARGET_RATIO}) {verdict(ok)}")
    return at_naive


def report_naive(at_naive: float, naive_us: float) -> None:
    """Print the comparison with the naive first-free scan."""
    speedup = naive_us / at_naive
    print(f"at {NAIVE_IN_USE} addresses in use:")
    print(f"  free ranges: median {at_naive:.1f} us per allocation")
    print(f"  naive first-free scan: median {naive_us:.1f} us per allocation")
    print(
        f"  speed-up {speedup:.0f}x (target >= {TARGET_SPEEDUP:.0f}x) "
        f"{verdict(speedup >= TARGET_SPEEDUP)}"
    )


def report_memory(traced_mb: float, rss_growth: float) -> None:
    """Print the memory figures of the full pool."""
    memory = max(traced_mb, rss_growth)
    print(f"memory for the full {SUBNET}:")
    print(f"  tracemalloc peak {traced_mb:.2f} MB (Python objects only)")
    print(f"  RSS high-water growth {rss_growth:.2f} MB (SQLite included)")
    print(
        f"  worst {memory:.2f} MB (target < {TARGET_MEMORY_MB:.0f} MB) "
        f"{verdict(memory < TARGET_MEMORY_MB)}"
    )


def main() -> int:
    """Run every measurement and print the figures."""
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        runs, seconds, rss_growth = timed_fills(work)
        release_us, allocate_us = fragmented(work / "fill0.db")
        naive_us = naive_median(work / "naive.db", NAIVE_IN_USE)
        traced_mb = traced_fill_mb(work / "traced.db")

    at_naive = report_fill(runs, seconds)
    report_naive(at_naive, naive_us)
    print(f"pool cut into {NAIVE_IN_USE} free ranges:")
    print(f"  median release {release_us:.1f} us, allocate {allocate_us:.1f} us")
    report_memory(traced_mb, rss_growth)
    return 0


if __name__ == "__main__":
    sys.exit(main())
