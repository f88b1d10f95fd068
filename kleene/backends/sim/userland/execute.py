"""Running programs in processes: exec, spawn, and the default handler.

- ``run_program`` runs an argv in an existing process (execve semantics: the
  process keeps its pid, jail, log and environment);
- ``spawn`` creates a child process and runs an argv in it; a child that
  finishes at once is reaped at once, without telling its parent (which is
  still running and sees the status as the return value);
- ``Waiting`` is the base of every handler: it ignores events, and a signal
  ends the process with 128 + the signal.

Program look-up goes through ``userland.registry`` (imported lazily, since
programs import this module).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from kleene.backends.sim.kernel import jails, procs
from kleene.backends.sim.kernel.runtime import Runtime, Status
from kleene.backends.sim.records import ProcRecord, Socket
from kleene.backends.sim.userland.process import EX_USAGE, Exit, Process, Usage
from kleene.errors import CommandNotFound

logger = logging.getLogger(__name__)

CLEAN_ENV = (
    "HOME=/root",
    "PATH=/sbin:/bin:/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin:/root/bin",
    "SHELL=/bin/csh",
    "USER=root",
)


class Waiting:
    """The handler every waiting program starts from."""

    def on_timer(self, rt: Runtime, proc: ProcRecord, tag: str) -> Status:
        """Ignore a timer."""
        return None

    def on_socket(
        self, rt: Runtime, proc: ProcRecord, sock: Socket, event: str, data: Any
    ) -> Status:
        """Ignore a socket event."""
        return None

    def on_child(self, rt: Runtime, proc: ProcRecord, pid: int, status: int) -> Status:
        """Ignore the end of a child."""
        return None

    def on_signal(self, rt: Runtime, proc: ProcRecord, signum: int) -> Status:
        """End the process, as a signal's default action does."""
        return 128 + signum


def exists(argv0: str) -> bool:
    """Tell whether the simulated userland has a program."""
    from kleene.backends.sim.userland import registry

    return registry.program_name(argv0) in registry.PROGRAMS


def run_program(
    rt: Runtime,
    record: ProcRecord,
    argv: list[str],
    stdin: str = "",
    *,
    capture: bool = False,
) -> tuple[Status, str]:
    """Run an argv in a process; return its status (None: waits), captured output."""
    from kleene.backends.sim.userland import registry

    program = registry.PROGRAMS.get(registry.program_name(argv[0]) if argv else "")
    if program is None:
        raise CommandNotFound(registry.program_name(argv[0]) if argv else "")
    record.argv = list(argv)
    proc = Process(rt, record, stdin, capture)
    logger.debug("exec %d: %s", record.pid, " ".join(argv))
    try:
        status = program.main(proc, argv[1:])
    except Usage:
        proc.chunks.clear()
        proc.print(program.usage)
        status = EX_USAGE
    except Exit as exit_:
        status = exit_.status
    rt.invalidate()
    output = proc.flush()
    return status, output if capture else ""


def spawn(
    rt: Runtime,
    parent: ProcRecord,
    argv: list[str],
    *,
    jid: int | None = None,
    stdin: str = "",
    capture: bool = False,
    env: list[str] | None = None,
) -> tuple[ProcRecord, Status, str]:
    """Start a child running an argv; return it, its status or None, its output."""
    jid = parent.jid if jid is None else jid
    child = procs.spawn(
        rt,
        ppid=parent.pid,
        jid=jid,
        stack=jails.stack_of(rt.world, jid).name,
        argv=argv,
        log=parent.log,
        env=parent.env if env is None else env,
    )
    child.user = parent.user
    try:
        status, output = run_program(rt, child, argv, stdin, capture=capture)
    except CommandNotFound:
        procs.exit(rt, child.pid, 127, notify=False)
        raise
    if status is not None:
        procs.exit(rt, child.pid, status, notify=False)
    return child, status, output


def wait_for(record: ProcRecord, child: ProcRecord) -> None:
    """Note that a process waits for a child (its handler hears of its end)."""
    record.state["child"] = child.pid


def context(rt: Runtime, record: ProcRecord) -> Process:
    """Return a program context for a handler that wants to print."""
    return Process(rt, record)


def handle(
    rt: Runtime, record: ProcRecord, action: Callable[[Process], Status]
) -> Status:
    """Run a handler's work in a program context: print, and end on ``Exit``."""
    proc = Process(rt, record)
    try:
        status = action(proc)
    except Exit as exit_:
        status = exit_.status
    proc.flush()
    return status
