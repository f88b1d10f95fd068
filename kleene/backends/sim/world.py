"""The simulated host's state: plain dataclasses with explicit to/from dict.

Owns ``World`` (the whole machine), ``Stack`` (one network stack: the host's,
later one per vnet jail), ``Interface``, ``StaticRoute`` and ``PfState``.
Behaviour lives in ``kleene.backends.sim.kernel``; this module only holds the
state and turns it into JSON-ready dicts and back (``persist`` writes them).

Names used throughout the simulation:

- ``uid``: a world-unique interface id that never changes and is never reused
  (names and indexes change: ``ifconfig X name Y``, moves between stacks);
- ``index``: the interface index within its stack (``link#5``, ``scopeid 0x5``);
- ``unit``: the cloner unit (``lo1`` has unit 1, ``epair3a`` and ``epair3b``
  share unit 3), allocated from the cloner of the ``home`` stack;
- times are integer microseconds since the Unix epoch (``clock_us``);
- stacks are named ``host``, ``jail<jid>`` (vnet jails), ``outside`` (the
  gateway 10.0.2.2) and ``resolver`` (10.0.2.3); ``role`` says which kind.

Jails, processes, sockets, timers and mounts are the records of
``kleene.backends.sim.records``; ``segments`` lists the interfaces that share
one Ethernet segment (``em0`` and the outside machines); ``captures`` and
``pflog`` hold what was captured, as JSON frames (``kernel.capture``).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kleene.backends.sim.pf.states import StateTable

from kleene.backends.sim.records import Jail, Mount, ProcRecord, Socket, Timer

WORLD_VERSION = 1
HOST_STACK = "host"
OUTSIDE_STACK = "outside"
RESOLVER_STACK = "resolver"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPInterface = ipaddress.IPv4Interface | ipaddress.IPv6Interface
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class IfKind(StrEnum):
    """The driver behind an interface; it fixes flags, options, media, groups."""

    ETHERNET = "ethernet"
    LOOPBACK = "loopback"
    BRIDGE = "bridge"
    EPAIR = "epair"
    PFLOG = "pflog"


@dataclass
class Interface:
    """One network interface, as its stack sees it."""

    uid: int
    name: str
    kind: IfKind
    index: int
    unit: int | None = None
    home: str = HOST_STACK
    mtu: int = 1500
    mac: str | None = None
    up: bool = False
    description: str | None = None
    addresses: list[IPInterface] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    nd6: int = 0
    members: list[int] = field(default_factory=list)
    peer: int | None = None
    ipackets: int = 0
    opackets: int = 0
    fdb: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the interface as a JSON-ready dict."""
        data = self._fields()
        if self.fdb:
            data["fdb"] = self.fdb
        return data

    def _fields(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "name": self.name,
            "kind": self.kind.value,
            "index": self.index,
            "unit": self.unit,
            "home": self.home,
            "mtu": self.mtu,
            "mac": self.mac,
            "up": self.up,
            "description": self.description,
            "addresses": [str(address) for address in self.addresses],
            "groups": list(self.groups),
            "nd6": self.nd6,
            "members": list(self.members),
            "peer": self.peer,
            "ipackets": self.ipackets,
            "opackets": self.opackets,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Interface:
        """Build an interface from ``to_dict`` output."""
        return cls(
            uid=data["uid"],
            name=data["name"],
            kind=IfKind(data["kind"]),
            index=data["index"],
            unit=data.get("unit"),
            home=data.get("home", HOST_STACK),
            mtu=data.get("mtu", 1500),
            mac=data.get("mac"),
            up=data.get("up", False),
            description=data.get("description"),
            addresses=[ipaddress.ip_interface(a) for a in data.get("addresses", [])],
            groups=list(data.get("groups", [])),
            nd6=data.get("nd6", 0),
            members=list(data.get("members", [])),
            peer=data.get("peer"),
            ipackets=data.get("ipackets", 0),
            opackets=data.get("opackets", 0),
            fdb=dict(data.get("fdb", {})),
        )


@dataclass
class StaticRoute:
    """A route added with route(8): destination via a gateway on an interface."""

    destination: IPNetwork
    gateway: IPAddress
    iface: int

    def to_dict(self) -> dict[str, Any]:
        """Return the route as a JSON-ready dict."""
        return {
            "destination": str(self.destination),
            "gateway": str(self.gateway),
            "iface": self.iface,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StaticRoute:
        """Build a route from ``to_dict`` output."""
        return cls(
            destination=ipaddress.ip_network(data["destination"]),
            gateway=ipaddress.ip_address(data["gateway"]),
            iface=data["iface"],
        )


@dataclass
class PfState:
    """pf in one stack: enabled or not, since when, the ruleset and its states."""

    enabled: bool = False
    since_us: int | None = None
    ruleset: str | None = None
    states: StateTable = field(default_factory=lambda: _state_table())

    def to_dict(self) -> dict[str, Any]:
        """Return the pf state as a JSON-ready dict."""
        return {
            "enabled": self.enabled,
            "since_us": self.since_us,
            "ruleset": self.ruleset,
            "states": self.states.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PfState:
        """Build the pf state from ``to_dict`` output."""
        return cls(
            enabled=data.get("enabled", False),
            since_us=data.get("since_us"),
            ruleset=data.get("ruleset"),
            states=_state_table(data.get("states", {})),
        )


def _state_table(data: dict[str, Any] | None = None) -> StateTable:
    from kleene.backends.sim.pf.states import StateTable

    return StateTable.from_dict(data or {})


@dataclass
class Stack:
    """One network stack: interfaces in attach order, routes, sysctls, pf."""

    name: str
    next_index: int = 1
    interfaces: list[Interface] = field(default_factory=list)
    routes: list[StaticRoute] = field(default_factory=list)
    sysctls: dict[str, int | str] = field(default_factory=dict)
    pf: PfState = field(default_factory=PfState)
    role: str = HOST_STACK
    neighbors: dict[str, list[Any]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the stack as a JSON-ready dict."""
        return {
            "name": self.name,
            "role": self.role,
            "next_index": self.next_index,
            "interfaces": [iface.to_dict() for iface in self.interfaces],
            "routes": [route.to_dict() for route in self.routes],
            "sysctls": dict(self.sysctls),
            "pf": self.pf.to_dict(),
            "neighbors": self.neighbors,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Stack:
        """Build a stack from ``to_dict`` output."""
        return cls(
            name=data["name"],
            next_index=data.get("next_index", 1),
            interfaces=[Interface.from_dict(i) for i in data.get("interfaces", [])],
            routes=[StaticRoute.from_dict(r) for r in data.get("routes", [])],
            sysctls=dict(data.get("sysctls", {})),
            pf=PfState.from_dict(data.get("pf", {})),
            role=data.get("role", HOST_STACK),
            neighbors=dict(data.get("neighbors", {})),
        )


@dataclass
class World:
    """The whole simulated machine: stacks, jails, processes, files, clock."""

    seed: int
    profile: str
    clock_us: int
    hostname: str
    stacks: dict[str, Stack] = field(default_factory=dict)
    modules: list[str] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)
    entropy: dict[str, int] = field(default_factory=dict)
    next_uid: int = 1
    generation: int = 0
    version: int = WORLD_VERSION
    jails: dict[int, Jail] = field(default_factory=dict)
    processes: dict[int, ProcRecord] = field(default_factory=dict)
    sockets: dict[int, Socket] = field(default_factory=dict)
    timers: list[Timer] = field(default_factory=list)
    mounts: list[Mount] = field(default_factory=list)
    datasets: list[str] = field(default_factory=list)
    segments: list[list[int]] = field(default_factory=list)
    captures: dict[str, list[Any]] = field(default_factory=dict)
    pflog: list[Any] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)

    @property
    def host(self) -> Stack:
        """Return the host's own network stack."""
        return self.stacks[HOST_STACK]

    def new_uid(self) -> int:
        """Return a fresh interface uid."""
        uid = self.next_uid
        self.next_uid += 1
        return uid

    def to_dict(self) -> dict[str, Any]:
        """Return the world as a JSON-ready dict (sharing, not copying, lists)."""
        return {
            "version": self.version,
            "generation": self.generation,
            "seed": self.seed,
            "profile": self.profile,
            "clock_us": self.clock_us,
            "hostname": self.hostname,
            "next_uid": self.next_uid,
            "counters": self.counters,
            "entropy": self.entropy,
            "modules": self.modules,
            "files": self.files,
            "stacks": {name: stack.to_dict() for name, stack in self.stacks.items()},
            "jails": [jail.to_dict() for jail in self.jails.values()],
            "processes": [proc.to_dict() for proc in self.processes.values()],
            "sockets": [sock.to_dict() for sock in self.sockets.values()],
            "timers": [timer.to_dict() for timer in self.timers],
            "mounts": [mount.to_dict() for mount in self.mounts],
            "datasets": self.datasets,
            "segments": self.segments,
            "captures": self.captures,
            "pflog": self.pflog,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> World:
        """Build a world from ``to_dict`` output (the caller checks the version)."""
        jails = (Jail.from_dict(item) for item in data.get("jails", []))
        procs = (ProcRecord.from_dict(item) for item in data.get("processes", []))
        socks = (Socket.from_dict(item) for item in data.get("sockets", []))
        return cls(
            version=data["version"],
            generation=data.get("generation", 0),
            seed=data["seed"],
            profile=data["profile"],
            clock_us=data["clock_us"],
            hostname=data["hostname"],
            next_uid=data.get("next_uid", 1),
            counters=dict(data.get("counters", {})),
            entropy=dict(data.get("entropy", {})),
            modules=list(data.get("modules", [])),
            files=dict(data.get("files", {})),
            stacks={
                name: Stack.from_dict(stack)
                for name, stack in data.get("stacks", {}).items()
            },
            jails={jail.jid: jail for jail in jails},
            processes={proc.pid: proc for proc in procs},
            sockets={sock.sid: sock for sock in socks},
            timers=[Timer.from_dict(item) for item in data.get("timers", [])],
            mounts=[Mount.from_dict(item) for item in data.get("mounts", [])],
            datasets=list(data.get("datasets", [])),
            segments=[list(segment) for segment in data.get("segments", [])],
            captures=dict(data.get("captures", {})),
            pflog=list(data.get("pflog", [])),
        )
