"""pf.conf statements as written, before their lists are expanded.

The grammar reads a statement into one of these specs; ``expand`` makes
the rules. ``None`` in a list field means the statement did not give
that part (any interface, protocol, address or port).

    InterfaceItem    an interface of ``on``, possibly negated
    PeerSpec         ``from``/``to``: address and port lists
    Matching         what all rules match on: interfaces, family, protocols
    PortRange        a port as ``parseport`` reads it (``80``, ``80:90``,
                     ``80:*``)
    RedirSpec        ``-> addresses [port P]`` and the pool options
    FilterSpec, ScrubSpec, TranslationSpec
                     one statement of each kind
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from kleene.backends.sim.pf.model import (
    Action,
    Address,
    AddressFamily,
    AddressSpec,
    BlockPolicy,
    Direction,
    KeepState,
    Pool,
    PoolType,
    PortSpec,
    ScrubOptions,
    TcpFlags,
    TranslationKind,
)


@dataclass(frozen=True)
class InterfaceItem:
    """An interface of an ``on`` list, possibly negated."""

    name: str
    negated: bool = False


@dataclass(frozen=True)
class PeerSpec:
    """A ``from`` or ``to`` as written; None stands for any."""

    hosts: tuple[AddressSpec, ...] | None = None
    ports: tuple[PortSpec, ...] | None = None


@dataclass(frozen=True)
class Matching:
    """What every kind of rule matches on, lists unexpanded."""

    interfaces: tuple[InterfaceItem, ...] | None = None
    af: AddressFamily | None = None
    protos: tuple[int, ...] | None = None
    src: PeerSpec = PeerSpec()
    dst: PeerSpec = PeerSpec()


class RangeKind(Enum):
    """How a port of a ``->`` target was written."""

    SINGLE = "single"
    RANGE = "range"
    STAR = "star"


@dataclass(frozen=True)
class PortRange:
    """A port as pfctl's ``parseport`` returns it: ``80``, ``80:90``, ``80:*``."""

    low: int
    high: int = 0
    kind: RangeKind = RangeKind.SINGLE


@dataclass(frozen=True)
class RedirSpec:
    """The ``-> addresses [port P]`` part of a nat or rdr rule and its options."""

    hosts: tuple[Address, ...] | None
    port: PortRange | None = None
    pool_type: PoolType | None = None
    sticky_address: bool = False
    static_port: bool = False


@dataclass(frozen=True)
class FilterSpec:
    """A ``pass`` or ``block`` statement, before expansion."""

    line: int
    action: Action
    direction: Direction
    quick: bool
    log: bool
    log_all: bool
    matching: Matching
    block_policy: BlockPolicy | None
    keep_state: KeepState
    flags: TcpFlags | None
    label: str | None


@dataclass(frozen=True)
class ScrubSpec:
    """A ``scrub`` statement, before expansion."""

    line: int
    direction: Direction
    log: bool
    matching: Matching
    options: ScrubOptions


@dataclass(frozen=True)
class TranslationSpec:
    """A ``nat`` or ``rdr`` statement, its family and pool decided."""

    line: int
    kind: TranslationKind
    passes: bool
    log: bool
    matching: Matching
    af: AddressFamily | None
    pool: Pool
