"""Forwarding cost of typed frames against scapy's bytes, per hop.

A ping from a vnet jail crosses three nodes: the bridge ``kleene0`` (learns
the source MAC, looks the destination MAC up), the host's router (looks the
destination address up, decrements the TTL, rewrites the MACs) and the
bridge behind it. Each node handling a frame is one hop.

- typed: the nodes read headers straight from ``Ether``/``IPv4`` objects;
  the router makes a new ``IPv4`` with ``dataclasses.replace``.
- scapy: at every hop the frame is dissected from bytes (``Ether(raw)``),
  read, changed where the node changes it, and built back into bytes, as a
  simulator whose links carry bytes would have to.
- scapy, lean: the same, but bridges only dissect (they pass the bytes on
  unchanged) and only the router builds: a lower bound for such a simulator.

Prints hops per second for each and the ratios. Target: typed >= 50x scapy.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from kleene.backends.sim.packets import Ether, IPv4, echo_request, ether

TARGET_RATIO = 50.0
FLOOD = -1
JAIL_MAC, BRIDGE_MAC = "58:9c:fc:10:ff:e1", "58:9c:fc:10:ff:e2"
HOST_MAC, GW_MAC = "08:00:27:b2:00:96", "52:54:00:12:35:02"
JAIL, DEST = "10.13.37.2", "1.1.1.1"
ROUTES = {DEST: (HOST_MAC, GW_MAC), JAIL: (BRIDGE_MAC, JAIL_MAC)}


class Bridge:
    """A learning bridge: a MAC table from source addresses to ports."""

    def __init__(self, known: dict[str, int]) -> None:
        self.table = dict(known)

    def forward(self, port: int, src: str, dst: str) -> int:
        """Learn where ``src`` lives and return the port for ``dst``."""
        self.table[src] = port
        return self.table.get(dst, FLOOD)


def typed_trips(trips: int) -> int:
    """Send ``trips`` typed pings across bridge, router, bridge; count hops."""
    inner, outer = Bridge({BRIDGE_MAC: 1}), Bridge({GW_MAC: 1})
    hops = 0
    for seq in range(trips):
        frame = ether(JAIL_MAC, BRIDGE_MAC, echo_request(JAIL, DEST, 7, seq & 0xFFFF))
        if inner.forward(0, frame.src, frame.dst) == FLOOD:
            raise AssertionError("inner bridge flooded")

        packet = frame.payload
        assert isinstance(packet, IPv4)
        src_mac, next_mac = ROUTES[packet.dst]
        routed = replace(packet, ttl=packet.ttl - 1)
        frame = Ether(next_mac, src_mac, frame.type, routed)

        if outer.forward(0, frame.src, frame.dst) == FLOOD:
            raise AssertionError("outer bridge flooded")
        hops += 3
    return hops


def scapy_trips(trips: int, build_every_hop: bool = True) -> int:
    """Send ``trips`` pings as bytes dissected and built by scapy; count hops."""
    from scapy.layers.inet import ICMP, IP
    from scapy.layers.l2 import Ether as SEther

    inner, outer = Bridge({BRIDGE_MAC: 1}), Bridge({GW_MAC: 1})
    data = bytes(range(56))
    hops = 0
    for seq in range(trips):
        raw = bytes(
            SEther(src=JAIL_MAC, dst=BRIDGE_MAC)
            / IP(src=JAIL, dst=DEST, id=0, flags=0)
            / ICMP(type=8, id=7, seq=seq & 0xFFFF)
            / data
        )
        raw = bridge_hop(inner, raw, SEther, build_every_hop)
        raw = router_hop(raw, SEther, IP)
        bridge_hop(outer, raw, SEther, build_every_hop)
        hops += 3
    return hops


def bridge_hop(bridge: Bridge, raw: bytes, kind: Any, build: bool) -> bytes:
    """Dissect a frame, forward it on its MAC; rebuild it when asked to."""
    frame = kind(raw)
    if bridge.forward(0, frame.src, frame.dst) == FLOOD:
        raise AssertionError("bridge flooded")
    return bytes(frame) if build else raw


def router_hop(raw: bytes, kind: Any, ip: Any) -> bytes:
    """Dissect a frame, route it: decrement TTL, rewrite MACs, rebuild."""
    frame = kind(raw)
    packet = frame[ip]
    frame.src, frame.dst = ROUTES[packet.dst]
    packet.ttl -= 1
    del packet.chksum
    return bytes(frame)


def rate(run: Callable[[int], int], trips: int) -> float:
    """Return hops per second of ``run`` over ``trips`` trips, best of three."""
    run(max(trips // 10, 1))
    best = 0.0
    for _ in range(3):
        start = time.perf_counter()
        hops = run(trips)
        best = max(best, hops / (time.perf_counter() - start))
    return best


def main() -> int:
    """Measure and print; exit 1 when the target ratio is missed."""
    typed = rate(typed_trips, 100_000)
    scapy = rate(scapy_trips, 400)
    lean = rate(lambda trips: scapy_trips(trips, build_every_hop=False), 400)
    ratio, lean_ratio = typed / scapy, typed / lean

    print(f"typed frames:                  {typed:10,.0f} hops/s")
    print(f"scapy, dissect + build per hop: {scapy:9,.0f} hops/s")
    print(f"scapy, build at router only:   {lean:10,.0f} hops/s")
    verdict = "PASS" if ratio >= TARGET_RATIO else "FAIL"
    print(f"ratio typed/scapy: {ratio:.0f}x (target {TARGET_RATIO:.0f}x) [{verdict}]")
    print(f"ratio typed/scapy lean: {lean_ratio:.0f}x")
    return 0 if ratio >= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
