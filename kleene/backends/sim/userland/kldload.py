"""kldload(8) and kldstat(8): load kernel modules and ask whether one is loaded.

``-n`` skips a module that is loaded already, silently. Without it, a loaded
module is FreeBSD's ``kldload: can't load M: module already loaded or in
kernel`` and an unknown one ``kldload: can't load M: No such file or
directory``, exit 1.
"""

from __future__ import annotations

import getopt

from kleene.backends.sim.kernel import modules
from kleene.backends.sim.kernel.errno import Errno, KernelError
from kleene.backends.sim.userland.process import Process, Usage

USAGE = "usage: kldload [-nqv] file ..."


def main(proc: Process, args: list[str]) -> int:
    """Run kldload."""
    try:
        options, names = getopt.getopt(args, "nq")
    except getopt.GetoptError:
        raise Usage from None
    if not names:
        raise Usage
    skip_loaded = ("-n", "") in options

    status = 0
    for name in names:
        module = name.rsplit("/", 1)[-1].removesuffix(".ko")
        if skip_loaded and modules.is_loaded(proc.world, module):
            continue
        try:
            modules.load(proc.world, module)
        except KernelError as exc:
            reason = (
                "module already loaded or in kernel"
                if exc.errno is Errno.EEXIST
                else exc.text
            )
            proc.print(f"kldload: can't load {name}: {reason}")
            status = 1
    return status


KLDSTAT_USAGE = "usage: kldstat [-q] [-v] [-i id] [-n filename] [-m modname]"


def kldstat(proc: Process, args: list[str]) -> int:
    """Run kldstat for one module: ``[-q] -m MODULE`` (exit 1 when absent)."""
    try:
        options, rest = getopt.getopt(args, "qm:")
    except getopt.GetoptError:
        raise Usage from None
    names = [value for flag, value in options if flag == "-m"]
    if rest or len(names) != 1:
        raise Usage
    name, quiet = names[0], ("-q", "") in options
    if modules.is_loaded(proc.world, name):
        if not quiet:
            proc.print("Id  Refs Name")
            proc.print(f"{1:3d} {1:5d} {name}")
        return 0
    if not quiet:
        proc.print(f"kldstat: can't find module {name}: No such file or directory")
    return 1
