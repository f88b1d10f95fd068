"""Small programs: cat, echo, true, false, hostname, date.

``cat`` reads the simulated filesystem (``-`` or no file: stdin) and prints
``cat: FILE: No such file or directory`` for a missing file, going on with
the next and exiting 1. ``echo`` knows ``-n``. ``date`` prints the virtual
clock in FreeBSD's format, ``Mon Jan  1 00:00:00 UTC 2024`` (``-u`` is
accepted: the simulated host runs in UTC).
"""

from __future__ import annotations

from kleene.backends.sim.kernel import clock, files
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
    proc.print(proc.world.hostname)
    return 0


def date(proc: Process, args: list[str]) -> int:
    """Print the virtual time."""
    if args not in ([], ["-u"]):
        raise Usage
    proc.print(clock.date_text(clock.now(proc.world)))
    return 0
