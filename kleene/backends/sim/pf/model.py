"""The loaded pf ruleset: options, scrub, nat, rdr and filter rules.

Everything here is immutable and already expanded the way pfctl expands a
rule before it hands it to the kernel: one rule per interface, protocol,
source address, source port, destination address and destination port of
the lists it was written with, macros replaced. Each rule carries its
0-based ``number`` inside its own ruleset (scrub, nat, rdr and filter rules
are numbered apart, as the kernel numbers them and as ``pflog`` reports
them) and the ``line`` of pf.conf its statement starts on.

Names follow ``struct pf_rule`` where they can: ``action``, ``direction``,
``quick``, ``log``, ``af``, ``proto``, ``src``/``dst`` (each a ``Peer``: an
``AddressSpec`` and an optional ``PortSpec``), ``keep_state``, ``flags``.
Addresses that depend on an interface, ``(em0)`` and ``(em0:network)``,
stay unresolved (``InterfaceAddress``): the evaluator resolves them against
the interfaces of the moment, so a rule may name an interface that does
not exist yet.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from enum import StrEnum

IPInterface = ipaddress.IPv4Interface | ipaddress.IPv6Interface


class Action(StrEnum):
    """What a filter or scrub rule does with a packet it matches."""

    PASS = "pass"
    BLOCK = "block"
    SCRUB = "scrub"


class Direction(StrEnum):
    """The direction a rule applies to; ``BOTH`` when none is written."""

    BOTH = ""
    IN = "in"
    OUT = "out"


class AddressFamily(StrEnum):
    """An address family keyword."""

    INET = "inet"
    INET6 = "inet6"


class BlockPolicy(StrEnum):
    """How a ``block`` rule refuses a packet (``set block-policy`` or its own)."""

    DROP = "drop"
    RETURN = "return"
    RETURN_RST = "return-rst"
    RETURN_ICMP = "return-icmp"
    RETURN_ICMP6 = "return-icmp6"


class KeepState(StrEnum):
    """The state a pass rule creates; ``NONE`` for ``no state``."""

    NONE = "no"
    KEEP = "keep"
    MODULATE = "modulate"
    SYNPROXY = "synproxy"


class InterfaceMode(StrEnum):
    """Which addresses of an interface ``(if[:mode])`` stands for."""

    ADDRESSES = ""
    NETWORK = "network"
    BROADCAST = "broadcast"
    PEER = "peer"


class PortOp(StrEnum):
    """A port comparison, with pf's own spelling."""

    EQ = "="
    NE = "!="
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="
    RANGE = ":"
    EXCEPT_RANGE = "<>"
    INSIDE_RANGE = "><"


class PoolType(StrEnum):
    """How a translation rule picks among its addresses."""

    NONE = ""
    BITMASK = "bitmask"
    RANDOM = "random"
    ROUND_ROBIN = "round-robin"


class TranslationKind(StrEnum):
    """A translation rule: source (``nat``) or destination (``rdr``)."""

    NAT = "nat"
    RDR = "rdr"


class StatePolicy(StrEnum):
    """``set state-policy``: states bound to an interface or floating."""

    FLOATING = "floating"
    IF_BOUND = "if-bound"


@dataclass(frozen=True)
class AnyAddress:
    """Any address (``any``, or no address written)."""


@dataclass(frozen=True)
class HostAddress:
    """An address or a network, ``10.0.0.1`` or ``10.13.37.0/24``.

    The address is kept as written (``10.13.37.5/24`` stays so); it
    matches every address of ``value.network``.
    """

    value: IPInterface

    @property
    def af(self) -> AddressFamily:
        """Return the address family of the address."""
        return AddressFamily.INET if self.value.version == 4 else AddressFamily.INET6


@dataclass(frozen=True)
class InterfaceAddress:
    """The addresses of an interface, ``(em0)``, ``(kleene0:network)``.

    ``noalias`` is the ``:0`` modifier (the first address only);
    ``prefixlen`` a mask written after the parenthesis, ``(em0)/24``.
    """

    ifname: str
    mode: InterfaceMode = InterfaceMode.ADDRESSES
    noalias: bool = False
    prefixlen: int | None = None


Address = AnyAddress | HostAddress | InterfaceAddress
ANY = AnyAddress()


@dataclass(frozen=True)
class AddressSpec:
    """An address of a rule, possibly negated (``! 10.0.0.1``)."""

    address: Address = ANY
    negated: bool = False

    @property
    def af(self) -> AddressFamily | None:
        """Return the family the address forces on a rule, if any."""
        return self.address.af if isinstance(self.address, HostAddress) else None


@dataclass(frozen=True)
class PortSpec:
    """A port match: ``port 80``, ``port 8080:8090``, ``port != 22``.

    ``high`` is used by the range operators only.
    """

    op: PortOp
    low: int
    high: int = 0

    def matches(self, port: int) -> bool:
        """Tell whether a port satisfies the comparison."""
        op, low, high = self.op, self.low, self.high
        if op is PortOp.EQ:
            return port == low
        if op is PortOp.RANGE:
            return low <= port <= high
        if op is PortOp.NE:
            return port != low
        if op is PortOp.EXCEPT_RANGE:
            return port < low or port > high
        if op is PortOp.INSIDE_RANGE:
            return low < port < high
        if op is PortOp.LT:
            return port < low
        if op is PortOp.LE:
            return port <= low
        return port > low if op is PortOp.GT else port >= low


@dataclass(frozen=True)
class Peer:
    """One side of a rule (``from`` or ``to``): an address and a port."""

    address: AddressSpec = AddressSpec()
    port: PortSpec | None = None


@dataclass(frozen=True)
class TcpFlags:
    """``flags <set>/<mask>`` as bit masks (F=1, S=2, R=4, P=8, A=16 ...)."""

    flags: int
    mask: int


@dataclass(frozen=True)
class FilterRule:
    """An expanded ``pass`` or ``block`` rule."""

    number: int
    line: int
    action: Action
    direction: Direction
    quick: bool
    log: bool
    log_all: bool
    interface: str | None
    interface_negated: bool
    af: AddressFamily | None
    proto: int | None
    src: Peer
    dst: Peer
    block_policy: BlockPolicy | None
    keep_state: KeepState
    flags: TcpFlags | None
    label: str | None = None


@dataclass(frozen=True)
class ScrubOptions:
    """The options of a scrub rule (accepted; the simulation ignores them)."""

    no_df: bool = False
    random_id: bool = False
    min_ttl: int = 0
    max_mss: int = 0
    reassemble_tcp: bool = False


@dataclass(frozen=True)
class ScrubRule:
    """An expanded ``scrub`` rule."""

    number: int
    line: int
    direction: Direction
    log: bool
    interface: str | None
    interface_negated: bool
    af: AddressFamily | None
    proto: int | None
    src: Peer
    dst: Peer
    options: ScrubOptions


@dataclass(frozen=True)
class Pool:
    """Where a translation rule maps to: addresses, ports and pool type.

    ``ports`` are pf's proxy ports: for nat the source port range
    (``50001:65535`` by default, ``(0, 0)`` with ``static-port``), for rdr
    the first and last destination port (``(80, 0)`` for ``port 80``).
    """

    addresses: tuple[Address, ...]
    ports: tuple[int, int]
    pool_type: PoolType
    sticky_address: bool = False


@dataclass(frozen=True)
class TranslationRule:
    """An expanded ``nat`` or ``rdr`` rule."""

    number: int
    line: int
    kind: TranslationKind
    passes: bool
    log: bool
    interface: str | None
    interface_negated: bool
    af: AddressFamily | None
    proto: int | None
    src: Peer
    dst: Peer
    pool: Pool

    def rdr_port(self, dport: int) -> int:
        """Return the port an rdr rule sends a destination port to."""
        low, high = self.pool.ports
        first = self.dst.port.low if self.dst.port is not None else 0
        if high and high >= low:
            port = (dport - first) % (high - low + 1) + low
            return port - 65535 if port > 65535 else port
        return low or dport


@dataclass(frozen=True)
class Options:
    """What the ``set`` statements chose."""

    block_policy: BlockPolicy = BlockPolicy.DROP
    skip_interfaces: tuple[str, ...] = ()
    require_order: bool = True
    loginterface: str | None = None
    optimization: str | None = None
    state_policy: StatePolicy = StatePolicy.FLOATING


@dataclass(frozen=True)
class Ruleset:
    """A whole pf.conf, parsed and expanded."""

    options: Options
    scrub_rules: tuple[ScrubRule, ...]
    nat_rules: tuple[TranslationRule, ...]
    rdr_rules: tuple[TranslationRule, ...]
    filter_rules: tuple[FilterRule, ...]
    macros: tuple[tuple[str, str], ...]
