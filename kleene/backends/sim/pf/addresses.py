"""Addresses and ports of a pf.conf rule, read from a ``TokenStream``.

- ``fromto``: ``all``, or ``[from ADDRS [port PORTS]] [to ADDRS [port
  PORTS]]``, either part optional;
- an address (``host``) is ``10.0.0.1``, ``10.0.0.0/24``, ``10/8``,
  ``fd00::1``, ``(if)``, ``(if:network)`` (also ``:broadcast``, ``:peer``,
  ``:0``, and a ``/bits`` after the parenthesis); ``ADDRS`` is ``any``,
  an address, ``! address``, or a ``{...}`` list of them (nested lists
  flatten; ``any`` inside a list is dropped, as pfctl drops it);
- a port is a number or a service name (``ssh``, ``domain``, ``http``,
  ``https``...), a range ``8080:8090``, an operator and a port (``= 80``,
  ``!= 80``, ``< 1024``, ``<=``, ``>``, ``>=``), ``1000 <> 2000`` (outside)
  or ``1000 >< 2000`` (strictly inside); ``PORTS`` is one or a list.

Values pfctl refuses are refused with its messages: ``unknown port
foo``, ``illegal port value 70000``, ``no IP address found for foo`` then
``could not parse host specification``. A bare interface name or a host
name as an address needs the interfaces or DNS when pfctl parses, which
the simulation does not give it: such a name is refused as one without
an address.
"""

from __future__ import annotations

import ipaddress
import string
from typing import Final

from kleene.backends.sim.pf.lexer import TokenKind
from kleene.backends.sim.pf.model import (
    Address,
    AddressSpec,
    HostAddress,
    InterfaceAddress,
    InterfaceMode,
    PortOp,
    PortSpec,
)
from kleene.backends.sim.pf.names import service_port
from kleene.backends.sim.pf.specs import PeerSpec, PortRange, RangeKind
from kleene.backends.sim.pf.stream import TokenStream

IFNAMSIZ: Final = 16
_MODIFIERS: Final = {
    "network": InterfaceMode.NETWORK,
    "broadcast": InterfaceMode.BROADCAST,
    "peer": InterfaceMode.PEER,
}
_BINARY_OPS: Final = {"<>": PortOp.EXCEPT_RANGE, "><": PortOp.INSIDE_RANGE}


def fromto(s: TokenStream) -> tuple[PeerSpec, PeerSpec]:
    """Read ``all`` or the optional ``from`` and ``to`` parts."""
    if s.keyword("all"):
        return PeerSpec(), PeerSpec()
    src = _peer(s) if s.keyword("from") else PeerSpec()
    dst = _peer(s) if s.keyword("to") else PeerSpec()
    return src, dst


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
        for hosts in s.braced(_addresses):
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
        return s.braced(_port_item)
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
