"""Kernel modules: which are loaded, which exist, what loading one brings.

A fresh host has ``pf`` and ``pflog`` loaded (SPEC §7.2). ``if_bridge`` pulls
in ``bridgestp``, as on FreeBSD; creating a bridge or an epair loads its module.
Sysctls that belong to a module (``net.link.bridge.*``) exist once it is loaded
(``kernel.sysctl`` asks ``is_loaded``).
"""

from __future__ import annotations

import logging

from kleene.backends.sim.kernel.errno import Errno, KernelError
from kleene.backends.sim.world import World

logger = logging.getLogger(__name__)

AVAILABLE = ("pf", "pflog", "pfsync", "if_bridge", "bridgestp", "if_epair")
_DEPENDENCIES = {"if_bridge": ("bridgestp",)}


def is_loaded(world: World, name: str) -> bool:
    """Tell whether a module is loaded."""
    return name in world.modules


def load(world: World, name: str) -> None:
    """Load a module and its dependencies; EEXIST if loaded, ENOENT if unknown."""
    if name not in AVAILABLE:
        raise KernelError(Errno.ENOENT)
    if is_loaded(world, name):
        raise KernelError(Errno.EEXIST)
    for dependency in _DEPENDENCIES.get(name, ()):
        if not is_loaded(world, dependency):
            load(world, dependency)
    world.modules.append(name)
    logger.info("loaded kernel module %s", name)


def ensure_loaded(world: World, name: str) -> None:
    """Load a module unless it is loaded already."""
    if not is_loaded(world, name):
        load(world, name)
