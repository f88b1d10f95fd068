"""Start-up cost of klee against a bare Python interpreter.

Runs ``python -c pass``, ``klee --help`` and ``klee network ls`` (on a store
holding 20 networks) many times each and prints the median wall times and
their ratios. Target: each klee command within 4x the bare interpreter.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 25
TARGET_RATIO = 4.0


def median_wall(argv: list[str], env: dict[str, str]) -> float:
    """Return the median wall time of a command over RUNS runs."""
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    """Measure and print; exit 1 when a target is missed."""
    klee = str(Path(sys.executable).with_name("klee"))
    with tempfile.TemporaryDirectory() as state:
        env = dict(os.environ, KLEENE_STATE_DIR=state, KLEENE_BACKEND="sim")
        subprocess.run([klee, "sim", "reset"], env=env, check=True)
        for number in range(20):
            subprocess.run(
                [
                    klee,
                    "network",
                    "create",
                    f"--subnet=10.{number}.0.0/24",
                    f"n{number}",
                ],
                env=env,
                stdout=subprocess.DEVNULL,
                check=True,
            )
        base = median_wall([sys.executable, "-c", "pass"], env)
        results = {
            "klee --help": median_wall([klee, "--help"], env),
            "klee network ls": median_wall([klee, "network", "ls"], env),
        }
    print(f"python -c pass: median {base * 1000:.1f} ms over {RUNS} runs")
    missed = False
    for name, value in results.items():
        ratio = value / base
        verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
        missed = missed or ratio > TARGET_RATIO
        print(f"{name}: median {value * 1000:.1f} ms, {ratio:.2f}x  [{verdict}]")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
