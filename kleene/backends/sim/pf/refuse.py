"""What a ``block return`` rule sends back: a TCP RST or an ICMP unreachable.

``refusal`` follows pf's ``pf_return`` for a blocked packet, built from
the packet as it was before any translation (pf undoes nat and rdr first):

- ``return`` and ``return-rst`` answer TCP (but not a RST) with a RST|ACK
  from the destination, ``seq`` the packet's ``ack``, ``ack`` its ``seq``
  plus its length (a SYN and a FIN count one each);
- ``return`` and ``return-icmp`` answer other IPv4 packets (but not ICMP)
  with an ICMP port unreachable, ``return``, ``return-icmp`` and
  ``return-icmp6`` other IPv6 packets (but not ICMPv6) with an ICMPv6
  port unreachable; a TCP RST blocked by ``return`` gets the ICMP one;
- ``drop`` (the default policy) sends nothing.

The ICMP message comes from ``source``: the address ``icmp_reflect``
would choose (the caller's choice), else the blocked packet's destination.
"""

from __future__ import annotations

from typing import Final

from kleene.backends.sim.packets import (
    ACK,
    FIN,
    RST,
    SYN,
    TCP,
    IPv4,
    IPv6,
    Packet,
    dest_unreachable,
    dest_unreachable6,
    ipv4,
    ipv6,
)
from kleene.backends.sim.packets.layers import UNREACH6_PORT, UNREACH_PORT
from kleene.backends.sim.pf.model import BlockPolicy

ICMP_PROTOS: Final = frozenset({1, 58})
_RST_POLICIES: Final = frozenset({BlockPolicy.RETURN, BlockPolicy.RETURN_RST})
_ICMP4_POLICIES: Final = frozenset({BlockPolicy.RETURN, BlockPolicy.RETURN_ICMP})
_ICMP6_POLICIES: Final = frozenset(
    {BlockPolicy.RETURN, BlockPolicy.RETURN_ICMP, BlockPolicy.RETURN_ICMP6}
)


def refusal(
    policy: BlockPolicy | None, packet: Packet, source: str | None = None
) -> Packet | None:
    """Return the packet pf sends back for a blocked one, if its policy says so."""
    if policy is None or policy is BlockPolicy.DROP:
        return None
    segment = packet.payload
    rst = isinstance(segment, TCP) and policy in _RST_POLICIES
    if isinstance(segment, TCP) and rst and not segment.flags & RST:
        return reset(packet, segment)
    if isinstance(packet, IPv4):
        if packet.proto in ICMP_PROTOS or policy not in _ICMP4_POLICIES:
            return None
        return dest_unreachable(source or packet.dst, packet, UNREACH_PORT)
    if packet.nh in ICMP_PROTOS or policy not in _ICMP6_POLICIES:
        return None
    return dest_unreachable6(source or packet.dst, packet, UNREACH6_PORT)


def reset(packet: IPv4 | IPv6, segment: TCP) -> Packet:
    """Build the RST|ACK that refuses a TCP segment."""
    length = len(segment.payload)
    length += 1 if segment.flags & SYN else 0
    length += 1 if segment.flags & FIN else 0
    answer = TCP(
        sport=segment.dport,
        dport=segment.sport,
        seq=segment.ack,
        ack=(segment.seq + length) % 2**32,
        flags=RST | ACK,
        window=0,
    )
    if isinstance(packet, IPv4):
        return ipv4(packet.dst, packet.src, answer)
    return ipv6(packet.dst, packet.src, answer)
