"""``nat`` and ``rdr``: the new addresses and ports of a translated packet.

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
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import replace
from typing import Final

from kleene.backends.sim.pf.headers import Headers
from kleene.backends.sim.pf.interfaces import Interfaces, first_address
from kleene.backends.sim.pf.model import (
    HostAddress,
    InterfaceAddress,
    Pool,
    TranslationKind,
    TranslationRule,
)
from kleene.backends.sim.pf.states import StateTable

Draw = Callable[[], int]
TCP_UDP: Final = frozenset({6, 17})


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
