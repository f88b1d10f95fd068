"""Packet captures and the pf log, kept in the world as JSON frames.

``start(rt, ifname)`` begins recording on a host interface (by its uid, so
it follows the interface into a jail); the packet path calls ``record`` for
every frame an interface sends or receives while it is captured, and
``log_pf`` for every packet a pf rule logs (kept in ``world.pflog`` and seen
on ``pflog0``). An unknown interface, or writing one that was never
captured, is ``NotFound``. ``write`` turns a capture into a pcap file through the
packets package (scapy writes it); ``pflog_lines`` gives ``klee sim pflog``'s
lines.

Frames are stored with a small generic codec over the packet dataclasses
(``to_json`` / ``from_json``): a layer is ``{"_": "IPv4", field: value...}``,
bytes are ``{"hex": "..."}``, tuples (DNS sections) are lists.
"""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path
from typing import Any

from kleene.backends.sim.kernel import interfaces
from kleene.backends.sim.kernel.runtime import Runtime
from kleene.backends.sim.world import IfKind, Interface, World
from kleene.errors import NotFound

logger = logging.getLogger(__name__)

PFLOG_KEY = "pflog"


def start(rt: Runtime, ifname: str) -> None:
    """Start (or restart) recording the frames of a host interface."""
    iface = interfaces.find(rt.world.host, ifname)
    if iface is None:
        raise NotFound(f"interface {ifname} does not exist on the simulated host")
    rt.world.captures[str(iface.uid)] = []
    logger.info("capturing on %s", ifname)


def active(world: World) -> bool:
    """Tell whether anything is being captured (a cheap test for the hot path)."""
    return bool(world.captures)


def record(rt: Runtime, iface: Interface, frame: Any) -> None:
    """Record a frame seen on an interface, if the interface is captured."""
    frames = rt.world.captures.get(str(iface.uid))
    if frames is not None:
        frames.append([rt.world.clock_us, to_json(frame)])


def log_pf(rt: Runtime, entry: Any) -> None:
    """Keep a ``PflogRecord`` in the pf log (and the pflog0 capture)."""
    world = rt.world
    item = [world.clock_us, to_json(entry)]
    world.pflog.append(item)
    pflog0 = interfaces.find(world.host, "pflog0")
    if pflog0 is not None and str(pflog0.uid) in world.captures:
        world.captures[str(pflog0.uid)].append(item)


def pflog_lines(world: World) -> list[str]:
    """Return the pf log as ``klee sim pflog`` prints it, oldest first."""
    from kleene.backends.sim.packets import pflog_line

    return [pflog_line(moment, from_json(item)) for moment, item in world.pflog]


def write(rt: Runtime, ifname: str, path: Path) -> int:
    """Write an interface's recorded frames as a pcap file; return how many."""
    from kleene.backends.sim import packets

    iface = interfaces.find(rt.world.host, ifname)
    if iface is None or str(iface.uid) not in rt.world.captures:
        raise NotFound(f"no capture was started on {ifname}")
    frames = [
        (moment / 1_000_000, from_json(item))
        for moment, item in rt.world.captures[str(iface.uid)]
    ]
    if iface.kind is IfKind.PFLOG:
        linktype = packets.LINKTYPE_PFLOG
    elif iface.kind is IfKind.LOOPBACK:
        linktype = packets.LINKTYPE_RAW
    else:
        linktype = packets.LINKTYPE_ETHERNET
    return packets.write_pcap(path, frames, linktype)


def to_json(item: Any) -> Any:
    """Return a packet (or any value inside one) as JSON-ready data."""
    if isinstance(item, bytes):
        return {"hex": item.hex()}
    if isinstance(item, tuple | list):
        return [to_json(value) for value in item]
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        data = {"_": type(item).__name__}
        for field in dataclasses.fields(item):
            data[field.name] = to_json(getattr(item, field.name))
        return data
    return item


def from_json(data: Any) -> Any:
    """Rebuild a packet from ``to_json`` output."""
    if isinstance(data, list):
        return tuple(from_json(value) for value in data)
    if not isinstance(data, dict):
        return data
    if "hex" in data and len(data) == 1:
        return bytes.fromhex(data["hex"])
    kind = _classes()[data["_"]]
    values = {key: from_json(value) for key, value in data.items() if key != "_"}
    return kind(**values)


def _classes() -> dict[str, type]:
    from kleene.backends.sim import packets
    from kleene.backends.sim.packets import dns

    kinds: list[type] = [
        packets.Ether, packets.ARP, packets.IPv4, packets.IPv6, packets.ICMP,
        packets.ICMPv6, packets.UDP, packets.TCP, packets.PflogRecord,
        dns.DNS, dns.DNSQR, dns.DNSRR, dns.DNSRRMX,
    ]  # fmt: skip
    return {kind.__name__: kind for kind in kinds}
