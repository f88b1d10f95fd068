"""Parsers of the FreeBSD command output that the engine reads.

Both hosts print FreeBSD's formats (the simulated one byte for byte), so the
engine parses what either host answers with these pure functions. The
commands and the fields read are those of ``reference/freebsd-plans.md``:

- ``ifconfig -a`` / ``ifconfig IF`` (text, §3.1): ``parse_ifconfig`` gives an
  ``InterfaceInfo`` per interface; ``owner`` is the id of a ``kleene:<id>``
  description.
- ``netstat --libxo json -rn`` (§2): ``parse_host_gateway``.
- ``netstat --libxo json -I IF -n`` (§6): ``parse_interface_addresses``.
- ``jls --libxo json -v`` (§3.2): ``parse_jls`` gives a ``JailInfo`` per jail.
- ``mount --libxo json -t devfs`` (§11): ``parse_devfs_mounts``.
- ``ifconfig epair create`` and ``sysctl -n OID``: one line each.

Fields that FreeBSD 13 and 14 print differently (14's ``LOWER_UP`` flag,
interface indexes) are either not read or read whatever their value. JSON that
does not parse raises ``HostError`` naming the command; a missing key means an
empty list or an unknown value, as the reference says.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from kleene.errors import HostError

logger = logging.getLogger(__name__)

OWNER_PREFIX = "kleene:"
IFF_UP = 0x1

_HEADER = re.compile(r"flags=(?P<flags>[0-9a-fA-F]+)<(?P<names>[^>]*)>")
_EPAIR = re.compile(r"(?P<pair>epair\d+)a")


@dataclass(frozen=True)
class InterfaceInfo:
    """One interface block of ``ifconfig`` output, reduced to what kleene reads."""

    name: str
    flags: int = 0
    flag_names: tuple[str, ...] = ()
    description: str | None = None
    ipv4: tuple[tuple[str, int], ...] = ()
    ipv6: tuple[tuple[str, int], ...] = ()
    members: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()

    @property
    def up(self) -> bool:
        """Tell whether the interface is administratively up."""
        return bool(self.flags & IFF_UP)

    @property
    def owner(self) -> str | None:
        """Return the id of a ``kleene:<id>`` description, else None."""
        if self.description is None or not self.description.startswith(OWNER_PREFIX):
            return None
        return self.description[len(OWNER_PREFIX) :].strip() or None


@dataclass
class _Block:
    """An interface block while its lines are being read."""

    name: str
    flags: int = 0
    flag_names: tuple[str, ...] = ()
    description: str | None = None
    ipv4: list[tuple[str, int]] = field(default_factory=list)
    ipv6: list[tuple[str, int]] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    groups: tuple[str, ...] = ()

    def freeze(self) -> InterfaceInfo:
        return InterfaceInfo(
            name=self.name,
            flags=self.flags,
            flag_names=self.flag_names,
            description=self.description,
            ipv4=tuple(self.ipv4),
            ipv6=tuple(self.ipv6),
            members=tuple(self.members),
            groups=self.groups,
        )


def parse_ifconfig(text: str) -> dict[str, InterfaceInfo]:
    """Parse ``ifconfig -a`` or ``ifconfig IF`` text into interfaces, in order."""
    blocks: list[_Block] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if not line.startswith("\t"):
            blocks.append(_parse_header(line))
        elif blocks:
            _read_line(blocks[-1], line[1:])
    return {block.name: block.freeze() for block in blocks}


def _parse_header(line: str) -> _Block:
    name, _, rest = line.partition(":")
    block = _Block(name=name.strip())
    match = _HEADER.search(rest)
    if match:
        block.flags = int(match["flags"], 16)
        block.flag_names = tuple(n for n in match["names"].split(",") if n)
    return block


def _read_line(block: _Block, line: str) -> None:
    # A continuation line (a bridge member's "ifmaxaddr ...") is indented
    # further than one TAB; it never starts a keyword.
    if line[:1].isspace():
        return
    keyword, _, rest = line.partition(" ")
    words = rest.split()
    try:
        if keyword == "description:":
            block.description = rest.strip()
        elif keyword == "inet":
            block.ipv4.append(_read_inet(words))
        elif keyword == "inet6":
            address = _read_inet6(words)
            if address is not None:
                block.ipv6.append(address)
        elif keyword == "member:":
            block.members.append(words[0])
        elif keyword == "groups:":
            block.groups = tuple(words)
    except (ValueError, IndexError):
        logger.debug("ignored unreadable ifconfig line %r of %s", line, block.name)


def _read_inet(words: list[str]) -> tuple[str, int]:
    """Read ``ADDR netmask 0xHEX ...`` (or ``ADDR/LEN``) after ``inet``."""
    text, _, length = words[0].partition("/")
    address = str(ipaddress.IPv4Address(text))
    if not length and "netmask" in words:
        mask = int(words[words.index("netmask") + 1], 16)
        return address, bin(mask).count("1")
    return address, int(length or 32)


def _read_inet6(words: list[str]) -> tuple[str, int] | None:
    """Read ``ADDR[%IF] prefixlen N ...`` after ``inet6``; None for link-local."""
    text, _, length = words[0].partition("/")
    address = ipaddress.IPv6Address(text.partition("%")[0])
    if address.is_link_local:
        return None
    if not length and "prefixlen" in words:
        length = words[words.index("prefixlen") + 1]
    return str(address), int(length or 128)


def parse_host_gateway(json_text: str) -> str | None:
    """Return the interface of the IPv4 default route, or None when unknown."""
    data = _load(json_text, "netstat --libxo json -rn")
    table = _dig(data, "statistics", "route-information", "route-table")
    inet = [
        family
        for family in _list(table, "rt-family")
        if family.get("address-family") == "Internet"
    ]
    if len(inet) != 1:
        return None

    for entry in _list(inet[0], "rt-entry"):
        if entry.get("destination") == "default":
            name = entry.get("interface-name")
            return name if isinstance(name, str) and name else None
    return None


def parse_interface_addresses(json_text: str, family: int) -> list[str]:
    """Return the addresses of IP version ``family`` (4 or 6) in netstat -I JSON."""
    if family not in (4, 6):
        raise ValueError(f"address family must be 4 or 6, not {family}")
    data = _load(json_text, "netstat --libxo json -I")

    addresses = []
    for entry in _list(_dig(data, "statistics"), "interface"):
        if str(entry.get("network", "")).startswith("<Link#"):
            continue
        try:
            address = ipaddress.ip_address(str(entry.get("address", "")))
        except ValueError:
            continue
        if address.version != family:
            continue
        if isinstance(address, ipaddress.IPv6Address) and address.is_link_local:
            continue
        addresses.append(str(address).partition("%")[0])
    return addresses


@dataclass(frozen=True)
class JailInfo:
    """One jail of ``jls --libxo json -v``."""

    jid: int
    name: str
    hostname: str = ""
    path: str = ""
    ipv4: tuple[str, ...] = ()
    ipv6: tuple[str, ...] = ()


def parse_jls(json_text: str) -> list[JailInfo]:
    """Return the jails listed by ``jls --libxo json -v [-j JAIL]``."""
    data = _load(json_text, "jls --libxo json -v")
    jails = []
    for entry in _list(_dig(data, "jail-information"), "jail"):
        jid = int(entry.get("jid", 0))
        jails.append(
            JailInfo(
                jid=jid,
                name=str(entry.get("name", jid)),
                hostname=str(entry.get("hostname", "")),
                path=str(entry.get("path", "")),
                ipv4=tuple(str(a) for a in entry.get("ipv4_addrs") or ()),
                ipv6=tuple(str(a) for a in entry.get("ipv6_addrs") or ()),
            )
        )
    return jails


def parse_devfs_mounts(json_text: str) -> list[str]:
    """Return the mount points listed by ``mount --libxo json -t devfs``."""
    data = _load(json_text, "mount --libxo json -t devfs")
    mounted = _list(_dig(data, "mount"), "mounted")
    return [str(entry["node"]) for entry in mounted if "node" in entry]


def parse_epair_create(output: str) -> str:
    """Return the pair name from ``ifconfig epair create`` output ("epair0a")."""
    match = _EPAIR.fullmatch(output.strip())
    if match is None:
        raise ValueError(
            f"ifconfig epair create printed {output.strip()!r}, expected epair<N>a"
        )
    return match["pair"]


def parse_sysctl_value(output: str) -> str:
    """Return the value printed by ``sysctl -n OID``, without surrounding space."""
    return output.strip()


def _load(json_text: str, command: str) -> dict[str, Any]:
    try:
        data = json.loads(json_text)
    except json.JSONDecodeError as exc:
        raise HostError(
            f"{command} printed output that is not JSON: {exc.msg} "
            f"at line {exc.lineno} column {exc.colno}"
        ) from exc
    if not isinstance(data, dict):
        raise HostError(f"{command} printed JSON that is not an object")
    return data


def _dig(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    """Follow nested keys; a missing or non-object level gives an empty object."""
    for key in keys:
        value = data.get(key)
        data = value if isinstance(value, dict) else {}
    return data


def _list(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """Return the objects of the list under ``key``; anything else is dropped."""
    value = data.get(key)
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, dict)]
