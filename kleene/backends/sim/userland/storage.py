"""zfs(8), mount(8) and umount(8), as far as kleene uses them.

- ``zfs clone SNAPSHOT DATASET``, ``zfs list -H -o mountpoint DATASET``,
  ``zfs destroy -rf DATASET``: datasets are recorded; the mountpoint of
  ``a/b/c`` is ``/a/b/c``. Errors are zfs's: ``cannot open 'D': dataset
  does not exist``, ``cannot create 'D': dataset already exists``, exit 1.
- ``mount [--libxo json] [-t devfs]``: the devfs mounts, the host's ``/dev``
  first; JSON is reference §11's shape. ``umount PATH``: unmount, or
  ``umount: PATH: not a file system root directory``, exit 1.
"""

from __future__ import annotations

import getopt
import json

from kleene.backends.sim.kernel import mounts
from kleene.backends.sim.kernel.errno import Errno, KernelError
from kleene.backends.sim.userland.netstat import strip_libxo
from kleene.backends.sim.userland.process import Process, Usage

ZFS_USAGE = (
    "usage: zfs clone <snapshot> <filesystem> | "
    "list -H -o mountpoint <filesystem> | destroy -rf <filesystem>"
)
MOUNT_USAGE = "usage: mount [--libxo json] [-t devfs]"
UMOUNT_USAGE = "usage: umount node"


def zfs(proc: Process, args: list[str]) -> int:
    """Run zfs."""
    if len(args) == 3 and args[0] == "clone":
        _clone(proc, args[1], args[2])
    elif args[:4] == ["list", "-H", "-o", "mountpoint"] and len(args) == 5:
        proc.print(_mountpoint(proc, args[4]))
    elif args[:1] == ["destroy"] and len(args) == 3 and args[1] in ("-rf", "-fr"):
        _destroy(proc, args[2])
    else:
        raise Usage
    return 0


def _clone(proc: Process, snapshot: str, dataset: str) -> None:
    try:
        mounts.clone(proc.world, snapshot, dataset)
    except KernelError as exc:
        if exc.errno is Errno.EEXIST:
            proc.fail(f"cannot create '{dataset}': dataset already exists")
        proc.fail(f"cannot create '{dataset}': invalid dataset name")


def _mountpoint(proc: Process, dataset: str) -> str:
    try:
        return mounts.mountpoint(proc.world, dataset)
    except KernelError:
        proc.fail(f"cannot open '{dataset}': dataset does not exist")


def _destroy(proc: Process, dataset: str) -> None:
    try:
        mounts.destroy(proc.world, dataset)
    except KernelError:
        proc.fail(f"cannot open '{dataset}': dataset does not exist")


def mount(proc: Process, args: list[str]) -> int:
    """Run mount (listing only)."""
    args, as_json = strip_libxo(args)
    try:
        options, rest = getopt.getopt(args, "t:")
    except getopt.GetoptError:
        raise Usage from None
    if rest or any(value != "devfs" for _, value in options):
        raise Usage
    listed = mounts.listing(proc.world)
    if as_json:
        rows = [
            {"fstype": m.fstype, "special": m.special, "node": m.node} for m in listed
        ]
        proc.print(json.dumps({"mount": {"mounted": rows}}))
    else:
        for entry in listed:
            proc.print(f"{entry.special} on {entry.node} ({entry.fstype}, local)")
    return 0


def umount(proc: Process, args: list[str]) -> int:
    """Run umount."""
    if len(args) != 1 or args[0].startswith("-"):
        raise Usage
    try:
        mounts.unmount(proc.world, args[0])
    except KernelError:
        proc.fail(f"umount: {args[0]}: not a file system root directory")
    return 0
