"""``SimulatedHost``: the Host protocol over a persisted simulated FreeBSD.

Each call is one ``WorldStore`` session with a fresh kernel ``Runtime``:

- ``run`` interprets an argv as root on the host, outside any jail, and
  returns the merged output; a program that waits on deadlines (``ping -c``,
  ``sleep``, an ``nc -w`` timeout) has the clock advanced for it until it
  ends, and one that waits for another invocation is followed as ``start``'s
  processes are (its output then goes through a file under ``sim/run``);
- ``start`` starts a long-running command (``jail -c``, ``jexec``) logging to
  an exec log and returns a ``SimProcess`` to follow (``follow``);
- ``run_outside`` runs ``ping``, ``nc`` or ``host`` on the outside machine
  10.0.2.2;
- ``capture_start`` / ``capture_write`` record an interface's frames and
  write them as pcap;
- files, the clock and random bytes come from the world.

Fault injection for tests: ``fail_at(n)`` (or ``KLEENE_SIM_FAIL_AT=N`` in
the environment when the host is built) makes the n-th ``run`` from then on
fail without touching the world: exit 1, ``sim: injected failure: <argv>``.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from kleene.backends.base import CommandResult, status_path
from kleene.backends.sim.follow import Pacer, SimProcess, Step, advance_for
from kleene.backends.sim.kernel import capture, clock, entropy, files, outside, procs
from kleene.backends.sim.kernel.runtime import MEMORY_LOG, Runtime
from kleene.backends.sim.persist import WorldStore
from kleene.backends.sim.records import HOST_JID, ProcRecord
from kleene.backends.sim.userland import registry
from kleene.backends.sim.userland.execute import CLEAN_ENV, run_program
from kleene.backends.sim.world import HOST_STACK, OUTSIDE_STACK, World
from kleene.errors import CommandNotFound

logger = logging.getLogger(__name__)

FAIL_AT_ENV = "KLEENE_SIM_FAIL_AT"
OUTSIDE_PROGRAMS = ("ping", "nc", "host")


class SimulatedHost:
    """A simulated FreeBSD 13.2 host saved in ``<state_dir>/sim/world.json``."""

    name = "sim"

    def __init__(
        self, state_dir: Path, *, seed: int = 0, profile: str = "default"
    ) -> None:
        self.state_dir = Path(state_dir)
        self.store = WorldStore(self.state_dir, seed=seed, profile=profile)
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

    @contextmanager
    def kernel(self) -> Iterator[Runtime]:
        """Open a session and yield a runtime over its world."""
        with self.store.session() as world:
            outside.ensure(world)
            first_pid = world.counters.get("pid", procs.FIRST_PID)
            rt = Runtime(world, registry.HANDLERS, fallback=registry.FALLBACK)
            yield rt
            rt.drain()
            procs.settle(world, first_pid)

    def run(self, argv: Sequence[str], stdin: str | None = None) -> CommandResult:
        """Run one command on the host and return its merged output and status."""
        words = tuple(argv)
        self._runs += 1
        if self._runs == self._fail_at:
            self._fail_at = None
            logger.debug("sim: injected failure of %s", words)
            output = f"sim: injected failure: {' '.join(words)}\n"
            return CommandResult(words, 1, output)
        return self._run(words, stdin or "", HOST_STACK)

    def run_outside(self, argv: Sequence[str], stdin: str = "") -> CommandResult:
        """Run ``ping``, ``nc`` or ``host`` on the outside machine 10.0.2.2."""
        words = tuple(argv)
        name = registry.program_name(words[0]) if words else ""
        if name not in OUTSIDE_PROGRAMS:
            raise CommandNotFound(name)
        return self._run(words, stdin, OUTSIDE_STACK)

    def _run(self, words: tuple[str, ...], stdin: str, stack: str) -> CommandResult:
        _check_exists(words)
        key = f"{MEMORY_LOG}{os.getpid()}.{self._runs}"
        with self.kernel() as rt:
            proc = self._spawn_root(rt, words, key, stack)
            status, _ = run_program(rt, proc, list(words), stdin)
            if status is not None:
                procs.exit(rt, proc.pid, status)
            rt.drain()
            advance_for(rt, proc.pid, Pacer())
            output = "".join(rt.memory.pop(key, []))
            if key in rt.statuses:
                _forget_log(rt, key)
                logger.debug("sim: %s exited %d", " ".join(words), rt.statuses[key])
                return CommandResult(words, rt.statuses[key], output)
            log = self._run_log(rt, proc.pid, key, output)
        return self._follow_run(words, proc.pid, log)

    def _run_log(self, rt: Runtime, pid: int, key: str, output: str) -> Path:
        """Move a waiting run's output to a file that can be followed."""
        directory = self.state_dir / "sim" / "run"
        directory.mkdir(parents=True, exist_ok=True)
        log = directory / f"{os.getpid()}-{pid}.log"
        log.write_text(output, encoding="utf-8")
        for record in rt.world.processes.values():
            if record.log == key:
                record.log = str(log)
        return log

    def _follow_run(self, words: tuple[str, ...], pid: int, log: Path) -> CommandResult:
        chunks: list[bytes] = []
        try:
            status = SimProcess(self, pid, log).follow(chunks.append)
        finally:
            output = b"".join(chunks).decode("utf-8", "replace")
        log.unlink(missing_ok=True)
        status_path(log).unlink(missing_ok=True)
        return CommandResult(words, status, output)

    def start(
        self,
        argv: Sequence[str],
        *,
        log: Path,
        stdin: bytes | None = None,
        tty: bool = False,
    ) -> SimProcess:
        """Start a long-running command logging to ``log``; return it to follow."""
        words = tuple(argv)
        _check_exists(words)
        log = Path(log)
        log.parent.mkdir(parents=True, exist_ok=True)
        log.touch()
        text = (stdin or b"").decode("utf-8", "surrogateescape")
        with self.kernel() as rt:
            proc = self._spawn_root(rt, words, str(log), HOST_STACK)
            status, _ = run_program(rt, proc, list(words), text)
            if status is not None:
                procs.exit(rt, proc.pid, status)
            logger.info("started process %d: %s", proc.pid, " ".join(words))
        return SimProcess(self, proc.pid, log)

    def _spawn_root(
        self, rt: Runtime, words: tuple[str, ...], log: str, stack: str
    ) -> ProcRecord:
        return procs.spawn(
            rt,
            ppid=procs.INIT_PID,
            jid=HOST_JID,
            stack=stack,
            argv=list(words),
            log=log,
            env=list(CLEAN_ENV),
            root=True,
        )

    def advance(self, pid: int, pacer: Pacer) -> tuple[Step, float]:
        """Advance virtual time for a followed process (one session)."""
        with self.kernel() as rt:
            return advance_for(rt, pid, pacer)

    def capture_start(self, ifname: str) -> None:
        """Start recording the frames seen on a host interface (or pflog0)."""
        with self.kernel() as rt:
            capture.start(rt, ifname)

    def capture_write(self, ifname: str, path: Path | str) -> int:
        """Write the frames recorded on an interface as pcap; return how many."""
        with self.kernel() as rt:
            return capture.write(rt, ifname, Path(path))

    def pflog_lines(self) -> list[str]:
        """Return what pf logged, one ``klee sim pflog`` line a packet."""
        with self.store.session() as world:
            return capture.pflog_lines(world)

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

    def world(self) -> World:
        """Return a copy of the world as it is now (for tests and diagnostics)."""
        with self.store.session() as world:
            return World.from_dict(json.loads(json.dumps(world.to_dict())))


def _forget_log(rt: Runtime, key: str) -> None:
    """Detach processes that outlive a run from its in-memory output."""
    for record in rt.world.processes.values():
        if record.log == key:
            record.log = None


def _check_exists(words: tuple[str, ...]) -> None:
    name = registry.program_name(words[0]) if words else ""
    if name not in registry.PROGRAMS:
        raise CommandNotFound(name)


def reset_world(state_dir: Path, *, seed: int = 0, profile: str = "default") -> None:
    """Replace the simulated world in ``state_dir`` with a fresh one."""
    SimulatedHost.reset(state_dir, seed=seed, profile=profile)
