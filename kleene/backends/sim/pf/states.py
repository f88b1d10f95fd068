"""pf's state table: connections pf lets through without asking the rules.

A ``State`` has two keys, as in FreeBSD's ``struct pf_kstate``: ``wire``
(the addresses on the interface side, after ``nat`` or before ``rdr``) and
``stack`` (the host's side); they differ only for translated connections.
A ``Key`` is ``(af, proto, addr0, addr1, port0, port1)``, oriented as pf
orients it: for a state made by an inbound packet ``addr0`` is that
packet's source, for an outbound one its destination; ICMP queries use
their id as both ports. Inbound packets are looked up by their wire key,
outbound ones by their stack key (``lookup_key``), so a state matches both
directions of its connection and nothing else.

States are floating (any interface) unless made under ``set state-policy
if-bound``. Each side's progress (``src_state``, ``dst_state``: TCP states
for TCP, ``NO_TRAFFIC``/``SINGLE``/``MULTIPLE`` otherwise) picks the
timeout, with pf's default values (``TIMEOUTS``); an expired state is gone
at its next look-up or sweep. ``StateTable`` holds at most ``limit``
states (dropping the expired, then the soonest to expire, when full) and
converts to and from JSON-ready data (``to_dict`` / ``from_dict``).
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from enum import IntEnum, StrEnum
from typing import Any, Final

from kleene.backends.sim.pf.model import Direction

Key = tuple[int, int, str, str, int, int]
TCP: Final = 6
UDP: Final = 17
STATE_LIMIT: Final = 10_000
SWEEP_EVERY: Final = 256


class TcpState(IntEnum):
    """A TCP peer's state as pf tracks it (``netinet/tcp_fsm.h`` numbers)."""

    CLOSED = 0
    LISTEN = 1
    SYN_SENT = 2
    SYN_RECEIVED = 3
    ESTABLISHED = 4
    CLOSE_WAIT = 5
    FIN_WAIT_1 = 6
    CLOSING = 7
    LAST_ACK = 8
    FIN_WAIT_2 = 9
    TIME_WAIT = 10


class PeerState(IntEnum):
    """A UDP or other peer's state (``PFUDPS_*``, ``PFOTHERS_*``)."""

    NO_TRAFFIC = 0
    SINGLE = 1
    MULTIPLE = 2


class Timeout(StrEnum):
    """pf's timeout names (``set timeout``)."""

    TCP_FIRST = "tcp.first"
    TCP_OPENING = "tcp.opening"
    TCP_ESTABLISHED = "tcp.established"
    TCP_CLOSING = "tcp.closing"
    TCP_FINWAIT = "tcp.finwait"
    TCP_CLOSED = "tcp.closed"
    UDP_FIRST = "udp.first"
    UDP_SINGLE = "udp.single"
    UDP_MULTIPLE = "udp.multiple"
    ICMP_FIRST = "icmp.first"
    ICMP_ERROR = "icmp.error"
    OTHER_FIRST = "other.first"
    OTHER_SINGLE = "other.single"
    OTHER_MULTIPLE = "other.multiple"


# pf's defaults, in seconds (pf.conf(5), "set timeout").
TIMEOUTS: Final = {
    Timeout.TCP_FIRST: 120,
    Timeout.TCP_OPENING: 30,
    Timeout.TCP_ESTABLISHED: 86400,
    Timeout.TCP_CLOSING: 900,
    Timeout.TCP_FINWAIT: 45,
    Timeout.TCP_CLOSED: 90,
    Timeout.UDP_FIRST: 60,
    Timeout.UDP_SINGLE: 30,
    Timeout.UDP_MULTIPLE: 60,
    Timeout.ICMP_FIRST: 20,
    Timeout.ICMP_ERROR: 10,
    Timeout.OTHER_FIRST: 60,
    Timeout.OTHER_SINGLE: 30,
    Timeout.OTHER_MULTIPLE: 60,
}


@dataclass(slots=True)
class State:
    """One connection pf keeps state for."""

    id: int
    wire: Key
    stack: Key
    direction: Direction
    ifname: str
    rule: int | None
    nat_rule: int | None
    src_state: int
    dst_state: int
    timeout: Timeout
    created_us: int
    updated_us: int
    bound: bool = False
    log_all: bool = False

    @property
    def expires_us(self) -> int:
        """Return when the state expires unless a packet refreshes it."""
        return self.updated_us + TIMEOUTS[self.timeout] * 1_000_000

    @property
    def translated(self) -> bool:
        """Tell whether the state rewrites addresses or ports."""
        return self.wire != self.stack

    def to_list(self) -> list[Any]:
        """Return the state as a JSON-ready list."""
        fields = list(astuple(self))
        fields[1], fields[2] = list(self.wire), list(self.stack)
        return fields

    @classmethod
    def from_list(cls, data: list[Any]) -> State:
        """Build a state from ``to_list`` output."""
        (ident, wire, stack, direction, ifname, rule, nat_rule, *rest) = data
        src, dst, timeout, created, updated, bound, log_all = rest
        return cls(
            ident, _key(wire), _key(stack), Direction(direction), ifname,
            rule, nat_rule, src, dst, Timeout(timeout), created, updated,
            bound, log_all,
        )  # fmt: skip


def _key(data: list[Any]) -> Key:
    af, proto, addr0, addr1, port0, port1 = data
    return (af, proto, addr0, addr1, port0, port1)


def lookup_key(direction: Direction, h: tuple[int, int, str, str, int, int]) -> Key:
    """Return the key a packet ``(af, proto, src, dst, sport, dport)`` is found by."""
    af, proto, src, dst, sport, dport = h
    if direction is Direction.IN:
        return (af, proto, src, dst, sport, dport)
    return (af, proto, dst, src, dport, sport)


class StateTable:
    """The states of one stack, indexed by their wire and stack keys."""

    def __init__(self, limit: int = STATE_LIMIT) -> None:
        self.limit = limit
        self.states: dict[int, State] = {}
        self.next_id = 1
        self._wire: dict[Key, list[int]] = {}
        self._stack: dict[Key, list[int]] = {}
        self._inserts = 0

    def __len__(self) -> int:
        return len(self.states)

    def find(
        self, key: Key, direction: Direction, ifname: str, now_us: int
    ) -> State | None:
        """Return the live state an inbound (wire) or outbound (stack) key names."""
        index = self._wire if direction is Direction.IN else self._stack
        for ident in index.get(key, ()):
            state = self.states[ident]
            if state.bound and state.ifname != ifname:
                continue
            if state.expires_us <= now_us:
                self.remove(state)
                return self.find(key, direction, ifname, now_us)
            return state
        return None

    def taken(self, key: Key) -> bool:
        """Tell whether a wire key is in use (nat port allocation)."""
        return key in self._wire

    def insert(self, state: State, now_us: int) -> State:
        """Add a state, replacing one made on the same key in the same direction."""
        for index, key in ((self._wire, state.wire), (self._stack, state.stack)):
            for ident in list(index.get(key, ())):
                if self.states[ident].direction is state.direction:
                    self.remove(self.states[ident])
        self._make_room(now_us)

        state.id = self.next_id
        self.next_id += 1
        self.states[state.id] = state
        self._wire.setdefault(state.wire, []).append(state.id)
        self._stack.setdefault(state.stack, []).append(state.id)
        return state

    def remove(self, state: State) -> None:
        """Drop a state and its keys."""
        if self.states.pop(state.id, None) is None:
            return
        for index, key in ((self._wire, state.wire), (self._stack, state.stack)):
            idents = index.get(key, [])
            if state.id in idents:
                idents.remove(state.id)
            if not idents:
                index.pop(key, None)

    def expire(self, now_us: int) -> int:
        """Drop every expired state; return how many went."""
        expired = [s for s in self.states.values() if s.expires_us <= now_us]
        for state in expired:
            self.remove(state)
        return len(expired)

    def _make_room(self, now_us: int) -> None:
        self._inserts += 1
        if self._inserts % SWEEP_EVERY == 0 or len(self.states) >= self.limit:
            self.expire(now_us)
        while len(self.states) >= self.limit:
            self.remove(min(self.states.values(), key=lambda s: s.expires_us))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StateTable) and self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]

    def to_dict(self) -> dict[str, Any]:
        """Return the table as JSON-ready data."""
        return {
            "next_id": self.next_id,
            "states": [state.to_list() for state in self.states.values()],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], limit: int = STATE_LIMIT) -> StateTable:
        """Build a table from ``to_dict`` output."""
        table = cls(limit)
        for item in data.get("states", []):
            state = State.from_list(item)
            table.states[state.id] = state
            table._wire.setdefault(state.wire, []).append(state.id)
            table._stack.setdefault(state.stack, []).append(state.id)
        table.next_id = data.get("next_id", len(table.states) + 1)
        return table
