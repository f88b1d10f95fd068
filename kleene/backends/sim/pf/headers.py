"""The header fields pf reads from a packet, and the rewrites it makes.

``Headers`` is what pf's packet description (``struct pf_pdesc``) holds
for one IPv4 or IPv6 packet: the family (``af``, 4 or 6), the protocol,
the addresses as text and as integers (``src_value``, ``dst_value``), the
ports, the TCP flags and the
ICMP type. ICMP and ICMPv6 queries (echo request and reply) carry their
``id`` in both ``sport`` and ``dport``, as pf keys their states; an ICMP
error carries the datagram it quotes in ``quoted``.

``rewrite`` returns a packet with other addresses and ports, the way pf's
``pf_change_ap`` does; ``rewrite_quoted`` changes the datagram inside an
ICMP error and the outer addresses with it (``pf_change_icmp``).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Final, TypeGuard

from kleene.backends.sim.packets.layers import (
    ICMP,
    TCP,
    UDP,
    ICMPv6,
    IPv4,
    IPv6,
    Packet,
)

ICMP_ECHO_TYPES: Final = frozenset({0, 8})
ICMP6_ECHO_TYPES: Final = frozenset({128, 129})
ICMP_ERROR_TYPES: Final = frozenset({3, 4, 5, 11, 12})
ICMP6_ERROR_TYPES: Final = frozenset({1, 2, 3, 4})


@lru_cache(maxsize=4096)
def address_value(text: str) -> int:
    """Return an address written as text as an integer."""
    return int(ipaddress.ip_address(text))


@dataclass(frozen=True, slots=True)
class Headers:
    """The fields of one packet that pf matches on."""

    af: int
    proto: int
    src: str
    dst: str
    sport: int = 0
    dport: int = 0
    flags: int = 0
    icmp_type: int | None = None
    quoted: Packet | None = None
    src_value: int = field(init=False, repr=False, compare=False)
    dst_value: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "src_value", address_value(self.src))
        object.__setattr__(self, "dst_value", address_value(self.dst))

    @property
    def has_ports(self) -> bool:
        """Tell whether the packet has ports pf matches (TCP or UDP)."""
        return self.proto in (6, 17)

    @property
    def keyed_by_id(self) -> bool:
        """Tell whether the ports hold an ICMP query id."""
        return self.icmp_type is not None and self.quoted is None


def headers(packet: Packet) -> Headers:
    """Read the fields pf matches on from an IPv4 or IPv6 packet."""
    if isinstance(packet, IPv4):
        af, proto = 4, packet.proto
    else:
        af, proto = 6, packet.nh
    inner = packet.payload
    if isinstance(inner, TCP):
        return Headers(
            af, proto, packet.src, packet.dst, inner.sport, inner.dport, inner.flags
        )
    if isinstance(inner, UDP):
        return Headers(af, proto, packet.src, packet.dst, inner.sport, inner.dport)
    if isinstance(inner, ICMP | ICMPv6):
        return _icmp_headers(af, proto, packet, inner)
    return Headers(af, proto, packet.src, packet.dst)


def _icmp_headers(af: int, proto: int, packet: Packet, icmp: ICMP | ICMPv6) -> Headers:
    errors = ICMP_ERROR_TYPES if af == 4 else ICMP6_ERROR_TYPES
    quoted = icmp.payload
    if icmp.type in errors and isinstance(quoted, IPv4 | IPv6):
        return Headers(
            af, proto, packet.src, packet.dst, icmp_type=icmp.type, quoted=quoted
        )
    return Headers(
        af, proto, packet.src, packet.dst, icmp.id, icmp.id, icmp_type=icmp.type
    )


def rewrite(packet: Packet, src: str, dst: str, sport: int, dport: int) -> Packet:
    """Return the packet with new addresses and ports (an ICMP query's id)."""
    inner = packet.payload
    if isinstance(inner, TCP | UDP):
        if (inner.sport, inner.dport) != (sport, dport):
            inner = replace(inner, sport=sport, dport=dport)
    elif _is_query(inner) and inner.id != sport:
        inner = replace(inner, id=sport)
    if (packet.src, packet.dst) == (src, dst) and inner is packet.payload:
        return packet
    return _with(packet, src, dst, inner)


def _is_query(inner: object) -> TypeGuard[ICMP | ICMPv6]:
    return isinstance(inner, ICMP | ICMPv6) and isinstance(inner.payload, bytes)


def rewrite_quoted(packet: Packet, quoted: Packet) -> Packet:
    """Return an ICMP error quoting ``quoted``, its outer addresses to match.

    The error travels back along the quoted datagram's path: its source
    becomes the quoted destination when that changed, its destination the
    quoted source when that changed.
    """
    icmp = packet.payload
    assert isinstance(icmp, ICMP | ICMPv6)
    before = icmp.payload
    assert isinstance(before, IPv4 | IPv6)
    src = quoted.dst if quoted.dst != before.dst else packet.src
    dst = quoted.src if quoted.src != before.src else packet.dst
    changed: Any = quoted
    return _with(packet, src, dst, replace(icmp, payload=changed))


def _with(packet: Packet, src: str, dst: str, inner: Any) -> Packet:
    return replace(packet, src=src, dst=dst, payload=inner)
