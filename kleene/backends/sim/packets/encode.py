"""Byte encoding of typed packets, for pcap captures and the scapy oracle.

``encode`` turns an ``Ether`` frame, an ``IPv4``/``IPv6`` packet, an
``ARP`` or ``ICMP`` message or a ``DNS`` message (``Encodable``) into the
exact bytes a FreeBSD host would send or capture: lengths from the headers,
the IPv4 header checksum, and the ICMP, ICMPv6, UDP and TCP checksums over
the IPv4 or IPv6 pseudo-header. ``checksum`` is the Internet checksum
(RFC 1071). Nothing on the simulated host's forwarding path calls these.
"""

from __future__ import annotations

import struct
from socket import AF_INET, AF_INET6, inet_pton
from typing import Final, TypeAlias

from kleene.backends.sim.packets.dns import DNS, encode_dns
from kleene.backends.sim.packets.layers import (
    ARP,
    ICMP,
    ND_NEIGHBOR_ADVERT,
    ND_NEIGHBOR_SOLICIT,
    TCP,
    UDP,
    Ether,
    ICMPv6,
    IPv4,
    IPv6,
    quote6_len,
    quote_len,
)

Encodable: TypeAlias = Ether | ARP | IPv4 | IPv6 | ICMP | DNS

_ETHER: Final = struct.Struct("!6s6sH")
_ARP: Final = struct.Struct("!HHBBH6s4s6s4s")
_IPV4: Final = struct.Struct("!BBHHHBBH4s4s")
_IPV6: Final = struct.Struct("!IHBB16s16s")
_ICMP: Final = struct.Struct("!BBHHH")
_ND: Final = struct.Struct("!BBHI16s")
_UDP: Final = struct.Struct("!HHHH")
_TCP: Final = struct.Struct("!HHIIBBHHH")


def checksum(data: bytes) -> int:
    """Return the Internet checksum of ``data`` (RFC 1071)."""
    if len(data) % 2:
        data += b"\x00"

    # 2**16 is 1 modulo 0xFFFF, so the number's remainder is the one's
    # complement sum of its 16-bit words, except that a non-zero sum that
    # is a multiple of 0xFFFF is 0xFFFF, never 0.
    number = int.from_bytes(data, "big")
    if number == 0:
        return 0xFFFF
    remainder = number % 0xFFFF
    return 0xFFFF - remainder if remainder else 0


def mac_bytes(mac: str) -> bytes:
    """Return the six bytes of a colon-separated MAC address."""
    return bytes.fromhex(mac.replace(":", ""))


def _with_checksum(header: bytes, body: bytes, pseudo: bytes, at: int) -> bytes:
    """Return header and body with the checksum over all three put at ``at``."""
    value = checksum(pseudo + header + body)
    return header[:at] + value.to_bytes(2, "big") + header[at + 2 :] + body


def _udp(datagram: UDP, pseudo: bytes) -> bytes:
    """Encode a UDP datagram; a computed checksum of 0 is sent as 0xFFFF."""
    payload = datagram.payload
    body = payload if isinstance(payload, bytes) else encode_dns(payload)
    header = _UDP.pack(datagram.sport, datagram.dport, 8 + len(body), 0)
    value = checksum(pseudo + header + body) or 0xFFFF
    return header[:6] + value.to_bytes(2, "big") + body


def _tcp(segment: TCP, pseudo: bytes) -> bytes:
    """Encode a TCP segment without options."""
    header = _TCP.pack(
        segment.sport,
        segment.dport,
        segment.seq,
        segment.ack,
        5 << 4,
        segment.flags,
        segment.window,
        0,
        0,
    )
    return _with_checksum(header, segment.payload, pseudo, 16)


def _icmp(message: ICMP) -> bytes:
    """Encode an ICMP message; an error quotes its datagram as FreeBSD does."""
    payload = message.payload
    if isinstance(payload, bytes):
        body = payload
    else:
        body = _ipv4(payload)[: quote_len(payload)]
    header = _ICMP.pack(message.type, message.code, 0, message.id, message.seq)
    return _with_checksum(header, body, b"", 2)


def _icmpv6(message: ICMPv6, pseudo: bytes) -> bytes:
    """Encode an ICMPv6 message: NS/NA with their option, echo, or error."""
    if message.type in (ND_NEIGHBOR_SOLICIT, ND_NEIGHBOR_ADVERT):
        target = inet_pton(AF_INET6, message.tgt)
        word = message.flags << 24
        header = _ND.pack(message.type, message.code, 0, word, target)
        body = b""
        if message.lladdr:
            option = 1 if message.type == ND_NEIGHBOR_SOLICIT else 2
            body = bytes((option, 1)) + mac_bytes(message.lladdr)
        return _with_checksum(header, body, pseudo, 2)

    payload = message.payload
    if isinstance(payload, bytes):
        body = payload
    else:
        body = _ipv6(payload)[: quote6_len(payload)]
    header = _ICMP.pack(message.type, message.code, 0, message.id, message.seq)
    return _with_checksum(header, body, pseudo, 2)


def _ipv4(packet: IPv4) -> bytes:
    """Encode an IPv4 packet with its header checksum."""
    src = inet_pton(AF_INET, packet.src)
    dst = inet_pton(AF_INET, packet.dst)
    inner = packet.payload
    if isinstance(inner, bytes):
        body = inner
    elif isinstance(inner, ICMP):
        body = _icmp(inner)
    else:
        pseudo_len = inner.wire_len
        pseudo = src + dst + struct.pack("!BBH", 0, packet.proto, pseudo_len)
        body = _udp(inner, pseudo) if isinstance(inner, UDP) else _tcp(inner, pseudo)

    header = _IPV4.pack(
        0x45,
        packet.tos,
        20 + len(body),
        packet.id,
        packet.flags << 13 | packet.frag,
        packet.ttl,
        packet.proto,
        0,
        src,
        dst,
    )
    value = checksum(header)
    return header[:10] + value.to_bytes(2, "big") + header[12:] + body


def _ipv6(packet: IPv6) -> bytes:
    """Encode an IPv6 packet; upper-layer checksums use its pseudo-header."""
    src = inet_pton(AF_INET6, packet.src)
    dst = inet_pton(AF_INET6, packet.dst)
    inner = packet.payload
    if isinstance(inner, bytes):
        body = inner
    else:
        pseudo = src + dst + struct.pack("!I3xB", inner.wire_len, packet.nh)
        if isinstance(inner, ICMPv6):
            body = _icmpv6(inner, pseudo)
        elif isinstance(inner, UDP):
            body = _udp(inner, pseudo)
        else:
            body = _tcp(inner, pseudo)

    word = 6 << 28 | packet.tc << 20 | packet.fl
    header = _IPV6.pack(word, len(body), packet.nh, packet.hlim, src, dst)
    return header + body


def _arp(message: ARP) -> bytes:
    """Encode an Ethernet/IPv4 ARP message."""
    return _ARP.pack(
        1,
        0x0800,
        6,
        4,
        message.op,
        mac_bytes(message.hwsrc),
        inet_pton(AF_INET, message.psrc),
        mac_bytes(message.hwdst),
        inet_pton(AF_INET, message.pdst),
    )


def _ether(frame: Ether) -> bytes:
    """Encode an Ethernet II frame and what it carries."""
    header = _ETHER.pack(mac_bytes(frame.dst), mac_bytes(frame.src), frame.type)
    inner = frame.payload
    if isinstance(inner, bytes):
        return header + inner
    if isinstance(inner, ARP):
        return header + _arp(inner)
    if isinstance(inner, IPv4):
        return header + _ipv4(inner)
    return header + _ipv6(inner)


def encode(item: Encodable) -> bytes:
    """Return the exact bytes of a frame, packet or message."""
    if isinstance(item, Ether):
        return _ether(item)
    if isinstance(item, IPv4):
        return _ipv4(item)
    if isinstance(item, IPv6):
        return _ipv6(item)
    if isinstance(item, ARP):
        return _arp(item)
    if isinstance(item, ICMP):
        return _icmp(item)
    if isinstance(item, DNS):
        return encode_dns(item)
    raise TypeError(
        f"cannot encode {type(item).__name__} on its own; "
        "UDP, TCP and ICMPv6 need the IP packet that carries them"
    )
