"""The interfaces pf sees at evaluation time, and ``(if)`` addresses resolved.

A rule names interfaces and interface addresses that may not exist yet
(SPEC §7.10); the evaluator asks an ``Interfaces`` lookup for them at the
moment a packet is filtered:

    IfInfo        one interface: its name, addresses and groups
    Interfaces    ``get(name) -> IfInfo | None``; a ``dict`` of ``IfInfo``
                  is one (tests use that), ``StackInterfaces`` reads a
                  simulated stack
    Prefix        an address and mask as integers, the unit of matching

``resolve`` turns ``(if)``, ``(if:network)``, ``(if:broadcast)``,
``(if:peer)``, ``(if:0)`` and ``(if)/bits`` into prefixes of one family as
FreeBSD's ``pfi_instance_add`` does: ``:network`` and ``:0`` leave out
IPv6 link-local addresses, ``:0`` keeps the first address of the family,
``:peer`` stands for nothing (the simulation has no point-to-point links).
A missing interface stands for no address.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from kleene.backends.sim.pf.model import InterfaceAddress, InterfaceMode

if TYPE_CHECKING:
    from kleene.backends.sim.world import Stack

IPInterface = ipaddress.IPv4Interface | ipaddress.IPv6Interface


@dataclass(frozen=True, slots=True)
class IfInfo:
    """An interface as pf sees it: its addresses and its groups."""

    name: str
    addresses: tuple[IPInterface, ...] = ()
    groups: tuple[str, ...] = ()

    def member_of(self, name: str) -> bool:
        """Tell whether a rule's ``on NAME`` names this interface or its group."""
        return name == self.name or name in self.groups


class Interfaces(Protocol):
    """Look interfaces up by name."""

    def get(self, name: str, /) -> IfInfo | None:
        """Return the interface called ``name``, or None when it is missing."""
        ...


class StackInterfaces:
    """The interfaces of a simulated stack, read when they are asked for."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack

    def get(self, name: str, /) -> IfInfo | None:
        """Return the stack's interface called ``name``, or None."""
        for iface in self.stack.interfaces:
            if iface.name == name:
                return IfInfo(name, tuple(iface.addresses), tuple(iface.groups))
        return None


@dataclass(frozen=True, slots=True)
class Prefix:
    """An address and a mask of one family, as integers."""

    af: int
    value: int
    mask: int

    @classmethod
    def of(
        cls, network: IPInterface | ipaddress.IPv4Network | ipaddress.IPv6Network
    ) -> Prefix:
        """Build the prefix of an interface address or a network."""
        net = network.network if isinstance(network, IPInterface) else network
        return cls(net.version, int(net.network_address), int(net.netmask))

    def contains(self, af: int, value: int) -> bool:
        """Tell whether an address of family ``af`` lies in the prefix."""
        return af == self.af and value & self.mask == self.value


def resolve(
    interfaces: Interfaces, address: InterfaceAddress, af: int
) -> tuple[Prefix, ...]:
    """Return what ``(if[:mode])`` stands for in family ``af`` now."""
    info = interfaces.get(address.ifname)
    if info is None or address.mode is InterfaceMode.PEER:
        return ()
    chosen = _addresses(info.addresses, address, af)
    if address.mode is InterfaceMode.NETWORK:
        return tuple(Prefix.of(item.network) for item in chosen)
    if address.mode is InterfaceMode.BROADCAST:
        return tuple(_host(item.network.broadcast_address) for item in chosen)
    if address.prefixlen is not None:
        return tuple(
            Prefix.of(ipaddress.ip_interface(f"{item.ip}/{address.prefixlen}"))
            for item in chosen
        )
    return tuple(_host(item.ip) for item in chosen)


def first_address(interfaces: Interfaces, ifname: str, af: int) -> str | None:
    """Return the address a translation to ``(if)`` uses, or None.

    The first global address of the family, else its first address.
    """
    info = interfaces.get(ifname)
    if info is None:
        return None
    family = [item for item in info.addresses if item.version == af]
    ranked = sorted(family, key=lambda item: item.is_link_local)
    return str(ranked[0].ip) if ranked else None


def _addresses(
    addresses: Sequence[IPInterface], address: InterfaceAddress, af: int
) -> list[IPInterface]:
    skip_link_local = address.mode is InterfaceMode.NETWORK or address.noalias
    chosen = [
        item
        for item in addresses
        if item.version == af and not (skip_link_local and item.is_link_local)
    ]
    if address.mode is InterfaceMode.BROADCAST and af == 6:
        return []
    return chosen[:1] if address.noalias else chosen


def _host(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> Prefix:
    full = (1 << ip.max_prefixlen) - 1
    return Prefix(ip.version, int(ip), full)
