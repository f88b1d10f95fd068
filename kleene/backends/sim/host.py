"""``SimulatedHost``: the Host protocol over a persisted simulated FreeBSD.

Each call is one ``WorldStore`` session: ``run`` interprets an argv with the
simulated userland, as root on the host stack outside any jail, and returns
the merged output; files, the clock and random bytes come from the world.

Fault injection for tests: ``fail_at(n)`` (or ``KLEENE_SIM_FAIL_AT=N`` in
the environment when the host is built) makes the n-th ``run`` from then on
fail without touching the world: exit 1, ``sim: injected failure: <argv>``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from kleene.backends.base import CommandResult
from kleene.backends.sim import userland
from kleene.backends.sim.kernel import clock, entropy, files
from kleene.backends.sim.persist import WorldStore
from kleene.backends.sim.userland.process import Process

logger = logging.getLogger(__name__)

FAIL_AT_ENV = "KLEENE_SIM_FAIL_AT"


class SimulatedHost:
    """A simulated FreeBSD 13.2 host saved in ``<state_dir>/sim/world.json``."""

    name = "sim"

    def __init__(
        self, state_dir: Path, *, seed: int = 0, profile: str = "default"
    ) -> None:
        self.store = WorldStore(Path(state_dir), seed=seed, profile=profile)
        self._runs = 0
        self._fail_at: int | None = None
        configured = os.environ.get(FAIL_AT_ENV, "").strip()
        if configured:
            self.fail_at(int(configured))

    @classmethod
    def reset(cls, state_dir: Path, *, seed: int = 0, profile: str = "default") -> None:
        """Replace the world in ``state_dir`` with a fresh one."""
        WorldStore(Path(state_dir), seed=seed, profile=profile).reset()

    def fail_at(self, n: int | None) -> None:
        """Make the n-th ``run`` from now fail without side effects (None: never)."""
        if n is not None and n < 1:
            raise ValueError(f"fail_at counts runs from 1, not {n}")
        self._fail_at = None if n is None else self._runs + n

    def run(self, argv: Sequence[str], stdin: str | None = None) -> CommandResult:
        """Run one command on the host and return its merged output and status."""
        words = tuple(argv)
        self._runs += 1
        if self._runs == self._fail_at:
            self._fail_at = None
            logger.debug("sim: injected failure of %s", words)
            output = f"sim: injected failure: {' '.join(words)}\n"
            return CommandResult(words, 1, output)

        program = userland.lookup(words)
        with self.store.session() as world:
            proc = Process(world, world.host, stdin or "")
            status = userland.execute(program, proc, list(words[1:]))
        logger.debug("sim: %s exited %d", " ".join(words), status)
        return CommandResult(words, status, proc.output)

    def read_file(self, path: str) -> str | None:
        """Return a simulated file's text, or None when it is absent."""
        with self.store.session() as world:
            return files.read(world, path)

    def write_file(self, path: str, text: str) -> None:
        """Replace a simulated file."""
        with self.store.session() as world:
            files.write(world, path, text)

    def remove_file(self, path: str) -> None:
        """Remove a simulated file; an absent file is not an error."""
        with self.store.session() as world:
            files.remove(world, path)

    def now(self) -> datetime:
        """Return the virtual clock."""
        with self.store.session() as world:
            return clock.now(world)

    def random_bytes(self, count: int) -> bytes:
        """Return bytes from the world's seeded generator."""
        with self.store.session() as world:
            return entropy.draw(world, "host", count)

    def is_root(self) -> bool:
        """Tell whether changes may be made: always, in the simulation."""
        return True


def reset_world(state_dir: Path, *, seed: int = 0, profile: str = "default") -> None:
    """Replace the simulated world in ``state_dir`` with a fresh one."""
    SimulatedHost.reset(state_dir, seed=seed, profile=profile)
