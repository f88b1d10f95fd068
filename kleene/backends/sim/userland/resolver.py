"""Name resolution for the userland: literals, ``localhost`` and DNS queries.

``literal`` recognises addresses (and ``localhost``). ``Query`` is a DNS
lookup a waiting program runs as part of its state: ``send`` opens a UDP
socket for the process, sends the question to a server and sets the
process's ``dns`` timer; ``answer`` takes a datagram and returns the response
when it is the one awaited; ``retry`` resends after a timer or tells that
all tries are spent. Servers come from ``/etc/resolv.conf`` unless given.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import asdict, dataclass
from typing import Any

from kleene.backends.sim.kernel import files, procs, sockets, udp
from kleene.backends.sim.kernel.errno import Errno, KernelError
from kleene.backends.sim.kernel.runtime import Runtime
from kleene.backends.sim.packets import DNS
from kleene.backends.sim.packets.dns import query
from kleene.backends.sim.records import ProcRecord, Proto

logger = logging.getLogger(__name__)

TIMER = "dns"
HOSTS = {("localhost", 4): "127.0.0.1", ("localhost", 6): "::1"}
DEFAULT_SERVER = "10.0.2.3"


def literal(name: str, family: int | None = None) -> str | None:
    """Return the address a name stands for without DNS, or None."""
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return HOSTS.get((name.lower(), family or 4))
    if family is not None and address.version != family:
        return None
    return str(address)


def nameserver(rt: Runtime) -> str:
    """Return the first nameserver of ``/etc/resolv.conf``."""
    text = files.read(rt.world, "/etc/resolv.conf") or ""
    for line in text.splitlines():
        words = line.split()
        if len(words) >= 2 and words[0] == "nameserver":
            return words[1]
    return DEFAULT_SERVER


@dataclass
class Query:
    """One DNS question in flight, kept in a process's state."""

    name: str
    qtype: int
    server: str
    tries: int
    wait_us: int
    id: int = 0
    sid: int = 0

    def save(self, proc: ProcRecord) -> None:
        """Store the query in the process's state."""
        proc.state["dns"] = asdict(self)

    @classmethod
    def load(cls, proc: ProcRecord) -> Query | None:
        """Return the query stored in the process's state, if any."""
        data: dict[str, Any] | None = proc.state.get("dns")
        return None if data is None else cls(**data)


def send(rt: Runtime, proc: ProcRecord, question: Query) -> Errno | None:
    """Send a query (a new try) and arm its timer; return an errno on failure."""
    old = rt.world.sockets.get(question.sid)
    if old is not None:
        sockets.close(rt, old)
    try:
        sock = sockets.open(rt, proc, Proto.UDP, sockets.family_of(question.server))
    except KernelError as exc:
        return exc.errno
    question.sid = sock.sid
    question.id = rt.counter("dnsid", 0x1234) & 0xFFFF
    message = query(question.id, question.name, question.qtype)
    error = udp.sendto(rt, sock, question.server, udp.DNS_PORT, message)
    if error is not None:
        sockets.close(rt, sock)
        return error
    question.tries -= 1
    question.save(proc)
    procs.set_timer(rt, proc.pid, question.wait_us, TIMER)
    return None


def answer(rt: Runtime, proc: ProcRecord, data: Any) -> DNS | None:
    """Return the awaited response if a datagram is it (and end the query)."""
    question = Query.load(proc)
    payload = data[2] if isinstance(data, tuple) else None
    if question is None or not isinstance(payload, DNS) or payload.id != question.id:
        return None
    finish(rt, proc)
    return payload


def retry(rt: Runtime, proc: ProcRecord) -> bool:
    """Resend after a timeout; False when no try is left (the query ends)."""
    question = Query.load(proc)
    if question is None:
        return False
    if question.tries > 0 and send(rt, proc, question) is None:
        return True
    finish(rt, proc)
    return False


def finish(rt: Runtime, proc: ProcRecord) -> None:
    """End the query: close its socket, cancel its timer."""
    question = Query.load(proc)
    proc.state.pop("dns", None)
    procs.cancel_timers(rt, proc.pid, TIMER)
    if question is not None and question.sid in rt.world.sockets:
        sockets.close(rt, rt.world.sockets[question.sid])
