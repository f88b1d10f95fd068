"""ping(8) and ping6(8): ``[-c N] [-i S] [-t S] [-s SIZE] HOST``.

FreeBSD's output (SPEC §7.7): a header, one line per reply, statistics.
ping sends at once and then every interval (1 s); without ``-c`` it goes on
until interrupted (its send timer is *paced*: an attached klee fires it no
faster than real time). After the last probe it waits for replies up to
10 s (``MAXWAIT``); ``-t`` ends it after that many seconds whatever has come
back. Reply times are drawn from the seeded ``ping`` stream: 0.040–0.700 ms
within the host, 0.200–0.900 ms to the outside machines, 10–20 ms to the
internet. Exit: 0 with a reply, 2 without; 71 when raw sockets are not
allowed (``ping: ssend socket: Operation not permitted``); 68 for a name
that does not resolve. ping6 has 8 data bytes by default and its own
header, reply and statistics wording.
"""

from __future__ import annotations

import getopt
import logging
import math
from typing import Any

from kleene.backends.sim.kernel import entropy, procs, sockets
from kleene.backends.sim.kernel.errno import KernelError, strerror
from kleene.backends.sim.kernel.runtime import Runtime, Status
from kleene.backends.sim.packets import DNS, IPv4, Packet
from kleene.backends.sim.packets.dns import DNSRR, RCODE_NOERROR, TYPE_A
from kleene.backends.sim.records import ProcRecord, Proto, Socket
from kleene.backends.sim.userland import resolver
from kleene.backends.sim.userland.execute import Waiting, handle
from kleene.backends.sim.userland.process import Process, Usage

logger = logging.getLogger(__name__)

USAGE = "usage: ping [-c count] [-i wait] [-s packetsize] [-t timeout] host"
USAGE6 = "usage: ping6 [-c count] [-i wait] [-s packetsize] host"
PROG = "ping"
EX_NOHOST = 68
EX_OSERR = 71
MAXWAIT_US = 10_000_000
RANGES_US = {"host": (40, 700), "lan": (200, 900), "internet": (10_000, 20_000)}
OUTSIDE_ROLES = ("gateway", "resolver")


def main(proc: Process, args: list[str]) -> Status:
    """Run ping."""
    return _start(proc, args, 4)


def main6(proc: Process, args: list[str]) -> Status:
    """Run ping6."""
    return _start(proc, args, 6)


def _start(proc: Process, args: list[str], family: int) -> Status:
    state = _parse(args, family)
    try:
        sock = sockets.open(proc.rt, proc.record, Proto.ICMP, family)
    except KernelError as exc:
        proc.fail(f"ping: ssend socket: {exc.text}", EX_OSERR)
    state["sid"] = sock.sid
    proc.record.state = state
    proc.record.prog = PROG
    target = resolver.literal(state["host"], family)
    if target is not None:
        return _begin(proc, state, target)
    if family == 6:
        proc.fail(f"ping6: {state['host']}: Name does not resolve", 1)
    server = resolver.nameserver(proc.rt)
    question = resolver.Query(state["host"], TYPE_A, server, 2, 5_000_000)
    if resolver.send(proc.rt, proc.record, question) is not None:
        proc.fail(f"ping: cannot resolve {state['host']}: Unknown host", EX_NOHOST)
    return None


def _parse(args: list[str], family: int) -> dict[str, Any]:
    try:
        options, rest = getopt.getopt(args, "c:i:t:s:" if family == 4 else "c:i:s:")
    except getopt.GetoptError:
        raise Usage from None
    if len(rest) != 1:
        raise Usage
    given = dict(options)
    try:
        count = int(given.get("-c", "0"))
        interval = float(given.get("-i", "1"))
        timeout = int(given.get("-t", "0"))
        size = int(given.get("-s", "56" if family == 4 else "8"))
    except ValueError:
        raise Usage from None
    return {
        "host": rest[0],
        "family": family,
        "count": count,
        "interval_us": max(round(interval * 1_000_000), 1000),
        "timeout_us": timeout * 1_000_000,
        "size": size,
        "sent": 0,
        "received": 0,
        "times": [],
    }


def _begin(proc: Process, state: dict[str, Any], target: str) -> Status:
    state["dst"] = target
    sock = proc.world.sockets[state["sid"]]
    if state["family"] == 4:
        proc.print(f"PING {state['host']} ({target}): {state['size']} data bytes")
    else:
        try:
            sockets.bind_for(proc.rt, sock, target)
        except KernelError as exc:
            proc.fail(f"ping6: UDP connect: {exc.text}", 1)
        total = 48 + state["size"]
        proc.print(
            f"PING6({total}=40+8+{state['size']} bytes) {sock.laddr} --> {target}"
        )
    if state["timeout_us"]:
        procs.set_timer(proc.rt, proc.record.pid, state["timeout_us"], "timeout")
    return _send(proc, state)


def _send(proc: Process, state: dict[str, Any]) -> Status:
    sock = proc.world.sockets[state["sid"]]
    seq = state["sent"]
    state["sent"] += 1
    data = bytes(i & 0xFF for i in range(state["size"]))
    error = sockets.send_echo(proc.rt, sock, state["dst"], seq, data)
    if error is not None:
        proc.print(f"ping: sendto: {strerror(error)}")
    pid = proc.record.pid
    if state["count"] and state["sent"] >= state["count"]:
        procs.set_timer(proc.rt, pid, MAXWAIT_US, "linger")
    else:
        paced = not state["count"]
        procs.set_timer(proc.rt, pid, state["interval_us"], "send", paced=paced)
    return None


def _reply(proc: Process, state: dict[str, Any], packet: Packet) -> Status:
    message = packet.payload
    seq = getattr(message, "seq", 0)
    micros = _draw_time(proc.rt, proc.record, packet.src)
    state["received"] += 1
    state["times"].append(micros)
    length = packet.wire_len - (20 if isinstance(packet, IPv4) else 40)
    shown = f"{micros / 1000:.3f}"
    if isinstance(packet, IPv4):
        proc.print(
            f"{length} bytes from {packet.src}: icmp_seq={seq} "
            f"ttl={packet.ttl} time={shown} ms"
        )
    else:
        proc.print(
            f"{length} bytes from {packet.src}, icmp_seq={seq} "
            f"hlim={packet.hlim} time={shown} ms"
        )
    done = state["count"] and state["received"] >= state["count"]
    return _finish(proc, state) if done else None


def _draw_time(rt: Runtime, proc: ProcRecord, source: str) -> int:
    stacks = rt.world.stacks
    owner = rt.owner_stack(source)
    pinger_outside = stacks[proc.stack].role in OUTSIDE_ROLES
    if owner is None:
        kind = "internet"
    elif (stacks[owner].role in OUTSIDE_ROLES) != pinger_outside:
        kind = "lan"
    else:
        kind = "host"
    low, high = RANGES_US[kind]
    value = int.from_bytes(entropy.draw(rt.world, "ping", 4), "big")
    return low + value % (high - low + 1)


def _finish(proc: Process, state: dict[str, Any]) -> int:
    procs.cancel_timers(proc.rt, proc.record.pid)
    sent, received = state["sent"], state["received"]
    six = state["family"] == 6
    name = state.get("dst", state["host"]) if six else state["host"]
    proc.print()
    proc.print(f"--- {name} ping{'6' if six else ''} statistics ---")
    loss = (sent - received) * 100.0 / sent if sent else 0.0
    proc.print(
        f"{sent} packets transmitted, {received} packets received, "
        f"{loss:.1f}% packet loss"
    )
    times = state["times"]
    if times:
        label = "std-dev" if six else "stddev"
        proc.print(f"round-trip min/avg/max/{label} = {_statistics(times)} ms")
    return 0 if received else 2


def _statistics(times: list[int]) -> str:
    count = len(times)
    average = sum(times) / count
    variance = sum(t * t for t in times) / count - average * average
    deviation = math.sqrt(max(variance, 0.0))
    values = (min(times), average, max(times), deviation)
    return "/".join(f"{value / 1000:.3f}" for value in values)


class Pinger(Waiting):
    """ping waiting for replies, its interval, or a name."""

    def on_timer(self, rt: Runtime, proc: ProcRecord, tag: str) -> Status:
        """Send the next probe, or give up waiting."""
        return handle(rt, proc, lambda ctx: self._timer(ctx, proc.state, tag))

    def _timer(self, ctx: Process, state: dict[str, Any], tag: str) -> Status:
        if tag == resolver.TIMER:
            if resolver.retry(ctx.rt, ctx.record):
                return None
            return self._unknown(ctx, state)
        if tag == "send":
            return _send(ctx, state)
        return _finish(ctx, state)

    def on_socket(
        self, rt: Runtime, proc: ProcRecord, sock: Socket, event: str, data: Any
    ) -> Status:
        """Print a reply, or start pinging once the name resolved."""
        return handle(rt, proc, lambda ctx: self._socket(ctx, proc.state, event, data))

    def _socket(
        self, ctx: Process, state: dict[str, Any], event: str, data: Any
    ) -> Status:
        if event == sockets.Event.ECHO and "dst" in state:
            return _reply(ctx, state, data)
        if event == sockets.Event.DATAGRAM:
            response = resolver.answer(ctx.rt, ctx.record, data)
            if response is not None:
                return self._resolved(ctx, state, response)
        return None

    def _resolved(self, ctx: Process, state: dict[str, Any], response: DNS) -> Status:
        addresses = [
            a.rdata
            for a in response.answers
            if isinstance(a, DNSRR) and a.type == TYPE_A
        ]
        if response.rcode != RCODE_NOERROR or not addresses:
            return self._unknown(ctx, state)
        return _begin(ctx, state, str(addresses[0]))

    def _unknown(self, ctx: Process, state: dict[str, Any]) -> int:
        ctx.print(f"ping: cannot resolve {state['host']}: Unknown host")
        return EX_NOHOST


HANDLER = Pinger()
