"""A simulated program run: its world, stack, stdin and merged output.

Programs are functions ``main(proc, args) -> status``. They print through
``proc.print`` (stdout and stderr are one stream, as the Host protocol
merges them), end early with ``proc.fail`` (err(3): message, exit 1), and
raise ``Usage`` for options the simulation does not support, which the
dispatcher answers with the program's usage line and exit 64.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NoReturn

from kleene.backends.sim.kernel.errno import KernelError
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
    """One program run on a stack of the world."""

    world: World
    stack: Stack
    stdin: str = ""
    chunks: list[str] = field(default_factory=list)

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

    @property
    def output(self) -> str:
        """Return everything the program printed."""
        return "".join(self.chunks)


@contextmanager
def syscall(proc: Process, prefix: str) -> Iterator[None]:
    """Turn a failed kernel call into err(3)'s ``<prefix>: <strerror>``, exit 1."""
    try:
        yield
    except KernelError as exc:
        proc.fail(f"{prefix}: {exc.text}")
