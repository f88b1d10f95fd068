"""ICMP and ICMPv6: echo, errors, and neighbour discovery's entry point.

A stack answers echo requests to its addresses (TTL/hop limit 64, from the
address that was pinged) and hands echo replies to raw sockets (``ping``).
Errors it receives (destination unreachable) reach the socket whose packet
they quote: port unreachable is ``ECONNREFUSED``, the others
``EHOSTUNREACH``. It sends errors for what it cannot forward or deliver:
``unreachable`` (host, port) and ``time_exceeded``, from the first address
of the interface the offending packet came in on, never about an ICMP error
and never when it has no address to send from.
"""

from __future__ import annotations

import logging
from enum import Enum

from kleene.backends.sim.kernel import ip, neighbor, sockets
from kleene.backends.sim.kernel.errno import Errno
from kleene.backends.sim.kernel.runtime import Runtime
from kleene.backends.sim.packets import (
    ICMP,
    ICMPv6,
    IPv4,
    IPv6,
    Packet,
    dest_unreachable,
    dest_unreachable6,
    echo6_reply,
    echo_reply,
)
from kleene.backends.sim.packets.layers import (
    ICMP_DEST_UNREACH,
    ICMP_ECHO_REPLY,
    ICMP_ECHO_REQUEST,
    ICMP_TIME_EXCEEDED,
    ICMPV6_DEST_UNREACH,
    ICMPV6_ECHO_REPLY,
    ICMPV6_ECHO_REQUEST,
    ICMPV6_TIME_EXCEEDED,
    PROTO_ICMP,
    PROTO_ICMPV6,
    UNREACH6_ADDR,
    UNREACH6_PORT,
    UNREACH_HOST,
    UNREACH_PORT,
)
from kleene.backends.sim.world import Interface, Stack

logger = logging.getLogger(__name__)

REPLY_TTL = 64


class Reason(Enum):
    """Why a packet could not be delivered."""

    HOST = "host"
    PORT = "port"


_CODES4 = {Reason.HOST: UNREACH_HOST, Reason.PORT: UNREACH_PORT}
_CODES6 = {Reason.HOST: UNREACH6_ADDR, Reason.PORT: UNREACH6_PORT}


def input4(
    rt: Runtime, stack: Stack, iface: Interface, packet: Packet, message: ICMP
) -> None:
    """Handle an ICMP message for this stack."""
    assert isinstance(packet, IPv4)
    if message.type == ICMP_ECHO_REQUEST:
        ip.output(rt, stack, echo_reply(packet, ttl=REPLY_TTL), False)
    elif message.type == ICMP_ECHO_REPLY:
        sockets.deliver_echo(rt, stack, packet, message.id)
    elif message.type == ICMP_DEST_UNREACH and isinstance(message.payload, IPv4):
        errno = Errno.ECONNREFUSED if message.code == UNREACH_PORT else None
        sockets.deliver_error(rt, stack, message.payload, errno or Errno.EHOSTUNREACH)


def input6(
    rt: Runtime, stack: Stack, iface: Interface, packet: Packet, message: ICMPv6
) -> None:
    """Handle an ICMPv6 message for this stack."""
    assert isinstance(packet, IPv6)
    if neighbor.is_neighbor_discovery(message):
        neighbor.nd_input(rt, stack, iface, packet, message)
    elif message.type == ICMPV6_ECHO_REQUEST:
        ip.output(rt, stack, echo6_reply(packet, hlim=REPLY_TTL), False)
    elif message.type == ICMPV6_ECHO_REPLY:
        sockets.deliver_echo(rt, stack, packet, message.id)
    elif message.type == ICMPV6_DEST_UNREACH and isinstance(message.payload, IPv6):
        errno = Errno.ECONNREFUSED if message.code == UNREACH6_PORT else None
        sockets.deliver_error(rt, stack, message.payload, errno or Errno.EHOSTUNREACH)


def _is_error(packet: Packet) -> bool:
    inner = packet.payload
    if isinstance(inner, ICMP):
        return inner.type not in (ICMP_ECHO_REQUEST, ICMP_ECHO_REPLY)
    if isinstance(inner, ICMPv6):
        return inner.type < 128
    return False


def _source(iface: Interface | None, family: int) -> str | None:
    if iface is None:
        return None
    for address in iface.addresses:
        if address.version == family:
            return str(address.ip)
    return None


def unreachable(
    rt: Runtime, stack: Stack, iface: Interface | None, packet: Packet, reason: Reason
) -> None:
    """Tell the sender of a packet that its destination is unreachable."""
    if _is_error(packet):
        return
    if isinstance(packet, IPv4):
        source = _source(iface, 4) or packet.dst
        error: Packet = dest_unreachable(source, packet, _CODES4[reason])
    else:
        source = _source(iface, 6) or packet.dst
        error = dest_unreachable6(source, packet, _CODES6[reason])
    logger.debug("%s: %s unreachable for %s", stack.name, packet.dst, packet.src)
    ip.output(rt, stack, error, False)


def time_exceeded(
    rt: Runtime, stack: Stack, iface: Interface | None, packet: Packet
) -> None:
    """Tell the sender of a packet that its TTL ran out here."""
    if _is_error(packet):
        return
    family = 4 if isinstance(packet, IPv4) else 6
    source = _source(iface, family)
    if source is None:
        return
    error: Packet
    if isinstance(packet, IPv4):
        message = ICMP(ICMP_TIME_EXCEEDED, payload=packet)
        error = IPv4(source, packet.src, PROTO_ICMP, ttl=REPLY_TTL, payload=message)
    else:
        message6 = ICMPv6(ICMPV6_TIME_EXCEEDED, payload=packet)
        error = IPv6(source, packet.src, PROTO_ICMPV6, hlim=REPLY_TTL, payload=message6)
    ip.output(rt, stack, error, False)
