"""pf of a simulated stack: its compiled ruleset, its states, its decisions.

``filter_packet(world, stack, ifname, direction, packet, draw)`` is what
the kernel's pf hook calls: it evaluates the stack's loaded ruleset
(compiled once per text, ``compile_ruleset``) against the stack's
interfaces of the moment, with the world's virtual clock. A disabled pf,
or one with no ruleset, passes everything untouched.

``state_table(stack)`` is the stack's ``StateTable``. It lives in
``stack.pf.states`` when the world's ``PfState`` carries one (and is then
saved with the world); otherwise it is kept for as long as this process
holds the same ``PfState`` object.

``show(world, stack, what)`` gives the lines of ``pfctl -s rules``, ``-s
nat`` and ``-s states``; ``trim_pflog(world, room)`` keeps the pf log
(``world.pflog``, which the kernel's ``capture.log_pf`` fills) to its last
``PFLOG_LIMIT`` records.
"""

from __future__ import annotations

import logging
import weakref
from typing import TYPE_CHECKING, Final

from kleene.backends.sim.pf.evaluate import Context, Decision, evaluate
from kleene.backends.sim.pf.interfaces import StackInterfaces
from kleene.backends.sim.pf.match import compile_ruleset
from kleene.backends.sim.pf.model import Direction
from kleene.backends.sim.pf.show import format_nat, format_rules, format_states
from kleene.backends.sim.pf.states import StateTable
from kleene.backends.sim.pf.translate import Draw

if TYPE_CHECKING:
    from kleene.backends.sim.packets import Packet
    from kleene.backends.sim.world import PfState, Stack, World

logger = logging.getLogger(__name__)

PFLOG_LIMIT: Final = 10_000
_TABLES: dict[int, tuple[weakref.ref[PfState], StateTable]] = {}


def filter_packet(
    world: World,
    stack: Stack,
    ifname: str,
    direction: str,
    packet: Packet,
    draw: Draw,
) -> Decision:
    """Evaluate a stack's pf for a packet crossing an interface ``in`` or ``out``."""
    pf = stack.pf
    if not pf.enabled or not pf.ruleset:
        return Decision(True, packet)
    ctx = Context(
        rules=compile_ruleset(pf.ruleset),
        states=state_table(stack),
        interfaces=StackInterfaces(stack),
        now_us=world.clock_us,
        draw=draw,
    )
    decision = evaluate(ctx, ifname, Direction(direction), packet)
    if not decision.passed:
        logger.debug(
            "pf %s: block %s on %s: %s > %s",
            stack.name, direction, ifname, packet.src, packet.dst,
        )  # fmt: skip
    return decision


def state_table(stack: Stack) -> StateTable:
    """Return the state table of a stack's pf."""
    pf = stack.pf
    kept = getattr(pf, "states", None)
    if isinstance(kept, StateTable):
        return kept
    entry = _TABLES.get(id(pf))
    if entry is not None and entry[0]() is pf:
        return entry[1]
    _forget_dead()
    table = StateTable()
    _TABLES[id(pf)] = (weakref.ref(pf), table)
    return table


def _forget_dead() -> None:
    for key, (ref, _) in list(_TABLES.items()):
        if ref() is None:
            del _TABLES[key]


def show(world: World, stack: Stack, what: str) -> list[str]:
    """Return the lines of ``pfctl -s rules``, ``-s nat`` or ``-s states``."""
    if what == "states":
        return format_states(state_table(stack), world.clock_us)
    if not stack.pf.ruleset:
        return []
    ruleset = compile_ruleset(stack.pf.ruleset).ruleset
    return format_rules(ruleset) if what == "rules" else format_nat(ruleset)


def trim_pflog(world: World, room: int = 0) -> None:
    """Keep the pf log to ``PFLOG_LIMIT`` records, ``room`` of them free."""
    excess = len(world.pflog) - (PFLOG_LIMIT - room)
    if excess > 0:
        del world.pflog[:excess]
