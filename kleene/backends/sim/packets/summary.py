"""One-line descriptions of typed packets for DEBUG logs, in tcpdump's words.

``summary`` describes an ``Ether`` frame, an ``IPv4``/``IPv6`` packet, an
``ARP`` message, a ``DNS`` message or a ``PflogRecord``, e.g.
``08:00:27:b2:00:96 > 52:54:00:12:35:02, IP 10.0.2.15 > 10.0.2.2: ICMP echo
request, id 1, seq 0, length 64``. Lengths are computed, never encoded.
"""

from __future__ import annotations

from typing import Final

from kleene.backends.sim.packets import dns
from kleene.backends.sim.packets.encode import Encodable
from kleene.backends.sim.packets.layers import (
    ARP,
    ICMP,
    ICMP_DEST_UNREACH,
    ICMP_ECHO_REPLY,
    ICMP_ECHO_REQUEST,
    ICMPV6_DEST_UNREACH,
    ICMPV6_ECHO_REPLY,
    ICMPV6_ECHO_REQUEST,
    ND_NEIGHBOR_ADVERT,
    ND_NEIGHBOR_SOLICIT,
    TCP,
    UDP,
    UNREACH_PORT,
    WHO_HAS,
    Ether,
    ICMPv6,
    IPv4,
    IPv6,
)
from kleene.backends.sim.packets.pflog import PflogRecord, pflog_line

# tcpdump's order and letters for TCP flags: FIN, SYN, RST, PSH, ACK, URG.
_TCP_FLAGS: Final = ((0x01, "F"), (0x02, "S"), (0x04, "R"), (0x08, "P"))
_TCP_FLAGS_TAIL: Final = ((0x10, "."), (0x20, "U"))
_ICMP_NAMES: Final = {ICMP_ECHO_REQUEST: "echo request", ICMP_ECHO_REPLY: "echo reply"}
_ICMP6_NAMES: Final = {
    ICMPV6_ECHO_REQUEST: "echo request",
    ICMPV6_ECHO_REPLY: "echo reply",
}


def tcp_flags(flags: int) -> str:
    """Spell TCP flags as tcpdump does: ``S``, ``S.``, ``F.``, ``R``, ``P.``."""
    letters = "".join(name for bit, name in _TCP_FLAGS + _TCP_FLAGS_TAIL if flags & bit)
    return letters or "none"


def _arp(message: ARP) -> str:
    """Describe an ARP request or reply."""
    if message.op == WHO_HAS:
        return f"ARP, Request who-has {message.pdst} tell {message.psrc}, length 28"
    return f"ARP, Reply {message.psrc} is-at {message.hwsrc}, length 28"


def _icmp(message: ICMP) -> str:
    """Describe an ICMP message."""
    length = message.wire_len
    name = _ICMP_NAMES.get(message.type)
    if name is not None:
        return f"ICMP {name}, id {message.id}, seq {message.seq}, length {length}"
    quoted = message.payload
    if message.type == ICMP_DEST_UNREACH and isinstance(quoted, IPv4):
        what = quoted.dst
        if message.code == UNREACH_PORT and isinstance(quoted.payload, UDP | TCP):
            protocol = "udp" if isinstance(quoted.payload, UDP) else "tcp"
            what = f"{quoted.dst} {protocol} port {quoted.payload.dport}"
        return f"ICMP {what} unreachable, length {length}"
    return f"ICMP type {message.type} code {message.code}, length {length}"


def _icmpv6(message: ICMPv6) -> str:
    """Describe an ICMPv6 message."""
    length = message.wire_len
    name = _ICMP6_NAMES.get(message.type)
    if name is not None:
        detail = f"{name}, id {message.id}, seq {message.seq}"
    elif message.type == ND_NEIGHBOR_SOLICIT:
        detail = f"neighbor solicitation, who has {message.tgt}"
    elif message.type == ND_NEIGHBOR_ADVERT:
        detail = f"neighbor advertisement, tgt is {message.tgt}"
    elif message.type == ICMPV6_DEST_UNREACH:
        detail = f"destination unreachable (code {message.code})"
    else:
        detail = f"type {message.type} code {message.code}"
    return f"ICMP6, {detail}, length {length}"


def _transport(src: str, dst: str, inner: UDP | TCP) -> str:
    """Describe a UDP datagram or TCP segment between two addresses."""
    ends = f"{src}.{inner.sport} > {dst}.{inner.dport}"
    if isinstance(inner, TCP):
        return (
            f"{ends}: Flags [{tcp_flags(inner.flags)}], seq {inner.seq}, "
            f"ack {inner.ack}, win {inner.window}, length {len(inner.payload)}"
        )
    payload = inner.payload
    if isinstance(payload, bytes):
        return f"{ends}: UDP, length {len(payload)}"
    return f"{ends}: {dns.summary(payload)} ({payload.wire_len})"


def _ip(packet: IPv4 | IPv6) -> str:
    """Describe an IPv4 or IPv6 packet and what it carries."""
    family = "IP" if isinstance(packet, IPv4) else "IP6"
    inner = packet.payload
    if isinstance(inner, UDP | TCP):
        return f"{family} {_transport(packet.src, packet.dst, inner)}"
    if isinstance(inner, ICMP):
        detail = _icmp(inner)
    elif isinstance(inner, ICMPv6):
        detail = _icmpv6(inner)
    else:
        detail = f"ip-proto, length {len(inner)}"
    return f"{family} {packet.src} > {packet.dst}: {detail}"


def summary(item: Encodable | PflogRecord) -> str:
    """Describe a frame, packet or message in one line."""
    if isinstance(item, Ether):
        inner = item.payload
        if isinstance(inner, ARP):
            detail = _arp(inner)
        elif isinstance(inner, IPv4 | IPv6):
            detail = _ip(inner)
        else:
            detail = f"ethertype 0x{item.type:04x}, length {item.wire_len}"
        return f"{item.src} > {item.dst}, {detail}"
    if isinstance(item, IPv4 | IPv6):
        return _ip(item)
    if isinstance(item, ARP):
        return _arp(item)
    if isinstance(item, ICMP):
        return _icmp(item)
    if isinstance(item, dns.DNS):
        return dns.summary(item)
    if isinstance(item, PflogRecord):
        return pflog_line(0, item).split(" ", 1)[1]
    raise TypeError(f"cannot describe {type(item).__name__}")
