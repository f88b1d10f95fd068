"""What pf rewrites and what it answers: ``nat``, ``rdr``, ``block return``.

``translate`` applies the translation rule that matched (``first_match``)
to a packet's headers, as pf's ``pf_get_translation`` does:

- ``nat`` (outbound) rewrites the source to the pool's address (for
  ``(em0)`` the interface's first global address of the packet's family,
  read now) and the source port to a free one of the rule's proxy range,
  ``50001:65535`` by default: the search starts at a random port of the
  range and goes up, then down, skipping ports whose wire key is in use;
  ``static-port`` keeps the port. ICMP queries get a new id the same way.
- ``rdr`` (inbound) rewrites the destination to the pool's address and
  the destination port as ``TranslationRule.rdr_port`` maps it
  (``port 5000:6000 -> 10.13.37.1 port 4000:*`` sends 5500 to 4500).

``None`` means pf could not map the packet (the pool's interface has no
address of the family, or no port is free); pf then drops it.

``refusal`` is what a ``block return`` rule sends back, as pf's ``pf_return``
builds it from the packet before any translation (pf undoes nat and rdr
first):

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

import itertools
from collections.abc import Callable
from dataclasses import replace
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
from kleene.backends.sim.pf.headers import Headers
from kleene.backends.sim.pf.interfaces import Interfaces, first_address
from kleene.backends.sim.pf.model import (
    BlockPolicy,
    HostAddress,
    InterfaceAddress,
    Pool,
    TranslationKind,
    TranslationRule,
)
from kleene.backends.sim.pf.states import StateTable

Draw = Callable[[], int]
TCP_UDP: Final = frozenset({6, 17})
ICMP_PROTOS: Final = frozenset({1, 58})
_RST_POLICIES: Final = frozenset({BlockPolicy.RETURN, BlockPolicy.RETURN_RST})
_ICMP4_POLICIES: Final = frozenset({BlockPolicy.RETURN, BlockPolicy.RETURN_ICMP})
_ICMP6_POLICIES: Final = frozenset(
    {BlockPolicy.RETURN, BlockPolicy.RETURN_ICMP, BlockPolicy.RETURN_ICMP6}
)


def translate(
    rule: TranslationRule,
    h: Headers,
    interfaces: Interfaces,
    states: StateTable,
    draw: Draw,
) -> Headers | None:
    """Return the headers after a nat or rdr rule, or None if it cannot map."""
    address = pool_address(rule.pool, h.af, interfaces)
    if address is None:
        return None
    if rule.kind is TranslationKind.RDR:
        port = rule.rdr_port(h.dport) if h.proto in TCP_UDP else h.dport
        return replace(h, dst=address, dport=port)

    sport = _nat_port(rule.pool, h, address, states, draw)
    if sport is None:
        return None
    dport = sport if h.keyed_by_id else h.dport
    return replace(h, src=address, sport=sport, dport=dport)


def pool_address(pool: Pool, af: int, interfaces: Interfaces) -> str | None:
    """Return the address a pool maps to in family ``af`` now."""
    for address in pool.addresses:
        if isinstance(address, HostAddress) and address.value.version == af:
            return str(address.value.ip)
        if isinstance(address, InterfaceAddress):
            found = first_address(interfaces, address.ifname, af)
            if found is not None:
                return found
    return None


def _nat_port(
    pool: Pool, h: Headers, address: str, states: StateTable, draw: Draw
) -> int | None:
    low, high = pool.ports
    ported = h.proto in TCP_UDP or h.keyed_by_id
    if not ported or (low, high) == (0, 0):
        return h.sport if _free(h, address, h.sport, states) else None
    low, high = min(low, high), max(low, high)
    cut = draw() % (high - low + 1) + low
    for port in itertools.chain(range(cut, high + 1), range(cut - 1, low - 1, -1)):
        if _free(h, address, port, states):
            return port
    return None


def _free(h: Headers, address: str, port: int, states: StateTable) -> bool:
    dport = port if h.keyed_by_id else h.dport
    return not states.taken((h.af, h.proto, h.dst, address, dport, port))


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
