"""The one place where pf sees packets: ``pf_filter`` and what follows from it.

The packet path calls ``check`` wherever FreeBSD's pf sees a packet (SPEC
§7.10), always with the IP packet (never the Ethernet frame):

- ``in`` on the interface a packet arrives on, before IP input decides to
  deliver or forward it (for traffic a host sends to itself: ``out`` then
  ``in`` on the loopback that carries it, ``lo0`` or a loopback clone);
- ``out`` on the interface a packet leaves by, for packets the stack sends
  and packets it forwards (after the TTL decrement);
- on a bridge (``if_bridge`` with ``pfil_member=1``, and ``pfil_bridge=1``
  when that sysctl is set): a frame forwarded from one member to another is
  checked ``in`` on the member it came from, ``in`` and ``out`` on the bridge
  interface, then ``out`` on the member it leaves by; a frame for the host
  itself is checked only by IP input on the bridge interface (``in``); a
  packet the host sends through the bridge only ``out`` on the bridge.

``pf_filter(world, stack, ifname, direction, packet)`` returns a
``Verdict``: ``PASS`` or ``BLOCK``, the packet to go on with (translated by
``nat``/``rdr`` or a state, or the same object), whether a ``log`` rule
matched (with its number, ``rulenr``) and, for ``block return``, a ``reply``
(a TCP RST or ICMP unreachable) that the packet path sends back. It runs only
when ``stack.pf.enabled``; the evaluation itself, pf's states and its
compiled rules belong to ``kleene.backends.sim.pf`` (``pf.runtime``).

``check`` is what the packet path calls: it skips a disabled pf, records
logged packets (``capture.log_pf``: ``klee sim pflog`` and ``pflog0``), and
sends the ``reply`` of a ``block return``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from kleene.backends.sim.kernel import capture
from kleene.backends.sim.kernel.runtime import Runtime
from kleene.backends.sim.packets import Packet, PflogRecord
from kleene.backends.sim.packets.pflog import PF_DROP, PF_IN, PF_OUT, PF_PASS
from kleene.backends.sim.world import Stack, World

logger = logging.getLogger(__name__)


class Direction(StrEnum):
    """Which way a packet crosses an interface."""

    IN = "in"
    OUT = "out"


class Action(StrEnum):
    """What pf does with a packet."""

    PASS = "pass"
    BLOCK = "block"


@dataclass(frozen=True, slots=True)
class Verdict:
    """pf's answer for one packet on one interface and direction."""

    action: Action
    packet: Packet
    log: bool = False
    rulenr: int = 0
    reply: Packet | None = None

    @property
    def passed(self) -> bool:
        """Tell whether the packet goes on."""
        return self.action is Action.PASS


def pf_filter(
    world: World, stack: Stack, ifname: str, direction: Direction, packet: Packet
) -> Verdict:
    """Evaluate the stack's pf for a packet crossing an interface.

    A BLOCK of a packet the stack generated itself is ``EACCES`` for its
    sender; a forwarded or received one is dropped silently.
    """
    from kleene.backends.sim.kernel import entropy
    from kleene.backends.sim.pf import runtime

    def draw() -> int:
        return int.from_bytes(entropy.draw(world, "pf", 2), "big")

    decision = runtime.filter_packet(
        world, stack, ifname, direction.value, packet, draw
    )
    logged = decision.log_rule is not None
    if logged:
        runtime.trim_pflog(world, room=1)
    return Verdict(
        action=Action.PASS if decision.passed else Action.BLOCK,
        packet=decision.packet,
        log=logged,
        rulenr=decision.log_rule or 0,
        reply=decision.reply,
    )


def check(
    rt: Runtime, stack: Stack, ifname: str, direction: Direction, packet: Packet
) -> Packet | None:
    """Run pf on a packet; return the packet to go on with, or None if blocked."""
    if not stack.pf.enabled:
        return packet
    verdict = pf_filter(rt.world, stack, ifname, direction, packet)
    if verdict.log:
        _log(rt, verdict, ifname, direction)
    if verdict.passed:
        return verdict.packet
    logger.debug(
        "pf blocked %s on %s: %s > %s", direction, ifname, packet.src, packet.dst
    )
    if verdict.reply is not None:
        from kleene.backends.sim.kernel import ip

        rt.later(ip.output, rt, stack, verdict.reply, False)
    return None


def _log(rt: Runtime, verdict: Verdict, ifname: str, direction: Direction) -> None:
    action = PF_PASS if verdict.passed else PF_DROP
    way = PF_IN if direction is Direction.IN else PF_OUT
    entry = PflogRecord(action, way, ifname, verdict.rulenr, verdict.packet)
    capture.log_pf(rt, entry)
