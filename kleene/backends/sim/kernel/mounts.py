"""File systems: ZFS datasets (recorded by name) and devfs mounts.

ZFS (SPEC §7.5): ``clone`` records a dataset, ``destroy`` removes it and its
descendants; the mountpoint of ``a/b/c`` is ``/a/b/c``. Snapshots are not
checked: any ``name@snap`` may be cloned. Mounts: devfs only; ``/dev`` of the
host is always mounted and listed first.
"""

from __future__ import annotations

import logging
import posixpath

from kleene.backends.sim.kernel.errno import Errno, KernelError
from kleene.backends.sim.records import Mount
from kleene.backends.sim.world import World

logger = logging.getLogger(__name__)

HOST_DEV = Mount(node="/dev")


def clone(world: World, snapshot: str, dataset: str) -> None:
    """Record a clone of a snapshot (EINVAL for bad names, EEXIST if taken)."""
    if "@" not in snapshot or not _valid(dataset):
        raise KernelError(Errno.EINVAL)
    if dataset in world.datasets:
        raise KernelError(Errno.EEXIST)
    world.datasets.append(dataset)
    logger.info("cloned %s to dataset %s", snapshot, dataset)


def mountpoint(world: World, dataset: str) -> str:
    """Return the mountpoint of a dataset (ENOENT when it does not exist)."""
    if dataset not in world.datasets:
        raise KernelError(Errno.ENOENT)
    return "/" + dataset


def destroy(world: World, dataset: str) -> None:
    """Destroy a dataset and its descendants (ENOENT when it does not exist)."""
    if dataset not in world.datasets:
        raise KernelError(Errno.ENOENT)
    world.datasets = [
        name
        for name in world.datasets
        if name != dataset and not name.startswith(dataset + "/")
    ]
    logger.info("destroyed dataset %s", dataset)


def _valid(dataset: str) -> bool:
    return bool(dataset) and "@" not in dataset and "//" not in dataset


def mount_devfs(world: World, node: str) -> None:
    """Mount a devfs at ``node``."""
    world.mounts.append(Mount(node=posixpath.normpath(node)))
    logger.info("mounted devfs on %s", node)


def unmount(world: World, node: str) -> None:
    """Unmount what is mounted at ``node`` (EINVAL when nothing is)."""
    node = posixpath.normpath(node)
    for mount in reversed(world.mounts):
        if mount.node == node:
            world.mounts.remove(mount)
            logger.info("unmounted %s", node)
            return
    raise KernelError(Errno.EINVAL)


def listing(world: World) -> list[Mount]:
    """Return every mount, the host's ``/dev`` first."""
    return [HOST_DEV, *world.mounts]
