"""pf's decision for one packet on one interface and direction (``pf_test``).

``evaluate(ctx, ifname, direction, packet)`` returns a ``Decision``; the
``Context`` brings the compiled ruleset, the stack's state table, the
interfaces of the moment, the virtual time and a random source. In order:

1. an interface of ``set skip on`` (by name or group) passes untouched;
2. a packet of a known state passes at once, its translation reversed or
   repeated from the state's keys; an ICMP error passes when the datagram
   it quotes belongs to a state, rewritten to match;
3. otherwise translation comes first (``rdr`` inbound, ``nat`` outbound:
   the first matching rule), then the filter rules see the translated
   headers: the last matching rule decides unless a ``quick`` one matches
   first; no match passes. ``nat pass`` / ``rdr pass`` skip the filter
   rules;
4. a ``block`` drops the packet and, with a ``return`` policy, answers
   with ``refusal``; a ``pass`` with ``keep state`` (pf's default) makes
   a state, and so does any translated packet that passes (ICMP errors
   never do).

A ``log`` rule (or a translation rule with ``log``) puts its number in
``Decision.log_rule``; the logged packet is ``Decision.packet``, after
translation, as pflog records it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from kleene.backends.sim.packets import Packet
from kleene.backends.sim.pf.headers import Headers, headers, rewrite, rewrite_quoted
from kleene.backends.sim.pf.interfaces import IfInfo, Interfaces, first_address
from kleene.backends.sim.pf.match import (
    CompiledRuleset,
    Dynamic,
    first_match,
    last_match,
)
from kleene.backends.sim.pf.model import (
    Action,
    BlockPolicy,
    Direction,
    FilterRule,
    KeepState,
    StatePolicy,
    TranslationRule,
)
from kleene.backends.sim.pf.states import Key, State, StateTable, lookup_key
from kleene.backends.sim.pf.track import opening, track
from kleene.backends.sim.pf.translate import Draw, refusal, translate

logger = logging.getLogger(__name__)


@dataclass
class Context:
    """What one evaluation needs besides the packet."""

    rules: CompiledRuleset
    states: StateTable
    interfaces: Interfaces
    now_us: int
    draw: Draw


@dataclass(frozen=True, slots=True)
class Decision:
    """pf's answer: pass or block, the packet to go on with, what to log."""

    passed: bool
    packet: Packet
    rule: FilterRule | None = None
    log_rule: int | None = None
    reply: Packet | None = None
    state: State | None = None


def evaluate(
    ctx: Context, ifname: str, direction: Direction, packet: Packet
) -> Decision:
    """Decide what pf does with a packet crossing an interface."""
    info = ctx.interfaces.get(ifname) or IfInfo(ifname)
    if ctx.rules.skips(info):
        return Decision(True, packet)
    h = headers(packet)
    if h.quoted is not None:
        found = _quoted_state(ctx, ifname, direction, h, packet)
    else:
        found = _known_state(ctx, ifname, direction, h, packet)
    return found or _by_rules(ctx, info, direction, h, packet)


def _known_state(
    ctx: Context, ifname: str, direction: Direction, h: Headers, packet: Packet
) -> Decision | None:
    fields = (h.af, h.proto, h.src, h.dst, h.sport, h.dport)
    key = lookup_key(direction, fields)
    state = ctx.states.find(key, direction, ifname, ctx.now_us)
    if state is None:
        return None
    if not track(state, h, direction, ctx.now_us):
        ctx.states.remove(state)
        return None
    if state.translated:
        target = state.stack if direction is Direction.IN else state.wire
        packet = rewrite(packet, *_oriented(target, direction))
    log_rule = state.rule if state.log_all else None
    return Decision(True, packet, log_rule=log_rule, state=state)


def _quoted_state(
    ctx: Context, ifname: str, direction: Direction, h: Headers, packet: Packet
) -> Decision | None:
    assert h.quoted is not None
    inner = headers(h.quoted)
    if inner.quoted is not None:
        return None
    fields = (inner.af, inner.proto, inner.dst, inner.src, inner.dport, inner.sport)
    key = lookup_key(direction, fields)
    state = ctx.states.find(key, direction, ifname, ctx.now_us)
    if state is None:
        return None
    if state.translated:
        target = state.stack if direction is Direction.IN else state.wire
        dst, src, dport, sport = _oriented(target, direction)
        quoted = rewrite(h.quoted, src, dst, sport, dport)
        packet = rewrite_quoted(packet, quoted)
    return Decision(True, packet, state=state)


def _oriented(key: Key, direction: Direction) -> tuple[str, str, int, int]:
    """Return a key's (src, dst, sport, dport) for a packet going ``direction``."""
    _, _, addr0, addr1, port0, port1 = key
    if direction is Direction.IN:
        return addr0, addr1, port0, port1
    return addr1, addr0, port1, port0


def _by_rules(
    ctx: Context, info: IfInfo, direction: Direction, h: Headers, packet: Packet
) -> Decision:
    dynamic = Dynamic(ctx.interfaces)
    nr = None
    th = h
    if h.quoted is None:
        translations = ctx.rules.translations_on(info, direction, h.af, h.proto)
        nr = first_match(translations, h, dynamic)
    if nr is not None:
        mapped = translate(nr, h, ctx.interfaces, ctx.states, ctx.draw)
        if mapped is None:
            logger.debug("pf: %s rule %d cannot map %s", nr.kind, nr.number, h)
            return Decision(False, packet)
        th = mapped
        packet = rewrite(packet, th.src, th.dst, th.sport, th.dport)

    rule = None
    if nr is None or not nr.passes:
        filters = ctx.rules.filters_on(info, direction, th.af, th.proto)
        rule = last_match(filters, th, dynamic)
    log_rule = _log_rule(rule, nr)
    if rule is not None and rule.action is Action.BLOCK:
        reply = _refusal(ctx, info.name, direction, h, packet, rule)
        return Decision(False, packet, rule, log_rule, reply)

    state = None
    keeps = rule is not None and rule.keep_state is not KeepState.NONE
    if h.quoted is None and (keeps or nr is not None):
        state = _new_state(ctx, info.name, direction, h, th, rule, nr)
    return Decision(True, packet, rule, log_rule, state=state)


def _log_rule(rule: FilterRule | None, nr: TranslationRule | None) -> int | None:
    if rule is not None and rule.log:
        return rule.number
    if nr is not None and nr.log:
        return nr.number
    return None


def _refusal(
    ctx: Context,
    ifname: str,
    direction: Direction,
    h: Headers,
    packet: Packet,
    rule: FilterRule,
) -> Packet | None:
    """Return the answer to a blocked packet, from its untranslated form."""
    if rule.block_policy in (None, BlockPolicy.DROP):
        return None
    original = rewrite(packet, h.src, h.dst, h.sport, h.dport)
    source = h.dst
    if direction is Direction.IN:
        source = first_address(ctx.interfaces, ifname, h.af) or h.dst
    return refusal(rule.block_policy, original, source)


def _new_state(
    ctx: Context,
    ifname: str,
    direction: Direction,
    h: Headers,
    th: Headers,
    rule: FilterRule | None,
    nr: TranslationRule | None,
) -> State:
    before = (h.af, h.proto, h.src, h.dst, h.sport, h.dport)
    after = (th.af, th.proto, th.src, th.dst, th.sport, th.dport)
    if direction is Direction.IN:
        wire, stack = lookup_key(direction, before), lookup_key(direction, after)
    else:
        wire, stack = lookup_key(direction, after), lookup_key(direction, before)
    src_state, dst_state, timeout = opening(h)
    policy = ctx.rules.ruleset.options.state_policy
    state = State(
        id=0,
        wire=wire,
        stack=stack,
        direction=direction,
        ifname=ifname,
        rule=rule.number if rule is not None else None,
        nat_rule=nr.number if nr is not None else None,
        src_state=src_state,
        dst_state=dst_state,
        timeout=timeout,
        created_us=ctx.now_us,
        updated_us=ctx.now_us,
        bound=policy is StatePolicy.IF_BOUND,
        log_all=rule is not None and rule.log_all,
    )
    return ctx.states.insert(state, ctx.now_us)
