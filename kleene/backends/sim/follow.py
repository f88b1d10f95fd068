"""Following a simulated process: its exec log, its status, virtual time.

``SimProcess.follow`` tails the exec log and passes new bytes to the sink
until the status file (``status_path(log)``) appears (SPEC §7.8):

- while the followed process (or a descendant) waits on a deadline, it takes
  the world lock, moves the clock to the earliest deadline of the whole
  world, fires every timer due then, and repeats (``advance_for``);
- a *paced* timer (``ping`` without ``-c``) is not fired before its time has
  come in real time, counted from when following began;
- while the process waits only for input from another invocation, it holds
  no lock and polls the log, re-reading the world only when another
  invocation has replaced it.

``KeyboardInterrupt`` propagates (klee turns it into exit 130 and leaves the
process in the world).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from kleene.backends.base import status_path
from kleene.backends.sim.kernel import procs
from kleene.backends.sim.kernel.runtime import Runtime

if TYPE_CHECKING:
    from kleene.backends.sim.host import SimulatedHost

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.05
BUDGET_SECONDS = 0.5
GONE_STATUS = 128 + procs.SIGKILL


class Step(Enum):
    """What advancing time for a process came to."""

    DONE = "done"
    IDLE = "idle"
    PACED = "paced"
    BUSY = "busy"


class Pacer:
    """Ties virtual time to real time for paced timers."""

    def __init__(self) -> None:
        self._anchor: tuple[float, int] | None = None

    def wait(self, clock_us: int, deadline_us: int) -> float:
        """Return the real seconds to wait before a paced deadline may fire."""
        now = time.monotonic()
        if self._anchor is None:
            self._anchor = (now, clock_us)
        real, virtual = self._anchor
        return real + (deadline_us - virtual) / 1_000_000 - now


def advance_for(rt: Runtime, pid: int, pacer: Pacer) -> tuple[Step, float]:
    """Fire timers while the process waits on a deadline; say why it stopped."""
    world = rt.world
    started = time.monotonic()
    while True:
        if pid not in world.processes:
            return Step.DONE, 0.0
        if not procs.has_timer(world, procs.group(world, pid)):
            return Step.IDLE, 0.0
        timer = procs.next_timer(world)
        assert timer is not None
        if timer.paced:
            delay = pacer.wait(world.clock_us, timer.deadline_us)
            if delay > 0:
                return Step.PACED, delay
        procs.advance(rt, timer.deadline_us)
        if time.monotonic() - started > BUDGET_SECONDS:
            return Step.BUSY, 0.0


class SimProcess:
    """A process of the simulated host that klee may follow."""

    def __init__(self, host: SimulatedHost, pid: int, log: Path) -> None:
        self.host = host
        self.pid = pid
        self.log = log
        self._pacer = Pacer()

    def follow(self, sink: Callable[[bytes], None]) -> int:
        """Pass the output to ``sink`` as it comes; return the exit status."""
        offset = 0
        stamp: object = None
        recheck = True
        while True:
            offset = self._pump(sink, offset)
            status = self._status()
            if status is not None:
                self._pump(sink, offset)
                return status
            if not recheck and self.host.store.stamp() == stamp:
                time.sleep(POLL_SECONDS)
                continue
            step, delay = self.host.advance(self.pid, self._pacer)
            stamp = self.host.store.stamp()
            if step is Step.DONE and self._status() is None:
                logger.info("process %d vanished from the world", self.pid)
                return GONE_STATUS
            recheck = step in (Step.BUSY, Step.PACED)
            if step is Step.PACED:
                time.sleep(min(delay, 0.25))
            elif step is Step.IDLE:
                time.sleep(POLL_SECONDS)

    def detach(self) -> None:
        """Stop following; the process stays in the world."""
        logger.debug("detached from process %d", self.pid)

    def _pump(self, sink: Callable[[bytes], None], offset: int) -> int:
        try:
            with open(self.log, "rb") as log:
                log.seek(offset)
                data = log.read()
        except FileNotFoundError:
            return offset
        if data:
            sink(data)
        return offset + len(data)

    def _status(self) -> int | None:
        try:
            text = status_path(self.log).read_text(encoding="ascii")
        except FileNotFoundError:
            return None
        return int(text.strip()) if text.strip() else None
