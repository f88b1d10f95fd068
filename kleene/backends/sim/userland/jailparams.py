"""jail(8) parameters: which exist, how they read, what a ``jail -c`` asks for.

Parameters are ``name=value`` or a bare ``name``, which means true for a
boolean (``allow.raw_sockets``, ``persist``, ``mount.devfs``; ``vnet`` means
``vnet=new``); a ``no`` before the last component of a boolean's name means
false (``mount.nodevfs``, ``exec.noclean``, ``nopersist``). ``exec.*`` and
``vnet.interface`` accumulate when repeated. ``command=`` takes the rest of
the argv as the words of the command. ``ip4.addr`` and ``ip6.addr`` are
comma-separated; an ``interface|`` prefix and a ``/prefix`` suffix are
dropped. Anything else that SPEC §7.7 does not list is unknown.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from kleene.backends.sim.records import IpMode

KNOWN = frozenset(
    {
        "path",
        "name",
        "jid",
        "command",
        "host.hostname",
        "ip4",
        "ip6",
        "ip4.addr",
        "ip6.addr",
        "vnet",
        "vnet.interface",
        "mount.devfs",
        "persist",
        "enforce_statfs",
        "devfs_ruleset",
        "securelevel",
        "children.max",
        "osrelease",
        "osreldate",
        "sysvmsg",
        "sysvsem",
        "sysvshm",
    }
)
PREFIXES = ("exec.", "allow.")
TRUE = ("", "true", "1", "yes", "on", "new")
EXEC_LISTS = ("exec.prestart", "exec.start", "exec.stop", "exec.poststart")


class UnknownParameter(Exception):
    """A parameter jail(8) does not know; the message is its name."""


@dataclass
class JailRequest:
    """What a ``jail -c`` (or ``-m``) asks for, parameter by parameter."""

    name: str = ""
    path: str = "/"
    hostname: str | None = None
    vnet: bool = False
    ip4: IpMode | None = None
    ip6: IpMode | None = None
    ip4_addrs: list[str] | None = None
    ip6_addrs: list[str] | None = None
    raw_sockets: bool = False
    persist: bool = False
    devfs: bool = False
    clean: bool = False
    jail_user: str = "root"
    interfaces: list[str] = field(default_factory=list)
    execs: dict[str, list[str]] = field(default_factory=dict)
    command: list[str] = field(default_factory=list)
    given: list[str] = field(default_factory=list)


def canonical(name: str) -> tuple[str, bool]:
    """Return a parameter's name without a ``no`` prefix, and whether it had one."""
    head, dot, last = name.rpartition(".")
    if last.startswith("no") and (
        f"{head}{dot}{last[2:]}" in KNOWN or head in ("exec", "allow")
    ):
        return f"{head}{dot}{last[2:]}", True
    return name, False


def is_known(name: str) -> bool:
    """Tell whether jail(8) knows a parameter."""
    name, _ = canonical(name)
    return name in KNOWN or name.startswith(PREFIXES)


def parse(words: list[str]) -> JailRequest:
    """Read ``jail -c`` parameters; UnknownParameter for one jail(8) lacks."""
    request = JailRequest()
    position = 0
    while position < len(words):
        word = words[position]
        position += 1
        key, equals, value = word.partition("=")
        if not is_known(key):
            raise UnknownParameter(key)
        if key == "command":
            request.command = [value, *words[position:]] if equals else words[position:]
            break
        request.given.append(word)
        _apply(request, key, value, bool(equals))
    return request


def _apply(request: JailRequest, key: str, value: str, has_value: bool) -> None:
    name, negated = canonical(key)
    flag = not negated and (not has_value or value.lower() in TRUE)
    if name == "name":
        request.name = value
    elif name == "path":
        request.path = value
    elif name == "host.hostname":
        request.hostname = value
    elif name == "vnet":
        request.vnet = flag
    elif name == "vnet.interface":
        request.interfaces.append(value)
    elif name in ("ip4", "ip6"):
        setattr(request, name, IpMode(value) if value in set(IpMode) else IpMode.NEW)
    elif name in ("ip4.addr", "ip6.addr"):
        setattr(request, name.replace(".", "_") + "s", addresses(value))
    elif name == "allow.raw_sockets":
        request.raw_sockets = flag
    elif name == "persist":
        request.persist = flag
    elif name == "mount.devfs":
        request.devfs = flag
    elif name == "exec.clean":
        request.clean = flag
    elif name == "exec.jail_user":
        request.jail_user = value
    elif name in EXEC_LISTS:
        request.execs.setdefault(name, []).append(value)


def addresses(value: str) -> list[str]:
    """Read an ``ip4.addr``/``ip6.addr`` value into bare addresses."""
    found = []
    for item in value.split(","):
        item = item.strip().split("|")[-1].split("/")[0]
        if item:
            found.append(_canonical_address(item))
    return found


def _canonical_address(text: str) -> str:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return text


def ip_mode(mode: IpMode | None, addrs: list[str] | None) -> IpMode:
    """Return a family's mode: as given, else ``new`` with addresses, else disable."""
    if mode is not None:
        return mode
    return IpMode.NEW if addrs else IpMode.DISABLE
