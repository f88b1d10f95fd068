"""Helpers for the pf evaluation tests: a fake host's interfaces and packets.

``HOST`` is the default host as pf sees it (``em0`` 10.0.2.15/24, ``lo0``,
a loopback network ``kleene0`` holding a container's address). ``pf(text)``
builds an evaluation context over a ruleset; its random source always
draws 0, so nat ports start at the bottom of their range (50001).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

from kleene.backends.sim.packets import (
    SYN,
    TCP,
    UDP,
    IPv4,
    IPv6,
    Packet,
    echo_request,
    ipv4,
    ipv6,
)
from kleene.backends.sim.pf import parse_ruleset
from kleene.backends.sim.pf.evaluate import Context, Decision, evaluate
from kleene.backends.sim.pf.interfaces import IfInfo
from kleene.backends.sim.pf.match import CompiledRuleset
from kleene.backends.sim.pf.model import Direction
from kleene.backends.sim.pf.states import StateTable

IN, OUT = Direction.IN, Direction.OUT


def iface(name: str, *addresses: str, groups: tuple[str, ...] = ()) -> IfInfo:
    """Build an interface with addresses written as ``10.0.2.15/24``."""
    found = tuple(ipaddress.ip_interface(text) for text in addresses)
    return IfInfo(name, found, groups)


HOST: dict[str, IfInfo] = {
    "em0": iface("em0", "10.0.2.15/24", "fe80::1/64"),
    "lo0": iface("lo0", "127.0.0.1/8", "::1/128", groups=("lo",)),
    "kleene0": iface("kleene0", "10.13.37.1/24", groups=("lo",)),
    "kleene1": iface("kleene1", "10.13.38.1/24", groups=("lo",)),
}


def pf(
    text: str, interfaces: Mapping[str, IfInfo] | None = None, now_us: int = 0
) -> Context:
    """Return an evaluation context over a ruleset and the fake host."""
    ruleset = CompiledRuleset(parse_ruleset(text, "stdin"))
    found = dict(HOST if interfaces is None else interfaces)
    return Context(ruleset, StateTable(), found, now_us, draw=lambda: 0)


def run(ctx: Context, ifname: str, direction: Direction, packet: Packet) -> Decision:
    """Evaluate one packet."""
    return evaluate(ctx, ifname, direction, packet)


def passes(ctx: Context, ifname: str, direction: Direction, packet: Packet) -> bool:
    """Tell whether pf passes a packet."""
    return evaluate(ctx, ifname, direction, packet).passed


def udp(src: str, dst: str, sport: int = 40000, dport: int = 53) -> IPv4:
    """Build a UDP datagram."""
    return ipv4(src, dst, UDP(sport, dport))


def syn(src: str, dst: str, sport: int = 40000, dport: int = 80) -> IPv4:
    """Build a TCP SYN."""
    return ipv4(src, dst, TCP(sport, dport, seq=1000, flags=SYN))


def tcp(src: str, dst: str, sport: int, dport: int, flags: int) -> IPv4:
    """Build a TCP segment with the given flags."""
    return ipv4(src, dst, TCP(sport, dport, seq=2000, ack=1001, flags=flags))


def syn6(src: str, dst: str, sport: int = 40000, dport: int = 80) -> IPv6:
    """Build an IPv6 TCP SYN."""
    return ipv6(src, dst, TCP(sport, dport, seq=1000, flags=SYN))


def ping(src: str, dst: str, id: int = 7) -> IPv4:
    """Build an ICMP echo request."""
    return echo_request(src, dst, id=id, seq=0)


def ports(packet: Packet) -> tuple[str, int, str, int]:
    """Return a TCP or UDP packet's source, source port, destination, port."""
    inner = packet.payload
    assert isinstance(inner, TCP | UDP)
    return packet.src, inner.sport, packet.dst, inner.dport
