"""The ``Host`` protocol: the one seam between the engine and a machine.

The engine builds FreeBSD argv lists and hands them to a host. A host runs a
command and returns its merged output and exit status; it never raises for a
non-zero status (``CommandResult.check`` does that for callers that need
success), but raises ``CommandNotFound`` when the program does not exist.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from kleene.errors import CommandFailed


@dataclass(frozen=True)
class CommandResult:
    """What one host command produced: argv, exit status, merged output."""

    argv: tuple[str, ...]
    status: int
    output: str

    @property
    def ok(self) -> bool:
        return self.status == 0

    def check(self) -> CommandResult:
        """Return self, or raise ``CommandFailed`` for a non-zero status."""
        if self.status != 0:
            raise CommandFailed(self.argv, self.status, self.output)
        return self


class Process(Protocol):
    """A long-running command started with ``Host.start``.

    Its output (stdout and stderr merged) is appended to its exec log as it is
    produced; when it ends, its exit status is written beside the log
    (``status_path(log)``).
    """

    def follow(self, sink: Callable[[bytes], None]) -> int:
        """Pass the output to ``sink`` as it comes; return the exit status."""
        ...

    def detach(self) -> None:
        """Stop following; the process goes on without klee."""
        ...


def status_path(log: Path) -> Path:
    """Return the file that holds the exit status of the process logging to ``log``."""
    return log.with_suffix(".status")


class Host(Protocol):
    """A FreeBSD machine that kleene drives, real or simulated."""

    name: str

    def run(self, argv: Sequence[str], stdin: str | None = None) -> CommandResult:
        """Run one command to its end and return its result."""
        ...

    def start(
        self,
        argv: Sequence[str],
        *,
        log: Path,
        stdin: bytes | None = None,
        tty: bool = False,
    ) -> Process:
        """Start a long-running command (``jail -c``, ``jexec``) logging to ``log``."""
        ...

    def read_file(self, path: str) -> str | None:
        """Return the text of a file on the host, or None when it is absent."""
        ...

    def write_file(self, path: str, text: str) -> None:
        """Replace a file on the host with ``text``."""
        ...

    def remove_file(self, path: str) -> None:
        """Remove a file on the host; an absent file is not an error."""
        ...

    def now(self) -> datetime:
        """Return the host's current time (UTC, timezone-aware)."""
        ...

    def random_bytes(self, count: int) -> bytes:
        """Return ``count`` random bytes from the host's generator."""
        ...

    def is_root(self) -> bool:
        """Tell whether changes may be made (root on FreeBSD; always in the sim)."""
        ...
