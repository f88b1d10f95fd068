"""The ``set`` statements of pf.conf, and the order of its sections.

pf.conf must give its statements in this order (``Section``): options,
normalization (scrub), queueing, translation (nat, rdr), filtering
(pass, block); macros may come anywhere. A statement out of order is
refused with ``Rules must be in order: options, normalization, queueing,
translation, filtering``, unless ``set require-order no`` came first.
As in pfctl, ``set skip``, ``set require-order`` and ``set state-policy``
are not held to the order.

The options understood:

    set block-policy drop|return       how a plain ``block`` refuses
    set skip on IF | {IF ...}          interfaces pf leaves alone
    set skip on none                   no interface skipped
    set require-order yes|no
    set loginterface IF|all
    set optimization normal|high-latency|satellite|aggressive|conservative
    set state-policy if-bound|floating
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from enum import IntEnum
from typing import Final

from kleene.backends.sim.pf import terms
from kleene.backends.sim.pf.lexer import TokenKind
from kleene.backends.sim.pf.model import BlockPolicy, Options, StatePolicy
from kleene.backends.sim.pf.stream import TokenStream

ORDER_ERROR: Final = (
    "Rules must be in order: options, normalization, queueing, translation, filtering"
)
OPTIMIZATIONS: Final = frozenset(
    {"normal", "high-latency", "satellite", "aggressive", "conservative"}
)


class Section(IntEnum):
    """The sections of pf.conf, in the order they must come."""

    NONE = 0
    OPTIONS = 1
    NORMALIZATION = 2
    QUEUEING = 3
    TRANSLATION = 4
    FILTERING = 5


Order = Callable[[Section], None]


def set_option(s: TokenStream, options: Options, order: Order) -> Options:
    """Read a ``set`` statement up to its newline; return the new options."""
    s.expect_keyword("set")
    if s.keyword("block-policy"):
        word = s.expect_keyword("drop", "return").text
        order(Section.OPTIONS)
        return replace(options, block_policy=BlockPolicy(word))
    if s.keyword("skip"):
        return _skip(s, options)
    if s.keyword("require-order"):
        return replace(options, require_order=_yes_no(s))
    if s.keyword("loginterface"):
        token = s.keyword("all") or s.expect(TokenKind.STRING)
        order(Section.OPTIONS)
        return replace(options, loginterface=token.text)
    if s.keyword("optimization"):
        word = s.expect(TokenKind.STRING).text
        order(Section.OPTIONS)
        if word not in OPTIMIZATIONS:
            s.refuse(f"unknown optimization {word}")
        return replace(options, optimization=word)
    if s.keyword("state-policy"):
        word = s.expect_keyword("if-bound", "floating").text
        return replace(options, state_policy=StatePolicy(word))
    s.fail()


def _skip(s: TokenStream, options: Options) -> Options:
    items = terms.interfaces(s) or ()
    if s.peek().kind is not TokenKind.NEWLINE:
        s.fail()

    negated = [item for item in items if item.negated]
    for _ in negated:
        s.error(s.line, "skip on ! <interface> is not supported")
    if negated:
        s.refuse("error setting skip interface(s)")
    names = [item.name for item in items]
    if names in ([], ["none"]):
        return replace(options, skip_interfaces=())
    skipped = dict.fromkeys([*options.skip_interfaces, *names])
    return replace(options, skip_interfaces=tuple(skipped))


def _yes_no(s: TokenStream) -> bool:
    if s.keyword("no"):
        return False
    word = s.expect(TokenKind.STRING).text
    if word != "yes":
        s.refuse(f"invalid value '{word}', expected 'yes' or 'no'")
    return True
