"""The simulated host's records of jails, processes, sockets, timers, mounts.

Plain dataclasses beside ``world``'s, with explicit to/from dict, so the
whole machine persists as JSON:

- ``Jail``: one jail(2) prison: ``jid`` (from 1, never reused), ``name``,
  ``path``, ``hostname``, its network ``stack`` (the host's, or its own for a
  vnet jail), the ``ip4``/``ip6`` modes (``inherit``, ``new``, ``disable``)
  with their address lists, ``allow.raw_sockets``, ``persist`` and the
  parameters as given (``params``, for ``jls -v`` and ``exec.stop``);
- ``ProcRecord``: one process: ``pid``, parent ``ppid``, ``jid`` (0: the
  host), the ``stack`` it uses, its ``argv``, its exec ``log``, and, while it
  waits, the name of its handler (``prog``) with the handler's JSON ``state``;
- ``Socket``: one socket: protocol, family, local and remote ends, TCP state
  and sequence numbers; ``pid`` owns it;
- ``Timer``: a deadline (virtual microseconds) at which ``pid``'s handler
  gets ``tag``; ``paced`` timers advance no faster than real time;
- ``Mount``: a devfs mount (``node`` is where it is mounted).

These are data only: ``kernel.procs``, ``kernel.jails`` and
``kernel.sockets`` own the rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

HOST_JID = 0


class IpMode(StrEnum):
    """How a jail may use one address family (jail(8)'s ``ip4``/``ip6``)."""

    INHERIT = "inherit"
    NEW = "new"
    DISABLE = "disable"


class Driver(StrEnum):
    """What a process's network view is, by the jail it runs in (SPEC §4.12)."""

    HOST = "host"
    IPNET = "ipnet"
    VNET = "vnet"
    DISABLED = "disabled"


@dataclass
class Jail:
    """One jail and the parameters it was created with."""

    jid: int
    name: str
    path: str
    hostname: str
    stack: str
    vnet: bool = False
    ip4: IpMode = IpMode.DISABLE
    ip6: IpMode = IpMode.DISABLE
    ip4_addrs: list[str] = field(default_factory=list)
    ip6_addrs: list[str] = field(default_factory=list)
    raw_sockets: bool = False
    persist: bool = False
    held: bool = False
    devfs: str | None = None
    params: list[str] = field(default_factory=list)

    @property
    def driver(self) -> Driver:
        """Return the network view of processes in this jail."""
        if self.vnet:
            return Driver.VNET
        if IpMode.INHERIT in (self.ip4, self.ip6):
            return Driver.HOST
        if self.ip4 is IpMode.DISABLE and self.ip6 is IpMode.DISABLE:
            return Driver.DISABLED
        return Driver.IPNET

    def addrs(self, version: int) -> list[str]:
        """Return the jail's addresses of one IP version."""
        return self.ip4_addrs if version == 4 else self.ip6_addrs

    def to_dict(self) -> dict[str, Any]:
        """Return the jail as a JSON-ready dict."""
        data = _plain(self)
        data["ip4"], data["ip6"] = self.ip4.value, self.ip6.value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Jail:
        """Build a jail from ``to_dict`` output."""
        jail = cls(**data)
        jail.ip4, jail.ip6 = IpMode(data["ip4"]), IpMode(data["ip6"])
        return jail


@dataclass
class ProcRecord:
    """One process of the simulated host."""

    pid: int
    ppid: int
    jid: int
    stack: str
    argv: list[str]
    log: str | None = None
    root: bool = False
    env: list[str] = field(default_factory=list)
    user: str = "root"
    prog: str = ""
    state: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """Return the program name: the last component of ``argv[0]``."""
        return self.argv[0].rsplit("/", 1)[-1] if self.argv else ""

    def to_dict(self) -> dict[str, Any]:
        """Return the process as a JSON-ready dict."""
        return _plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ProcRecord:
        """Build a process from ``to_dict`` output."""
        return cls(**data)


class TcpState(StrEnum):
    """The TCP states the simulation distinguishes (RFC 9293 names)."""

    CLOSED = "CLOSED"
    LISTEN = "LISTEN"
    SYN_SENT = "SYN_SENT"
    SYN_RECEIVED = "SYN_RECEIVED"
    ESTABLISHED = "ESTABLISHED"
    FIN_WAIT_1 = "FIN_WAIT_1"
    FIN_WAIT_2 = "FIN_WAIT_2"
    CLOSE_WAIT = "CLOSE_WAIT"
    LAST_ACK = "LAST_ACK"


class Proto(StrEnum):
    """Socket protocols: TCP, UDP, and raw ICMP/ICMPv6 (ping)."""

    TCP = "tcp"
    UDP = "udp"
    ICMP = "icmp"


@dataclass
class Socket:
    """One socket: its owner, ends and, for TCP, its connection state."""

    sid: int
    pid: int
    stack: str
    jid: int
    proto: Proto
    family: int
    laddr: str = ""
    lport: int = 0
    raddr: str = ""
    rport: int = 0
    state: TcpState = TcpState.CLOSED
    snd_nxt: int = 0
    rcv_nxt: int = 0
    parent: int | None = None
    soft_error: int = 0
    sent_fin: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Return the socket as a JSON-ready dict."""
        data = _plain(self)
        data["proto"], data["state"] = self.proto.value, self.state.value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Socket:
        """Build a socket from ``to_dict`` output."""
        sock = cls(**data)
        sock.proto, sock.state = Proto(data["proto"]), TcpState(data["state"])
        return sock


@dataclass
class Timer:
    """A deadline at which a process's handler is called with ``tag``."""

    deadline_us: int
    pid: int
    tag: str
    seq: int = 0
    paced: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Return the timer as a JSON-ready dict."""
        return _plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Timer:
        """Build a timer from ``to_dict`` output."""
        return cls(**data)


@dataclass
class Mount:
    """A mounted file system (the simulation mounts only devfs)."""

    node: str
    fstype: str = "devfs"
    special: str = "devfs"

    def to_dict(self) -> dict[str, Any]:
        """Return the mount as a JSON-ready dict."""
        return _plain(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Mount:
        """Build a mount from ``to_dict`` output."""
        return cls(**data)


def _plain(record: Any) -> dict[str, Any]:
    """Return a flat dataclass's fields (lists and dicts shared, not copied)."""
    return {name: getattr(record, name) for name in record.__dataclass_fields__}
