"""A simulated program run: its process record, runtime, stdin and output.

Programs are functions ``main(proc, args) -> status``: an exit status when
they finish at once, or None when they wait, having stored a handler name
and a JSON state in ``proc.record`` (``kernel.runtime.Handler``). They print
through ``proc.print`` (stdout and stderr are one stream, as the Host
protocol merges them), end early with ``proc.fail`` (err(3): message, exit
1), and raise ``Usage`` for options the simulation does not support, which
the dispatcher answers with the program's usage line and exit 64.

``Process`` also tells what the process may do from where it runs (SPEC
§4.12): ``jail`` and ``driver`` (the host itself counts as ``host``), and
``may_configure`` (the host and vnet jails may change interfaces and
routes).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NoReturn

from kleene.backends.sim.kernel.errno import KernelError
from kleene.backends.sim.kernel.runtime import Runtime
from kleene.backends.sim.records import Driver, Jail, ProcRecord
from kleene.backends.sim.world import Stack, World

EX_USAGE = 64


class Exit(Exception):
    """The program ends now with a status."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class Usage(Exception):
    """The arguments are not supported: print the usage line, exit 64."""


@dataclass
class Process:
    """One program run in a process of the world."""

    rt: Runtime
    record: ProcRecord
    stdin: str = ""
    capture: bool = False
    chunks: list[str] = field(default_factory=list)

    @property
    def world(self) -> World:
        """Return the world the process runs in."""
        return self.rt.world

    @property
    def stack(self) -> Stack:
        """Return the network stack the process uses."""
        return self.rt.world.stacks[self.record.stack]

    @property
    def jail(self) -> Jail | None:
        """Return the jail the process runs in, or None on the host."""
        return self.rt.world.jails.get(self.record.jid)

    @property
    def driver(self) -> Driver:
        """Return the process's network view (the host itself sees as ``host``)."""
        jail = self.jail
        return Driver.HOST if jail is None else jail.driver

    @property
    def may_configure(self) -> bool:
        """Tell whether the process may change interfaces and routes."""
        jail = self.jail
        return jail is None or jail.vnet

    def write(self, text: str) -> None:
        """Append text to the output."""
        self.chunks.append(text)

    def print(self, line: str = "") -> None:
        """Append a line to the output."""
        self.chunks.append(line + "\n")

    def fail(self, message: str, status: int = 1) -> NoReturn:
        """Print an error line and end the program with a status."""
        self.print(message)
        raise Exit(status)

    def flush(self) -> str:
        """Send the output so far to the log (or return it when captured)."""
        text = "".join(self.chunks)
        self.chunks.clear()
        if not self.capture:
            self.rt.emit(self.record, text)
        return text

    @property
    def output(self) -> str:
        """Return what the program printed and has not flushed."""
        return "".join(self.chunks)


@contextmanager
def syscall(proc: Process, prefix: str) -> Iterator[None]:
    """Turn a failed kernel call into err(3)'s ``<prefix>: <strerror>``, exit 1."""
    try:
        yield
    except KernelError as exc:
        proc.fail(f"{prefix}: {exc.text}")
