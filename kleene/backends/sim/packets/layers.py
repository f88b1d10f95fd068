"""The typed layers that links of the simulated host carry.

Each layer is a frozen, slotted dataclass whose fields bear the RFC and scapy
names: ``Ether(dst, src, type)``, ``ARP(op, hwsrc, psrc, hwdst, pdst)``,
``IPv4(src, dst, proto, ttl, id, tos, flags, frag)``,
``IPv6(src, dst, nh, hlim, tc, fl)``, ``ICMP(type, code, id, seq)``,
``ICMPv6(type, code, id, seq, tgt, lladdr, flags)``, ``UDP(sport, dport)`` and
``TCP(sport, dport, seq, ack, flags, window)``. Every layer holds the layer
above it in ``payload``: another layer, or raw ``bytes``.

Addresses are plain strings in canonical form (MACs lower-case with colons,
IPv6 compressed as ``ipaddress`` prints it); building them is the caller's
duty, so objects stay cheap. Lengths are never stored: ``wire_len`` (the
``Layer`` protocol) computes the size in bytes of a layer and everything it
carries, from the headers and payload sizes, without encoding anything;
``IPv4.len``, ``IPv6.plen`` and ``UDP.len`` are the header fields.

ICMP and ICMPv6 errors carry the offending datagram as a layer in
``payload``; on the wire they quote only part of it, as FreeBSD does (see
``quote_len`` and ``quote6_len``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Protocol, TypeAlias

if TYPE_CHECKING:
    from kleene.backends.sim.packets.dns import DNS

# EtherType values (IEEE 802 numbers).
ETH_P_IP: Final = 0x0800
ETH_P_ARP: Final = 0x0806
ETH_P_IPV6: Final = 0x86DD
BROADCAST_MAC: Final = "ff:ff:ff:ff:ff:ff"

# ARP operations (RFC 826).
WHO_HAS: Final = 1
IS_AT: Final = 2

# IP protocol numbers (IANA).
PROTO_ICMP: Final = 1
PROTO_TCP: Final = 6
PROTO_UDP: Final = 17
PROTO_ICMPV6: Final = 58

# IPv4 flags, as scapy numbers them (the top three bits of the fragment word).
MF: Final = 0x1
DF: Final = 0x2

# TCP flags (RFC 9293).
FIN: Final = 0x01
SYN: Final = 0x02
RST: Final = 0x04
PSH: Final = 0x08
ACK: Final = 0x10
URG: Final = 0x20

# ICMP types and the unreachable codes the simulation uses (RFC 792).
ICMP_ECHO_REPLY: Final = 0
ICMP_DEST_UNREACH: Final = 3
ICMP_ECHO_REQUEST: Final = 8
ICMP_TIME_EXCEEDED: Final = 11
UNREACH_NET: Final = 0
UNREACH_HOST: Final = 1
UNREACH_PROTOCOL: Final = 2
UNREACH_PORT: Final = 3
UNREACH_FILTER_PROHIB: Final = 13

# ICMPv6 types and codes (RFC 4443, RFC 4861).
ICMPV6_DEST_UNREACH: Final = 1
ICMPV6_TIME_EXCEEDED: Final = 3
ICMPV6_ECHO_REQUEST: Final = 128
ICMPV6_ECHO_REPLY: Final = 129
ND_NEIGHBOR_SOLICIT: Final = 135
ND_NEIGHBOR_ADVERT: Final = 136
UNREACH6_NOROUTE: Final = 0
UNREACH6_ADMIN: Final = 1
UNREACH6_ADDR: Final = 3
UNREACH6_PORT: Final = 4

# Neighbor advertisement flags, in the first byte after the checksum.
NA_ROUTER: Final = 0x80
NA_SOLICITED: Final = 0x40
NA_OVERRIDE: Final = 0x20

# FreeBSD's net.inet.icmp.quotelen: payload bytes quoted after the IP header.
ICMP_QUOTELEN: Final = 8
# An ICMPv6 error must fit the IPv6 minimum MTU (RFC 4443 §2.4).
ICMPV6_QUOTE_MAX: Final = 1280 - 40 - 8


class Layer(Protocol):
    """Anything that can ride in a ``payload``: it knows its wire length."""

    @property
    def wire_len(self) -> int:
        """Return the length in bytes of this layer and what it carries."""
        ...


def _size(payload: Layer | bytes) -> int:
    """Return the wire size of a payload: a layer or bytes."""
    if isinstance(payload, bytes):
        return len(payload)
    return payload.wire_len


@dataclass(frozen=True, slots=True)
class ARP:
    """An Ethernet/IPv4 ARP packet (28 bytes)."""

    op: int
    hwsrc: str
    psrc: str
    hwdst: str
    pdst: str

    @property
    def wire_len(self) -> int:
        """Return the packet's length in bytes."""
        return 28


@dataclass(frozen=True, slots=True)
class UDP:
    """A UDP datagram; ``len`` is computed, the checksum made at encoding."""

    sport: int
    dport: int
    payload: DNS | bytes = b""

    @property
    def len(self) -> int:
        """Return the UDP length field: header plus payload."""
        return 8 + _size(self.payload)

    @property
    def wire_len(self) -> int:
        """Return the datagram's length in bytes."""
        return 8 + _size(self.payload)


@dataclass(frozen=True, slots=True)
class TCP:
    """A TCP segment without options (data offset 5)."""

    sport: int
    dport: int
    seq: int = 0
    ack: int = 0
    flags: int = 0
    window: int = 65535
    payload: bytes = b""

    @property
    def wire_len(self) -> int:
        """Return the segment's length in bytes."""
        return 20 + len(self.payload)


@dataclass(frozen=True, slots=True)
class ICMP:
    """An ICMP message; ``id`` and ``seq`` form the second header word.

    Echo messages carry their data as bytes. Errors carry the offending
    datagram, an ``IPv4``, of which the wire holds only a quote.
    """

    type: int
    code: int = 0
    id: int = 0
    seq: int = 0
    payload: IPv4 | bytes = b""

    @property
    def wire_len(self) -> int:
        """Return the message's length in bytes."""
        payload = self.payload
        if isinstance(payload, bytes):
            return 8 + len(payload)
        return 8 + quote_len(payload)


@dataclass(frozen=True, slots=True)
class ICMPv6:
    """An ICMPv6 message: echo, error, or neighbor solicitation/advertisement.

    Echo: ``id``, ``seq`` and data bytes in ``payload``. Errors: the
    offending ``IPv6`` in ``payload``. NS/NA: target ``tgt``, the link-layer
    address option ``lladdr`` (source for NS, target for NA; ``""`` for none)
    and the NA ``flags`` (``NA_ROUTER | NA_SOLICITED | NA_OVERRIDE``).
    """

    type: int
    code: int = 0
    id: int = 0
    seq: int = 0
    tgt: str = ""
    lladdr: str = ""
    flags: int = 0
    payload: IPv6 | bytes = b""

    @property
    def wire_len(self) -> int:
        """Return the message's length in bytes."""
        if self.type in (ND_NEIGHBOR_SOLICIT, ND_NEIGHBOR_ADVERT):
            return 32 if self.lladdr else 24
        payload = self.payload
        if isinstance(payload, bytes):
            return 8 + len(payload)
        return 8 + quote6_len(payload)


@dataclass(frozen=True, slots=True)
class IPv4:
    """An IPv4 packet without options; total length is computed."""

    src: str
    dst: str
    proto: int
    ttl: int = 64
    id: int = 0
    tos: int = 0
    flags: int = 0
    frag: int = 0
    payload: ICMP | UDP | TCP | bytes = b""

    @property
    def len(self) -> int:
        """Return the total length field: header plus payload."""
        return 20 + _size(self.payload)

    @property
    def wire_len(self) -> int:
        """Return the packet's length in bytes."""
        return 20 + _size(self.payload)


@dataclass(frozen=True, slots=True)
class IPv6:
    """An IPv6 packet without extension headers; ``plen`` is computed."""

    src: str
    dst: str
    nh: int
    hlim: int = 64
    tc: int = 0
    fl: int = 0
    payload: ICMPv6 | UDP | TCP | bytes = b""

    @property
    def plen(self) -> int:
        """Return the payload length field."""
        return _size(self.payload)

    @property
    def wire_len(self) -> int:
        """Return the packet's length in bytes."""
        return 40 + _size(self.payload)


@dataclass(frozen=True, slots=True)
class Ether:
    """An Ethernet II frame (no FCS, no padding to 60 bytes)."""

    dst: str
    src: str
    type: int
    payload: ARP | IPv4 | IPv6 | bytes = b""

    @property
    def wire_len(self) -> int:
        """Return the frame's length in bytes."""
        return 14 + _size(self.payload)


Packet: TypeAlias = IPv4 | IPv6


def quote_len(original: IPv4) -> int:
    """Return how many bytes of ``original`` an ICMP error quotes.

    FreeBSD's ``icmp_error`` quotes the IP header and ``quotelen`` bytes
    beyond it, but always the whole TCP header.
    """
    beyond = min(ICMP_QUOTELEN, _size(original.payload))
    if isinstance(original.payload, TCP):
        beyond = max(beyond, 20)
    return 20 + beyond


def quote6_len(original: IPv6) -> int:
    """Return how many bytes of ``original`` an ICMPv6 error quotes."""
    return min(original.wire_len, ICMPV6_QUOTE_MAX)
