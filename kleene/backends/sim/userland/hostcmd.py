"""host(1): ``[-t A|AAAA|MX] [-W S] [-R N] NAME [SERVER]``.

Without ``-t`` it asks for A, AAAA and MX records in turn and prints each
answer (SPEC §7.7): ``NAME has address A``, ``NAME has IPv6 address B``,
``NAME mail is handled by PREF EXCHANGE``. With a server, the ``Using domain
server:`` header (its ``Aliases:`` line ends with a space) comes before the
first answer. NXDOMAIN is ``Host NAME not found: 3(NXDOMAIN)``, exit 1. Each
query is tried ``-R`` + 1 times (default 2), waiting ``-W`` seconds (default
5) each; then, or when no query can be sent at all, ``;; connection timed
out; no servers could be reached``, exit 1.
"""

from __future__ import annotations

import getopt
import logging
from typing import Any

from kleene.backends.sim.kernel.runtime import Runtime, Status
from kleene.backends.sim.packets import DNS
from kleene.backends.sim.packets.dns import (
    DNSRRMX,
    RCODE_NXDOMAIN,
    TYPE_A,
    TYPE_AAAA,
    TYPE_MX,
)
from kleene.backends.sim.records import ProcRecord, Socket
from kleene.backends.sim.userland import resolver
from kleene.backends.sim.userland.execute import Waiting, handle
from kleene.backends.sim.userland.process import Process, Usage

logger = logging.getLogger(__name__)

USAGE = "usage: host [-t type] [-W wait] [-R number] hostname [server]"
PROG = "host"
TYPES = {"A": TYPE_A, "AAAA": TYPE_AAAA, "MX": TYPE_MX}
TIMED_OUT = ";; connection timed out; no servers could be reached"


def main(proc: Process, args: list[str]) -> Status:
    """Run host."""
    try:
        options, rest = getopt.getopt(args, "t:W:R:")
    except getopt.GetoptError:
        raise Usage from None
    given = dict(options)
    kind = given.get("-t", "").upper()
    wait, retries = given.get("-W", "5"), given.get("-R", "1")
    if len(rest) not in (1, 2) or (kind and kind not in TYPES):
        raise Usage
    if not wait.isdigit() or not retries.isdigit():
        raise Usage
    server = rest[1] if len(rest) == 2 else None
    proc.record.state = {
        "name": rest[0],
        "types": [TYPES[kind]] if kind else [TYPE_A, TYPE_AAAA, TYPE_MX],
        "server": server,
        "tries": int(retries) + 1,
        "wait_us": max(int(wait), 1) * 1_000_000,
        "header": False,
    }
    proc.record.prog = PROG
    return _ask(proc, proc.record.state)


def _ask(proc: Process, state: dict[str, Any]) -> Status:
    server = resolver.literal(state["server"]) if state["server"] else None
    question = resolver.Query(
        state["name"],
        state["types"][0],
        server or resolver.nameserver(proc.rt),
        state["tries"],
        state["wait_us"],
    )
    if resolver.send(proc.rt, proc.record, question) is not None:
        proc.print(TIMED_OUT)
        return 1
    return None


def _answered(proc: Process, state: dict[str, Any], response: DNS) -> Status:
    if response.rcode == RCODE_NXDOMAIN:
        proc.print(f"Host {state['name']} not found: 3(NXDOMAIN)")
        return 1
    if state["server"] and not state["header"]:
        state["header"] = True
        server = state["server"]
        proc.print("Using domain server:")
        proc.print(f"Name: {server}")
        proc.print(f"Address: {server}#53")
        proc.print("Aliases: ")
        proc.print()
    for record in response.answers:
        proc.print(_line(record))
    state["types"].pop(0)
    return _ask(proc, state) if state["types"] else 0


def _line(record: Any) -> str:
    owner = record.rrname.rstrip(".")
    if isinstance(record, DNSRRMX):
        return f"{owner} mail is handled by {record.preference} {record.exchange}"
    if record.type == TYPE_AAAA:
        return f"{owner} has IPv6 address {record.rdata}"
    return f"{owner} has address {record.rdata}"


class HostLookup(Waiting):
    """host waiting for an answer or a timeout."""

    def on_timer(self, rt: Runtime, proc: ProcRecord, tag: str) -> Status:
        """Try again, or give up."""
        if resolver.retry(rt, proc):
            return None

        def give_up(ctx: Process) -> Status:
            ctx.print(TIMED_OUT)
            return 1

        return handle(rt, proc, give_up)

    def on_socket(
        self, rt: Runtime, proc: ProcRecord, sock: Socket, event: str, data: Any
    ) -> Status:
        """Print an answer and ask the next question."""
        response = resolver.answer(rt, proc, data)
        if response is None:
            return None
        return handle(rt, proc, lambda ctx: _answered(ctx, proc.state, response))


HANDLER = HostLookup()
