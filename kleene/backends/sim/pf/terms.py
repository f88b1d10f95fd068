"""The pieces of a pf.conf rule other than its addresses.

Each function reads one piece of pfctl's grammar from a ``TokenStream``
and returns it as a spec value (lists still unexpanded):

- ``interfaces``: ``on IF``, ``on ! IF``, ``on {IF, ...}``;
- ``protocols``: ``proto P``, ``proto {P, ...}`` by name or number;
- ``log``: ``log`` or ``log (all)``;
- ``filter_options``: ``flags S/SA|/SA|any``, ``no|keep|modulate|synproxy
  state`` and ``label "text"``, in any order, each once;
- ``scrub_options``: ``no-df``, ``random-id``, ``min-ttl N``, ``max-mss
  N``, ``fragment reassemble|crop|drop-ovl``, ``reassemble tcp``;
- ``redirection``: ``-> ADDRS [port P[:Q|:*]]`` and the pool options
  (``bitmask``, ``random``, ``round-robin``, ``static-port``,
  ``sticky-address``).

Lists take commas or not, and newlines inside braces. Values pfctl
refuses are refused with its message (``unknown protocol foo``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Final

from kleene.backends.sim.pf.addresses import IFNAMSIZ, host, port_range
from kleene.backends.sim.pf.lexer import TokenKind
from kleene.backends.sim.pf.model import (
    Address,
    KeepState,
    PoolType,
    ScrubOptions,
    TcpFlags,
)
from kleene.backends.sim.pf.names import parse_tcp_flags, protocol_number
from kleene.backends.sim.pf.specs import InterfaceItem, RedirSpec
from kleene.backends.sim.pf.stream import TokenStream

FilterOptions = tuple[TcpFlags | None, KeepState | None, str | None]
_POOL_TYPES: Final = {
    "bitmask": PoolType.BITMASK,
    "random": PoolType.RANDOM,
    "round-robin": PoolType.ROUND_ROBIN,
}
_STATES: Final = {
    "no": KeepState.NONE,
    "keep": KeepState.KEEP,
    "modulate": KeepState.MODULATE,
    "synproxy": KeepState.SYNPROXY,
}
_SCRUB_OPTIONS: Final = (
    "no-df",
    "random-id",
    "min-ttl",
    "max-mss",
    "fragment",
    "reassemble",
)


def interfaces(s: TokenStream) -> tuple[InterfaceItem, ...] | None:
    """Read ``on IF`` or ``on {IF, ...}``; None when there is no ``on``."""
    if not s.keyword("on"):
        return None
    if s.char("{"):
        return s.braced(_interface)
    return (_interface(s),)


def protocols(s: TokenStream) -> tuple[int, ...] | None:
    """Read ``proto P`` or ``proto {P, ...}``; None when there is none."""
    if not s.keyword("proto"):
        return None
    if s.char("{"):
        return s.braced(_protocol)
    return (_protocol(s),)


def tcp_flags(s: TokenStream) -> TcpFlags:
    """Read what follows ``flags``: ``S/SA``, ``/SA`` or ``any``."""
    if s.keyword("any"):
        return TcpFlags(0, 0)
    if s.char("/"):
        return TcpFlags(0, _flag(s))
    first = _flag(s)
    s.expect_char("/")
    return TcpFlags(first, _flag(s))


def redirection(s: TokenStream) -> RedirSpec:
    """Read ``-> ADDRS [port P]`` (if present) and the pool options."""
    hosts: tuple[Address, ...] | None = None
    port = None
    if s.kind(TokenKind.ARROW):
        hosts = s.braced(host) if s.char("{") else (host(s),)
        if s.keyword("port"):
            port = port_range(s, star=True)

    pool_type, sticky, static = None, False, False
    while True:
        if token := s.keyword(*_POOL_TYPES):
            if pool_type is not None:
                s.refuse("pool type cannot be redefined")
            pool_type = _POOL_TYPES[token.text]
        elif s.keyword("static-port"):
            if static:
                s.refuse("static-port cannot be redefined")
            static = True
        elif s.keyword("sticky-address"):
            sticky = True
        else:
            return RedirSpec(hosts, port, pool_type, sticky, static)


def log(s: TokenStream) -> tuple[bool, bool]:
    """Read ``log`` or ``log (all)``: whether to log, and ``all``."""
    if not s.keyword("log"):
        return False, False
    if not s.char("("):
        return True, False
    s.expect_keyword("all")
    while not s.char(")"):
        s.char(",")
        s.expect_keyword("all")
    return True, True


def filter_options(
    s: TokenStream,
) -> tuple[TcpFlags | None, KeepState | None, str | None]:
    """Read the options after a filter rule's addresses: flags, state, label."""
    flags: TcpFlags | None = None
    keep: KeepState | None = None
    label: str | None = None
    while True:
        if s.keyword("flags"):
            given = tcp_flags(s)
            if flags is not None:
                s.refuse("flags cannot be redefined")
            flags = given
        elif token := s.keyword(*_STATES):
            s.expect_keyword("state")
            if keep is not None:
                s.refuse("modulate or keep cannot be redefined")
            keep = _STATES[token.text]
        elif s.keyword("label"):
            text = s.expect(TokenKind.STRING).text
            if label is not None:
                s.refuse("label cannot be redefined")
            label = text
        else:
            return flags, keep, label


def scrub_options(s: TokenStream) -> ScrubOptions:
    """Read the options after a scrub rule's addresses."""
    options = ScrubOptions()
    seen: set[str] = set()
    while token := s.keyword(*_SCRUB_OPTIONS):
        word = token.text
        if word in ("min-ttl", "max-mss"):
            value = s.expect(TokenKind.NUMBER).number
            _once(s, seen, word)
            if not 0 <= value <= (255 if word == "min-ttl" else 65535):
                s.refuse(f"illegal {word} value {value}")
            if word == "min-ttl":
                options = replace(options, min_ttl=value)
            else:
                options = replace(options, max_mss=value)
        elif word == "fragment":
            s.expect_keyword("reassemble", "crop", "drop-ovl")
            _once(s, seen, "fragcache")
        elif word == "reassemble":
            what = s.expect(TokenKind.STRING).text
            if what.lower() != "tcp":
                s.refuse(f"scrub reassemble supports only tcp, not '{what}'")
            _once(s, seen, "reassemble tcp")
            options = replace(options, reassemble_tcp=True)
        else:
            _once(s, seen, word)
            if word == "no-df":
                options = replace(options, no_df=True)
            else:
                options = replace(options, random_id=True)
    return options


def _interface(s: TokenStream) -> InterfaceItem:
    negated = bool(s.char("!"))
    name = s.expect(TokenKind.STRING).text
    if len(name) >= IFNAMSIZ:
        s.refuse("interface name too long")
    return InterfaceItem(name, negated)


def _protocol(s: TokenStream) -> int:
    token = s.peek()
    if token.kind is TokenKind.STRING:
        s.take()
        number = protocol_number(token.text)
        if number is None:
            s.refuse(f"unknown protocol {token.text}")
    elif token.kind is TokenKind.NUMBER:
        s.take()
        number = token.number
        if not 0 <= number <= 255:
            s.refuse("protocol outside range")
    else:
        s.fail()
    if number == 0:
        s.refuse("proto 0 cannot be used")
    return number


def _flag(s: TokenStream) -> int:
    text = s.expect(TokenKind.STRING).text
    mask = parse_tcp_flags(text)
    if mask is None:
        s.refuse(f"bad flags {text}")
    return mask


def _once(s: TokenStream, seen: set[str], name: str) -> None:
    if name in seen:
        s.refuse(f"{name} cannot be respecified")
    seen.add(name)
