"""Small programs: cat, echo, true, false, hostname, date, sleep.

``cat`` reads the simulated filesystem (``-`` or no file: stdin) and prints
``cat: FILE: No such file or directory`` for a missing file, going on with
the next and exiting 1. ``echo`` knows ``-n``. ``date`` prints the virtual
clock in FreeBSD's format, ``Mon Jan  1 00:00:00 UTC 2024`` (``-u`` is
accepted: the simulated host runs in UTC). ``hostname`` prints the jail's
``host.hostname`` inside a jail. ``sleep S`` waits on a virtual timer.
"""

from __future__ import annotations

from kleene.backends.sim.kernel import clock, files, procs
from kleene.backends.sim.kernel.runtime import Runtime, Status
from kleene.backends.sim.records import ProcRecord
from kleene.backends.sim.userland.execute import Waiting
from kleene.backends.sim.userland.process import Process, Usage

CAT_USAGE = "usage: cat [-belnstuv] [file ...]"
DATE_USAGE = "usage: date [-u]"
HOSTNAME_USAGE = "usage: hostname"
NO_USAGE = ""


def cat(proc: Process, args: list[str]) -> int:
    """Print files, or stdin."""
    if any(arg.startswith("-") and arg != "-" for arg in args):
        raise Usage
    status = 0
    for path in args or ["-"]:
        text = proc.stdin if path == "-" else files.read(proc.world, path)
        if text is None:
            proc.print(f"cat: {path}: No such file or directory")
            status = 1
        else:
            proc.write(text)
    return status


def echo(proc: Process, args: list[str]) -> int:
    """Print the arguments."""
    newline = args[:1] != ["-n"]
    words = args if newline else args[1:]
    proc.write(" ".join(words) + ("\n" if newline else ""))
    return 0


def true(proc: Process, args: list[str]) -> int:
    """Succeed."""
    return 0


def false(proc: Process, args: list[str]) -> int:
    """Fail."""
    return 1


def hostname(proc: Process, args: list[str]) -> int:
    """Print the host name."""
    if args:
        raise Usage
    jail = proc.jail
    proc.print(proc.world.hostname if jail is None else jail.hostname)
    return 0


def date(proc: Process, args: list[str]) -> int:
    """Print the virtual time."""
    if args not in ([], ["-u"]):
        raise Usage
    proc.print(clock.date_text(clock.now(proc.world)))
    return 0


SLEEP_USAGE = "usage: sleep seconds"
SLEEP_PROG = "sleep"


def sleep(proc: Process, args: list[str]) -> int | None:
    """Wait for a number of (virtual) seconds."""
    if len(args) != 1:
        raise Usage
    try:
        seconds = float(args[0])
    except ValueError:
        raise Usage from None
    if seconds <= 0:
        return 0
    procs.set_timer(proc.rt, proc.record.pid, round(seconds * 1_000_000), "wake")
    proc.record.prog = SLEEP_PROG
    return None


class Sleeper(Waiting):
    """sleep(1), waiting for its timer."""

    def on_timer(self, rt: Runtime, proc: ProcRecord, tag: str) -> Status:
        """Wake up and exit 0."""
        return 0


SLEEP_HANDLER = Sleeper()
