"""SPEC §10.1 and §10.2 end to end, driven only through ``run`` and ``start``.

The tests play the engine: they send the argv of reference/freebsd-plans.md
for each step (prerequisites, network create, container start and stop) and
check the transcripts that SPEC shows, byte for byte. A two-line ruleset
loaded with ``pfctl -f -`` stands in for kleene's rendered pf.conf: the
``nat`` that ``host freebsd.org`` from an ipnet jail needs, and pass.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from kleene.backends.sim import SimulatedHost
from tests.sim.simhost import exec_argv, follow, jail_argv, listing

N, N2 = "3f2a9c0d1e7b", "7d1c2b3a4f5e"
C1, C2, C3 = "d824d5fb64bc", "173a1a8d848d", "a1b2c3d4e5f6"
EP3 = "5e0c7a9b21d4"
SNAPSHOT = "zroot/kleene/image/11370bfb4a88@base"

PREREQUISITES = [
    "/sbin/sysctl net.inet.ip.forwarding=1",
    "/sbin/sysctl net.inet6.ip6.forwarding=1",
    "/sbin/kldload -n pf",
    "/sbin/kldload -n pflog",
    "/sbin/kldload -n if_bridge",
    "/sbin/kldload -n if_epair",
    "/sbin/sysctl net.link.bridge.pfil_bridge=1",
    "/sbin/pfctl -e",
]


NAT_RULES = (
    "nat on em0 inet from { 10.2.3.0/24, 10.4.6.0/24 } to any -> (em0)\npass all\n"
)


class Engine:
    """The host side of the engine's plans, step by step."""

    def __init__(self, host: SimulatedHost, state: Path) -> None:
        self.host = host
        self.state = state
        self.execs = 0

    def run(self, command: str | list[str]) -> str:
        argv = command.split() if isinstance(command, str) else command
        return self.host.run(argv).check().output

    def log(self) -> Path:
        self.execs += 1
        return self.state / "exec" / f"e{self.execs}.log"

    def network(self, name: str, owner: str, kind: str, gateway: str = "") -> None:
        self.run(f"/sbin/ifconfig {kind} create name {name}")
        self.run(["/sbin/ifconfig", name, "description", f"kleene:{owner}"])
        self.run(f"/sbin/ifconfig {name} up")
        if gateway:
            self.run(f"/sbin/ifconfig {name} inet {gateway} alias")

    def create(self, container: str) -> None:
        self.run(f"/sbin/zfs clone {SNAPSHOT} zroot/kleene/container/{container}")

    def start_ipnet(
        self, container: str, address: str, *command: str
    ) -> tuple[int, str]:
        self.run(f"/sbin/ifconfig kleene0 inet {address}/32 alias")
        argv = jail_argv(container, f"ip4.addr={address}", command=command)
        return follow(self.host, argv, self.log())

    def stop_ipnet(self, container: str, address: str) -> None:
        self.run(f"/usr/sbin/jail -r {container}")
        self.cleanup(container, address)

    def cleanup(self, container: str, address: str) -> None:
        self.run(f"/sbin/ifconfig kleene0 inet {address} -alias")
        self.unmount(container)

    def unmount(self, container: str) -> None:
        node = f"/zroot/kleene/container/{container}/dev"
        if f'"node": "{node}"' in self.run("/sbin/mount --libxo json -t devfs"):
            self.run(f"/sbin/umount {node}")


def prepared(host: SimulatedHost, state: Path) -> Engine:
    """Return an engine on a host with the prerequisites done and NAT loaded."""
    engine = Engine(host, state)
    for command in PREREQUISITES:
        engine.run(command)
    host.run(["/sbin/pfctl", "-f", "-"], NAT_RULES).check()
    return engine


@pytest.fixture
def engine(host: SimulatedHost, tmp_path: Path) -> Engine:
    return prepared(host, tmp_path)


IPNET_IFCONFIG = f"""\
em0: flags=8863<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500
        options=481009b<RXCSUM,TXCSUM,VLAN_MTU,VLAN_HWTAGGING,VLAN_HWCSUM,VLAN_HWFILTER,NOMAP>
        ether 08:00:27:b2:00:96
        media: Ethernet autoselect (1000baseT <full-duplex>)
        status: active
lo0: flags=8049<UP,LOOPBACK,RUNNING,MULTICAST> metric 0 mtu 16384
        options=680003<RXCSUM,TXCSUM,LINKSTATE,RXCSUM_IPV6,TXCSUM_IPV6>
        groups: lo
pflog0: flags=0<> metric 0 mtu 33160
        groups: pflog
kleene0: flags=8049<UP,LOOPBACK,RUNNING,MULTICAST> metric 0 mtu 16384
        description: kleene:{N}
        options=680003<RXCSUM,TXCSUM,LINKSTATE,RXCSUM_IPV6,TXCSUM_IPV6>
        inet 10.2.3.1 netmask 0xffffffff
        groups: lo
"""

KLEENE0_STOPPED = f"""\
kleene0: flags=8049<UP,LOOPBACK,RUNNING,MULTICAST> metric 0 mtu 16384
        description: kleene:{N}
        options=680003<RXCSUM,TXCSUM,LINKSTATE,RXCSUM_IPV6,TXCSUM_IPV6>
        inet6 fe80::1%kleene0 prefixlen 64 scopeid 0x5
        groups: lo
        nd6 options=21<PERFORMNUD,AUTO_LINKLOCAL>
"""

RC = ["Starting syslogd.", "Starting cron.", "", "Mon Jan  1 00:00:00 UTC 2024"]
HOST_LINES = [
    "freebsd.org has address 96.47.72.84",
    "freebsd.org has IPv6 address 2610:1c1:1:606c::50:15",
    "freebsd.org mail is handled by 10 mx1.freebsd.org.",
    "freebsd.org mail is handled by 30 mx66.freebsd.org.",
]


def ipnet_walkthrough(engine: Engine) -> None:
    """Run SPEC §10.1 and check each transcript."""
    engine.network("kleene0", N, "lo")
    engine.create(C1)
    status, output = engine.start_ipnet(C1, "10.2.3.1", "ifconfig")
    assert (status, output) == (0, listing(IPNET_IFCONFIG))
    engine.cleanup(C1, "10.2.3.1")

    engine.create(C2)
    status, output = engine.start_ipnet(C2, "10.2.3.2", "host", "freebsd.org")
    assert (status, output.splitlines()) == (0, HOST_LINES)
    engine.cleanup(C2, "10.2.3.2")

    for container, address in ((C2, "10.2.3.2"), (C1, "10.2.3.1")):
        status, output = engine.start_ipnet(container, address, "/bin/sh", "/etc/rc")
        assert (status, output.splitlines()) == (0, RC)
        assert engine.host.run(["jls", "-j", container]).status == 0
    jls = engine.run("/usr/sbin/jls").splitlines()[1:]
    assert [line.split()[:2] for line in jls] == [["3", "10.2.3.2"], ["4", "10.2.3.1"]]

    ping = engine.host.run(exec_argv(C2, "ping", "-c", "1", "10.2.3.1"))
    assert (ping.status, ping.output) == (
        71,
        "ping: ssend socket: Operation not permitted\n",
    )

    server_log = engine.log()
    server = engine.host.start(exec_argv(C1, "nc", "-l", "4000"), log=server_log)
    received: list[bytes] = []
    ended: list[int] = []
    thread = threading.Thread(
        target=lambda: ended.append(server.follow(received.append))
    )
    thread.start()
    time.sleep(0.1)
    client = exec_argv(C2, "/bin/sh", "-c", "echo testing | nc -N -vv 10.2.3.1 4000")
    assert follow(engine.host, client, engine.log()) == (
        0,
        "Connection to 10.2.3.1 4000 port [tcp/*] succeeded!\n",
    )
    thread.join(5)
    assert (ended, b"".join(received)) == ([0], b"testing\n")
    assert engine.host.run(["jls", "-j", C1]).status == 0

    engine.stop_ipnet(C1, "10.2.3.1")
    engine.stop_ipnet(C2, "10.2.3.2")
    assert engine.run("/sbin/ifconfig kleene0") == listing(KLEENE0_STOPPED)


def test_ipnet_walkthrough(engine: Engine) -> None:
    ipnet_walkthrough(engine)


VNET_IFCONFIG = f"""\
add net default: gateway 10.4.6.1
lo0: flags=8008<LOOPBACK,MULTICAST> metric 0 mtu 16384
        options=680003<RXCSUM,TXCSUM,LINKSTATE,RXCSUM_IPV6,TXCSUM_IPV6>
        groups: lo
        nd6 options=21<PERFORMNUD,AUTO_LINKLOCAL>
pflog0: flags=0<> metric 0 mtu 33160
        groups: pflog
epair0b: flags=8863<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500
        description: kleene:{EP3}
        options=8<VLAN_MTU>
        ether 02:4d:3b:cb:a0:0b
        inet 10.4.6.2 netmask 0xffffff00 broadcast 10.4.6.255
        groups: epair
        media: Ethernet 10Gbase-T (10Gbase-T <full-duplex>)
        status: active
        nd6 options=29<PERFORMNUD,IFDISABLED,AUTO_LINKLOCAL>
"""

HOST_TAIL = f"""\
kleene1: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500
        description: kleene:{N2}
        ether 58:9c:fc:XX
        inet 10.4.6.1 netmask 0xffffff00 broadcast 10.4.6.255
        id 00:00:00:00:00:00 priority 32768 hellotime 2 fwddelay 15
        maxage 20 holdcnt 6 proto rstp maxaddr 2000 timeout 1200
        root id 00:00:00:00:00:00 priority 32768 ifcost 0 port 0
        groups: bridge
        nd6 options=9<PERFORMNUD,IFDISABLED>
"""


def vnet_argv(container: str, *extra: str, command: tuple[str, ...] = ()) -> list[str]:
    """Return the ``jail -c`` of a vnet container on kleene1 with epair0."""
    return jail_argv(
        container,
        "vnet",
        "vnet.interface=epair0b",
        "exec.prestart=ifconfig kleene1 addm epair0a",
        "exec.prestart=ifconfig epair0a up",
        "exec.start=ifconfig epair0b inet 10.4.6.2/24",
        "exec.start=route add -inet default 10.4.6.1",
        *extra,
        command=command,
    )


def epair(engine: Engine) -> None:
    assert engine.run("/sbin/ifconfig epair create") == "epair0a\n"
    for end in "ab":
        engine.run(f"/sbin/ifconfig epair0{end} ether 02:4d:3b:cb:a0:0{end}")
        engine.run(["/sbin/ifconfig", f"epair0{end}", "description", f"kleene:{EP3}"])


def stop_vnet(engine: Engine) -> None:
    if "member: epair0a" in engine.run("/sbin/ifconfig kleene1"):
        engine.run("/sbin/ifconfig kleene1 deletem epair0a")
    engine.run("/sbin/ifconfig epair0a destroy")
    engine.unmount(C3)


def test_vnet_walkthrough(engine: Engine) -> None:
    ipnet_walkthrough(engine)
    engine.network("kleene1", N2, "bridge", "10.4.6.1/24")
    engine.create(C3)
    epair(engine)
    status, output = follow(
        engine.host, vnet_argv(C3, command=("ifconfig",)), engine.log()
    )
    assert (status, output) == (0, listing(VNET_IFCONFIG))
    assert engine.host.run(["jls", "-j", C3]).status == 1
    stop_vnet(engine)

    expected = engine.run("/sbin/ifconfig em0") + engine.run("/sbin/ifconfig lo0")
    expected += engine.run("/sbin/ifconfig pflog0") + listing(KLEENE0_STOPPED)
    bridge_mac = engine.run("/sbin/ifconfig kleene1").split("ether 58:9c:fc:")[1][:8]
    expected += listing(HOST_TAIL.replace("XX", bridge_mac))
    assert engine.run("/sbin/ifconfig") == expected


def test_vnet_container_reaches_the_host_and_ipnet_neighbours(engine: Engine) -> None:
    engine.network("kleene1", N2, "bridge", "10.4.6.1/24")
    engine.run("/sbin/ifconfig kleene1 inet 10.4.6.7/32 alias")
    params = "ip4.addr=10.4.6.7 allow.raw_sockets persist"
    engine.run(f"/usr/sbin/jail -c name={C2} path=/c2 {params}")
    epair(engine)
    engine.run(vnet_argv(C3, "persist"))

    ping = engine.run(exec_argv(C2, "ping", "-c", "3", "10.4.6.2"))
    assert ping.splitlines()[1].startswith(
        "64 bytes from 10.4.6.2: icmp_seq=0 ttl=64 time="
    )
    assert "3 packets transmitted, 3 packets received, 0.0% packet loss" in ping
    assert "1 packets received" in engine.run(
        exec_argv(C3, "ping", "-c", "1", "10.4.6.7")
    )

    server = engine.log()
    engine.host.start(exec_argv(C2, "nc", "-l", "4000"), log=server)
    client = exec_argv(C3, "/bin/sh", "-c", "echo hello | nc -N -v 10.4.6.7 4000")
    assert engine.run(client) == "Connection to 10.4.6.7 4000 port [tcp/*] succeeded!\n"
    assert server.read_text() == "hello\n"
    assert "ttl=62" in engine.run(exec_argv(C3, "ping", "-c", "1", "1.1.1.1"))


def test_the_walkthrough_replays_byte_for_byte(tmp_path: Path) -> None:
    transcripts = []
    for name in ("first", "second"):
        engine = prepared(SimulatedHost(tmp_path / name), tmp_path / name)
        engine.network("kleene1", N2, "bridge", "10.4.6.1/24")
        transcripts.append(engine.run("/sbin/ifconfig kleene1"))
        engine.run("ifconfig lo create name kleene0")
        engine.run(
            f"/usr/sbin/jail -c name={C1} path=/c ip4=inherit allow.raw_sockets persist"
        )
        transcripts.append(engine.run(exec_argv(C1, "ping", "-c", "3", "1.1.1.1")))
        transcripts.append(engine.run("ifconfig epair create"))
        transcripts.append(engine.run("ifconfig epair0a"))
    assert transcripts[:4] == transcripts[4:]
