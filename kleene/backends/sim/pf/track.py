"""How a state follows its connection: peer states and timeouts.

The rules are pf's (``pf_create_state``, ``pf_tcp_track_full`` without
the sequence-window checks, ``pf_test_state_udp``, ``_icmp``, ``_other``):

- a new state's ``src`` is the peer that sent the first packet: TCP
  ``SYN_SENT:CLOSED`` (``tcp.first``), UDP and others
  ``SINGLE:NO_TRAFFIC`` (``udp.first``, ``other.first``), ICMP ``0:0``
  (``icmp.first``);
- TCP: a SYN moves its sender to ``SYN_SENT``, a FIN to ``CLOSING``; an
  ACK moves the other peer from ``SYN_SENT`` to ``ESTABLISHED`` and from
  ``CLOSING`` to ``FIN_WAIT_2``; a RST puts both in ``TIME_WAIT``; the
  timeout follows from the two states (``tcp.closed`` when both are past
  ``FIN_WAIT_2``, ``tcp.finwait``, ``tcp.opening``, ``tcp.closing``,
  ``tcp.established``);
- UDP and others: the sender becomes ``SINGLE``, a ``SINGLE`` receiver
  ``MULTIPLE``; ICMP states take ``icmp.error`` once answered.

A SYN for a state whose peers are both past ``FIN_WAIT_2`` (a port
reused) ends the state so that the rules decide on a new one; pf drops
that SYN once instead, which only delays a client that retries.
"""

from __future__ import annotations

from typing import Final

from kleene.backends.sim.packets.layers import ACK, FIN, RST, SYN
from kleene.backends.sim.pf.headers import Headers
from kleene.backends.sim.pf.model import Direction
from kleene.backends.sim.pf.states import PeerState, State, TcpState, Timeout

TCP: Final = 6
UDP: Final = 17
ICMP_PROTOS: Final = frozenset({1, 58})


def opening(h: Headers) -> tuple[int, int, Timeout]:
    """Return the peer states and timeout of a state made by ``h``."""
    if h.proto == TCP:
        return TcpState.SYN_SENT, TcpState.CLOSED, Timeout.TCP_FIRST
    if h.proto in ICMP_PROTOS:
        return 0, 0, Timeout.ICMP_FIRST
    first = Timeout.UDP_FIRST if h.proto == UDP else Timeout.OTHER_FIRST
    return PeerState.SINGLE, PeerState.NO_TRAFFIC, first


def track(state: State, h: Headers, direction: Direction, now_us: int) -> bool:
    """Update a state for a packet it matched; False when the state is over."""
    forward = direction is state.direction
    src, dst = (
        (state.src_state, state.dst_state)
        if forward
        else (state.dst_state, state.src_state)
    )
    if h.proto == TCP:
        if _reused(src, dst, h.flags):
            return False
        src, dst = _tcp_peers(src, dst, h.flags)
        state.timeout = _tcp_timeout(src, dst)
    elif h.proto in ICMP_PROTOS:
        state.timeout = Timeout.ICMP_ERROR
    else:
        src, dst = max(src, PeerState.SINGLE), dst
        if dst == PeerState.SINGLE:
            dst = PeerState.MULTIPLE
        state.timeout = _datagram_timeout(h.proto, src, dst)

    state.src_state, state.dst_state = (src, dst) if forward else (dst, src)
    state.updated_us = now_us
    return True


def _reused(src: int, dst: int, flags: int) -> bool:
    closed = src >= TcpState.FIN_WAIT_2 and dst >= TcpState.FIN_WAIT_2
    return closed and flags & (SYN | ACK) == SYN


def _tcp_peers(src: int, dst: int, flags: int) -> tuple[int, int]:
    if flags & SYN and src < TcpState.SYN_SENT:
        src = TcpState.SYN_SENT
    if flags & FIN and src < TcpState.CLOSING:
        src = TcpState.CLOSING
    if flags & ACK:
        if dst == TcpState.SYN_SENT:
            dst = TcpState.ESTABLISHED
        elif dst == TcpState.CLOSING:
            dst = TcpState.FIN_WAIT_2
    if flags & RST:
        src = dst = TcpState.TIME_WAIT
    return src, dst


def _tcp_timeout(src: int, dst: int) -> Timeout:
    if src >= TcpState.FIN_WAIT_2 and dst >= TcpState.FIN_WAIT_2:
        return Timeout.TCP_CLOSED
    if src >= TcpState.CLOSING and dst >= TcpState.CLOSING:
        return Timeout.TCP_FINWAIT
    if src < TcpState.ESTABLISHED or dst < TcpState.ESTABLISHED:
        return Timeout.TCP_OPENING
    if src >= TcpState.CLOSING or dst >= TcpState.CLOSING:
        return Timeout.TCP_CLOSING
    return Timeout.TCP_ESTABLISHED


def _datagram_timeout(proto: int, src: int, dst: int) -> Timeout:
    both = src == PeerState.MULTIPLE and dst == PeerState.MULTIPLE
    if proto == UDP:
        return Timeout.UDP_MULTIPLE if both else Timeout.UDP_SINGLE
    return Timeout.OTHER_MULTIPLE if both else Timeout.OTHER_SINGLE
