"""The link layer: frames on epairs, the em0 segment, loopbacks and bridges.

``transmit`` sends an ``Ether`` frame out of an interface: an epair end
hands it to its peer, ``em0`` to the other interfaces of its Ethernet
segment (the outside machines), a bridge to its members. Deliveries go
through the runtime's queue (``Runtime.later``), so a whole exchange runs
synchronously, in order, until the network is quiet. ``receive`` takes a
frame off the wire: a bridge member hands it to its bridge, anything else to
``ether_input``, which drops frames for other stations and hands ARP, IPv4
and IPv6 to the input functions that ``neighbor`` and ``ip`` ``register``.

Bridges learn source MACs per member (``Interface.fdb``), forward known
unicast to one member, and flood broadcast, multicast and unknown unicast
to the others; a frame for the bridge's own MAC or a member's, and a copy
of every broadcast or multicast, go up through the bridge interface. pf
filters forwarded IP frames as ``pfhook`` describes. Interfaces count
packets (``ipackets``/``opackets``) and feed captures.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from kleene.backends.sim.kernel import capture, pfhook
from kleene.backends.sim.kernel.pfhook import Direction
from kleene.backends.sim.kernel.runtime import Runtime
from kleene.backends.sim.packets import Ether, IPv4, IPv6
from kleene.backends.sim.world import IfKind, Interface, Stack

logger = logging.getLogger(__name__)

PFIL_BRIDGE = "net.link.bridge.pfil_bridge"

Input = Callable[[Runtime, Stack, Interface, Any], None]
_PROTOCOLS: dict[type, Input] = {}


def register(kind: type, handler: Input) -> None:
    """Route the payloads of one type (ARP, IPv4, IPv6) to a protocol's input."""
    _PROTOCOLS[kind] = handler


def is_group(mac: str) -> bool:
    """Tell whether a MAC is broadcast or multicast."""
    return int(mac[:2], 16) & 1 == 1


def transmit(rt: Runtime, stack: Stack, iface: Interface, frame: Ether) -> None:
    """Send a frame out of an interface."""
    if not iface.up:
        return
    iface.opackets += 1
    rt.frames += 1
    if rt.world.captures:
        capture.record(rt, iface, frame)
    kind = iface.kind
    if kind is IfKind.EPAIR:
        if iface.peer is not None:
            rt.later(receive, rt, iface.peer, frame)
    elif kind is IfKind.BRIDGE:
        _bridge_output(rt, stack, iface, frame)
    elif kind is IfKind.ETHERNET:
        for uid in rt.segment_peers(iface.uid):
            rt.later(receive, rt, uid, frame)


def receive(rt: Runtime, uid: int, frame: Ether) -> None:
    """Take a frame off the wire at the interface ``uid``."""
    found = rt.ifmap().get(uid)
    if found is None:
        return
    stack, iface = found
    if not iface.up:
        return
    iface.ipackets += 1
    if rt.world.captures:
        capture.record(rt, iface, frame)
    bridge = rt.bridge_of(uid)
    if bridge is not None:
        _bridge_input(rt, stack, bridge, iface, frame)
    else:
        ether_input(rt, stack, iface, frame)


def ether_input(
    rt: Runtime, stack: Stack, iface: Interface, frame: Ether, *, ours: bool = False
) -> None:
    """Hand a frame for this station to ARP, IPv4 or IPv6."""
    if not ours and frame.dst != iface.mac and not is_group(frame.dst):
        return
    payload = frame.payload
    handler = _PROTOCOLS.get(type(payload))
    if handler is not None:
        handler(rt, stack, iface, payload)


def _bridge_input(
    rt: Runtime, stack: Stack, bridge: Interface, member: Interface, frame: Ether
) -> None:
    if not bridge.up:
        return
    if bridge.fdb.get(frame.src) != member.uid:
        bridge.fdb[frame.src] = member.uid
    dst = frame.dst
    if is_group(dst):
        for other in _members(rt, stack, bridge):
            if other is not member:
                _forward(rt, stack, bridge, member, other, frame)
        ether_input(rt, stack, bridge, frame)
        return
    if dst == bridge.mac or dst in _member_macs(rt, stack, bridge):
        ether_input(rt, stack, bridge, frame, ours=True)
        return
    target = _learned(rt, stack, bridge, dst)
    if target is None:
        for other in _members(rt, stack, bridge):
            if other is not member:
                _forward(rt, stack, bridge, member, other, frame)
    elif target is not member:
        _forward(rt, stack, bridge, member, target, frame)


def _bridge_output(rt: Runtime, stack: Stack, bridge: Interface, frame: Ether) -> None:
    target = None if is_group(frame.dst) else _learned(rt, stack, bridge, frame.dst)
    if target is not None:
        transmit(rt, stack, target, frame)
        return
    for member in _members(rt, stack, bridge):
        transmit(rt, stack, member, frame)


def _forward(
    rt: Runtime,
    stack: Stack,
    bridge: Interface,
    source: Interface,
    target: Interface,
    frame: Ether,
) -> None:
    packet = frame.payload
    if stack.pf.enabled and isinstance(packet, IPv4 | IPv6):
        checked = _filter_bridged(rt, stack, bridge, source, target, packet)
        if checked is None:
            return
        if checked is not packet:
            frame = replace(frame, payload=checked)
    transmit(rt, stack, target, frame)


def _filter_bridged(
    rt: Runtime,
    stack: Stack,
    bridge: Interface,
    source: Interface,
    target: Interface,
    packet: IPv4 | IPv6,
) -> IPv4 | IPv6 | None:
    steps = [(source.name, Direction.IN)]
    if stack.sysctls.get(PFIL_BRIDGE, 0):
        steps += [(bridge.name, Direction.IN), (bridge.name, Direction.OUT)]
    steps.append((target.name, Direction.OUT))
    current: IPv4 | IPv6 | None = packet
    for ifname, direction in steps:
        assert current is not None
        current = pfhook.check(rt, stack, ifname, direction, current)
        if current is None:
            return None
    return current


def _members(rt: Runtime, stack: Stack, bridge: Interface) -> list[Interface]:
    key = ("members", bridge.uid)
    found = rt.caches.extra.get(key)
    if found is None:
        table = rt.ifmap()
        found = [table[uid][1] for uid in bridge.members if uid in table]
        rt.caches.extra[key] = found
    members: list[Interface] = found
    return members


def _member_macs(rt: Runtime, stack: Stack, bridge: Interface) -> set[str]:
    key = ("macs", bridge.uid)
    found = rt.caches.extra.get(key)
    if found is None:
        found = {m.mac for m in _members(rt, stack, bridge) if m.mac is not None}
        rt.caches.extra[key] = found
    macs: set[str] = found
    return macs


def _learned(
    rt: Runtime, stack: Stack, bridge: Interface, mac: str
) -> Interface | None:
    uid = bridge.fdb.get(mac)
    if uid is None or uid not in bridge.members:
        return None
    found = rt.ifmap().get(uid)
    return None if found is None else found[1]
