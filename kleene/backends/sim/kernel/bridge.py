"""Bridge membership (``BRDGADD`` / ``BRDGDEL``), named as the ioctls name it.

A bridge keeps its members' uids in the order they were added (ifconfig
lists them most recent first). A member is in promiscuous mode while it
belongs to a bridge (``interfaces.flags``). The first member sets the
bridge's MTU; later members must match it, as ``if_bridge`` requires.
Frame forwarding and MAC learning come with the packet layer.
"""

from __future__ import annotations

import logging

from kleene.backends.sim.kernel import interfaces
from kleene.backends.sim.kernel.errno import Errno, KernelError
from kleene.backends.sim.world import IfKind, Interface, Stack

logger = logging.getLogger(__name__)

_MEMBER_KINDS = (IfKind.ETHERNET, IfKind.EPAIR)


def members(stack: Stack, bridge: Interface) -> list[Interface]:
    """Return a bridge's members in the order they were added."""
    found = (interfaces.by_uid(stack, uid) for uid in bridge.members)
    return [member for member in found if member is not None]


def add_member(stack: Stack, bridge: Interface, name: str) -> None:
    """Add the interface ``name`` to a bridge (ENOENT, EEXIST, EBUSY, EINVAL)."""
    if bridge.kind is not IfKind.BRIDGE:
        raise KernelError(Errno.EINVAL)
    member = interfaces.find(stack, name)
    if member is None:
        raise KernelError(Errno.ENOENT)
    if member.uid in bridge.members:
        raise KernelError(Errno.EEXIST)
    if interfaces.bridge_of(stack, member) is not None:
        raise KernelError(Errno.EBUSY)
    if member.kind not in _MEMBER_KINDS:
        raise KernelError(Errno.EINVAL)

    if not bridge.members:
        bridge.mtu = member.mtu
    elif member.mtu != bridge.mtu:
        raise KernelError(Errno.EINVAL)
    bridge.members.append(member.uid)
    logger.info("added %s to bridge %s", member.name, bridge.name)


def delete_member(stack: Stack, bridge: Interface, name: str) -> None:
    """Remove the interface ``name`` from a bridge (ENOENT if not a member)."""
    if bridge.kind is not IfKind.BRIDGE:
        raise KernelError(Errno.EINVAL)
    member = interfaces.find(stack, name)
    if member is None or member.uid not in bridge.members:
        raise KernelError(Errno.ENOENT)
    bridge.members.remove(member.uid)
    logger.info("removed %s from bridge %s", member.name, bridge.name)
