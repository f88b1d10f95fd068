"""The routing table of a stack: interface routes plus static routes.

Interface routes follow from the addresses, so they can never go stale
(an address brings its routes and takes them away):

- an address on a broadcast interface: its prefix (``10.0.2.0/24 link#1 U
  em0``, none for a /32 or /128) and a local host route through the stack's
  loopback (``10.0.2.15 link#1 UHS lo0``);
- an IPv4 address on a loopback: a host route through that loopback
  (``127.0.0.1 link#3 UH lo0``, ``10.2.3.1 link#5 UH kleene0``);
- an IPv6 address on a loopback: as on a broadcast interface
  (``fe80::%lo0/64 link#3 U lo0``, ``fe80::1%lo0 link#3 UHS lo0``).

Static routes (``UGS``, from route(8)) are stored in the stack with the
interface their gateway was reachable through; they go when that interface
goes or no longer reaches the gateway (``prune``). The first of several
routes to one destination wins. ``table`` lists routes in FreeBSD's radix
order: by destination with a link-local scope embedded as KAME does, then
more specific first. FreeBSD's reject routes (``::/96``, ``ff02::/16``...)
are not modelled.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterator
from dataclasses import dataclass

from kleene.backends.sim.kernel import interfaces
from kleene.backends.sim.kernel.errno import Errno, KernelError
from kleene.backends.sim.world import (
    IfKind,
    Interface,
    IPAddress,
    IPInterface,
    IPNetwork,
    Stack,
    StaticRoute,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RouteEntry:
    """One row of a routing table."""

    destination: IPNetwork
    gateway: IPAddress | None
    link: Interface
    netif: Interface
    flags: str

    @property
    def scoped(self) -> bool:
        """Tell whether the destination is link-local (scoped to ``link``)."""
        return self.destination.version == 6 and (
            self.destination.network_address.is_link_local
        )


def table(stack: Stack, version: int) -> list[RouteEntry]:
    """Return the routes of one IP version in radix order."""
    unique: dict[tuple[IPNetwork, int], RouteEntry] = {}
    for entry in (*_interface_routes(stack), *_static_routes(stack)):
        if entry.destination.version != version:
            continue
        key = (entry.destination, entry.link.uid if entry.scoped else 0)
        unique.setdefault(key, entry)
    return sorted(unique.values(), key=_radix_key)


def _radix_key(entry: RouteEntry) -> tuple[int, int]:
    value = int(entry.destination.network_address)
    if entry.scoped:
        value |= entry.link.index << 96
    return value, -entry.destination.prefixlen


def _interface_routes(stack: Stack) -> Iterator[RouteEntry]:
    lo0 = interfaces.loopback(stack)
    for iface in stack.interfaces:
        for address in iface.addresses:
            yield from _address_routes(iface, address, lo0 or iface)


def _address_routes(
    iface: Interface, address: IPInterface, lo0: Interface
) -> Iterator[RouteEntry]:
    host = ipaddress.ip_network(address.ip)
    if iface.kind is IfKind.LOOPBACK and address.version == 4:
        yield RouteEntry(host, None, iface, iface, "UH")
        return
    if address.network.prefixlen < address.network.max_prefixlen:
        yield RouteEntry(address.network, None, iface, iface, "U")
    yield RouteEntry(host, None, iface, lo0, "UHS")


def _static_routes(stack: Stack) -> Iterator[RouteEntry]:
    for route in stack.routes:
        iface = interfaces.by_uid(stack, route.iface)
        if iface is not None:
            yield RouteEntry(route.destination, route.gateway, iface, iface, "UGS")


def lookup(stack: Stack, address: IPAddress) -> RouteEntry | None:
    """Return the most specific route to an address, or None."""
    best: RouteEntry | None = None
    for entry in table(stack, address.version):
        if address in entry.destination and (
            best is None or entry.destination.prefixlen > best.destination.prefixlen
        ):
            best = entry
    return best


def connected_interface(stack: Stack, gateway: IPAddress) -> Interface | None:
    """Return the interface through which a gateway is directly reachable."""
    if isinstance(gateway, ipaddress.IPv6Address) and gateway.is_link_local:
        scope = gateway.scope_id
        return interfaces.find(stack, scope) if scope else None
    for iface in stack.interfaces:
        for address in iface.addresses:
            if address.version != gateway.version:
                continue
            if address.ip == gateway:
                return iface
            on_link = not (iface.kind is IfKind.LOOPBACK and address.version == 4)
            if on_link and gateway in address.network:
                return iface
    return None


def add_static(stack: Stack, destination: IPNetwork, gateway: IPAddress) -> None:
    """Add a route via a gateway (ENETUNREACH, then EEXIST, as FreeBSD checks)."""
    iface = connected_interface(stack, gateway)
    if iface is None:
        raise KernelError(Errno.ENETUNREACH)
    if any(e.destination == destination for e in table(stack, destination.version)):
        raise KernelError(Errno.EEXIST)
    stored = ipaddress.ip_address(str(gateway).split("%")[0])
    stack.routes.append(StaticRoute(destination, stored, iface.uid))
    logger.info("added route to %s via %s on %s", destination, stored, iface.name)


def delete_static(stack: Stack, destination: IPNetwork) -> None:
    """Delete the static route to a destination; ESRCH when there is none."""
    for route in stack.routes:
        if route.destination == destination:
            stack.routes.remove(route)
            logger.info("deleted route to %s", destination)
            return
    raise KernelError(Errno.ESRCH)


def prune(stack: Stack) -> None:
    """Drop static routes whose interface no longer reaches their gateway."""
    for route in list(stack.routes):
        iface = interfaces.by_uid(stack, route.iface)
        gateway = _scoped_gateway(route, iface)
        if iface is None or connected_interface(stack, gateway) is not iface:
            stack.routes.remove(route)
            logger.info("dropped route to %s: gateway unreachable", route.destination)


def _scoped_gateway(route: StaticRoute, iface: Interface | None) -> IPAddress:
    gateway = route.gateway
    if iface is not None and gateway.version == 6 and gateway.is_link_local:
        return ipaddress.IPv6Address(f"{gateway}%{iface.name}")
    return gateway
