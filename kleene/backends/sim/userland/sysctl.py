"""sysctl(8): read and set OIDs (``[-n] OID...``, ``OID=VALUE``).

Formats (SPEC §7.7): ``OID: VALUE``; ``-n`` prints ``VALUE``; setting prints
``OID: OLD -> NEW`` (``OLD -> NEW`` with ``-n``). An unknown OID prints
``sysctl: unknown oid 'OID'``; sysctl goes on with the next argument and
exits with the number of failures, as FreeBSD's does.
"""

from __future__ import annotations

import getopt

from kleene.backends.sim.kernel import sysctl
from kleene.backends.sim.kernel.errno import Errno, KernelError
from kleene.backends.sim.userland.process import Process, Usage

USAGE = "usage: sysctl [-n] name[=value] ..."


def main(proc: Process, args: list[str]) -> int:
    """Run sysctl."""
    try:
        options, oids = getopt.getopt(args, "n")
    except getopt.GetoptError:
        raise Usage from None
    if not oids:
        raise Usage
    bare = bool(options)

    status = 0
    for argument in oids:
        oid, equals, value = argument.partition("=")
        try:
            if equals:
                _set(proc, oid, value, bare)
            else:
                shown = sysctl.get(proc.world, proc.stack, oid)
                proc.print(f"{shown}" if bare else f"{oid}: {shown}")
        except KernelError as exc:
            proc.print(_message(exc.errno, oid, value))
            status += 1
    return status


def _set(proc: Process, oid: str, value: str, bare: bool) -> None:
    old = sysctl.set_value(proc.world, proc.stack, oid, value)
    new = sysctl.get(proc.world, proc.stack, oid)
    proc.print(f"{old} -> {new}" if bare else f"{oid}: {old} -> {new}")


def _message(errno: Errno, oid: str, value: str) -> str:
    if errno is Errno.EPERM:
        return f"sysctl: oid '{oid}' is read only"
    if errno is Errno.EINVAL:
        return f"sysctl: invalid integer '{value}'"
    return f"sysctl: unknown oid '{oid}'"
