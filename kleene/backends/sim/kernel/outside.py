"""The outside world behind ``em0`` (SPEC §7.4).

Two machines share ``em0``'s Ethernet segment (``world.segments``):

- ``outside``: the gateway 10.0.2.2 (``52:54:00:12:35:02``), a stack with
  forwarding on and no default route; what it cannot route goes to the
  internet (``to_internet``). It drops any packet from the LAN whose source
  is outside 10.0.2.0/24 (``ip.forward``). ``klee sim outside`` runs its
  ``ping``, ``nc`` and ``host``.
- ``resolver``: 10.0.2.3 (``52:54:00:12:35:03``), a DNS resolver
  (``udp``), default route via the gateway.

The internet is not a stack: every global unicast IPv4 address answers
echo (TTL 64 when sent), accepts TCP on 22, 80 and 443 (discarding data,
closing when asked), answers RST on other TCP ports, and drops other UDP;
1.1.1.1 also answers DNS. Replies enter the gateway as forwarded packets, so
they arrive with TTL 63 at the host. There is no IPv6 outside.
"""

from __future__ import annotations

import ipaddress
import logging

from kleene.backends.sim.kernel import dnszone, interfaces, routes
from kleene.backends.sim.kernel.runtime import Runtime
from kleene.backends.sim.packets import (
    ACK,
    DNS,
    FIN,
    ICMP,
    RST,
    SYN,
    TCP,
    UDP,
    IPv4,
    Packet,
    echo_reply,
    ipv4,
)
from kleene.backends.sim.packets.layers import ICMP_ECHO_REQUEST
from kleene.backends.sim.world import (
    OUTSIDE_STACK,
    RESOLVER_STACK,
    IfKind,
    Stack,
    World,
)

logger = logging.getLogger(__name__)

GATEWAY = ("52:54:00:12:35:02", "10.0.2.2/24")
RESOLVER = ("52:54:00:12:35:03", "10.0.2.3/24")
OPEN_PORTS = (22, 80, 443)
INTERNET_RESOLVER = "1.1.1.1"
INTERNET_TTL = 64
INTERNET_ISN = 0x1000


def build(world: World) -> None:
    """Add the outside machines and their segment with em0 to a world."""
    gateway = _machine(world, OUTSIDE_STACK, "gateway", GATEWAY)
    gateway.sysctls["net.inet.ip.forwarding"] = 1
    resolver = _machine(world, RESOLVER_STACK, "resolver", RESOLVER)
    default = ipaddress.ip_network("0.0.0.0/0")
    routes.add_static(resolver, default, ipaddress.ip_address("10.0.2.2"))
    em0 = interfaces.find(world.host, "em0")
    segment = [gateway.interfaces[0].uid, resolver.interfaces[0].uid]
    if em0 is not None:
        segment.insert(0, em0.uid)
    world.segments.append(segment)


def ensure(world: World) -> None:
    """Build the outside world if an older world file lacks it."""
    if OUTSIDE_STACK not in world.stacks:
        build(world)


def _machine(world: World, name: str, role: str, setup: tuple[str, str]) -> Stack:
    stack = Stack(name=name, role=role)
    world.stacks[name] = stack
    iface = interfaces.new_interface(world, stack, IfKind.ETHERNET, "em0", None)
    iface.mac = setup[0]
    iface.addresses.append(ipaddress.ip_interface(setup[1]))
    iface.up = True
    return stack


def to_internet(rt: Runtime, packet: Packet) -> None:
    """Hand a packet to the internet, which may answer through the gateway."""
    if not isinstance(packet, IPv4) or not ipaddress.IPv4Address(packet.dst).is_global:
        return
    reply = _answer(packet)
    if reply is None:
        return
    from kleene.backends.sim.kernel import ip

    gateway = rt.world.stacks[OUTSIDE_STACK]
    rt.later(ip.from_internet, rt, gateway, reply)


def _answer(packet: IPv4) -> IPv4 | None:
    inner = packet.payload
    if isinstance(inner, ICMP) and inner.type == ICMP_ECHO_REQUEST:
        return echo_reply(packet, ttl=INTERNET_TTL)
    if isinstance(inner, TCP):
        answer = _tcp_answer(inner)
        return (
            None
            if answer is None
            else ipv4(packet.dst, packet.src, answer, INTERNET_TTL)
        )
    if not isinstance(inner, UDP) or packet.dst != INTERNET_RESOLVER:
        return None
    if inner.dport == 53 and isinstance(inner.payload, DNS):
        reply = UDP(53, inner.sport, dnszone.answer(inner.payload))
        return ipv4(packet.dst, packet.src, reply, INTERNET_TTL)
    return None


def _tcp_answer(seg: TCP) -> TCP | None:
    if seg.flags & RST:
        return None
    length = len(seg.payload) + (1 if seg.flags & (SYN | FIN) else 0)
    ack = (seg.seq + length) % 2**32
    if seg.dport not in OPEN_PORTS:
        return TCP(seg.dport, seg.sport, 0, ack, RST | ACK)
    if seg.flags & SYN:
        return TCP(seg.dport, seg.sport, INTERNET_ISN, ack, SYN | ACK)
    if seg.flags & FIN:
        return TCP(seg.dport, seg.sport, seg.ack, ack, FIN | ACK)
    if seg.payload:
        return TCP(seg.dport, seg.sport, seg.ack, ack, ACK)
    return None
