"""A host that records the plan: every argv the engine hands it.

In pass-through mode (the default) each command runs on an inner host and is
recorded with its result, so tests can assert the exact sequence of a plan.
In dry-run mode (``--dry-run``, SPEC §6.3) only reads and the pf check run
on the inner host; every other command is recorded, not run, and answered
with its predicted output. File writes are skipped in dry-run mode.
"""

from __future__ import annotations

import logging
import re
import shlex
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from kleene.backends.base import CommandResult, Host, Process

logger = logging.getLogger(__name__)

BRIDGE_FILTER = "net.link.bridge.pfil_bridge"


@dataclass(frozen=True)
class Recorded:
    """One command the engine ran (or would have run)."""

    argv: tuple[str, ...]
    stdin: str | None
    executed: bool


def is_read(argv: Sequence[str]) -> bool:
    """Tell whether a command only reads the host (run even in dry-run mode)."""
    program = argv[0].rsplit("/", 1)[-1] if argv else ""
    if program == "ifconfig":
        return list(argv[1:]) in ([], ["-a"]) or len(argv) == 2
    if program in ("netstat", "jls"):
        return True
    if program == "sysctl":
        return "-n" in argv and not any("=" in arg for arg in argv)
    if program == "mount":
        return "--libxo" in argv
    if program == "zfs":
        return len(argv) > 1 and argv[1] == "list"
    return False


def is_check(argv: Sequence[str]) -> bool:
    """Tell whether a command is the pf syntax check (printed and run)."""
    return argv[0].rsplit("/", 1)[-1] == "pfctl" and "-n" in argv


class _NotStarted:
    """The process of a dry run: it was printed, not started."""

    def follow(self, sink: Callable[[bytes], None]) -> int:
        del sink
        return 0

    def detach(self) -> None:
        pass


@dataclass
class RecordingHost:
    """Record every command; run it on ``inner`` unless in dry-run mode."""

    inner: Host
    dry_run: bool = False
    commands: list[Recorded] = field(default_factory=list)
    name: str = "recording"
    _epairs: int = 0
    _sysctls: dict[str, str] = field(default_factory=dict)

    def run(self, argv: Sequence[str], stdin: str | None = None) -> CommandResult:
        """Record a command; run it, or predict its output in dry-run mode."""
        execute = not self.dry_run or is_read(argv) or is_check(argv)
        self.commands.append(Recorded(tuple(argv), stdin, execute))
        if self.dry_run and argv[-1] in self._sysctls and "-n" in argv:
            return CommandResult(tuple(argv), 0, self._sysctls[argv[-1]] + "\n")
        if execute:
            return self.inner.run(argv, stdin)
        return CommandResult(tuple(argv), 0, self._predict(argv))

    def plan(self) -> list[str]:
        """Return the changes as ``+ argv`` lines, reads left out."""
        lines = []
        for command in self.commands:
            if is_read(command.argv):
                continue
            line = "+ " + shlex.join(command.argv)
            if command.stdin is not None:
                lines += [line + " <<EOF", command.stdin.rstrip("\n"), "EOF"]
            else:
                lines.append(line)
        return lines

    def argvs(self) -> list[list[str]]:
        """Return every recorded argv, reads included."""
        return [list(command.argv) for command in self.commands]

    def _predict(self, argv: Sequence[str]) -> str:
        """Predict the output of a change, and remember its sysctl effects."""
        args = list(argv[1:])
        program = argv[0].rsplit("/", 1)[-1]
        if program == "sysctl" and "=" in args[-1]:
            oid, _, value = args[-1].partition("=")
            self._sysctls[oid] = value
        loads_bridge = program == "kldload" and args[-1] == "if_bridge"
        if loads_bridge and not self._reads_ok(["/sbin/sysctl", "-n", BRIDGE_FILTER]):
            # Loading if_bridge creates the bridge filter switch, off.
            self._sysctls.setdefault(BRIDGE_FILTER, "0")
        if args[:2] in (["lo", "create"], ["bridge", "create"]) and "name" in args:
            return args[args.index("name") + 1] + "\n"
        if args == ["epair", "create"]:
            return f"epair{self._next_epair()}a\n"
        return ""

    def _reads_ok(self, argv: list[str]) -> bool:
        return self.inner.run(argv).ok

    def _next_epair(self) -> int:
        if self._epairs == 0:
            listing = self.inner.run(["/sbin/ifconfig", "-a"]).output
            used = {int(n) for n in re.findall(r"^epair(\d+)a:", listing, re.M)}
            self._epairs = max(used, default=-1) + 1
            while self._epairs in used:
                self._epairs += 1
        else:
            self._epairs += 1
        return self._epairs

    def start(
        self,
        argv: Sequence[str],
        *,
        log: Path,
        stdin: bytes | None = None,
        tty: bool = False,
    ) -> Process:
        """Record a long-running command; start it unless in dry-run mode."""
        self.commands.append(Recorded(tuple(argv), None, not self.dry_run))
        if not self.dry_run:
            return self.inner.start(argv, log=log, stdin=stdin, tty=tty)
        return _NotStarted()

    def read_file(self, path: str) -> str | None:
        """Read a file on the inner host."""
        return self.inner.read_file(path)

    def write_file(self, path: str, text: str) -> None:
        """Write a file on the inner host, unless in dry-run mode."""
        if not self.dry_run:
            self.inner.write_file(path, text)

    def remove_file(self, path: str) -> None:
        """Remove a file on the inner host, unless in dry-run mode."""
        if not self.dry_run:
            self.inner.remove_file(path)

    def now(self) -> datetime:
        """Return the inner host's time."""
        return self.inner.now()

    def random_bytes(self, count: int) -> bytes:
        """Return random bytes from the inner host."""
        return self.inner.random_bytes(count)

    def is_root(self) -> bool:
        """Tell whether the inner host allows changes."""
        return self.inner.is_root()
