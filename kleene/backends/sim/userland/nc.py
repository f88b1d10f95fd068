"""nc(1): ``[-4|-6] [-l] [-k] [-u] [-v|-vv] [-z] [-N] [-w S] [HOST] PORT``.

FreeBSD's netcat, as SPEC §7.7 describes it:

- a client connects (``-w S`` is the connect timeout, 75 s by default, and
  then an idle timeout), prints ``Connection to HOST PORT port
  [tcp/SERVICE] succeeded!`` with ``-v``, sends its stdin, closes its
  sending side at the end of it only with ``-N``, prints what it receives,
  and ends with 0 when the peer closes; ``-z`` closes at once. A failure is
  ``nc: connect to HOST port PORT (tcp) failed: REASON``, exit 1;
- ``-l`` listens: it accepts one connection (``-k``: any number), prints
  what it receives and ends with 0 when the peer closes (``-k``: goes on);
  ``-v`` prints ``Connection from ADDR PORT received!``;
- ``-u`` uses UDP: the client sends its stdin as one datagram; the listener
  prints every datagram. Neither ends without ``-w``.
"""

from __future__ import annotations

import getopt
import logging
from typing import Any

from kleene.backends.sim.kernel import procs, sockets, tcp, udp
from kleene.backends.sim.kernel.errno import Errno, KernelError, strerror
from kleene.backends.sim.kernel.runtime import Runtime, Status
from kleene.backends.sim.packets import DNS
from kleene.backends.sim.packets.dns import DNSRR, RCODE_NOERROR, TYPE_A, TYPE_AAAA
from kleene.backends.sim.records import ProcRecord, Proto, Socket
from kleene.backends.sim.userland import resolver
from kleene.backends.sim.userland.execute import Waiting, handle
from kleene.backends.sim.userland.process import Process, Usage

logger = logging.getLogger(__name__)

USAGE = "usage: nc [-46klNuvz] [-w timeout] [destination] [port]"
PROG = "nc"
CONNECT_TIMEOUT_US = 75_000_000
SERVICES = {
    22: "ssh",
    53: "domain",
    80: "http",
    443: "https",
    4500: "ipsec-nat-t",
    5353: "mdns",
    8080: "http-alt",
}
Event = sockets.Event


def main(proc: Process, args: list[str]) -> Status:
    """Run nc."""
    state = _parse(args)
    state["stdin"] = proc.stdin
    proc.record.state = state
    proc.record.prog = PROG
    if state["listen"]:
        return _listen(proc, state)
    target = resolver.literal(state["host"], state["family"])
    if target is not None:
        return _connect(proc, state, target)
    qtype = TYPE_AAAA if state["family"] == 6 else TYPE_A
    question = resolver.Query(
        state["host"], qtype, resolver.nameserver(proc.rt), 2, 5_000_000
    )
    if resolver.send(proc.rt, proc.record, question) is not None:
        _unresolved(proc)
    return None


def _parse(args: list[str]) -> dict[str, Any]:
    try:
        options, rest = getopt.getopt(args, "46lkuvzNw:")
    except getopt.GetoptError:
        raise Usage from None
    flags = [name for name, _ in options]
    listen = "-l" in flags
    if len(rest) != (1 if listen else 2) or not rest[-1].isdigit():
        raise Usage
    wait = dict(options).get("-w")
    if wait is not None and not wait.isdigit():
        raise Usage
    return {
        "family": 6 if "-6" in flags else 4,
        "listen": listen,
        "keep": "-k" in flags,
        "udp": "-u" in flags,
        "verbose": "-v" in flags,
        "zero": "-z" in flags,
        "eof": "-N" in flags,
        "wait_us": None if wait is None else int(wait) * 1_000_000,
        "host": "" if listen else rest[0],
        "port": int(rest[-1]),
    }


def _open(proc: Process, state: dict[str, Any]) -> Socket:
    proto = Proto.UDP if state["udp"] else Proto.TCP
    try:
        return sockets.open(proc.rt, proc.record, proto, state["family"])
    except KernelError as exc:
        proc.fail(f"nc: socket: {exc.text}")


def _listen(proc: Process, state: dict[str, Any]) -> Status:
    sock = _open(proc, state)
    try:
        sockets.listen(proc.rt, sock, state["port"])
    except KernelError as exc:
        proc.fail(f"nc: {exc.text}")
    state["listener"] = sock.sid
    return None


def _connect(proc: Process, state: dict[str, Any], target: str) -> Status:
    sock = _open(proc, state)
    state["conn"] = sock.sid
    if state["udp"]:
        return _udp_client(proc, state, sock, target)
    try:
        tcp.connect(proc.rt, sock, target, state["port"])
    except KernelError as exc:
        _failed(proc, state, exc.errno)
    wait = state["wait_us"] or CONNECT_TIMEOUT_US
    procs.set_timer(proc.rt, proc.record.pid, wait, "connect")
    return None


def _udp_client(
    proc: Process, state: dict[str, Any], sock: Socket, target: str
) -> Status:
    try:
        sockets.bind_for(proc.rt, sock, target)
    except KernelError as exc:
        _failed(proc, state, exc.errno)
    sock.raddr, sock.rport = target, state["port"]
    _succeeded(proc, state)
    if state["zero"]:
        return 0
    if state["stdin"]:
        udp.sendto(proc.rt, sock, target, state["port"], state.pop("stdin").encode())
    _arm_idle(proc.rt, proc.record, state)
    return None


def _failed(proc: Process, state: dict[str, Any], errno: Errno) -> None:
    proto = "udp" if state["udp"] else "tcp"
    port, host = state["port"], state["host"]
    proc.fail(f"nc: connect to {host} port {port} ({proto}) failed: {strerror(errno)}")


def _succeeded(proc: Process, state: dict[str, Any]) -> None:
    if state["verbose"]:
        proto = "udp" if state["udp"] else "tcp"
        service = SERVICES.get(state["port"], "*")
        proc.print(
            f"Connection to {state['host']} {state['port']} port "
            f"[{proto}/{service}] succeeded!"
        )


def _unresolved(proc: Process) -> None:
    proc.fail("nc: getaddrinfo: Name does not resolve")


def _arm_idle(rt: Runtime, proc: ProcRecord, state: dict[str, Any]) -> None:
    if state["wait_us"]:
        procs.cancel_timers(rt, proc.pid, "idle")
        procs.set_timer(rt, proc.pid, state["wait_us"], "idle")


def _established(proc: Process, state: dict[str, Any], sock: Socket) -> Status:
    procs.cancel_timers(proc.rt, proc.record.pid, "connect")
    _succeeded(proc, state)
    if state["zero"]:
        sockets.close(proc.rt, sock)
        return 0
    _send_stdin(proc, state, sock)
    _arm_idle(proc.rt, proc.record, state)
    return None


def _send_stdin(proc: Process, state: dict[str, Any], sock: Socket) -> None:
    data = state.pop("stdin", "")
    if data:
        tcp.send(proc.rt, sock, data.encode("utf-8", "surrogateescape"))
    if state["eof"]:
        tcp.shutdown(proc.rt, sock)


def _accepted(proc: Process, state: dict[str, Any], sid: int) -> Status:
    sock = proc.world.sockets.get(sid)
    if sock is None:
        return None
    if not state["keep"]:
        listener = proc.world.sockets.get(state.get("listener", 0))
        if listener is not None:
            sockets.close(proc.rt, listener)
    if state["verbose"]:
        proc.print(f"Connection from {sock.raddr} {sock.rport} received!")
    _send_stdin(proc, state, sock)
    _arm_idle(proc.rt, proc.record, state)
    return None


def _closed(proc: Process, state: dict[str, Any], sock: Socket) -> Status:
    if sock.sid in proc.world.sockets:
        sockets.close(proc.rt, sock)
    if state["listen"] and state["keep"]:
        return None
    return 0


class Netcat(Waiting):
    """nc waiting for its connection, its peer, a name, or a timeout."""

    def on_timer(self, rt: Runtime, proc: ProcRecord, tag: str) -> Status:
        """Give up connecting, or end an idle session."""
        return handle(rt, proc, lambda ctx: self._timer(ctx, proc.state, tag))

    def _timer(self, ctx: Process, state: dict[str, Any], tag: str) -> Status:
        if tag == resolver.TIMER:
            if not resolver.retry(ctx.rt, ctx.record):
                _unresolved(ctx)
            return None
        if tag == "connect":
            sock = ctx.world.sockets.get(state.get("conn", 0))
            soft = sock.soft_error if sock is not None else 0
            if sock is not None:
                sockets.forget(ctx.rt, sock)
            _failed(ctx, state, Errno(soft) if soft else Errno.ETIMEDOUT)
        for sock in [s for s in ctx.world.sockets.values() if s.pid == ctx.record.pid]:
            sockets.close(ctx.rt, sock)
        return 0

    def on_socket(
        self, rt: Runtime, proc: ProcRecord, sock: Socket, event: str, data: Any
    ) -> Status:
        """Follow the connection: print data, end when the peer closes."""
        return handle(
            rt, proc, lambda ctx: self._event(ctx, proc.state, sock, event, data)
        )

    def _event(
        self, ctx: Process, state: dict[str, Any], sock: Socket, event: str, data: Any
    ) -> Status:
        if event == Event.DATAGRAM and "dns" in state:
            response = resolver.answer(ctx.rt, ctx.record, data)
            return None if response is None else self._resolved(ctx, state, response)
        if event == Event.CONNECTED:
            return _established(ctx, state, sock)
        if event == Event.ERROR and not state["listen"]:
            _failed(ctx, state, data)
        if event == Event.ACCEPTED:
            return _accepted(ctx, state, data)
        if event in (Event.DATA, Event.DATAGRAM):
            payload = data[2] if event == Event.DATAGRAM else data
            if isinstance(payload, bytes):
                ctx.write(payload.decode("utf-8", "surrogateescape"))
            _arm_idle(ctx.rt, ctx.record, state)
            return None
        if event in (Event.EOF, Event.RESET):
            return _closed(ctx, state, sock)
        return None

    def _resolved(self, ctx: Process, state: dict[str, Any], response: DNS) -> Status:
        wanted = TYPE_AAAA if state["family"] == 6 else TYPE_A
        found = [
            a.rdata
            for a in response.answers
            if isinstance(a, DNSRR) and a.type == wanted
        ]
        if response.rcode != RCODE_NOERROR or not found:
            _unresolved(ctx)
        return _connect(ctx, state, str(found[0]))


HANDLER = Netcat()
