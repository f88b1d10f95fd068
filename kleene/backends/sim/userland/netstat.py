"""netstat(1): routing tables and interface addresses, as text or libxo JSON.

Supported forms (SPEC §7.5): ``netstat -rn`` (text or JSON),
``netstat -I IF -n --libxo json`` and ``netstat -i --libxo json``;
``--libxo json`` (or ``--libxo=json``) may come anywhere in the argv.

Text ``-rn`` is FreeBSD 13.2's layout: IPv4 rows ``%-18s %-18s %-6s %8.8s``,
IPv6 rows ``%-33s %-29s %-6s %8.8s``; a destination or gateway wider than
its column narrows the next column by the excess (``p_sockaddr``'s
protrusion). JSON shapes are those of reference §2 and §6, with netstat's
``"__version": "1"``. Packet counters are the interfaces' own (zero until
the packet layer counts); address rows report zero.

In a jail the routing table is filtered (SPEC §4.12, ``visible_routes``): an
ipnet jail sees only the host routes of its own addresses, a disabled jail
none; host and vnet jails see their whole stack.
"""

from __future__ import annotations

import getopt
import json
import logging
from typing import Any

from kleene.backends.sim.kernel import interfaces, routes
from kleene.backends.sim.records import Driver, Jail
from kleene.backends.sim.userland.process import Process, Usage
from kleene.backends.sim.world import Interface, IPInterface, Stack

logger = logging.getLogger(__name__)

USAGE = "usage: netstat [--libxo json] -rn | -i | -I interface [-n]"

_FLAG_NAMES = {"U": "up", "G": "gateway", "H": "host", "S": "static"}
_FAMILIES = ((4, "Internet", 18, 18), (6, "Internet6", 33, 29))


def main(proc: Process, args: list[str]) -> int:
    """Run netstat."""
    args, as_json = strip_libxo(args)
    try:
        options, rest = getopt.getopt(args, "rnI:i")
    except getopt.GetoptError:
        raise Usage from None
    flags = {name for name, _ in options}
    interface = next((value for name, value in options if name == "-I"), None)
    if rest:
        raise Usage

    if flags == {"-r", "-n"}:
        table = visible_routes(proc.stack, proc.jail)
        proc.write(_routes_json(table) if as_json else _routes_text(table))
    elif as_json and flags in ({"-i"}, {"-i", "-n"}):
        proc.write(_interfaces_json(proc.stack, None))
    elif as_json and flags in ({"-I"}, {"-I", "-n"}) and interface is not None:
        proc.write(_interfaces_json(proc.stack, interface))
    else:
        raise Usage
    return 0


def strip_libxo(args: list[str]) -> tuple[list[str], bool]:
    kept: list[str] = []
    as_json = False
    words = iter(args)
    for word in words:
        if word == "--libxo":
            style = next(words, "")
        elif word.startswith(("--libxo=", "--libxo:")):
            style = word[len("--libxo=") :]
        else:
            kept.append(word)
            continue
        if style not in ("json", "text"):
            raise Usage
        as_json = style == "json"
    return kept, as_json


def _dump(document: dict[str, Any]) -> str:
    return json.dumps({"__version": "1", **document}) + "\n"


RouteTable = dict[int, list[routes.RouteEntry]]


def visible_routes(stack: Stack, jail: Jail | None) -> RouteTable:
    """Return the routes, by IP version, that a jail (None: the host) sees."""
    table = {version: routes.table(stack, version) for version in (4, 6)}
    if jail is None or jail.driver in (Driver.HOST, Driver.VNET):
        return table
    own = set(jail.ip4_addrs) | set(jail.ip6_addrs)
    if jail.driver is Driver.DISABLED:
        own = set()
    return {
        version: [entry for entry in entries if _host_route_of(entry, own)]
        for version, entries in table.items()
    }


def _host_route_of(entry: routes.RouteEntry, own: set[str]) -> bool:
    destination = entry.destination
    full = destination.prefixlen == destination.max_prefixlen
    return full and str(destination.network_address) in own


def _routes_text(table: RouteTable) -> str:
    lines = ["Routing tables"]
    for version, title, width_dst, width_gw in _FAMILIES:
        entries = table[version]
        if not entries:
            continue
        header = _row("Destination", "Gateway", "Flags", "Netif", width_dst, width_gw)
        lines += ["", f"{title}:", header + " Expire"]
        for entry in entries:
            lines.append(_row(*_route_cells(entry), width_dst, width_gw))
    return "\n".join(lines) + "\n"


def _row(dst: str, gw: str, flags: str, netif: str, wid_dst: int, wid_gw: int) -> str:
    protrusion = max(len(dst) - wid_dst, 0)
    width_gw = wid_gw - protrusion
    protrusion = max(len(gw) - width_gw, 0)
    width_flags = 6 - protrusion
    return (
        f"{dst:<{wid_dst}} {gw:<{max(width_gw, 0)}} "
        f"{flags:<{max(width_flags, 0)}} {netif[:8]:>8}"
    )


def _route_cells(entry: routes.RouteEntry) -> tuple[str, str, str, str]:
    destination = entry.destination
    scope = f"%{entry.link.name}" if entry.scoped else ""
    if destination.prefixlen == 0:
        shown = "default"
    elif destination.prefixlen == destination.max_prefixlen:
        shown = f"{destination.network_address}{scope}"
    else:
        shown = f"{destination.network_address}{scope}/{destination.prefixlen}"
    gateway = (
        f"link#{entry.link.index}" if entry.gateway is None else str(entry.gateway)
    )
    if entry.gateway is not None and entry.gateway.version == 6:
        gateway += f"%{entry.link.name}" if entry.gateway.is_link_local else ""
    return shown, gateway, entry.flags, entry.netif.name


def _routes_json(table: RouteTable) -> str:
    families = []
    for version, title, _, _ in _FAMILIES:
        entries = table[version]
        if entries:
            rows = [_route_json(entry) for entry in entries]
            families.append({"address-family": title, "rt-entry": rows})
    document = {"route-table": {"rt-family": families}}
    return _dump({"statistics": {"route-information": document}})


def _route_json(entry: routes.RouteEntry) -> dict[str, Any]:
    destination, gateway, flags, netif = _route_cells(entry)
    return {
        "destination": destination,
        "gateway": gateway,
        "flags": flags,
        "flags_pretty": [_FLAG_NAMES[letter] for letter in flags],
        "interface-name": netif,
    }


def _interfaces_json(stack: Stack, name: str | None) -> str:
    rows: list[dict[str, Any]] = []
    for iface in stack.interfaces:
        if name is None or iface.name == name:
            rows.append(_link_row(stack, iface))
            rows.extend(_address_row(stack, iface, a) for a in iface.addresses)
    return _dump({"statistics": {"interface": rows}})


def _link_row(stack: Stack, iface: Interface) -> dict[str, Any]:
    return {
        "name": iface.name,
        "flags": f"0x{interfaces.flags(stack, iface):x}",
        "mtu": iface.mtu,
        "network": f"<Link#{iface.index}>",
        "address": iface.mac or iface.name,
        "received-packets": iface.ipackets,
        "received-errors": 0,
        "dropped-packets": 0,
        "sent-packets": iface.opackets,
        "send-errors": 0,
        "collisions": 0,
    }


def _address_row(
    stack: Stack, iface: Interface, address: IPInterface
) -> dict[str, Any]:
    network = address.network
    if address.version == 6 and address.ip.is_link_local:
        shown_network = f"{network.network_address}%{iface.name}/{network.prefixlen}"
        shown_address = f"{address.ip}%{iface.name}"
    else:
        shown_network, shown_address = str(network), str(address.ip)
    return {
        "name": iface.name,
        "flags": f"0x{interfaces.flags(stack, iface):x}",
        "network": shown_network,
        "address": shown_address,
        "received-packets": 0,
        "sent-packets": 0,
    }
