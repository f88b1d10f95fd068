"""Rules compiled for matching, and the matching itself (pf's rule loop).

``compile_ruleset(text)`` parses a loaded pf.conf once and keeps, per
text, a ``CompiledRuleset``: every rule with its fixed addresses turned
into integer ``Prefix`` tests, and a cache of the rules that can apply on
one interface, direction, family and protocol (pf's skip steps, computed
once per such combination).

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

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Final, Generic, TypeVar

from kleene.backends.sim.pf.grammar import RulesetError, parse_ruleset
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

logger = logging.getLogger(__name__)
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
    """One side's address test: a prefix (``any`` has mask 0) or ``(if)``."""

    negated: bool
    prefix: Prefix | None = None
    dynamic: InterfaceAddress | None = None

    @classmethod
    def of(cls, spec: AddressSpec) -> AddressMatch:
        """Compile an address of a rule."""
        address = spec.address
        if isinstance(address, InterfaceAddress):
            return cls(spec.negated, dynamic=address)
        if isinstance(address, HostAddress):
            return cls(spec.negated, Prefix.of(address.value))
        assert isinstance(address, AnyAddress)
        return cls(spec.negated)

    def matches(self, af: int, value: int, dynamic: Dynamic) -> bool:
        """Tell whether an address fits, negation included."""
        prefix = self.prefix
        if prefix is not None:
            inside = prefix.af == af and value & prefix.mask == prefix.value
        elif self.dynamic is not None:
            found = dynamic.prefixes(self.dynamic, af)
            inside = any(item.contains(af, value) for item in found)
        else:
            inside = True
        return inside != self.negated


@dataclass(frozen=True, slots=True)
class Compiled(Generic[R]):
    """A rule ready to be matched against packet headers."""

    rule: R
    af: int | None
    proto: int | None
    src: AddressMatch
    dst: AddressMatch
    sport: PortSpec | None
    dport: PortSpec | None
    flags: TcpFlags | None

    def fits(self, af: int, proto: int) -> bool:
        """Tell whether the rule can match packets of a family and protocol."""
        return self.af in (None, af) and self.proto in (None, proto)

    def matches(self, h: Headers, dynamic: Dynamic) -> bool:
        """Tell whether a rule that ``fits`` the packet matches its headers."""
        if self.sport is not None and not self.sport.matches(h.sport):
            return False
        if self.dport is not None and not self.dport.matches(h.dport):
            return False
        flags = self.flags
        if flags is not None and h.proto == TCP and h.flags & flags.mask != flags.flags:
            return False
        return self.src.matches(h.af, h.src_value, dynamic) and self.dst.matches(
            h.af, h.dst_value, dynamic
        )


def compiled(rule: R) -> Compiled[R]:
    """Compile one filter or translation rule."""
    af = {"inet": 4, "inet6": 6}.get(rule.af.value) if rule.af else None
    flags = rule.flags if isinstance(rule, FilterRule) else None
    return Compiled(
        rule=rule,
        af=af,
        proto=rule.proto,
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
        self, info: IfInfo, direction: Direction, af: int, proto: int
    ) -> tuple[Compiled[FilterRule], ...]:
        """Return the filter rules that can apply to such packets on an interface."""
        where = (info.name, info.groups, direction, af, proto)
        found = self._filters_on.get(where)
        if found is None:
            found = tuple(
                item
                for item in self.filters
                if item.rule.direction in (Direction.BOTH, direction)
                and item.fits(af, proto)
                and applies_on(item.rule, info)
            )
            _remember(self._filters_on, where, found)
        return found

    def translations_on(
        self, info: IfInfo, direction: Direction, af: int, proto: int
    ) -> tuple[Compiled[TranslationRule], ...]:
        """Return the rdr (inbound) or nat (outbound) rules for such packets."""
        where = (info.name, info.groups, direction, af, proto)
        found = self._translations_on.get(where)
        if found is None:
            rules = self.rdr if direction is Direction.IN else self.nat
            found = tuple(
                item
                for item in rules
                if item.fits(af, proto) and applies_on(item.rule, info)
            )
            _remember(self._translations_on, where, found)
        return found


_Where = tuple[str, tuple[str, ...], Direction, int, int]


def _remember(cache: dict[_Where, T], where: _Where, value: T) -> None:
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[where] = value


@lru_cache(maxsize=16)
def compile_ruleset(text: str) -> CompiledRuleset:
    """Parse and compile a loaded ruleset, once per text.

    A text the parser refuses (a world saved by an older parser) is taken
    as an empty ruleset, which passes everything.
    """
    try:
        return CompiledRuleset(parse_ruleset(text, "pf.conf"))
    except RulesetError as error:
        logger.warning("loaded pf ruleset no longer parses: %s", error.lines[0])
        return CompiledRuleset(parse_ruleset("", "pf.conf"))


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
