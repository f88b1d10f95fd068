"""Interfaces of a stack: look-up, cloning, destroy, rename and settings.

Owns the lifecycle of ``Interface`` objects: ``attach`` gives an interface
the stack's next index and puts it last in the listing order; cloners
(``lo``, ``bridge``, ``epair``, ``pflog``) hand out the lowest free unit of
the interface's ``home`` stack; destroying either end of an epair destroys
both; a destroyed interface leaves every bridge and takes its static routes
with it. ``flags`` computes ``if_flags`` from the driver's traits, the
administrative state and bridge membership (members are PROMISC).
"""

from __future__ import annotations

import ipaddress
import logging

from kleene.backends.sim.kernel import entropy, modules
from kleene.backends.sim.kernel.errno import Errno, KernelError
from kleene.backends.sim.kernel.iftypes import (
    CLONER_MODULES,
    CLONERS,
    IFF_PROMISC,
    TRAITS,
)
from kleene.backends.sim.world import IfKind, Interface, Stack, World

logger = logging.getLogger(__name__)

IFNAMSIZ = 16
BRIDGE_OUI = "58:9c:fc"
LOOPBACK_LINK_LOCAL = ipaddress.IPv6Interface("fe80::1/64")


def find(stack: Stack, name: str) -> Interface | None:
    """Return the interface of that name in a stack, or None."""
    for iface in stack.interfaces:
        if iface.name == name:
            return iface
    return None


def by_uid(stack: Stack, uid: int) -> Interface | None:
    """Return the interface with that uid in a stack, or None."""
    for iface in stack.interfaces:
        if iface.uid == uid:
            return iface
    return None


def locate(world: World, uid: int) -> tuple[Stack, Interface] | None:
    """Return the stack and interface of a uid anywhere in the world, or None."""
    for stack in world.stacks.values():
        iface = by_uid(stack, uid)
        if iface is not None:
            return stack, iface
    return None


def loopback(stack: Stack) -> Interface | None:
    """Return the stack's own ``lo0`` (the loopback of unit 0 born there)."""
    for iface in stack.interfaces:
        if iface.kind is IfKind.LOOPBACK and iface.unit == 0:
            return iface
    return None


def bridge_of(stack: Stack, iface: Interface) -> Interface | None:
    """Return the bridge that has this interface as a member, or None."""
    for bridge in stack.interfaces:
        if bridge.kind is IfKind.BRIDGE and iface.uid in bridge.members:
            return bridge
    return None


def flags(stack: Stack, iface: Interface) -> int:
    """Return the interface's ``if_flags`` value."""
    traits = TRAITS[iface.kind]
    value = traits.base_flags
    if iface.up:
        value |= traits.up_flags
    if bridge_of(stack, iface) is not None:
        value |= IFF_PROMISC
    return value


def attach(stack: Stack, iface: Interface) -> None:
    """Give an interface the stack's next index and list it last."""
    iface.index = stack.next_index
    stack.next_index += 1
    stack.interfaces.append(iface)


def new_interface(
    world: World, stack: Stack, kind: IfKind, name: str, unit: int | None
) -> Interface:
    """Create an interface of a driver with its defaults and attach it."""
    traits = TRAITS[kind]
    iface = Interface(
        uid=world.new_uid(),
        name=name,
        kind=kind,
        index=0,
        unit=unit,
        home=stack.name,
        mtu=traits.mtu,
        groups=list(traits.groups),
        nd6=traits.nd6 or 0,
    )
    attach(stack, iface)
    logger.info("created interface %s (index %d)", name, iface.index)
    return iface


def create_clone(
    world: World, stack: Stack, cloner: str, unit: int | None
) -> Interface:
    """Create an interface from a cloner; for an epair, return its ``a`` end."""
    kind = CLONERS.get(cloner)
    if kind is None:
        raise KernelError(Errno.EINVAL)
    names = _unit_names(cloner, kind)
    if unit is None:
        unit = _lowest_free_unit(world, stack, kind, names)
    elif _unit_taken(world, stack, kind, names, unit):
        raise KernelError(Errno.EEXIST)

    module = CLONER_MODULES.get(kind)
    if module is not None:
        modules.ensure_loaded(world, module)

    if kind is IfKind.EPAIR:
        return _create_epair(world, stack, unit)
    iface = new_interface(world, stack, kind, names[0].format(unit), unit)
    if kind is IfKind.BRIDGE:
        iface.mac = f"{BRIDGE_OUI}:{_mac_bytes(world, 3)}"
    return iface


def _create_epair(world: World, stack: Stack, unit: int) -> Interface:
    middle = _mac_bytes(world, 4)
    end_a = new_interface(world, stack, IfKind.EPAIR, f"epair{unit}a", unit)
    end_b = new_interface(world, stack, IfKind.EPAIR, f"epair{unit}b", unit)
    end_a.mac = f"02:{middle}:0a"
    end_b.mac = f"02:{middle}:0b"
    end_a.peer, end_b.peer = end_b.uid, end_a.uid
    return end_a


def _mac_bytes(world: World, count: int) -> str:
    return ":".join(f"{byte:02x}" for byte in entropy.draw(world, "mac", count))


def _unit_names(cloner: str, kind: IfKind) -> tuple[str, ...]:
    if kind is IfKind.EPAIR:
        return (cloner + "{}a", cloner + "{}b")
    return (cloner + "{}",)


def _lowest_free_unit(
    world: World, stack: Stack, kind: IfKind, names: tuple[str, ...]
) -> int:
    unit = 0
    while _unit_taken(world, stack, kind, names, unit):
        unit += 1
    return unit


def _unit_taken(
    world: World, stack: Stack, kind: IfKind, names: tuple[str, ...], unit: int
) -> bool:
    for other in world.stacks.values():
        for iface in other.interfaces:
            if iface.kind is kind and iface.home == stack.name and iface.unit == unit:
                return True
    return any(find(stack, name.format(unit)) is not None for name in names)


def destroy(world: World, stack: Stack, iface: Interface) -> None:
    """Destroy a cloned interface (both ends of an epair); EINVAL otherwise."""
    if iface.kind is IfKind.ETHERNET or (
        iface.kind is IfKind.LOOPBACK and iface.unit == 0
    ):
        raise KernelError(Errno.EINVAL)
    victims = [(stack, iface)]
    if iface.peer is not None:
        peer = locate(world, iface.peer)
        if peer is not None:
            victims.append(peer)
    for owner, victim in victims:
        detach(owner, victim)
        logger.info("destroyed interface %s", victim.name)


def detach(stack: Stack, iface: Interface) -> None:
    """Take an interface out of a stack: bridges, static routes, listing."""
    for bridge in stack.interfaces:
        if iface.uid in bridge.members:
            bridge.members.remove(iface.uid)
    iface.members.clear()
    stack.routes = [route for route in stack.routes if route.iface != iface.uid]
    stack.interfaces.remove(iface)


def rename(stack: Stack, iface: Interface, name: str) -> None:
    """Rename an interface; EEXIST when the name is taken in the stack."""
    if not name:
        raise KernelError(Errno.EINVAL)
    if len(name) >= IFNAMSIZ:
        raise KernelError(Errno.ENAMETOOLONG)
    if find(stack, name) is not None:
        raise KernelError(Errno.EEXIST)
    logger.info("renamed interface %s to %s", iface.name, name)
    iface.name = name


def set_up(iface: Interface, up: bool) -> None:
    """Bring an interface up or down; a loopback that comes up gets fe80::1."""
    if iface.up == up:
        return
    iface.up = up
    logger.info("interface %s %s", iface.name, "up" if up else "down")
    has_link_local = any(a.ip.is_link_local for a in iface.addresses)
    if up and TRAITS[iface.kind].link_local_on_up and not has_link_local:
        iface.addresses.append(LOOPBACK_LINK_LOCAL)


def set_description(iface: Interface, text: str | None) -> None:
    """Set or clear (None or empty) an interface's description."""
    iface.description = text or None
    logger.info("description of %s set to %r", iface.name, iface.description)


def set_mac(iface: Interface, mac: str) -> None:
    """Set the link-level address; EINVAL for a multicast address or no link layer."""
    if not TRAITS[iface.kind].has_ether or int(mac[:2], 16) & 1:
        raise KernelError(Errno.EINVAL)
    iface.mac = mac
    logger.info("link-level address of %s set to %s", iface.name, mac)


def set_mtu(iface: Interface, mtu: int) -> None:
    """Set the MTU; EINVAL outside the driver's range."""
    low = 72 if TRAITS[iface.kind].has_ether else 1
    if not low <= mtu <= 65535:
        raise KernelError(Errno.EINVAL)
    iface.mtu = mtu
    logger.info("mtu of %s set to %d", iface.name, mtu)
