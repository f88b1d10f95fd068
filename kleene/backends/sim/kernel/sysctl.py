"""Sysctls: the known OIDs, their defaults, and the values set per stack.

``net.*`` values are per network stack (VNET), as on FreeBSD; a stack keeps
only the values that were set. An OID owned by a module exists only while
that module is loaded (``net.link.bridge.*`` needs ``if_bridge``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from kleene.backends.sim.kernel import modules
from kleene.backends.sim.kernel.errno import Errno, KernelError
from kleene.backends.sim.world import Stack, World

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SysctlDef:
    """One OID: its default value, owning module and whether it may be set."""

    default: int | str
    module: str | None = None
    writable: bool = True


SYSCTLS = {
    "kern.ostype": SysctlDef("FreeBSD", writable=False),
    "kern.osrelease": SysctlDef("13.2-RELEASE", writable=False),
    "net.inet.ip.forwarding": SysctlDef(0),
    "net.inet6.ip6.forwarding": SysctlDef(0),
    "net.link.bridge.pfil_bridge": SysctlDef(0, module="if_bridge"),
    "net.link.bridge.pfil_member": SysctlDef(1, module="if_bridge"),
    "net.link.bridge.pfil_local_phys": SysctlDef(0, module="if_bridge"),
    "net.link.bridge.pfil_onlyip": SysctlDef(1, module="if_bridge"),
}


def _definition(world: World, oid: str) -> SysctlDef:
    definition = SYSCTLS.get(oid)
    if definition is None:
        raise KernelError(Errno.ENOENT)
    module = definition.module
    if module is not None and not modules.is_loaded(world, module):
        raise KernelError(Errno.ENOENT)
    return definition


def get(world: World, stack: Stack, oid: str) -> int | str:
    """Return an OID's value in a stack; ENOENT for an unknown OID."""
    definition = _definition(world, oid)
    return stack.sysctls.get(oid, definition.default)


def set_value(world: World, stack: Stack, oid: str, text: str) -> int | str:
    """Set an OID from its text form and return the old value (EPERM, EINVAL)."""
    definition = _definition(world, oid)
    if not definition.writable:
        raise KernelError(Errno.EPERM)
    old = get(world, stack, oid)
    value: int | str = text
    if isinstance(definition.default, int):
        try:
            value = int(text, 0)
        except ValueError:
            raise KernelError(Errno.EINVAL) from None
    stack.sysctls[oid] = value
    logger.info("sysctl %s set to %s (was %s)", oid, value, old)
    return old
