"""Constructors for the packets the simulated stacks send.

Each fills in the header values FreeBSD would: EtherType and protocol numbers
from the payload, broadcast and multicast destinations, hop limit 255 for
neighbor discovery, the 56 data bytes of ``ping``. Names follow what is
built: ``arp_request``, ``echo_request``, ``echo6_reply``,
``dest_unreachable``, ``neighbor_solicitation``, ...
"""

from __future__ import annotations

from socket import AF_INET6, inet_ntop, inet_pton
from typing import Final

from kleene.backends.sim.packets.layers import (
    ARP,
    BROADCAST_MAC,
    ETH_P_ARP,
    ETH_P_IP,
    ETH_P_IPV6,
    ICMP,
    ICMP_DEST_UNREACH,
    ICMP_ECHO_REPLY,
    ICMP_ECHO_REQUEST,
    ICMPV6_DEST_UNREACH,
    ICMPV6_ECHO_REPLY,
    ICMPV6_ECHO_REQUEST,
    IS_AT,
    NA_OVERRIDE,
    NA_SOLICITED,
    ND_NEIGHBOR_ADVERT,
    ND_NEIGHBOR_SOLICIT,
    PROTO_ICMP,
    PROTO_ICMPV6,
    PROTO_TCP,
    PROTO_UDP,
    TCP,
    UDP,
    WHO_HAS,
    Ether,
    ICMPv6,
    IPv4,
    IPv6,
)

# ping's default 56 data bytes: FreeBSD fills them with their offsets (the
# first bytes hold a timestamp on a real host).
PING_DATA: Final = bytes(range(56))
ZERO_MAC: Final = "00:00:00:00:00:00"
ND_HLIM: Final = 255
_SOLICITED_PREFIX: Final = bytes.fromhex("ff02" + "00" * 9 + "01ff")


def ether(src: str, dst: str, payload: ARP | IPv4 | IPv6) -> Ether:
    """Wrap a packet in an Ethernet frame with the matching EtherType."""
    if isinstance(payload, IPv4):
        kind = ETH_P_IP
    elif isinstance(payload, IPv6):
        kind = ETH_P_IPV6
    else:
        kind = ETH_P_ARP
    return Ether(dst=dst, src=src, type=kind, payload=payload)


def ipv4(
    src: str, dst: str, payload: ICMP | UDP | TCP, ttl: int = 64, id: int = 0
) -> IPv4:
    """Build an IPv4 packet whose protocol number matches its payload."""
    if isinstance(payload, ICMP):
        return IPv4(src, dst, PROTO_ICMP, ttl=ttl, id=id, payload=payload)
    proto = PROTO_UDP if isinstance(payload, UDP) else PROTO_TCP
    return IPv4(src, dst, proto, ttl=ttl, id=id, payload=payload)


def ipv6(src: str, dst: str, payload: ICMPv6 | UDP | TCP, hlim: int = 64) -> IPv6:
    """Build an IPv6 packet whose next header matches its payload."""
    if isinstance(payload, ICMPv6):
        nh = PROTO_ICMPV6
    else:
        nh = PROTO_UDP if isinstance(payload, UDP) else PROTO_TCP
    return IPv6(src, dst, nh, hlim=hlim, payload=payload)


def arp_request(hwsrc: str, psrc: str, pdst: str) -> Ether:
    """Build a broadcast ARP who-has for ``pdst``."""
    message = ARP(WHO_HAS, hwsrc=hwsrc, psrc=psrc, hwdst=ZERO_MAC, pdst=pdst)
    return Ether(dst=BROADCAST_MAC, src=hwsrc, type=ETH_P_ARP, payload=message)


def arp_reply(request: ARP, hwsrc: str) -> Ether:
    """Build the is-at answer to ``request`` from the owner of ``hwsrc``."""
    message = ARP(
        IS_AT,
        hwsrc=hwsrc,
        psrc=request.pdst,
        hwdst=request.hwsrc,
        pdst=request.psrc,
    )
    return Ether(dst=request.hwsrc, src=hwsrc, type=ETH_P_ARP, payload=message)


def echo_request(
    src: str, dst: str, id: int, seq: int, data: bytes = PING_DATA, ttl: int = 64
) -> IPv4:
    """Build an ICMP echo request, as ``ping`` sends it."""
    message = ICMP(ICMP_ECHO_REQUEST, id=id, seq=seq, payload=data)
    return IPv4(src, dst, PROTO_ICMP, ttl=ttl, payload=message)


def echo_reply(request: IPv4, ttl: int = 64) -> IPv4:
    """Build the echo reply to an echo request, with the same id, seq, data."""
    asked = request.payload
    if not isinstance(asked, ICMP) or asked.type != ICMP_ECHO_REQUEST:
        raise ValueError(f"not an ICMP echo request: {request!r}")
    message = ICMP(ICMP_ECHO_REPLY, id=asked.id, seq=asked.seq, payload=asked.payload)
    return IPv4(request.dst, request.src, PROTO_ICMP, ttl=ttl, payload=message)


def echo6_request(
    src: str, dst: str, id: int, seq: int, data: bytes = PING_DATA, hlim: int = 64
) -> IPv6:
    """Build an ICMPv6 echo request, as ``ping6`` sends it."""
    message = ICMPv6(ICMPV6_ECHO_REQUEST, id=id, seq=seq, payload=data)
    return IPv6(src, dst, PROTO_ICMPV6, hlim=hlim, payload=message)


def echo6_reply(request: IPv6, hlim: int = 64) -> IPv6:
    """Build the ICMPv6 echo reply to an echo request."""
    asked = request.payload
    if not isinstance(asked, ICMPv6) or asked.type != ICMPV6_ECHO_REQUEST:
        raise ValueError(f"not an ICMPv6 echo request: {request!r}")
    message = ICMPv6(
        ICMPV6_ECHO_REPLY, id=asked.id, seq=asked.seq, payload=asked.payload
    )
    return IPv6(request.dst, request.src, PROTO_ICMPV6, hlim=hlim, payload=message)


def dest_unreachable(src: str, original: IPv4, code: int, ttl: int = 64) -> IPv4:
    """Build the ICMP destination unreachable that answers ``original``."""
    message = ICMP(ICMP_DEST_UNREACH, code=code, payload=original)
    return IPv4(src, original.src, PROTO_ICMP, ttl=ttl, payload=message)


def dest_unreachable6(src: str, original: IPv6, code: int, hlim: int = 64) -> IPv6:
    """Build the ICMPv6 destination unreachable that answers ``original``."""
    message = ICMPv6(ICMPV6_DEST_UNREACH, code=code, payload=original)
    return IPv6(src, original.src, PROTO_ICMPV6, hlim=hlim, payload=message)


def solicited_node(address: str) -> str:
    """Return the solicited-node multicast address of an IPv6 address."""
    low = inet_pton(AF_INET6, address)[13:]
    return inet_ntop(AF_INET6, _SOLICITED_PREFIX + low)


def multicast_mac(group: str) -> str:
    """Return the Ethernet address of an IPv6 multicast group (33:33:...)."""
    low = inet_pton(AF_INET6, group)[12:]
    return "33:33:" + ":".join(f"{byte:02x}" for byte in low)


def neighbor_solicitation(hwsrc: str, src: str, tgt: str) -> Ether:
    """Build a multicast neighbor solicitation for ``tgt`` from ``src``."""
    group = solicited_node(tgt)
    message = ICMPv6(ND_NEIGHBOR_SOLICIT, tgt=tgt, lladdr=hwsrc)
    packet = IPv6(src, group, PROTO_ICMPV6, hlim=ND_HLIM, payload=message)
    return Ether(dst=multicast_mac(group), src=hwsrc, type=ETH_P_IPV6, payload=packet)


def neighbor_advertisement(
    hwsrc: str,
    src: str,
    hwdst: str,
    dst: str,
    flags: int = NA_SOLICITED | NA_OVERRIDE,
) -> Ether:
    """Build the solicited advertisement of ``src`` (the target) to ``dst``."""
    message = ICMPv6(ND_NEIGHBOR_ADVERT, tgt=src, lladdr=hwsrc, flags=flags)
    packet = IPv6(src, dst, PROTO_ICMPV6, hlim=ND_HLIM, payload=message)
    return Ether(dst=hwdst, src=hwsrc, type=ETH_P_IPV6, payload=packet)
