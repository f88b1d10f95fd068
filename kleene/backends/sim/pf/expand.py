"""Statements (``specs``) expanded into numbered rules, as pfctl expands them.

Expanding a statement makes one rule per combination of its lists, in
pfctl's order (``expand_rule``): interfaces, then protocols, then source
addresses, source ports, destination addresses and destination ports,
the last varying fastest.
The address family is a single value, decided before the loop as pfctl
decides it, and a combination whose addresses disagree with it (or with
each other) is left out. Each combination then passes pfctl's
consistency checks (``filter_consistent``, ``rdr_consistent``); one that
fails reports its problems and ``skipping rule due to errors``; a
statement left with no rule reports ``rule expands to no valid
combination``. Rules are numbered from ``first`` in the order they are
made.

``translation_pool`` is what pfctl's nat/rdr action decides before the
expansion: the family, the ``->`` addresses, the proxy ports and the pool
type (``round-robin`` whenever several addresses or an interface's
addresses are possible).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Final, NoReturn, TypeVar

from kleene.backends.sim.pf.model import (
    Action,
    Address,
    AddressFamily,
    AddressSpec,
    BlockPolicy,
    FilterRule,
    HostAddress,
    InterfaceAddress,
    KeepState,
    Peer,
    Pool,
    PoolType,
    PortOp,
    ScrubRule,
    TranslationKind,
    TranslationRule,
)
from kleene.backends.sim.pf.names import ICMP, ICMP6, TCP, UDP
from kleene.backends.sim.pf.specs import (
    FilterSpec,
    InterfaceItem,
    Matching,
    PortRange,
    RangeKind,
    RedirSpec,
    ScrubSpec,
    TranslationSpec,
)

NAT_PORTS: Final = (50001, 65535)
_R = TypeVar("_R")

Report = Callable[[str], None]
Refuse = Callable[[str], NoReturn]


@dataclass(frozen=True)
class Combination:
    """One combination of a statement's lists."""

    interface: InterfaceItem | None
    af: AddressFamily | None
    proto: int | None
    src: Peer
    dst: Peer


def decide_family(
    hosts: tuple[AddressSpec, ...] | None, af: AddressFamily | None
) -> AddressFamily | None:
    """Return the family all hosts share when none is given yet."""
    if af is not None or not hosts:
        return af
    families = {host.af for host in hosts}
    return families.pop() if len(families) == 1 else None


def combinations(m: Matching, af: AddressFamily | None) -> Iterator[Combination]:
    """Yield the combinations of a statement's lists whose families agree."""
    for interface, proto, src, sport, dst, dport in itertools.product(
        m.interfaces or (None,),
        m.protos or (None,),
        m.src.hosts or (AddressSpec(),),
        m.src.ports or (None,),
        m.dst.hosts or (AddressSpec(),),
        m.dst.ports or (None,),
    ):
        known = {family for family in (af, src.af, dst.af) if family is not None}
        if len(known) > 1:
            continue
        family = af or src.af or dst.af
        yield Combination(interface, family, proto, Peer(src, sport), Peer(dst, dport))


def expand_filter(spec: FilterSpec, first: int, report: Report) -> list[FilterRule]:
    """Expand a pass or block statement into rules numbered from ``first``."""
    m = spec.matching
    af = decide_family(m.dst.hosts, decide_family(m.src.hosts, m.af))
    rules: list[FilterRule] = []
    for c in combinations(m, af):
        tcp_like = c.proto in (None, TCP)
        keep = spec.keep_state
        if keep in (KeepState.MODULATE, KeepState.SYNPROXY) and not tcp_like:
            keep = KeepState.KEEP
        problems = _filter_problems(c, spec.action, spec.block_policy, keep)
        if _skipped(problems, report):
            continue
        rules.append(
            FilterRule(
                number=first + len(rules),
                line=spec.line,
                action=spec.action,
                direction=spec.direction,
                quick=spec.quick,
                log=spec.log,
                log_all=spec.log_all,
                interface=c.interface.name if c.interface else None,
                interface_negated=bool(c.interface and c.interface.negated),
                af=c.af,
                proto=c.proto,
                src=c.src,
                dst=c.dst,
                block_policy=spec.block_policy,
                keep_state=keep,
                flags=spec.flags if tcp_like else None,
                label=spec.label,
            )
        )
    return _checked(rules, report)


def expand_scrub(spec: ScrubSpec, first: int, report: Report) -> list[ScrubRule]:
    """Expand a scrub statement into rules numbered from ``first``."""
    rules: list[ScrubRule] = []
    for c in combinations(spec.matching, spec.matching.af):
        problems = _filter_problems(c, Action.SCRUB, None, KeepState.NONE)
        if _skipped(problems, report):
            continue
        rules.append(
            ScrubRule(
                number=first + len(rules),
                line=spec.line,
                direction=spec.direction,
                log=spec.log,
                interface=c.interface.name if c.interface else None,
                interface_negated=bool(c.interface and c.interface.negated),
                af=c.af,
                proto=c.proto,
                src=c.src,
                dst=c.dst,
                options=spec.options,
            )
        )
    return _checked(rules, report)


def translation_pool(
    kind: TranslationKind, m: Matching, redir: RedirSpec, refuse: Refuse
) -> tuple[AddressFamily | None, Pool]:
    """Decide a nat or rdr rule's family and pool, as pfctl's action does."""
    af = m.af or _first_family(m.src.hosts) or _first_family(m.dst.hosts)
    if not redir.hosts:
        refuse("translation rule requires '-> address'")
    if af is None:
        af = next((h.af for h in redir.hosts if isinstance(h, HostAddress)), None)
    hosts = tuple(
        h for h in redir.hosts if not (isinstance(h, HostAddress) and h.af != af)
    )
    if af is None and any(not isinstance(h, InterfaceAddress) for h in hosts):
        refuse(
            "address family not given and translation address expands to"
            " multiple address families"
        )
    if not hosts:
        refuse("no translation address with matching address family found.")

    pool_type = redir.pool_type or PoolType.NONE
    if pool_type is PoolType.NONE and (len(hosts) > 1 or _multiaddress(hosts[0])):
        pool_type = PoolType.ROUND_ROBIN
    if pool_type is not PoolType.ROUND_ROBIN:
        dynamic = next((h for h in hosts if _multiaddress(h)), None)
        if isinstance(dynamic, InterfaceAddress):
            refuse(
                f"interface ({dynamic.ifname}) is only supported in round-robin"
                " redirection pools"
            )
        if len(hosts) > 1:
            refuse("only round-robin valid for multiple redirection addresses")

    ports = _proxy_ports(kind, m, redir.port)
    if redir.static_port:
        if kind is not TranslationKind.NAT:
            refuse("the 'static-port' option is only valid with nat rules")
        if ports[0] != NAT_PORTS[0] and ports[1] != NAT_PORTS[1]:
            refuse(
                "the 'static-port' option can't be used when specifying a port range"
            )
        ports = (0, 0)
    return af, Pool(hosts, ports, pool_type, redir.sticky_address)


def expand_translation(
    spec: TranslationSpec, first: int, report: Report
) -> list[TranslationRule]:
    """Expand a nat or rdr statement into rules numbered from ``first``."""
    rdr = spec.kind is TranslationKind.RDR
    rules: list[TranslationRule] = []
    for c in combinations(spec.matching, spec.af):
        problems = _rdr_problems(c, spec.pool) if rdr else []
        if _skipped(problems, report):
            continue
        rules.append(
            TranslationRule(
                number=first + len(rules),
                line=spec.line,
                kind=spec.kind,
                passes=spec.passes,
                log=spec.log,
                interface=c.interface.name if c.interface else None,
                interface_negated=bool(c.interface and c.interface.negated),
                af=c.af,
                proto=c.proto,
                src=c.src,
                dst=c.dst,
                pool=spec.pool,
            )
        )
    return _checked(rules, report)


def _filter_problems(
    c: Combination, action: Action, policy: BlockPolicy | None, keep: KeepState
) -> list[str]:
    problems = []
    if c.proto not in (TCP, UDP) and (c.src.port or c.dst.port):
        problems.append("port only applies to tcp/udp")
    icmp = {ICMP: "icmp", ICMP6: "icmp6"}.get(c.proto or 0)
    wrong_family = {ICMP: AddressFamily.INET6, ICMP6: AddressFamily.INET}
    if icmp and c.af is wrong_family.get(c.proto or 0):
        family = c.af.value if c.af else ""
        problems.append(f"proto {icmp} doesn't match address family {family}")
    if policy is BlockPolicy.RETURN_RST and c.proto != TCP:
        problems.append("return-rst can only be applied to TCP rules")
    if action is Action.BLOCK and keep is not KeepState.NONE:
        problems.append("keep state on block rules doesn't make sense")
    return problems


def _rdr_problems(c: Combination, pool: Pool) -> list[str]:
    problems = []
    if c.proto not in (TCP, UDP):
        if c.src.port:
            problems.append("src port only applies to tcp/udp")
        if c.dst.port:
            problems.append("dst port only applies to tcp/udp")
        if pool.ports[0]:
            problems.append("rpool port only applies to tcp/udp")
    if c.dst.port and c.dst.port.op not in (PortOp.EQ, PortOp.RANGE):
        problems.append("invalid port operator for rdr destination port")
    return problems


def _skipped(problems: list[str], report: Report) -> bool:
    for problem in problems:
        report(problem)
    if problems:
        report("skipping rule due to errors")
    return bool(problems)


def _checked(rules: list[_R], report: Report) -> list[_R]:
    if not rules:
        report("rule expands to no valid combination")
    return rules


def _first_family(hosts: tuple[AddressSpec, ...] | None) -> AddressFamily | None:
    return hosts[0].af if hosts else None


def _multiaddress(address: Address) -> bool:
    """Tell whether ``(if)`` may stand for several addresses (DYNIF_MULTIADDR)."""
    if not isinstance(address, InterfaceAddress):
        return False
    return not address.noalias or not address.ifname[-1:].isdigit()


def _proxy_ports(
    kind: TranslationKind, m: Matching, port: PortRange | None
) -> tuple[int, int]:
    low = port.low if port else 0
    high = port.high if port else 0
    if kind is TranslationKind.NAT:
        if not low and not high:
            return NAT_PORTS
        return (low, high or low)

    first = m.dst.ports[0] if m.dst.ports else None
    if port and port.kind is RangeKind.STAR and first is not None:
        # pfctl's arithmetic, 16-bit wrap included, for ``port 8080 -> ... 80:*``.
        return (low, (low + first.high - first.low) % 65536)
    return (low, high)
