"""Rules compiled for matching, and the matching itself (pf's rule loop).

``compile_ruleset(text)`` parses a loaded pf.conf once and keeps, per
text, a ``CompiledRuleset``: every rule with its fixed addresses turned
into integer ``Prefix`` tests, and a cache of the rules that can apply on
one interface in one direction (pf's skip steps, computed once per
interface name, groups and direction).

Matching follows pf's ``pf_test_rule``: a rule matches when its
direction, interface (its name or one of its groups, ``!`` negating),
family, protocol, addresses, ports and TCP ``flags F/M`` all fit the
packet. Interface addresses (``(em0)``, ``(kleene0:network)``) are asked
of a ``Dynamic`` resolver, which looks each up once per packet. Filter
rules: the last matching rule decides, unless a ``quick`` rule matches
first (``last_match``). Translation rules: the first matching one
(``first_match``); ``nat`` applies outbound, ``rdr`` inbound.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Generic, TypeVar

from kleene.backends.sim.pf.grammar import parse_ruleset
from kleene.backends.sim.pf.headers import Headers
from kleene.backends.sim.pf.interfaces import IfInfo, Interfaces, Prefix, resolve
from kleene.backends.sim.pf.model import (
    AddressSpec,
    AnyAddress,
    Direction,
    FilterRule,
    HostAddress,
    InterfaceAddress,
    PortSpec,
    Ruleset,
    TcpFlags,
    TranslationRule,
)

R = TypeVar("R", FilterRule, TranslationRule)
T = TypeVar("T")
TCP: Final = 6
_CACHE_LIMIT: Final = 1024


class Dynamic:
    """Interface addresses resolved against the interfaces of the moment."""

    def __init__(self, interfaces: Interfaces) -> None:
        self.interfaces = interfaces
        self._seen: dict[tuple[InterfaceAddress, int], tuple[Prefix, ...]] = {}

    def prefixes(self, address: InterfaceAddress, af: int) -> tuple[Prefix, ...]:
        """Return what an interface address stands for in family ``af``."""
        key = (address, af)
        found = self._seen.get(key)
        if found is None:
            found = self._seen[key] = resolve(self.interfaces, address, af)
        return found


@dataclass(frozen=True, slots=True)
class AddressMatch:
    """One side's address test: fixed prefixes or an interface's addresses."""

    negated: bool
    fixed: tuple[Prefix, ...] | None
    dynamic: InterfaceAddress | None = None

    @classmethod
    def of(cls, spec: AddressSpec) -> AddressMatch:
        """Compile an address of a rule."""
        address = spec.address
        if isinstance(address, InterfaceAddress):
            return cls(spec.negated, None, address)
        if isinstance(address, HostAddress):
            return cls(spec.negated, (Prefix.of(address.value),))
        assert isinstance(address, AnyAddress)
        return cls(spec.negated, None)

    def matches(self, af: int, value: int, dynamic: Dynamic) -> bool:
        """Tell whether an address fits, negation included."""
        if self.dynamic is not None:
            prefixes = dynamic.prefixes(self.dynamic, af)
        elif self.fixed is None:
            return not self.negated
        else:
            prefixes = self.fixed
        inside = any(prefix.contains(af, value) for prefix in prefixes)
        return inside != self.negated


@dataclass(frozen=True, slots=True)
class Compiled(Generic[R]):
    """A rule ready to be matched against packet headers."""

    rule: R
    af: int | None
    src: AddressMatch
    dst: AddressMatch
    sport: PortSpec | None
    dport: PortSpec | None
    flags: TcpFlags | None

    def matches(self, h: Headers, dynamic: Dynamic) -> bool:
        """Tell whether the rule matches the headers (interface aside)."""
        rule = self.rule
        if self.af is not None and self.af != h.af:
            return False
        if rule.proto is not None and rule.proto != h.proto:
            return False
        if not self._ports_match(h):
            return False
        flags = self.flags
        if flags is not None and h.proto == TCP and h.flags & flags.mask != flags.flags:
            return False
        return self.src.matches(h.af, h.src_value, dynamic) and self.dst.matches(
            h.af, h.dst_value, dynamic
        )

    def _ports_match(self, h: Headers) -> bool:
        if self.sport is not None and not self.sport.matches(h.sport):
            return False
        return self.dport is None or self.dport.matches(h.dport)


def compiled(rule: R) -> Compiled[R]:
    """Compile one filter or translation rule."""
    af = {"inet": 4, "inet6": 6}.get(rule.af.value) if rule.af else None
    flags = rule.flags if isinstance(rule, FilterRule) else None
    return Compiled(
        rule=rule,
        af=af,
        src=AddressMatch.of(rule.src.address),
        dst=AddressMatch.of(rule.dst.address),
        sport=rule.src.port,
        dport=rule.dst.port,
        flags=flags,
    )


def applies_on(rule: FilterRule | TranslationRule, info: IfInfo) -> bool:
    """Tell whether a rule's ``on`` part covers an interface."""
    if rule.interface is None:
        return True
    return info.member_of(rule.interface) != rule.interface_negated


class CompiledRuleset:
    """A loaded ruleset compiled once, with its rules per interface cached."""

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        self.skip = frozenset(ruleset.options.skip_interfaces)
        self.filters = tuple(compiled(rule) for rule in ruleset.filter_rules)
        self.nat = tuple(compiled(rule) for rule in ruleset.nat_rules)
        self.rdr = tuple(compiled(rule) for rule in ruleset.rdr_rules)
        self._filters_on: dict[_Where, tuple[Compiled[FilterRule], ...]] = {}
        self._translations_on: dict[_Where, tuple[Compiled[TranslationRule], ...]] = {}

    def skips(self, info: IfInfo) -> bool:
        """Tell whether ``set skip on`` leaves the interface unfiltered."""
        return info.name in self.skip or not self.skip.isdisjoint(info.groups)

    def filters_on(
        self, info: IfInfo, direction: Direction
    ) -> tuple[Compiled[FilterRule], ...]:
        """Return the filter rules that can apply on an interface and direction."""
        where = (info.name, info.groups, direction)
        found = self._filters_on.get(where)
        if found is None:
            found = tuple(
                item
                for item in self.filters
                if item.rule.direction in (Direction.BOTH, direction)
                and applies_on(item.rule, info)
            )
            _remember(self._filters_on, where, found)
        return found

    def translations_on(
        self, info: IfInfo, direction: Direction
    ) -> tuple[Compiled[TranslationRule], ...]:
        """Return the rdr (inbound) or nat (outbound) rules of an interface."""
        where = (info.name, info.groups, direction)
        found = self._translations_on.get(where)
        if found is None:
            rules = self.rdr if direction is Direction.IN else self.nat
            found = tuple(item for item in rules if applies_on(item.rule, info))
            _remember(self._translations_on, where, found)
        return found


_Where = tuple[str, tuple[str, ...], Direction]


def _remember(cache: dict[_Where, T], where: _Where, value: T) -> None:
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[where] = value


@lru_cache(maxsize=16)
def compile_ruleset(text: str) -> CompiledRuleset:
    """Parse and compile a loaded ruleset, once per text."""
    return CompiledRuleset(parse_ruleset(text, "pf.conf"))


def last_match(
    rules: Sequence[Compiled[FilterRule]], h: Headers, dynamic: Dynamic
) -> FilterRule | None:
    """Return the deciding filter rule: the last match, or the first quick one."""
    chosen = None
    for item in rules:
        if item.matches(h, dynamic):
            chosen = item.rule
            if chosen.quick:
                break
    return chosen


def first_match(
    rules: Sequence[Compiled[TranslationRule]], h: Headers, dynamic: Dynamic
) -> TranslationRule | None:
    """Return the first translation rule that matches the headers."""
    for item in rules:
        if item.matches(h, dynamic):
            return item.rule
    return None
