"""Print a state table as ``pfctl -s states`` does (FreeBSD 13's ``print_state``).

One line per state, oldest first::

    all udp 10.0.2.15:50873 (10.13.37.1:31000) -> 1.1.1.1:53       SINGLE:NO_TRAFFIC
    all tcp 10.13.37.1:80 (10.0.2.15:8080) <- 10.0.2.2:41000       CLOSED:SYN_SENT

The interface is ``all`` for a floating state; an outbound state prints
its wire source (its stack source in parentheses when translated), ``->``
and its destination; an inbound one its stack destination (its wire
destination in parentheses), ``<-`` and its source. IPv6 ports are written
in brackets (``fd00::1[80]``), a port of 0 not at all, ICMP ids as ports.
The peer states come last: TCP states, ``NO_TRAFFIC``/``SINGLE``/
``MULTIPLE`` for UDP and others, numbers for ICMP.
"""

from __future__ import annotations

from typing import Final

from kleene.backends.sim.pf.model import Direction
from kleene.backends.sim.pf.names import protocol_name
from kleene.backends.sim.pf.states import State, StateTable, TcpState

TCP_NAMES: Final = (
    "CLOSED", "LISTEN", "SYN_SENT", "SYN_RCVD", "ESTABLISHED", "CLOSE_WAIT",
    "FIN_WAIT_1", "CLOSING", "LAST_ACK", "FIN_WAIT_2", "TIME_WAIT",
)  # fmt: skip
PEER_NAMES: Final = ("NO_TRAFFIC", "SINGLE", "MULTIPLE")
ICMP_PROTOS: Final = frozenset({1, 58})


def format_states(table: StateTable, now_us: int) -> list[str]:
    """Return the lines of ``pfctl -s states`` for the live states."""
    table.expire(now_us)
    return [format_state(state) for state in table.states.values()]


def format_state(state: State) -> str:
    """Return one state as pfctl prints it."""
    af, proto = state.wire[0], state.wire[1]
    if state.direction is Direction.OUT:
        src, dst = state.src_state, state.dst_state
        shown, other, arrow = state.wire, state.stack, "->"
        if proto in ICMP_PROTOS:
            other = (*other[:4], shown[4], other[5])
    else:
        src, dst = state.dst_state, state.src_state
        shown, other, arrow = state.stack, state.wire, "<-"
        if proto in ICMP_PROTOS:
            other = (*other[:5], shown[5])

    ifname = state.ifname if state.bound else "all"
    name = protocol_name(proto) or str(proto)
    near = _side(af, (shown[3], shown[5]), (other[3], other[5]))
    far = _side(af, (shown[2], shown[4]), (other[2], other[4]))
    return f"{ifname} {name} {near} {arrow} {far}       {_peers(proto, src, dst)}"


def _side(af: int, host: tuple[str, int], stack: tuple[str, int]) -> str:
    text = _host(af, *host)
    if host != stack:
        text += f" ({_host(af, *stack)})"
    return text


def _host(af: int, addr: str, port: int) -> str:
    if not port:
        return addr
    return f"{addr}:{port}" if af == 4 else f"{addr}[{port}]"


def _peers(proto: int, src: int, dst: int) -> str:
    if proto == 6 and max(src, dst) <= TcpState.TIME_WAIT:
        return f"{TCP_NAMES[src]}:{TCP_NAMES[dst]}"
    if proto not in ICMP_PROTOS and max(src, dst) < len(PEER_NAMES):
        return f"{PEER_NAMES[src]}:{PEER_NAMES[dst]}"
    return f"{src}:{dst}"
