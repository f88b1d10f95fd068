"""What each interface driver looks like: flags, capabilities, media, groups.

Owns the ``IFF_*``, ``IFCAP_*`` and ``ND6_IFF_*`` bits and ``TRAITS``, one
``KindTraits`` per ``IfKind``, with the values of SPEC §7.6: ``em`` up
``8863``, loopback up ``8049`` / down ``8008``, bridge ``8843`` / ``8802``,
epair ``8863`` / ``8862`` (RUNNING from creation), ``pflog0`` down ``0``.
Bit ``0x20`` (the old ``IFF_SMART``) is set on em and epair but has no name.
"""

from __future__ import annotations

from dataclasses import dataclass

from kleene.backends.sim.world import IfKind

IFF_UP = 0x1
IFF_BROADCAST = 0x2
IFF_LOOPBACK = 0x8
IFF_UNNAMED_0x20 = 0x20
IFF_RUNNING = 0x40
IFF_PROMISC = 0x100
IFF_SIMPLEX = 0x800
IFF_MULTICAST = 0x8000

IFCAP_EM = 0x481009B
IFCAP_LOOPBACK = 0x680003
IFCAP_VLAN_MTU = 0x8

ND6_PERFORMNUD = 0x1
ND6_IFDISABLED = 0x8
ND6_AUTO_LINKLOCAL = 0x20

_ETHERLIKE = IFF_BROADCAST | IFF_SIMPLEX | IFF_MULTICAST


@dataclass(frozen=True)
class KindTraits:
    """The fixed properties of one interface driver."""

    base_flags: int
    up_flags: int
    mtu: int
    capabilities: int
    nd6: int | None
    groups: tuple[str, ...]
    media: str | None
    has_ether: bool
    link_local_on_up: bool
    link_local_on_inet6: bool
    bridge_path_cost: int


TRAITS = {
    IfKind.ETHERNET: KindTraits(
        base_flags=_ETHERLIKE | IFF_UNNAMED_0x20 | IFF_RUNNING,
        up_flags=IFF_UP,
        mtu=1500,
        capabilities=IFCAP_EM,
        nd6=ND6_PERFORMNUD | ND6_IFDISABLED | ND6_AUTO_LINKLOCAL,
        groups=(),
        media="Ethernet autoselect (1000baseT <full-duplex>)",
        has_ether=True,
        link_local_on_up=False,
        link_local_on_inet6=False,
        bridge_path_cost=20000,
    ),
    IfKind.LOOPBACK: KindTraits(
        base_flags=IFF_LOOPBACK | IFF_MULTICAST,
        up_flags=IFF_UP | IFF_RUNNING,
        mtu=16384,
        capabilities=IFCAP_LOOPBACK,
        nd6=ND6_PERFORMNUD | ND6_AUTO_LINKLOCAL,
        groups=("lo",),
        media=None,
        has_ether=False,
        link_local_on_up=True,
        link_local_on_inet6=False,
        bridge_path_cost=0,
    ),
    IfKind.BRIDGE: KindTraits(
        base_flags=_ETHERLIKE,
        up_flags=IFF_UP | IFF_RUNNING,
        mtu=1500,
        capabilities=0,
        nd6=ND6_PERFORMNUD | ND6_IFDISABLED,
        groups=("bridge",),
        media=None,
        has_ether=True,
        link_local_on_up=False,
        link_local_on_inet6=False,
        bridge_path_cost=0,
    ),
    IfKind.EPAIR: KindTraits(
        base_flags=_ETHERLIKE | IFF_UNNAMED_0x20 | IFF_RUNNING,
        up_flags=IFF_UP,
        mtu=1500,
        capabilities=IFCAP_VLAN_MTU,
        nd6=ND6_PERFORMNUD | ND6_IFDISABLED | ND6_AUTO_LINKLOCAL,
        groups=("epair",),
        media="Ethernet 10Gbase-T (10Gbase-T <full-duplex>)",
        has_ether=True,
        link_local_on_up=False,
        link_local_on_inet6=True,
        bridge_path_cost=2000,
    ),
    IfKind.PFLOG: KindTraits(
        base_flags=0,
        up_flags=IFF_UP | IFF_RUNNING,
        mtu=33160,
        capabilities=0,
        nd6=None,
        groups=("pflog",),
        media=None,
        has_ether=False,
        link_local_on_up=False,
        link_local_on_inet6=False,
        bridge_path_cost=0,
    ),
}

CLONERS = {
    "lo": IfKind.LOOPBACK,
    "bridge": IfKind.BRIDGE,
    "epair": IfKind.EPAIR,
    "pflog": IfKind.PFLOG,
}

CLONER_MODULES = {IfKind.BRIDGE: "if_bridge", IfKind.EPAIR: "if_epair"}
