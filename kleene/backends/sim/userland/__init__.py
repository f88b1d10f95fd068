"""The simulated userland: one module per program, and the dispatch table.

A program is found by the last component of ``argv[0]`` (``/sbin/ifconfig``
is ``ifconfig``). ``lookup`` raises ``CommandNotFound`` for a program the
simulation does not have; ``execute`` runs one and turns ``Usage`` into the
program's usage line with exit 64 (sim wording) and ``Exit`` into its status.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kleene.backends.sim.userland import (
    ifconfig,
    kldload,
    misc,
    netstat,
    pfctl,
    route,
    sysctl,
)
from kleene.backends.sim.userland.process import EX_USAGE, Exit, Process, Usage
from kleene.errors import CommandNotFound

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Program:
    """A simulated program: its entry point and its usage line."""

    main: Callable[[Process, list[str]], int]
    usage: str


PROGRAMS = {
    "ifconfig": Program(ifconfig.main, ifconfig.USAGE),
    "route": Program(route.main, route.USAGE),
    "netstat": Program(netstat.main, netstat.USAGE),
    "sysctl": Program(sysctl.main, sysctl.USAGE),
    "kldload": Program(kldload.main, kldload.USAGE),
    "pfctl": Program(pfctl.main, pfctl.USAGE),
    "cat": Program(misc.cat, misc.CAT_USAGE),
    "echo": Program(misc.echo, misc.NO_USAGE),
    "true": Program(misc.true, misc.NO_USAGE),
    "false": Program(misc.false, misc.NO_USAGE),
    "hostname": Program(misc.hostname, misc.HOSTNAME_USAGE),
    "date": Program(misc.date, misc.DATE_USAGE),
}


def program_name(argv0: str) -> str:
    """Return the name a program is found by: the last path component."""
    return argv0.rsplit("/", 1)[-1]


def lookup(argv: Sequence[str]) -> Program:
    """Return the program of an argv; CommandNotFound when there is none."""
    name = program_name(argv[0]) if argv else ""
    program = PROGRAMS.get(name)
    if program is None:
        raise CommandNotFound(name)
    return program


def execute(program: Program, proc: Process, args: list[str]) -> int:
    """Run a program to its end and return its exit status."""
    try:
        return program.main(proc, args)
    except Usage:
        proc.print(program.usage)
        return EX_USAGE
    except Exit as exit_:
        return exit_.status
