"""``Runtime``: the kernel of one session over a loaded world.

A runtime lives for one ``WorldStore`` session (one lock hold). It owns what
must not persist: the queue of frames in flight (delivered synchronously
until quiet, ``drain``), the look-up caches of the packet path (interfaces by
uid, local addresses, routes, bridge membership; dropped by ``invalidate``
whenever a program may have changed the configuration), the in-memory output
of ``run`` commands, and counters allocated in this session.

Output goes to exec logs: ``emit`` appends to the file named by a process's
``log``; a log of the form ``mem:<n>`` is an in-memory buffer that
``SimulatedHost.run`` collects. Handlers of waiting programs (``Handler``)
are registered by the userland when the runtime is built, so the kernel calls
them without importing the userland.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from kleene.backends.sim.records import ProcRecord, Socket
from kleene.backends.sim.world import IfKind, Interface, Stack, World

logger = logging.getLogger(__name__)

MEMORY_LOG = "mem:"
DRAIN_LIMIT = 2_000_000

Status = int | None


class Handler(Protocol):
    """The event entry points of a waiting program; a status ends the process."""

    def on_timer(self, rt: Runtime, proc: ProcRecord, tag: str) -> Status:
        """Handle a timer that fired."""
        ...

    def on_socket(
        self, rt: Runtime, proc: ProcRecord, sock: Socket, event: str, data: Any
    ) -> Status:
        """Handle an event on one of the process's sockets."""
        ...

    def on_child(self, rt: Runtime, proc: ProcRecord, pid: int, status: int) -> Status:
        """Handle the end of a child the process waits for."""
        ...

    def on_signal(self, rt: Runtime, proc: ProcRecord, signum: int) -> Status:
        """Handle a signal; the default ends the process with 128 + signal."""
        ...


@dataclass
class Caches:
    """Look-up tables of the packet path, rebuilt after a configuration change."""

    ifmap: dict[int, tuple[Stack, Interface]] = field(default_factory=dict)
    local: dict[str, dict[str, Interface]] = field(default_factory=dict)
    routes: dict[tuple[str, int], Any] = field(default_factory=dict)
    bridge_of: dict[int, Interface] | None = None
    segments: dict[int, list[int]] | None = None
    owners: dict[str, str] | None = None
    extra: dict[Any, Any] = field(default_factory=dict)


class Runtime:
    """The kernel's per-session state over a world."""

    def __init__(
        self,
        world: World,
        handlers: Mapping[str, Handler],
        *,
        fallback: Handler,
    ) -> None:
        self.world = world
        self.handlers = handlers
        self.fallback = fallback
        self.queue: deque[tuple[Callable[..., object], tuple[Any, ...]]] = deque()
        self.caches = Caches()
        self.memory: dict[str, list[str]] = {}
        self.statuses: dict[str, int] = {}
        self.frames = 0
        self.pending: dict[tuple[str, str], list[Any]] = {}
        self._draining = False
        self._ip_ints: dict[str, int] = {}

    # -- handlers and output -------------------------------------------------

    def handler(self, proc: ProcRecord) -> Handler:
        """Return the handler of a waiting process (the fallback if it has none)."""
        return self.handlers.get(proc.prog, self.fallback)

    def emit(self, proc: ProcRecord, text: str) -> None:
        """Append a process's output to its exec log."""
        if not text or proc.log is None:
            return
        if proc.log.startswith(MEMORY_LOG):
            self.memory.setdefault(proc.log, []).append(text)
            return
        with open(proc.log, "ab") as log:
            log.write(text.encode("utf-8", "surrogateescape"))

    def record_status(self, log: str, status: int) -> None:
        """Record the exit status of the root process of an exec log."""
        if log.startswith(MEMORY_LOG):
            self.statuses[log] = status
            return
        path = Path(log).with_suffix(".status")
        path.write_text(f"{status}\n", encoding="ascii")

    def counter(self, name: str, first: int = 1) -> int:
        """Return the next value of a world counter."""
        value = self.world.counters.get(name, first)
        self.world.counters[name] = value + 1
        return value

    # -- the frame queue -----------------------------------------------------

    def later(self, action: Callable[..., object], *args: Any) -> None:
        """Queue a delivery; it runs when the queue drains."""
        self.queue.append((action, args))

    def drain(self) -> None:
        """Run queued deliveries until the network is quiet."""
        if self._draining:
            return
        self._draining = True
        try:
            done = 0
            while self.queue:
                action, args = self.queue.popleft()
                action(*args)
                done += 1
                if done > DRAIN_LIMIT:
                    logger.warning("dropping %d frames: the network loops", done)
                    self.queue.clear()
        finally:
            self._draining = False
            self.pending.clear()

    # -- caches --------------------------------------------------------------

    def invalidate(self) -> None:
        """Forget the look-up caches (the configuration may have changed)."""
        self.caches = Caches()

    def ifmap(self) -> dict[int, tuple[Stack, Interface]]:
        """Return every interface of the world by uid, with its stack."""
        table = self.caches.ifmap
        if not table:
            for stack in self.world.stacks.values():
                for iface in stack.interfaces:
                    table[iface.uid] = (stack, iface)
        return table

    def bridge_of(self, uid: int) -> Interface | None:
        """Return the bridge that has the interface ``uid`` as a member."""
        table = self.caches.bridge_of
        if table is None:
            table = {}
            for stack in self.world.stacks.values():
                for iface in stack.interfaces:
                    if iface.kind is IfKind.BRIDGE:
                        table.update(dict.fromkeys(iface.members, iface))
            self.caches.bridge_of = table
        return table.get(uid)

    def segment_peers(self, uid: int) -> list[int]:
        """Return the other interfaces on the Ethernet segment of ``uid``."""
        table = self.caches.segments
        if table is None:
            table = {}
            for segment in self.world.segments:
                for member in segment:
                    table[member] = [other for other in segment if other != member]
            self.caches.segments = table
        return table.get(uid, [])

    def local(self, stack: Stack) -> dict[str, Interface]:
        """Return the stack's local addresses (text form) with their interfaces."""
        table = self.caches.local.get(stack.name)
        if table is None:
            table = {}
            for iface in stack.interfaces:
                for address in iface.addresses:
                    table.setdefault(str(address.ip), iface)
            self.caches.local[stack.name] = table
        return table

    def owner_stack(self, address: str) -> str | None:
        """Return the name of the stack that holds an address, if any does."""
        table = self.caches.owners
        if table is None:
            table = {}
            for stack in self.world.stacks.values():
                for ip in self.local(stack):
                    table.setdefault(ip, stack.name)
            self.caches.owners = table
        return table.get(address)

    def ip_int(self, address: str) -> int:
        """Return an address in text form as an integer (memoised)."""
        value = self._ip_ints.get(address)
        if value is None:
            import ipaddress

            value = int(ipaddress.ip_address(address))
            self._ip_ints[address] = value
        return value
