"""ifconfig(8): list interfaces, create and destroy clones, change settings.

Supported forms (SPEC §7.5): ``ifconfig [-a]``, ``ifconfig IF``,
``ifconfig lo|bridge|epair[N] create [PARAMS]`` and ``ifconfig IF PARAMS``
with the parameters ``up``, ``down``, ``destroy``, ``inet``, ``inet6``, an
address, ``alias``, ``-alias``/``delete``, ``netmask``, ``prefixlen``,
``ether``/``lladdr``, ``description``/``descr``, ``-description``,
``name``, ``addm``, ``deletem`` and ``mtu``. Other parameters are not
simulated: usage, exit 64.

Parsing follows FreeBSD's ifconfig: parameters act in the order read, except
the address, which is applied last (``Request``). With ``alias`` it is added;
with ``-alias`` it is removed; without either, an ``inet`` address replaces the
interface's first IPv4 address (an ``inet6`` one is simply added). A missing
prefix length means /32 for ``inet`` (FreeBSD's classful default is not
modelled) and /64 for ``inet6`` (ifconfig's own default). ``create`` (when
the kernel picked the name) and ``name`` make ifconfig print the resulting
name at the end, as FreeBSD does.

Inside a jail the listing is filtered (``ifconfig_show.view_for``), and
only a vnet jail may change anything: elsewhere an address change is
``ifconfig: ioctl (SIOCAIFADDR): permission denied`` and any other change
``ifconfig: permission denied`` (sim wording), exit 1. ``vnet JAIL`` moves
an interface into a vnet jail; ``-vnet JAIL`` takes one back from it (the
interface is named as the jail sees it).
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from kleene.backends.sim.kernel import addresses, bridge, interfaces, jails, neighbor
from kleene.backends.sim.kernel.errno import KernelError
from kleene.backends.sim.records import Jail
from kleene.backends.sim.userland.ifconfig_show import render, render_all, view_for
from kleene.backends.sim.userland.process import Process, Usage, syscall
from kleene.backends.sim.world import Interface, IPInterface

logger = logging.getLogger(__name__)

USAGE = (
    "usage: ifconfig [-a] [interface [create] [address_family] [address] [parameters]]"
)

_CLONE_NAME = re.compile(r"(lo|bridge|epair|pflog)(\d*)")
_MAC = re.compile(r"[0-9a-fA-F]{1,2}(:[0-9a-fA-F]{1,2}){5}")


class Mode(Enum):
    """What to do with the address given on the command line."""

    REPLACE = "replace"
    ALIAS = "alias"
    DELETE = "delete"


@dataclass
class Request:
    """One ifconfig invocation on one interface, as far as it has been read."""

    iface: Interface
    version: int = 4
    address: str | None = None
    mask: str | None = None
    mode: Mode = Mode.REPLACE
    print_name: bool = False
    destroyed: bool = False


_ADDRESS_WORDS = frozenset({"inet", "inet6", "alias", "-alias", "delete"})


def main(proc: Process, args: list[str]) -> int:
    """Run ifconfig."""
    view = view_for(proc.jail)
    if not args or args == ["-a"]:
        proc.write(render_all(proc.stack, view))
        return 0
    if args[0].startswith("-"):
        raise Usage
    name, params = args[0], args[1:]
    if len(params) == 2 and params[0] == "-vnet":
        return _reclaim(proc, name, params[1])

    if params[:1] == ["create"]:
        _check_allowed(proc, params)
        request = _create(proc, name)
        params = params[1:]
    else:
        iface = interfaces.find(proc.stack, name)
        if iface is None:
            proc.fail(f"ifconfig: interface {name} does not exist")
        if not params:
            proc.write(render(proc.stack, iface, view))
            return 0
        _check_allowed(proc, params)
        request = Request(iface)

    _apply_params(proc, request, params)
    if not request.destroyed:
        _apply_address(proc, request)
    if request.print_name:
        proc.print(request.iface.name)
    return 0


def _check_allowed(proc: Process, params: list[str]) -> None:
    if proc.may_configure:
        return
    changes_address = any(
        word in _ADDRESS_WORDS or word[:1].isdigit() or ":" in word for word in params
    )
    if changes_address:
        proc.fail("ifconfig: ioctl (SIOCAIFADDR): permission denied")
    proc.fail("ifconfig: permission denied")


def _jail(proc: Process, key: str) -> Jail:
    jail = jails.find(proc.world, key)
    if jail is None:
        proc.fail(f'ifconfig: jail "{key}" not found')
    return jail


def _reclaim(proc: Process, name: str, key: str) -> int:
    _check_allowed(proc, ["-vnet"])
    jail = _jail(proc, key)
    with syscall(proc, "ifconfig: SIOCSIFRVNET"):
        jails.move_out(proc.rt, jail, name)
    return 0


def _move(proc: Process, request: Request, key: str) -> None:
    jail = _jail(proc, key)
    with syscall(proc, "ifconfig: SIOCSIFVNET"):
        jails.move_in(proc.rt, jail, request.iface.name)
    request.destroyed = True


def _create(proc: Process, name: str) -> Request:
    match = _CLONE_NAME.fullmatch(name)
    if match is None:
        proc.fail("ifconfig: SIOCIFCREATE2: Invalid argument")
    cloner, digits = match.groups()
    unit = int(digits) if digits else None
    with syscall(proc, "ifconfig: SIOCIFCREATE2"):
        iface = interfaces.create_clone(proc.world, proc.stack, cloner, unit)
    return Request(iface, print_name=iface.name != name)


def _apply_params(proc: Process, request: Request, params: list[str]) -> None:
    position = 0
    while position < len(params) and not request.destroyed:
        word = params[position]
        position += 1
        if word in _WITH_ARGUMENT:
            if position == len(params):
                proc.fail(f"ifconfig: '{word}' requires argument")
            _WITH_ARGUMENT[word](proc, request, params[position])
            position += 1
        elif word in _WITHOUT_ARGUMENT:
            _WITHOUT_ARGUMENT[word](proc, request)
        elif word[:1].isdigit() or ":" in word:
            request.address = word
        else:
            raise Usage


def _apply_address(proc: Process, request: Request) -> None:
    iface = request.iface
    if request.mode is Mode.DELETE:
        with syscall(proc, "ifconfig: ioctl (SIOCDIFADDR)"):
            if request.address is None:
                addresses.remove_first(proc.stack, iface, request.version)
            else:
                address = _parse_address(proc, request)
                addresses.remove(proc.stack, iface, address.ip)
        return
    if request.address is None:
        return

    address = _parse_address(proc, request)
    if request.mode is Mode.REPLACE and request.version == 4:
        # No previous address: ifconfig ignores SIOCDIFADDR's EADDRNOTAVAIL.
        with contextlib.suppress(KernelError):
            addresses.remove_first(proc.stack, iface, 4)
    with syscall(proc, "ifconfig: ioctl (SIOCAIFADDR)"):
        addresses.add(iface, address)
    if address.version == 4:
        proc.rt.invalidate()
        neighbor.announce(proc.rt, proc.stack, iface, str(address.ip))


def _parse_address(proc: Process, request: Request) -> IPInterface:
    text = request.address or ""
    address, slash, length = text.partition("/")
    address = address.split("%")[0] if request.version == 6 else address
    try:
        if request.version == 4:
            ipaddress.IPv4Address(address)
            prefix = length if slash else _netmask_length(request.mask)
            return ipaddress.IPv4Interface(f"{address}/{prefix}")
        ipaddress.IPv6Address(address)
        prefix = length if slash else (request.mask or "64")
        return ipaddress.IPv6Interface(f"{address}/{int(prefix)}")
    except ValueError:
        proc.fail(f"ifconfig: {text}: bad value")


def _netmask_length(mask: str | None) -> int:
    if mask is None:
        return 32
    value = int(mask, 16) if mask.lower().startswith("0x") else None
    netmask = ipaddress.IPv4Address(value if value is not None else mask)
    return ipaddress.IPv4Network(f"0.0.0.0/{netmask}").prefixlen


def _set_netmask(proc: Process, request: Request, mask: str) -> None:
    try:
        _netmask_length(mask)
    except ValueError:
        proc.fail(f"ifconfig: {mask}: bad value")
    request.mask = mask


def _set_prefixlen(proc: Process, request: Request, length: str) -> None:
    if not length.isdigit() or int(length) > 128:
        proc.fail(f"ifconfig: {length}: bad value")
    request.mask = length


def _describe(proc: Process, request: Request, text: str) -> None:
    interfaces.set_description(request.iface, text)


def _rename(proc: Process, request: Request, name: str) -> None:
    with syscall(proc, "ifconfig: ioctl SIOCSIFNAME (set name)"):
        interfaces.rename(proc.stack, request.iface, name)
    request.print_name = True


def _set_mac(proc: Process, request: Request, mac: str) -> None:
    if _MAC.fullmatch(mac) is None:
        proc.fail("ifconfig: malformed link-level address")
    normal = ":".join(f"{int(octet, 16):02x}" for octet in mac.split(":"))
    with syscall(proc, "ifconfig: ioctl (SIOCSIFLLADDR)"):
        interfaces.set_mac(request.iface, normal)


def _set_mtu(proc: Process, request: Request, mtu: str) -> None:
    if not mtu.isdigit():
        proc.fail(f"ifconfig: {mtu}: bad value")
    with syscall(proc, "ifconfig: ioctl SIOCSIFMTU (set mtu)"):
        interfaces.set_mtu(request.iface, int(mtu))


def _add_member(proc: Process, request: Request, member: str) -> None:
    with syscall(proc, f"ifconfig: BRDGADD {member}"):
        bridge.add_member(proc.stack, request.iface, member)


def _delete_member(proc: Process, request: Request, member: str) -> None:
    with syscall(proc, f"ifconfig: BRDGDEL {member}"):
        bridge.delete_member(proc.stack, request.iface, member)


def _destroy(proc: Process, request: Request) -> None:
    with syscall(proc, "ifconfig: SIOCIFDESTROY"):
        interfaces.destroy(proc.world, proc.stack, request.iface)
    request.destroyed = True
    request.print_name = False


def _setter(**changes: object) -> Callable[[Process, Request], None]:
    def apply(proc: Process, request: Request) -> None:
        for field_name, value in changes.items():
            setattr(request, field_name, value)

    return apply


def _up(proc: Process, request: Request) -> None:
    interfaces.set_up(request.iface, True)


def _down(proc: Process, request: Request) -> None:
    interfaces.set_up(request.iface, False)


def _undescribe(proc: Process, request: Request) -> None:
    interfaces.set_description(request.iface, None)


_WITH_ARGUMENT: dict[str, Callable[[Process, Request, str], None]] = {
    "description": _describe,
    "descr": _describe,
    "name": _rename,
    "ether": _set_mac,
    "lladdr": _set_mac,
    "link": _set_mac,
    "mtu": _set_mtu,
    "addm": _add_member,
    "deletem": _delete_member,
    "vnet": _move,
    "netmask": _set_netmask,
    "prefixlen": _set_prefixlen,
}

_WITHOUT_ARGUMENT: dict[str, Callable[[Process, Request], None]] = {
    "up": _up,
    "down": _down,
    "destroy": _destroy,
    "-description": _undescribe,
    "-descr": _undescribe,
    "inet": _setter(version=4),
    "inet6": _setter(version=6),
    "alias": _setter(mode=Mode.ALIAS),
    "-alias": _setter(mode=Mode.DELETE),
    "delete": _setter(mode=Mode.DELETE),
}
