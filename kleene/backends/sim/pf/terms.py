"""The pieces of a pf.conf rule, read from a ``TokenStream``.

Each function reads one piece of pfctl's grammar and returns it as a spec
value (lists still unexpanded):

- ``interfaces``: ``on IF``, ``on ! IF``, ``on {IF, ...}``;
- ``protocols``: ``proto P``, ``proto {P, ...}`` by name or number;
- ``fromto``: ``all``, or ``[from ADDRS [port PORTS]] [to ADDRS [port
  PORTS]]``; addresses are ``any``, ``10.0.0.1``, ``10.0.0.0/24``,
  ``10/8``, ``fd00::1``, ``(if)``, ``(if:network)``, ``(if:0)``, each
  possibly negated with ``!``, and ``{...}`` lists of them (nested lists
  flatten; ``any`` inside a list is dropped, as pfctl drops it);
- ports are ``80``, ``http``, ``8080:8090``, ``= 80``, ``!= 80``, ``< 1024``
  and the other operators, ``1000 <> 2000``, ``1000 >< 2000`` or a list;
- ``tcp_flags``: ``S/SA``, ``/SA``, ``any``;
- ``redirection``: ``-> ADDR [port P[:Q|:*]]`` and the pool options.

Lists take commas or not, and newlines inside braces. Values pfctl
refuses are refused with its message (``unknown protocol foo``, ``unknown
port foo``, ``no IP address found for foo`` then ``could not parse host
specification``). A bare interface name or a host name as an address
needs the interfaces or DNS at parse time, which the simulation does not
give pfctl: it is refused as a name without an address.
"""

from __future__ import annotations

import ipaddress
import string
from collections.abc import Callable
from typing import Final, TypeVar

from kleene.backends.sim.pf.expand import (
    InterfaceItem,
    PeerSpec,
    PortRange,
    RangeKind,
    RedirSpec,
)
from kleene.backends.sim.pf.lexer import TokenKind
from kleene.backends.sim.pf.model import (
    Address,
    AddressSpec,
    HostAddress,
    InterfaceAddress,
    InterfaceMode,
    PoolType,
    PortOp,
    PortSpec,
    TcpFlags,
)
from kleene.backends.sim.pf.names import parse_tcp_flags, protocol_number, service_port
from kleene.backends.sim.pf.stream import TokenStream

IFNAMSIZ: Final = 16
_T = TypeVar("_T")
_MODIFIERS: Final = {
    "network": InterfaceMode.NETWORK,
    "broadcast": InterfaceMode.BROADCAST,
    "peer": InterfaceMode.PEER,
}
_POOL_TYPES: Final = {
    "bitmask": PoolType.BITMASK,
    "random": PoolType.RANDOM,
    "round-robin": PoolType.ROUND_ROBIN,
}
_BINARY_OPS: Final = {"<>": PortOp.EXCEPT_RANGE, "><": PortOp.INSIDE_RANGE}


def interfaces(s: TokenStream) -> tuple[InterfaceItem, ...] | None:
    """Read ``on IF`` or ``on {IF, ...}``; None when there is no ``on``."""
    if not s.keyword("on"):
        return None
    if s.char("{"):
        return braced(s, _interface)
    return (_interface(s),)


def protocols(s: TokenStream) -> tuple[int, ...] | None:
    """Read ``proto P`` or ``proto {P, ...}``; None when there is none."""
    if not s.keyword("proto"):
        return None
    if s.char("{"):
        return braced(s, _protocol)
    return (_protocol(s),)


def fromto(s: TokenStream) -> tuple[PeerSpec, PeerSpec]:
    """Read ``all`` or the optional ``from`` and ``to`` parts."""
    if s.keyword("all"):
        return PeerSpec(), PeerSpec()
    src = _peer(s) if s.keyword("from") else PeerSpec()
    dst = _peer(s) if s.keyword("to") else PeerSpec()
    return src, dst


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
        hosts = braced(s, host) if s.char("{") else (host(s),)
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


def braced(s: TokenStream, item: Callable[[TokenStream], _T]) -> tuple[_T, ...]:
    """Read the items of a ``{...}`` list whose ``{`` was just read."""
    s.newlines()
    items = [item(s)]
    s.newlines()
    while not s.char("}"):
        s.char(",")
        items.append(item(s))
        s.newlines()
    return tuple(items)


def host(s: TokenStream) -> Address:
    """Read one address: ``10.0.0.1``, ``10.0.0.0/24``, ``10/8``, ``(if)``."""
    token = s.peek()
    if token.is_char("("):
        return _dynamic(s)
    if token.kind is TokenKind.STRING:
        s.take()
        text = token.text
        if s.char("/"):
            text = f"{text}/{s.expect(TokenKind.NUMBER).number}"
        return _resolve(s, text)
    if token.kind is TokenKind.NUMBER:
        s.take()
        s.expect_char("/")
        return _resolve(s, f"{token.number}/{s.expect(TokenKind.NUMBER).number}")
    s.fail()


def port_range(s: TokenStream, *, star: bool = False) -> PortRange:
    """Read a port, a ``low:high`` range or (with ``star``) ``low:*``."""
    token = s.peek()
    if token.kind is TokenKind.NUMBER:
        text = str(token.number)
    elif token.kind is TokenKind.STRING:
        text = token.text
    else:
        s.fail()
    s.take()

    if ":" not in text:
        return PortRange(_service(s, text))
    low_text, _, high_text = text.partition(":")
    if star and high_text == "*":
        return PortRange(_service(s, low_text), 0, RangeKind.STAR)
    low, high = _service(s, low_text), _service(s, high_text)
    return PortRange(low) if low == high else PortRange(low, high, RangeKind.RANGE)


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


def _peer(s: TokenStream) -> PeerSpec:
    if s.keyword("port"):
        return PeerSpec(None, _ports(s))
    hosts = _addresses(s)
    return PeerSpec(hosts, _ports(s) if s.keyword("port") else None)


def _addresses(s: TokenStream) -> tuple[AddressSpec, ...] | None:
    if s.keyword("any"):
        return None
    if s.char("{"):
        merged: tuple[AddressSpec, ...] | None = None
        for hosts in braced(s, _addresses):
            if hosts is not None:
                merged = (merged or ()) + hosts
        return merged
    negated = bool(s.char("!"))
    return (AddressSpec(host(s), negated),)


def _dynamic(s: TokenStream) -> InterfaceAddress:
    s.expect_char("(")
    text = s.expect(TokenKind.STRING).text
    s.expect_char(")")
    if text[:1] not in string.ascii_letters:
        s.refuse(f"invalid interface name '{text}'")

    name, modes, noalias = text, set(), False
    while ":" in name:
        base, _, modifier = name.rpartition(":")
        if modifier in _MODIFIERS:
            modes.add(_MODIFIERS[modifier])
        elif modifier == "0":
            noalias = True
        else:
            s.refuse(f"interface {name} has bad modifier")
        name = base
    if len(modes) > 1:
        s.refuse("illegal combination of interface modifiers")
    if len(name) >= IFNAMSIZ:
        s.refuse("interface name too long")

    prefixlen = None
    if s.char("/"):
        prefixlen = s.expect(TokenKind.NUMBER).number
        if not 0 <= prefixlen <= 128:
            s.refuse("bit number too big")
    mode = modes.pop() if modes else InterfaceMode.ADDRESSES
    return InterfaceAddress(name, mode, noalias, prefixlen)


def _resolve(s: TokenStream, text: str) -> HostAddress:
    """Turn an address text into an address, as pfctl's ``host()`` does."""
    address, slash, mask_text = text.rpartition("/")
    if not slash:
        address, mask = text, None
    else:
        mask = _atoul(mask_text)
        if mask is None or mask > 128:
            s.note(f"invalid netmask '/{mask_text}'")
            s.refuse("could not parse host specification")

    value = _ipv4(address, mask) or _ipv6(address, mask)
    if value is None:
        s.note(f"no IP address found for {text}")
        s.refuse("could not parse host specification")
    return HostAddress(value)


def _ipv4(text: str, mask: int | None) -> ipaddress.IPv4Interface | None:
    octets = text.split(".")
    if mask is not None and len(octets) < 4:
        # inet_net_pton(3) reads 10/8 as 10.0.0.0/8.
        text = ".".join(octets + ["0"] * (4 - len(octets)))
    try:
        return ipaddress.IPv4Interface(text if mask is None else f"{text}/{mask}")
    except ValueError:
        return None


def _ipv6(text: str, mask: int | None) -> ipaddress.IPv6Interface | None:
    try:
        return ipaddress.IPv6Interface(text if mask is None else f"{text}/{mask}")
    except ValueError:
        return None


def _ports(s: TokenStream) -> tuple[PortSpec, ...]:
    if s.char("{"):
        return braced(s, _port_item)
    return (_port_item(s),)


def _port_item(s: TokenStream) -> PortSpec:
    op = _unary_op(s)
    first = port_range(s)
    if op is not None:
        if first.kind is not RangeKind.SINGLE:
            s.refuse("':' cannot be used with an other port operator")
        return PortSpec(op, first.low)

    binary = s.kind(TokenKind.PORTBINARY)
    if binary is None:
        if first.kind is RangeKind.RANGE:
            return PortSpec(PortOp.RANGE, first.low, first.high)
        return PortSpec(PortOp.EQ, first.low)
    second = port_range(s)
    if RangeKind.RANGE in (first.kind, second.kind):
        s.refuse("':' cannot be used with an other port operator")
    return PortSpec(_BINARY_OPS[binary.text], first.low, second.low)


def _unary_op(s: TokenStream) -> PortOp | None:
    if s.char("="):
        return PortOp.EQ
    if s.char("!"):
        s.expect_char("=")
        return PortOp.NE
    if s.char("<"):
        return PortOp.LE if s.char("=") else PortOp.LT
    if s.char(">"):
        return PortOp.GE if s.char("=") else PortOp.GT
    return None


def _service(s: TokenStream, text: str) -> int:
    number = _atoul(text)
    if number is not None:
        if number > 65535:
            s.refuse(f"illegal port value {number}")
        return number
    port = service_port(text)
    if port is None:
        s.refuse(f"unknown port {text}")
    return port


def _flag(s: TokenStream) -> int:
    text = s.expect(TokenKind.STRING).text
    mask = parse_tcp_flags(text)
    if mask is None:
        s.refuse(f"bad flags {text}")
    return mask


def _atoul(text: str) -> int | None:
    """Read a number as strtoul(3) with base 0 does, None if it is not one."""
    negative = text.startswith("-")
    body = text[1:] if text.startswith(("+", "-")) else text
    base, digits = 10, string.digits
    if body[:2].lower() == "0x":
        base, digits, body = 16, string.hexdigits, body[2:]
    elif body.startswith("0") and len(body) > 1:
        base, digits, body = 8, string.octdigits, body[1:]
    if not body or any(c not in digits for c in body):
        return None
    value = int(body, base)
    return (2**64 - value) % 2**64 if negative else value
