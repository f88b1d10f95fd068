"""ifconfig's listing: one block per interface, FreeBSD 13.2's format.

Owns the bit-name tables (``IFFBITS``, ``IFCAPBITS``, ``ND6BITS``), FreeBSD's
``printb`` (``8863<UP,BROADCAST,...>``) and the block layout of SPEC §7.6:
flags, description, options, ether, addresses in the order added, bridge
lines (members most recent first), groups, media, status, nd6. Indented
lines start with a TAB; a member's second line with a TAB and 8 spaces.

A ``View`` filters what a viewer sees (SPEC §4.12, ``view_for``): the host,
host jails and vnet jails (on their own stack) see everything; an ipnet jail
sees only its own addresses, and nd6 lines only if it has an IPv6 address; a
disabled jail sees no address and no nd6 line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kleene.backends.sim.kernel import bridge, interfaces
from kleene.backends.sim.kernel.iftypes import IFF_BROADCAST, TRAITS
from kleene.backends.sim.records import Driver, Jail
from kleene.backends.sim.world import IfKind, Interface, IPInterface, Stack

IFFBITS = (
    (0x1, "UP"), (0x2, "BROADCAST"), (0x4, "DEBUG"), (0x8, "LOOPBACK"),
    (0x10, "POINTOPOINT"), (0x40, "RUNNING"), (0x80, "NOARP"), (0x100, "PROMISC"),
    (0x200, "ALLMULTI"), (0x400, "OACTIVE"), (0x800, "SIMPLEX"), (0x1000, "LINK0"),
    (0x2000, "LINK1"), (0x4000, "LINK2"), (0x8000, "MULTICAST"),
)  # fmt: skip
IFCAPBITS = (
    (0x1, "RXCSUM"), (0x2, "TXCSUM"), (0x4, "NETCONS"), (0x8, "VLAN_MTU"),
    (0x10, "VLAN_HWTAGGING"), (0x20, "JUMBO_MTU"), (0x40, "POLLING"),
    (0x80, "VLAN_HWCSUM"), (0x100, "TSO4"), (0x200, "TSO6"), (0x400, "LRO"),
    (0x800, "WOL_UCAST"), (0x1000, "WOL_MCAST"), (0x2000, "WOL_MAGIC"),
    (0x4000, "TOE4"), (0x8000, "TOE6"), (0x10000, "VLAN_HWFILTER"),
    (0x40000, "VLAN_HWTSO"), (0x80000, "LINKSTATE"), (0x100000, "NETMAP"),
    (0x200000, "RXCSUM_IPV6"), (0x400000, "TXCSUM_IPV6"), (0x1000000, "TXRTLMT"),
    (0x2000000, "HWRXTSTMP"), (0x4000000, "NOMAP"), (0x8000000, "TXTLS4"),
    (0x10000000, "TXTLS6"), (0x20000000, "VXLAN_HWCSUM"),
    (0x40000000, "VXLAN_HWTSO"), (0x80000000, "TXTLS_RTLMT"),
)  # fmt: skip
ND6BITS = (
    (0x1, "PERFORMNUD"), (0x2, "ACCEPT_RTADV"), (0x4, "PREFER_SOURCE"),
    (0x8, "IFDISABLED"), (0x10, "DONT_SET_IFROUTE"), (0x20, "AUTO_LINKLOCAL"),
    (0x40, "NO_RADR"), (0x80, "NO_PREFER_IFACE"), (0x100, "NO_DAD"),
)  # fmt: skip

BRIDGE_LINES = (
    "\tid 00:00:00:00:00:00 priority 32768 hellotime 2 fwddelay 15",
    "\tmaxage 20 holdcnt 6 proto rstp maxaddr 2000 timeout 1200",
    "\troot id 00:00:00:00:00:00 priority 32768 ifcost 0 port 0",
)
MEMBER_FLAGS = "flags=143<LEARNING,DISCOVER,AUTOEDGE,AUTOPTP>"


def _everything(iface: Interface, address: IPInterface) -> bool:
    return True


@dataclass(frozen=True)
class View:
    """What a viewer sees: which addresses, and whether nd6 lines show."""

    show_address: Callable[[Interface, IPInterface], bool] = _everything
    show_nd6: bool = True


HOST_VIEW = View()


def _nothing(iface: Interface, address: IPInterface) -> bool:
    return False


def view_for(jail: Jail | None) -> View:
    """Return what processes of a jail (None: the host) see of interfaces."""
    if jail is None or jail.driver in (Driver.HOST, Driver.VNET):
        return HOST_VIEW
    if jail.driver is Driver.DISABLED:
        return View(_nothing, show_nd6=False)
    own = set(jail.ip4_addrs) | set(jail.ip6_addrs)

    def jailed(iface: Interface, address: IPInterface) -> bool:
        return str(address.ip) in own

    return View(jailed, show_nd6=bool(jail.ip6_addrs))


def printb(value: int, names: tuple[tuple[int, str], ...]) -> str:
    """Format a bit field as FreeBSD's printb: ``8863<UP,BROADCAST,...>``."""
    shown = ",".join(name for bit, name in names if value & bit)
    return f"{value:x}<{shown}>"


def render_all(stack: Stack, view: View = HOST_VIEW) -> str:
    """Return the listing of every interface of a stack."""
    return "".join(render(stack, iface, view) for iface in stack.interfaces)


def render(stack: Stack, iface: Interface, view: View = HOST_VIEW) -> str:
    """Return one interface's block, each line ending in a newline."""
    traits = TRAITS[iface.kind]
    flags = interfaces.flags(stack, iface)
    lines = [f"{iface.name}: flags={printb(flags, IFFBITS)} metric 0 mtu {iface.mtu}"]
    if iface.description is not None:
        lines.append(f"\tdescription: {iface.description}")
    if traits.capabilities:
        lines.append(f"\toptions={printb(traits.capabilities, IFCAPBITS)}")
    if traits.has_ether and iface.mac is not None:
        lines.append(f"\tether {iface.mac}")

    for address in iface.addresses:
        if view.show_address(iface, address):
            lines.append(address_line(iface, address, flags & IFF_BROADCAST != 0))
    if iface.kind is IfKind.BRIDGE:
        lines.extend(_bridge_lines(stack, iface))

    if iface.groups:
        lines.append(f"\tgroups: {' '.join(iface.groups)}")
    if traits.media is not None:
        lines.append(f"\tmedia: {traits.media}")
        lines.append("\tstatus: active")
    if traits.nd6 is not None and view.show_nd6:
        lines.append(f"\tnd6 options={printb(iface.nd6, ND6BITS)}")
    return "".join(line + "\n" for line in lines)


def address_line(iface: Interface, address: IPInterface, broadcast: bool) -> str:
    """Return the ``inet``/``inet6`` line of one address."""
    if address.version == 4:
        line = f"\tinet {address.ip} netmask 0x{int(address.netmask):08x}"
        if broadcast:
            line += f" broadcast {address.network.broadcast_address}"
        return line
    if address.ip.is_link_local:
        return (
            f"\tinet6 {address.ip}%{iface.name} prefixlen "
            f"{address.network.prefixlen} scopeid 0x{iface.index:x}"
        )
    return f"\tinet6 {address.ip} prefixlen {address.network.prefixlen}"


def _bridge_lines(stack: Stack, iface: Interface) -> list[str]:
    lines = list(BRIDGE_LINES)
    for member in reversed(bridge.members(stack, iface)):
        cost = TRAITS[member.kind].bridge_path_cost
        lines.append(f"\tmember: {member.name} {MEMBER_FLAGS}")
        lines.append(
            f"\t        ifmaxaddr 0 port {member.index} priority 128 path cost {cost}"
        )
    return lines
