"""UDP: datagrams to sockets, port unreachable, and the resolver's service.

A datagram goes to the connected socket of its ends, else to the socket
bound to its port (``sockets.listener``); with none, the stack answers ICMP
port unreachable. The resolver machine (10.0.2.3) answers DNS on port 53
itself (``dnszone``). The owner of a socket hears ``DATAGRAM`` with
``(source, source port, payload)``.
"""

from __future__ import annotations

import logging

from kleene.backends.sim.kernel import dnszone, icmp, ip, sockets
from kleene.backends.sim.kernel.errno import Errno, KernelError
from kleene.backends.sim.kernel.runtime import Runtime
from kleene.backends.sim.kernel.sockets import Event
from kleene.backends.sim.packets import DNS, UDP, Packet, ipv4, ipv6
from kleene.backends.sim.records import Proto, Socket
from kleene.backends.sim.world import Interface, Stack

logger = logging.getLogger(__name__)

DNS_PORT = 53
RESOLVER_ROLE = "resolver"


def datagram(src: str, dst: str, payload: UDP) -> Packet:
    """Wrap a UDP datagram in an IPv4 or IPv6 packet."""
    return ipv6(src, dst, payload) if ":" in dst else ipv4(src, dst, payload)


def sendto(
    rt: Runtime, sock: Socket, dst: str, port: int, payload: bytes | DNS
) -> Errno | None:
    """Send a datagram from a socket (binding it first if needed)."""
    if not sock.laddr:
        try:
            sockets.bind_for(rt, sock, dst)
        except KernelError as exc:
            return exc.errno
    stack = rt.world.stacks[sock.stack]
    packet = datagram(sock.laddr, dst, UDP(sock.lport, port, payload))
    return ip.output(rt, stack, packet)


def input(
    rt: Runtime, stack: Stack, iface: Interface, packet: Packet, dgram: UDP
) -> None:
    """Handle a datagram for this stack."""
    if stack.role == RESOLVER_ROLE and dgram.dport == DNS_PORT:
        _resolve(rt, stack, packet, dgram)
        return
    sock = sockets.connected(
        rt, stack.name, Proto.UDP, packet, dgram.sport, dgram.dport
    )
    if sock is None:
        sock = sockets.listener(rt, stack.name, Proto.UDP, packet, dgram.dport)
    if sock is None:
        icmp.unreachable(rt, stack, iface, packet, icmp.Reason.PORT)
        return
    sockets.notify(rt, sock, Event.DATAGRAM, (packet.src, dgram.sport, dgram.payload))


def _resolve(rt: Runtime, stack: Stack, packet: Packet, dgram: UDP) -> None:
    if not isinstance(dgram.payload, DNS):
        return
    reply = UDP(DNS_PORT, dgram.sport, dnszone.answer(dgram.payload))
    ip.output(rt, stack, datagram(packet.dst, packet.src, reply), False)
