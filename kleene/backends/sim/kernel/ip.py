"""IP input, output and forwarding for every stack (IPv4 and IPv6 alike).

- ``output``: a stack sends a packet. A local destination goes over the
  loopback that carries it (the loopback clone holding an IPv4 address, else
  the stack's ``lo0``): pf ``out`` then ``in`` on it, then local delivery.
  Otherwise the longest-prefix route picks the interface and next hop, pf
  checks ``out``, and the neighbour layer frames it. No route is
  ``EHOSTUNREACH``; a locally generated packet that pf blocks is ``EACCES``.
- ``input``: a packet arrives on an interface: pf ``in``, then delivery
  (ICMP, UDP, TCP) if it is for one of the stack's addresses, else
  forwarding when the stack's ``forwarding`` sysctl allows it: TTL/hop limit
  decremented (time exceeded at 1), route, pf ``out``, send; no route is an
  ICMP unreachable back to the sender.
- ``lookup``: the route cache of a stack (one dict per prefix length).
- ``select_source``: the source of an unbound socket (SPEC §7.1, §4.12).

The gateway stack (``outside``) has no default route: what it cannot route
goes to the internet (``outside.to_internet``), and it drops, silently, any
packet from its LAN whose source is outside ``10.0.2.0/24``.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import replace
from typing import Any

from kleene.backends.sim.kernel import (
    capture,
    interfaces,
    link,
    neighbor,
    pfhook,
    routes,
)
from kleene.backends.sim.kernel.errno import Errno
from kleene.backends.sim.kernel.pfhook import Direction
from kleene.backends.sim.kernel.runtime import Runtime
from kleene.backends.sim.packets import ICMP, TCP, UDP, ICMPv6, IPv4, IPv6, Packet
from kleene.backends.sim.records import Driver, Jail
from kleene.backends.sim.world import IfKind, Interface, Stack

logger = logging.getLogger(__name__)

FORWARDING = {4: "net.inet.ip.forwarding", 6: "net.inet6.ip6.forwarding"}
GATEWAY_ROLE = "gateway"
OUTSIDE_NET = ipaddress.IPv4Network("10.0.2.0/24")


def version(packet: Packet) -> int:
    """Return the IP version of a packet."""
    return 4 if isinstance(packet, IPv4) else 6


def lookup(rt: Runtime, stack: Stack, address: str) -> routes.RouteEntry | None:
    """Return the longest-prefix route of a stack to an address."""
    family = 6 if ":" in address else 4
    key = (stack.name, family)
    cache = rt.caches.routes.get(key)
    if cache is None:
        cache = _route_cache(stack, family)
        rt.caches.routes[key] = cache
    value = rt.ip_int(address.split("%")[0])
    bits = 32 if family == 4 else 128
    for length, table in cache:
        mask = ((1 << length) - 1) << (bits - length)
        entry = table.get(value & mask)
        if entry is not None:
            found: routes.RouteEntry = entry
            return found
    return None


def _route_cache(stack: Stack, family: int) -> list[tuple[int, dict[int, Any]]]:
    buckets: dict[int, dict[int, routes.RouteEntry]] = {}
    for entry in routes.table(stack, family):
        network = entry.destination
        bucket = buckets.setdefault(network.prefixlen, {})
        bucket.setdefault(int(network.network_address), entry)
    return sorted(buckets.items(), reverse=True)


def loopback_for(stack: Stack, iface: Interface, packet: Packet) -> Interface:
    """Return the loopback that carries traffic to a local address."""
    if iface.kind is IfKind.LOOPBACK and isinstance(packet, IPv4):
        return iface
    return interfaces.loopback(stack) or iface


def output(
    rt: Runtime, stack: Stack, packet: Packet, generated: bool = True
) -> Errno | None:
    """Send a packet from a stack; return an errno when it cannot be sent."""
    local = rt.local(stack).get(packet.dst)
    if local is not None:
        lo = loopback_for(stack, local, packet)
        checked = pfhook.check(rt, stack, lo.name, Direction.OUT, packet)
        if checked is None:
            return Errno.EACCES if generated else None
        lo.opackets += 1
        rt.later(_loop_input, rt, stack, lo, checked)
        return None
    route = lookup(rt, stack, packet.dst)
    if route is None:
        if stack.role == GATEWAY_ROLE:
            _to_internet(rt, packet)
            return None
        return Errno.EHOSTUNREACH
    return _send_routed(rt, stack, route, packet, generated)


def _send_routed(
    rt: Runtime,
    stack: Stack,
    route: routes.RouteEntry,
    packet: Packet,
    generated: bool,
) -> Errno | None:
    iface = route.link
    if not iface.up:
        return Errno.ENETDOWN
    checked = pfhook.check(rt, stack, iface.name, Direction.OUT, packet)
    if checked is None:
        return Errno.EACCES if generated else None
    if iface.kind is IfKind.LOOPBACK or iface.mac is None:
        return None
    nexthop = checked.dst if route.gateway is None else str(route.gateway)
    neighbor.send(rt, stack, iface, nexthop, checked)
    return None


def _loop_input(rt: Runtime, stack: Stack, lo: Interface, packet: Packet) -> None:
    lo.ipackets += 1
    rt.frames += 1
    if rt.world.captures:
        capture.record(rt, lo, packet)
    checked = pfhook.check(rt, stack, lo.name, Direction.IN, packet)
    if checked is not None:
        deliver(rt, stack, lo, checked)


def input(rt: Runtime, stack: Stack, iface: Interface, packet: Packet) -> None:
    """Take in a packet that arrived on an interface."""
    checked = pfhook.check(rt, stack, iface.name, Direction.IN, packet)
    if checked is None:
        return
    dst = checked.dst
    if dst in rt.local(stack) or _is_multicast(dst):
        deliver(rt, stack, iface, checked)
    else:
        forward(rt, stack, iface, checked)


def _is_multicast(address: str) -> bool:
    return address.startswith("ff0") or address == "255.255.255.255"


def deliver(rt: Runtime, stack: Stack, iface: Interface, packet: Packet) -> None:
    """Hand a packet for this stack to its protocol."""
    from kleene.backends.sim.kernel import icmp, tcp, udp

    payload = packet.payload
    if isinstance(payload, TCP):
        tcp.input(rt, stack, packet, payload)
    elif isinstance(payload, UDP):
        udp.input(rt, stack, iface, packet, payload)
    elif isinstance(payload, ICMP):
        icmp.input4(rt, stack, iface, packet, payload)
    elif isinstance(payload, ICMPv6):
        icmp.input6(rt, stack, iface, packet, payload)


def forward(rt: Runtime, stack: Stack, iface: Interface | None, packet: Packet) -> None:
    """Forward a packet that is not for this stack, if forwarding is on."""
    from kleene.backends.sim.kernel import icmp

    family = version(packet)
    if not stack.sysctls.get(FORWARDING[family], 0):
        return
    if stack.role == GATEWAY_ROLE and iface is not None and not _from_lan(packet):
        return
    ttl = packet.ttl if isinstance(packet, IPv4) else packet.hlim
    if ttl <= 1:
        icmp.time_exceeded(rt, stack, iface, packet)
        return
    packet = (
        replace(packet, ttl=ttl - 1)
        if isinstance(packet, IPv4)
        else replace(packet, hlim=ttl - 1)
    )
    route = lookup(rt, stack, packet.dst)
    if route is None:
        if stack.role == GATEWAY_ROLE:
            _to_internet(rt, packet)
        else:
            icmp.unreachable(rt, stack, iface, packet, icmp.Reason.HOST)
        return
    _send_routed(rt, stack, route, packet, False)


def from_internet(rt: Runtime, stack: Stack, packet: Packet) -> None:
    """Take in a packet the internet sends to the gateway stack."""
    if packet.dst in rt.local(stack):
        deliver(rt, stack, stack.interfaces[0], packet)
    else:
        forward(rt, stack, None, packet)


def _from_lan(packet: Packet) -> bool:
    return isinstance(packet, IPv4) and ipaddress.IPv4Address(packet.src) in OUTSIDE_NET


def _to_internet(rt: Runtime, packet: Packet) -> None:
    from kleene.backends.sim.kernel import outside

    outside.to_internet(rt, packet)


def select_source(
    rt: Runtime, stack: Stack, jail: Jail | None, dst: str
) -> str | Errno:
    """Return the source address for a packet to ``dst``, or an errno."""
    family = 6 if ":" in dst else 4
    if jail is not None and jail.driver is Driver.IPNET:
        own = jail.addrs(family)
        return own[0] if own else Errno.EADDRNOTAVAIL
    if dst in rt.local(stack):
        return dst
    route = lookup(rt, stack, dst)
    if route is None:
        if stack.role == GATEWAY_ROLE:
            return _first_address(stack.interfaces[0], family) or Errno.EADDRNOTAVAIL
        return Errno.EHOSTUNREACH
    target = ipaddress.ip_address(str(route.gateway or dst).split("%")[0])
    for address in route.link.addresses:
        usable = address.version == family and not address.ip.is_link_local
        if usable and target in address.network:
            return str(address.ip)
    return _first_address(route.link, family, dst) or Errno.EADDRNOTAVAIL


def _first_address(iface: Interface, family: int, dst: str = "") -> str | None:
    link_local = None
    for address in iface.addresses:
        if address.version != family:
            continue
        if not address.ip.is_link_local:
            return str(address.ip)
        link_local = link_local or str(address.ip)
    return link_local if dst.startswith("fe80") else None


link.register(IPv4, input)
link.register(IPv6, input)
