"""Sockets: the table, binding rules, demultiplexing and events to processes.

A socket belongs to a process (``pid``; 0 once closed but still finishing a
TCP close) and to the stack and jail it was opened in. What a jail allows
(SPEC §4.12): a disabled family fails with ``EAFNOSUPPORT``; raw sockets
(``Proto.ICMP``, ping) need ``allow.raw_sockets`` except in vnet jails
(``EPERM``); an ipnet jail's wildcard listener accepts only its own
addresses, and its packets leave from its first address of the family.

An ICMP error about a TCP segment is kept as the connection's soft error
(reported if the connection attempt times out), as FreeBSD does; one about a
UDP datagram reaches the owner at once.

Incoming packets find their socket by protocol and ends: a connected socket
first, then a listener bound to the destination address, then a wildcard
listener of the destination's jail, then a host wildcard. Events reach the
owner's handler through ``notify`` (``Event``); ``procs.deliver`` ends the
process if the handler returns a status.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Any

from kleene.backends.sim.kernel import entropy, ip
from kleene.backends.sim.kernel.errno import Errno, KernelError
from kleene.backends.sim.kernel.runtime import Runtime
from kleene.backends.sim.packets import (
    TCP,
    UDP,
    IPv4,
    Packet,
    echo6_request,
    echo_request,
)
from kleene.backends.sim.records import (
    Driver,
    IpMode,
    ProcRecord,
    Proto,
    Socket,
    TcpState,
)
from kleene.backends.sim.world import Stack

logger = logging.getLogger(__name__)

EPHEMERAL_FIRST = 49152
EPHEMERAL_COUNT = 65536 - EPHEMERAL_FIRST
_INDEX = "sockets"


class Event(StrEnum):
    """What a socket's owner hears about."""

    CONNECTED = "connected"
    ACCEPTED = "accepted"
    DATA = "data"
    EOF = "eof"
    RESET = "reset"
    ERROR = "error"
    DATAGRAM = "datagram"
    ECHO = "echo"


def open(rt: Runtime, proc: ProcRecord, proto: Proto, family: int) -> Socket:
    """Open a socket for a process (EAFNOSUPPORT, EPERM)."""
    jail = rt.world.jails.get(proc.jid)
    if jail is not None and not jail.vnet:
        mode = jail.ip4 if family == 4 else jail.ip6
        if jail.driver is Driver.DISABLED or mode is IpMode.DISABLE:
            raise KernelError(Errno.EAFNOSUPPORT)
        if proto is Proto.ICMP and not jail.raw_sockets:
            raise KernelError(Errno.EPERM)
    return _new(rt, proc, proto, family)


def open_child(rt: Runtime, listener: Socket) -> Socket:
    """Open the socket of a connection that a listener accepts."""
    owner = ProcRecord(listener.pid, 0, listener.jid, listener.stack, [])
    child = _new(rt, owner, listener.proto, listener.family)
    child.parent = listener.sid
    return child


def _new(rt: Runtime, proc: ProcRecord, proto: Proto, family: int) -> Socket:
    world = rt.world
    sid = max(world.counters.get("sid", 1), max(world.sockets, default=0) + 1)
    world.counters["sid"] = sid + 1
    sock = Socket(sid, proc.pid, proc.stack, proc.jid, proto, family)
    world.sockets[sid] = sock
    rt.caches.extra.pop(_INDEX, None)
    return sock


def forget(rt: Runtime, sock: Socket) -> None:
    """Take a socket out of the table."""
    rt.world.sockets.pop(sock.sid, None)
    rt.caches.extra.pop(_INDEX, None)


def close(rt: Runtime, sock: Socket) -> None:
    """Close a socket (a TCP connection finishes its close without an owner)."""
    if sock.proto is Proto.TCP:
        from kleene.backends.sim.kernel import tcp

        tcp.close(rt, sock)
    else:
        forget(rt, sock)


def listen(rt: Runtime, sock: Socket, port: int) -> None:
    """Bind a socket to a port on every address it may use (EADDRINUSE)."""
    for other in _of(rt, sock.stack, sock.proto):
        clash = other.lport == port and other.family == sock.family
        if clash and other.raddr == "" and other.jid == sock.jid:
            raise KernelError(Errno.EADDRINUSE)
    sock.lport = port
    if sock.proto is Proto.TCP:
        sock.state = TcpState.LISTEN
    rt.caches.extra.pop(_INDEX, None)


def bind_for(rt: Runtime, sock: Socket, dst: str) -> None:
    """Give an unbound socket the source address and port to reach ``dst``."""
    stack = rt.world.stacks[sock.stack]
    jail = rt.world.jails.get(sock.jid)
    source = ip.select_source(rt, stack, jail, dst)
    if isinstance(source, Errno):
        raise KernelError(source)
    sock.laddr = source
    if sock.lport == 0 and sock.proto is not Proto.ICMP:
        sock.lport = ephemeral_port(rt, stack, sock.proto)
    rt.caches.extra.pop(_INDEX, None)


def ephemeral_port(rt: Runtime, stack: Stack, proto: Proto) -> int:
    """Return a free ephemeral port of a stack."""
    used = {s.lport for s in _of(rt, stack.name, proto)}
    for _ in range(EPHEMERAL_COUNT):
        port = EPHEMERAL_FIRST + rt.counter("port", 0) % EPHEMERAL_COUNT
        if port not in used:
            return port
    raise KernelError(Errno.EADDRNOTAVAIL)


def initial_sequence(rt: Runtime) -> int:
    """Return a TCP initial sequence number from the seeded generator."""
    return int.from_bytes(entropy.draw(rt.world, "tcp", 4), "big")


def notify(rt: Runtime, sock: Socket, event: Event, data: Any = None) -> None:
    """Tell a socket's owner about an event."""
    from kleene.backends.sim.kernel import procs

    proc = rt.world.processes.get(sock.pid)
    if proc is None:
        return
    logger.debug("socket %d of %d: %s", sock.sid, sock.pid, event)
    procs.deliver(rt, proc, rt.handler(proc).on_socket(rt, proc, sock, event, data))


def _of(rt: Runtime, stack: str, proto: Proto) -> list[Socket]:
    index = rt.caches.extra.get(_INDEX)
    if index is None:
        index = {}
        for sock in rt.world.sockets.values():
            index.setdefault((sock.stack, sock.proto), []).append(sock)
        rt.caches.extra[_INDEX] = index
    found: list[Socket] = index.get((stack, proto), [])
    return found


def connected(
    rt: Runtime, stack: str, proto: Proto, packet: Packet, sport: int, dport: int
) -> Socket | None:
    """Return the connected socket a packet belongs to."""
    for sock in _of(rt, stack, proto):
        if (
            sock.lport == dport
            and sock.rport == sport
            and sock.raddr == packet.src
            and sock.laddr == packet.dst
        ):
            return sock
    return None


def listener(
    rt: Runtime, stack: str, proto: Proto, packet: Packet, dport: int
) -> Socket | None:
    """Return the socket listening for a packet to ``dport``, best match first."""
    family = 4 if isinstance(packet, IPv4) else 6
    best: tuple[int, Socket] | None = None
    for sock in _of(rt, stack, proto):
        if sock.lport != dport or sock.raddr or sock.family != family:
            continue
        if proto is Proto.TCP and sock.state is not TcpState.LISTEN:
            continue
        rank = _rank(rt, sock, packet.dst)
        if rank and (best is None or rank > best[0]):
            best = (rank, sock)
    return None if best is None else best[1]


def _rank(rt: Runtime, sock: Socket, dst: str) -> int:
    if sock.laddr:
        return 3 if sock.laddr == dst else 0
    jail = rt.world.jails.get(sock.jid)
    if jail is not None and jail.driver is Driver.IPNET:
        return 2 if dst in jail.addrs(4 if ":" not in dst else 6) else 0
    return 1


def send_echo(
    rt: Runtime, sock: Socket, dst: str, seq: int, data: bytes, ttl: int = 64
) -> Errno | None:
    """Send an ICMP (or ICMPv6) echo request from a raw socket."""
    stack = rt.world.stacks[sock.stack]
    if not sock.laddr:
        try:
            bind_for(rt, sock, dst)
        except KernelError as exc:
            return exc.errno
    ident = sock.pid & 0xFFFF
    packet: Packet
    if sock.family == 4:
        packet = echo_request(sock.laddr, dst, ident, seq, data, ttl)
    else:
        packet = echo6_request(sock.laddr, dst, ident, seq, data, ttl)
    return ip.output(rt, stack, packet)


def deliver_echo(rt: Runtime, stack: Stack, packet: Packet, ident: int) -> None:
    """Hand an echo reply to the raw socket that sent the request."""
    family = 4 if isinstance(packet, IPv4) else 6
    for sock in list(_of(rt, stack.name, Proto.ICMP)):
        if sock.family == family and sock.pid & 0xFFFF == ident:
            notify(rt, sock, Event.ECHO, packet)
            return


def deliver_error(rt: Runtime, stack: Stack, quoted: Packet, errno: Errno) -> None:
    """Hand an ICMP error to the socket whose packet it quotes."""
    inner = quoted.payload
    if not isinstance(inner, TCP | UDP):
        return
    proto = Proto.TCP if isinstance(inner, TCP) else Proto.UDP
    for sock in list(_of(rt, stack.name, proto)):
        if sock.lport == inner.sport and sock.laddr == quoted.src:
            if sock.raddr not in ("", quoted.dst) or sock.rport not in (0, inner.dport):
                continue
            if proto is Proto.TCP:
                sock.soft_error = int(errno)
            else:
                notify(rt, sock, Event.ERROR, errno)
            return


def family_of(address: str) -> int:
    """Return the IP version of an address in text form."""
    return 6 if ":" in address else 4
