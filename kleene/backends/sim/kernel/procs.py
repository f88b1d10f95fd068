"""The process table: spawn, exit, signals, timers, and what an exit sets off.

A process is a ``ProcRecord`` in ``world.processes``. Programs that finish at
once never stay in the table beyond the call that runs them; programs that
wait keep a handler name and a JSON state (``records.ProcRecord``) and are
driven by events: timers (``set_timer``), socket events (``kernel.sockets``),
the end of a child they wait for, and signals.

``exit`` ends a process: its timers and sockets go; a jail left without
processes (and not held or persistent) is removed (``kernel.jails``); the
root process of an exec writes its status beside its log; the parent, if it
waits for this child (``state["child"]``), hears of it through its handler.
Pids count up from 100 and are persisted only for processes that outlive the
session that started them (``settle``).
"""

from __future__ import annotations

import logging

from kleene.backends.sim.kernel import sockets
from kleene.backends.sim.kernel.runtime import Runtime, Status
from kleene.backends.sim.records import HOST_JID, ProcRecord, Timer
from kleene.backends.sim.world import World

logger = logging.getLogger(__name__)

FIRST_PID = 100
INIT_PID = 1
SIGKILL = 9
SIGTERM = 15


def spawn(
    rt: Runtime,
    *,
    ppid: int,
    jid: int,
    stack: str,
    argv: list[str],
    log: str | None,
    env: list[str],
    root: bool = False,
) -> ProcRecord:
    """Create a process record (the caller runs its program)."""
    world = rt.world
    pid = max(world.counters.get("pid", FIRST_PID), max(world.processes, default=0) + 1)
    world.counters["pid"] = pid + 1
    proc = ProcRecord(pid, ppid, jid, stack, list(argv), log, root, list(env))
    world.processes[pid] = proc
    logger.debug("spawned %d (jail %d): %s", pid, jid, " ".join(argv))
    return proc


def settle(world: World, first_pid: int) -> None:
    """Persist the pid counter only as far as surviving processes need it."""
    world.counters["pid"] = max(first_pid, max(world.processes, default=0) + 1)


def alive(rt: Runtime, pid: int) -> bool:
    """Tell whether a process exists."""
    return pid in rt.world.processes


def exit(rt: Runtime, pid: int, status: int, *, notify: bool = True) -> None:
    """End a process with a status, and everything that follows from it."""
    world = rt.world
    proc = world.processes.pop(pid, None)
    if proc is None:
        return
    logger.debug("process %d (%s) exited %d", pid, proc.name, status)
    cancel_timers(rt, pid)
    for sock in [s for s in world.sockets.values() if s.pid == pid]:
        sockets.close(rt, sock)
    for child in world.processes.values():
        if child.ppid == pid:
            child.ppid = INIT_PID

    if proc.jid != HOST_JID:
        from kleene.backends.sim.kernel import jails

        jails.reap_if_empty(rt, proc.jid)
    if proc.root and proc.log is not None:
        rt.record_status(proc.log, status)
    parent = world.processes.get(proc.ppid)
    if notify and parent is not None and parent.state.get("child") == pid:
        deliver(rt, parent, rt.handler(parent).on_child(rt, parent, pid, status))


def deliver(rt: Runtime, proc: ProcRecord, status: Status) -> None:
    """Apply a handler's answer: a status ends the process, None keeps it."""
    if status is not None and proc.pid in rt.world.processes:
        exit(rt, proc.pid, status)


def signal(rt: Runtime, pid: int, signum: int) -> None:
    """Send a signal to a process."""
    proc = rt.world.processes.get(pid)
    if proc is None:
        return
    logger.debug("signal %d to process %d (%s)", signum, pid, proc.name)
    if signum == SIGKILL:
        exit(rt, pid, 128 + signum)
        return
    deliver(rt, proc, rt.handler(proc).on_signal(rt, proc, signum))


def in_jail(world: World, jid: int) -> list[ProcRecord]:
    """Return the processes of a jail, oldest first."""
    return [proc for proc in world.processes.values() if proc.jid == jid]


def group(world: World, pid: int) -> set[int]:
    """Return a process and its descendants."""
    members = {pid}
    grown = True
    while grown:
        grown = False
        for proc in world.processes.values():
            if proc.ppid in members and proc.pid not in members:
                members.add(proc.pid)
                grown = True
    return members & set(world.processes)


# -- timers -------------------------------------------------------------------


def set_timer(
    rt: Runtime, pid: int, delay_us: int, tag: str, *, paced: bool = False
) -> None:
    """Call the process's handler with ``tag`` after a virtual delay."""
    world = rt.world
    seq = rt.counter("timer")
    deadline = world.clock_us + max(delay_us, 0)
    world.timers.append(Timer(deadline, pid, tag, seq, paced))


def cancel_timers(rt: Runtime, pid: int, tag: str | None = None) -> None:
    """Cancel a process's timers (all, or those with one tag)."""
    world = rt.world
    world.timers = [
        t for t in world.timers if t.pid != pid or (tag is not None and t.tag != tag)
    ]


def has_timer(world: World, pids: set[int]) -> bool:
    """Tell whether any of the processes waits on a deadline."""
    return any(timer.pid in pids for timer in world.timers)


def next_timer(world: World) -> Timer | None:
    """Return the earliest timer of the world."""
    if not world.timers:
        return None
    return min(world.timers, key=lambda t: (t.deadline_us, t.seq))


def advance(rt: Runtime, deadline_us: int) -> None:
    """Move the clock to a deadline and fire every timer due by then."""
    world = rt.world
    world.clock_us = max(world.clock_us, deadline_us)
    while True:
        timer = next_timer(world)
        if timer is None or timer.deadline_us > world.clock_us:
            return
        world.timers.remove(timer)
        proc = world.processes.get(timer.pid)
        if proc is None:
            continue
        logger.debug("timer %s of process %d fired", timer.tag, proc.pid)
        deliver(rt, proc, rt.handler(proc).on_timer(rt, proc, timer.tag))
        rt.drain()
