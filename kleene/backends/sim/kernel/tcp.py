"""TCP: handshake, data, FIN, RST; no loss, so no retransmission or windows.

Segments carry ``seq``/``ack`` as TCP's do and states follow RFC 9293's
names (``records.TcpState``). An active open sends SYN (``connect``); the
owner hears ``CONNECTED`` on SYN-ACK, or ``ERROR`` with ``ECONNREFUSED`` on
RST; a connection that never answers is the owner's timer to run
(``nc``'s ``-w``, 75 s by default). A passive open (``sockets.listen``)
answers SYN with SYN-ACK from a child socket that the listener's owner hears
of (``ACCEPTED``) when the handshake completes. Data is acknowledged at once
(``DATA``); a FIN is acknowledged and reported (``EOF``); a RST ends the
connection (``RESET``). A segment for no socket gets a RST (RST-ACK for a
SYN), as FreeBSD answers a closed port.

``close`` sends FIN on an open connection; the socket loses its owner and
goes once both FINs are acknowledged.
"""

from __future__ import annotations

import logging

from kleene.backends.sim.kernel import ip, sockets
from kleene.backends.sim.kernel.errno import Errno, KernelError
from kleene.backends.sim.kernel.runtime import Runtime
from kleene.backends.sim.kernel.sockets import Event
from kleene.backends.sim.packets import ACK, FIN, PSH, RST, SYN, TCP, Packet, ipv4, ipv6
from kleene.backends.sim.records import Proto, Socket, TcpState
from kleene.backends.sim.world import Stack

logger = logging.getLogger(__name__)

_OPEN = (TcpState.ESTABLISHED, TcpState.CLOSE_WAIT)


def segment(src: str, dst: str, segment: TCP) -> Packet:
    """Wrap a segment in an IPv4 or IPv6 packet."""
    return ipv6(src, dst, segment) if ":" in dst else ipv4(src, dst, segment)


def _send(rt: Runtime, sock: Socket, flags: int, data: bytes = b"") -> Errno | None:
    tcp = TCP(sock.lport, sock.rport, sock.snd_nxt, sock.rcv_nxt, flags, payload=data)
    sock.snd_nxt = (
        sock.snd_nxt + len(data) + (1 if flags & (SYN | FIN) else 0)
    ) % 2**32
    stack = rt.world.stacks[sock.stack]
    return ip.output(rt, stack, segment(sock.laddr, sock.raddr, tcp))


def connect(rt: Runtime, sock: Socket, dst: str, port: int) -> None:
    """Start an active open to ``dst``:``port`` (EHOSTUNREACH, EACCES, ...)."""
    sockets.bind_for(rt, sock, dst)
    sock.raddr, sock.rport = dst, port
    sock.snd_nxt = sockets.initial_sequence(rt)
    sock.state = TcpState.SYN_SENT
    rt.caches.extra.pop("sockets", None)
    error = _send(rt, sock, SYN)
    if error is not None:
        sockets.forget(rt, sock)
        raise KernelError(error)


def send(rt: Runtime, sock: Socket, data: bytes) -> None:
    """Send data on an open connection."""
    if data and sock.state in _OPEN:
        _send(rt, sock, PSH | ACK, data)


def shutdown(rt: Runtime, sock: Socket) -> None:
    """Close the sending side (FIN)."""
    if sock.sent_fin or sock.state not in _OPEN:
        return
    sock.sent_fin = True
    sock.state = (
        TcpState.FIN_WAIT_1 if sock.state is TcpState.ESTABLISHED else TcpState.LAST_ACK
    )
    _send(rt, sock, FIN | ACK)


def close(rt: Runtime, sock: Socket) -> None:
    """Close a socket: FIN on an open connection, forget anything else."""
    sock.pid = 0
    if sock.state in _OPEN:
        shutdown(rt, sock)
    elif sock.state is TcpState.SYN_RECEIVED:
        _send(rt, sock, RST | ACK)
        sockets.forget(rt, sock)
    elif sock.state not in (
        TcpState.FIN_WAIT_1,
        TcpState.FIN_WAIT_2,
        TcpState.LAST_ACK,
    ):
        sockets.forget(rt, sock)


def input(rt: Runtime, stack: Stack, packet: Packet, seg: TCP) -> None:
    """Handle a segment for this stack."""
    sock = sockets.connected(rt, stack.name, Proto.TCP, packet, seg.sport, seg.dport)
    if sock is not None:
        _established_input(rt, sock, seg)
        return
    if seg.flags & SYN and not seg.flags & ACK:
        listener = sockets.listener(rt, stack.name, Proto.TCP, packet, seg.dport)
        if listener is not None:
            _accept(rt, stack, listener, packet, seg)
            return
    if not seg.flags & RST:
        _reset(rt, stack, packet, seg)


def _reset(rt: Runtime, stack: Stack, packet: Packet, seg: TCP) -> None:
    if seg.flags & ACK:
        answer = TCP(seg.dport, seg.sport, seg.ack, 0, RST)
    else:
        length = len(seg.payload) + (1 if seg.flags & (SYN | FIN) else 0)
        answer = TCP(seg.dport, seg.sport, 0, (seg.seq + length) % 2**32, RST | ACK)
    logger.debug("%s: reset for %s port %d", stack.name, packet.dst, seg.dport)
    ip.output(rt, stack, segment(packet.dst, packet.src, answer), False)


def _accept(
    rt: Runtime, stack: Stack, listener: Socket, packet: Packet, seg: TCP
) -> None:
    child = sockets.open_child(rt, listener)
    child.laddr, child.lport = packet.dst, seg.dport
    child.raddr, child.rport = packet.src, seg.sport
    child.rcv_nxt = (seg.seq + 1) % 2**32
    child.snd_nxt = sockets.initial_sequence(rt)
    child.state = TcpState.SYN_RECEIVED
    _send(rt, child, SYN | ACK)


def _established_input(rt: Runtime, sock: Socket, seg: TCP) -> None:
    if seg.flags & RST:
        sockets.forget(rt, sock)
        refused = sock.state is TcpState.SYN_SENT
        if refused:
            sockets.notify(rt, sock, Event.ERROR, Errno.ECONNREFUSED)
        else:
            sockets.notify(rt, sock, Event.RESET)
        return
    if sock.state is TcpState.SYN_SENT:
        if seg.flags & SYN and seg.flags & ACK:
            sock.rcv_nxt = (seg.seq + 1) % 2**32
            sock.state = TcpState.ESTABLISHED
            _send(rt, sock, ACK)
            sockets.notify(rt, sock, Event.CONNECTED)
        return
    if sock.state is TcpState.SYN_RECEIVED and seg.flags & ACK:
        sock.state = TcpState.ESTABLISHED
        parent = rt.world.sockets.get(sock.parent or 0)
        if parent is not None:
            sockets.notify(rt, parent, Event.ACCEPTED, sock.sid)
    _data_input(rt, sock, seg)


def _data_input(rt: Runtime, sock: Socket, seg: TCP) -> None:
    if seg.flags & ACK and seg.ack == sock.snd_nxt and sock.sent_fin:
        if sock.state is TcpState.FIN_WAIT_1:
            sock.state = TcpState.FIN_WAIT_2
        elif sock.state is TcpState.LAST_ACK:
            sockets.forget(rt, sock)
            return
    if seg.payload:
        sock.rcv_nxt = (sock.rcv_nxt + len(seg.payload)) % 2**32
        _send(rt, sock, ACK)
        sockets.notify(rt, sock, Event.DATA, seg.payload)
    if seg.flags & FIN and sock.sid in rt.world.sockets:
        sock.rcv_nxt = (sock.rcv_nxt + 1) % 2**32
        _send(rt, sock, ACK)
        if sock.sent_fin:
            sockets.forget(rt, sock)
        else:
            sock.state = TcpState.CLOSE_WAIT
        sockets.notify(rt, sock, Event.EOF)
