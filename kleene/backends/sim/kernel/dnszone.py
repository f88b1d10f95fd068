"""The DNS data of the outside world's resolvers (SPEC §7.4).

``freebsd.org`` has ``A 96.47.72.84``, ``AAAA 2610:1c1:1:606c::50:15`` and
the MX records ``10 mx1.freebsd.org.`` and ``30 mx66.freebsd.org.``; names
are case-insensitive and the trailing dot is optional; every other name is
NXDOMAIN. ``answer`` builds a resolver's response to a query.
"""

from __future__ import annotations

from kleene.backends.sim.packets.dns import (
    DNS,
    DNSRR,
    DNSRRMX,
    RCODE_NXDOMAIN,
    TYPE_A,
    TYPE_AAAA,
    TYPE_MX,
    Record,
    response,
)

ZONE: dict[str, list[tuple[int, str | tuple[int, str]]]] = {
    "freebsd.org": [
        (TYPE_A, "96.47.72.84"),
        (TYPE_AAAA, "2610:1c1:1:606c::50:15"),
        (TYPE_MX, (10, "mx1.freebsd.org.")),
        (TYPE_MX, (30, "mx66.freebsd.org.")),
    ],
}


def answer(query: DNS) -> DNS:
    """Return the resolver's response to a query."""
    if not query.questions:
        return response(query, ())
    question = query.questions[0]
    records = ZONE.get(question.qname.rstrip(".").lower())
    if records is None:
        return response(query, (), RCODE_NXDOMAIN)
    found: list[Record] = []
    for kind, data in records:
        if kind != question.qtype:
            continue
        if isinstance(data, tuple):
            found.append(DNSRRMX(question.qname, data[0], data[1]))
        else:
            found.append(DNSRR(question.qname, kind, data))
    return response(query, tuple(found))
