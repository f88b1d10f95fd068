"""The engine's FreeBSD plans (reference/freebsd-plans.md) run on the sim host.

Each test runs the exact argv of one plan, as the engine sends them, and
checks the outputs the engine parses and the listing left behind.
"""

from __future__ import annotations

import json
import re

from kleene.backends.base import CommandResult
from kleene.backends.sim import SimulatedHost
from tests.sim.simhost import Ok, listing

PREREQUISITES = [
    ("/sbin/sysctl -n net.inet.ip.forwarding", "0\n"),
    ("/sbin/sysctl net.inet.ip.forwarding=1", "net.inet.ip.forwarding: 0 -> 1\n"),
    ("/sbin/sysctl -n net.inet6.ip6.forwarding", "0\n"),
    ("/sbin/sysctl net.inet6.ip6.forwarding=1", "net.inet6.ip6.forwarding: 0 -> 1\n"),
    ("/sbin/kldload -n pf", ""),
    ("/sbin/kldload -n pflog", ""),
    ("/sbin/kldload -n if_bridge", ""),
    ("/sbin/kldload -n if_epair", ""),
    ("/sbin/sysctl -n net.link.bridge.pfil_bridge", "0\n"),
    (
        "/sbin/sysctl net.link.bridge.pfil_bridge=1",
        "net.link.bridge.pfil_bridge: 0 -> 1\n",
    ),
    ("/sbin/pfctl -e", "pf enabled\n"),
]


def run_all(host: SimulatedHost, *commands: str) -> list[CommandResult]:
    return [host.run(command.split()) for command in commands]


def test_prerequisites_on_a_fresh_host(ok: Ok) -> None:
    for command, expected in PREREQUISITES:
        assert ok(command) == expected, command

    assert ok("sysctl net.inet.ip.forwarding net.inet6.ip6.forwarding") == (
        "net.inet.ip.forwarding: 1\nnet.inet6.ip6.forwarding: 1\n"
    )
    assert ok("pfctl -s info").startswith("Status: Enabled")


def test_prerequisites_a_second_time(host: SimulatedHost, ok: Ok) -> None:
    for command, _ in PREREQUISITES:
        host.run(command.split())
    assert ok("/sbin/sysctl -n net.inet.ip.forwarding") == "1\n"
    assert ok("/sbin/kldload -n if_bridge") == ""
    again = host.run(["/sbin/pfctl", "-e"])
    assert (again.status, again.output) == (1, "pfctl: pf already enabled\n")


def test_gateway_detection_finds_em0(ok: Ok) -> None:
    document = json.loads(ok("/usr/bin/netstat --libxo json -rn"))
    families = document["statistics"]["route-information"]["route-table"]["rt-family"]
    inet = [f for f in families if f["address-family"] == "Internet"]
    assert len(inet) == 1
    default = next(e for e in inet[0]["rt-entry"] if e["destination"] == "default")
    assert default["interface-name"] == "em0"


def test_loopback_create_and_remove(host: SimulatedHost, ok: Ok) -> None:
    fresh = ok("ifconfig")
    results = run_all(
        host,
        "/sbin/ifconfig lo create name kleene0",
        "/sbin/ifconfig kleene0 description kleene:3f2a9c0d1e7b",
        "/sbin/ifconfig kleene0 up",
    )
    assert [(r.status, r.output) for r in results] == [
        (0, "kleene0\n"),
        (0, ""),
        (0, ""),
    ]
    assert ok("ifconfig") == fresh + listing("""
        kleene0: flags=8049<UP,LOOPBACK,RUNNING,MULTICAST> metric 0 mtu 16384
                description: kleene:3f2a9c0d1e7b
                options=680003<RXCSUM,TXCSUM,LINKSTATE,RXCSUM_IPV6,TXCSUM_IPV6>
                inet6 fe80::1%kleene0 prefixlen 64 scopeid 0x5
                groups: lo
                nd6 options=21<PERFORMNUD,AUTO_LINKLOCAL>
    """)

    assert ok("/sbin/ifconfig kleene0 destroy") == ""
    assert ok("ifconfig") == fresh


def test_bridge_create_with_both_gateways(host: SimulatedHost, ok: Ok) -> None:
    results = run_all(
        host,
        "/sbin/ifconfig bridge create name kleene0",
        "/sbin/ifconfig kleene0 description kleene:3f2a9c0d1e7b",
        "/sbin/ifconfig kleene0 up",
        "/sbin/ifconfig kleene0 inet 172.19.1.1/24 alias",
        "/sbin/ifconfig kleene0 inet6 fdef:1234:5678::1/48 alias",
    )
    assert [r.output for r in results] == ["kleene0\n", "", "", "", ""]
    assert all(r.status == 0 for r in results)

    block = ok("ifconfig kleene0")
    mac = block.split("ether ")[1][:17]
    assert block == listing(f"""
        kleene0: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500
                description: kleene:3f2a9c0d1e7b
                ether {mac}
                inet 172.19.1.1 netmask 0xffffff00 broadcast 172.19.1.255
                inet6 fdef:1234:5678::1 prefixlen 48
                id 00:00:00:00:00:00 priority 32768 hellotime 2 fwddelay 15
                maxage 20 holdcnt 6 proto rstp maxaddr 2000 timeout 1200
                root id 00:00:00:00:00:00 priority 32768 ifcost 0 port 0
                groups: bridge
                nd6 options=1<PERFORMNUD>
    """)

    rows = json.loads(ok("/usr/bin/netstat --libxo json -I kleene0 -n"))
    addresses = [row["address"] for row in rows["statistics"]["interface"]]
    assert addresses == [mac, "172.19.1.1", "fdef:1234:5678::1"]


def test_two_vnet_endpoints_give_the_inventory_sample(
    host: SimulatedHost, ok: Ok
) -> None:
    ok("/sbin/ifconfig lo create name kleene0")
    ok("/sbin/ifconfig bridge create name kleene1")
    ok("/sbin/ifconfig kleene1 description kleene:3f2a9c0d1e7b")
    ok("/sbin/ifconfig kleene1 up")
    ok("/sbin/ifconfig kleene1 inet 10.13.37.1/24 alias")
    for endpoint, mac in (("5e0c7a9b21d4", "02:4d:3b:cb:a0"), ("aa", "02:11:22:33:44")):
        epair = ok("/sbin/ifconfig epair create").strip()[:-1]
        ok(f"/sbin/ifconfig {epair}a ether {mac}:0a")
        ok(f"/sbin/ifconfig {epair}b ether {mac}:0b")
        ok(f"/sbin/ifconfig {epair}a description kleene:{endpoint}")
        ok(f"/sbin/ifconfig {epair}b description kleene:{endpoint}")
        ok(f"ifconfig kleene1 addm {epair}a")
        ok(f"ifconfig {epair}a up")

    bridge = ok("ifconfig kleene1")
    bridge_mac = bridge.split("ether ")[1][:17]
    assert bridge == listing(f"""
        kleene1: flags=8843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST> metric 0 mtu 1500
                description: kleene:3f2a9c0d1e7b
                ether {bridge_mac}
                inet 10.13.37.1 netmask 0xffffff00 broadcast 10.13.37.255
                id 00:00:00:00:00:00 priority 32768 hellotime 2 fwddelay 15
                maxage 20 holdcnt 6 proto rstp maxaddr 2000 timeout 1200
                root id 00:00:00:00:00:00 priority 32768 ifcost 0 port 0
                member: epair1a flags=143<LEARNING,DISCOVER,AUTOEDGE,AUTOPTP>
                        ifmaxaddr 0 port 9 priority 128 path cost 2000
                member: epair0a flags=143<LEARNING,DISCOVER,AUTOEDGE,AUTOPTP>
                        ifmaxaddr 0 port 7 priority 128 path cost 2000
                groups: bridge
                nd6 options=9<PERFORMNUD,IFDISABLED>
    """)
    flags = "flags=8963<UP,BROADCAST,RUNNING,PROMISC,SIMPLEX,MULTICAST>"
    assert ok("ifconfig epair0a") == listing(f"""
        epair0a: {flags} metric 0 mtu 1500
                description: kleene:5e0c7a9b21d4
                options=8<VLAN_MTU>
                ether 02:4d:3b:cb:a0:0a
                groups: epair
                media: Ethernet 10Gbase-T (10Gbase-T <full-duplex>)
                status: active
                nd6 options=29<PERFORMNUD,IFDISABLED,AUTO_LINKLOCAL>
    """)


def test_bridge_removal_plan_leaves_the_fresh_listing(
    host: SimulatedHost, ok: Ok
) -> None:
    fresh = ok("ifconfig")
    ok("/sbin/ifconfig bridge create name kleene0")
    ok("/sbin/ifconfig kleene0 up")
    ok("/sbin/ifconfig kleene0 inet 10.13.37.1/24 alias")
    ok("/sbin/ifconfig epair create")
    ok("/sbin/ifconfig kleene0 addm epair0a")

    members = re.findall(r"^\tmember: (\S+) ", ok("/sbin/ifconfig -a"), re.MULTILINE)
    for member in members:
        ok(f"/sbin/ifconfig kleene0 deletem {member}")
    ok("/sbin/ifconfig kleene0 destroy")
    ok("/sbin/ifconfig epair0a destroy")

    assert ok("ifconfig") == fresh
    assert "10.13.37" not in ok("netstat -rn")


def test_ipnet_connect_and_disconnect_aliases(ok: Ok) -> None:
    ok("/sbin/ifconfig lo create name kleene0")
    ok("/sbin/ifconfig kleene0 up")
    ok("/sbin/ifconfig kleene0 inet 10.2.3.1/32 alias")
    ok("/sbin/ifconfig kleene0 inet6 fdef:1234:5678::1/128 alias")
    lines = ok("ifconfig kleene0").splitlines()
    assert lines[2:5] == [
        "\tinet6 fe80::1%kleene0 prefixlen 64 scopeid 0x5",
        "\tinet 10.2.3.1 netmask 0xffffffff",
        "\tinet6 fdef:1234:5678::1 prefixlen 128",
    ]

    ok("/sbin/ifconfig kleene0 inet 10.2.3.1 -alias")
    ok("/sbin/ifconfig kleene0 inet6 fdef:1234:5678::1 -alias")
    assert ok("ifconfig kleene0").splitlines()[2:] == [
        "\tinet6 fe80::1%kleene0 prefixlen 64 scopeid 0x5",
        "\tgroups: lo",
        "\tnd6 options=21<PERFORMNUD,AUTO_LINKLOCAL>",
    ]


def test_pf_check_write_and_load(host: SimulatedHost, ok: Ok) -> None:
    text = "pass all\n"
    assert host.read_file("/etc/pf.conf") is None
    assert ok("/sbin/pfctl -n -f -", stdin=text) == ""
    host.write_file("/etc/pf.conf", text)
    assert ok("/sbin/pfctl -f /etc/pf.conf") == ""
    assert ok("cat /etc/pf.conf") == text


def test_undo_of_a_failed_bridge_create_leaves_nothing(
    host: SimulatedHost, ok: Ok
) -> None:
    fresh = ok("ifconfig")
    host.fail_at(3)
    results = run_all(
        host,
        "/sbin/ifconfig bridge create name kleene0",
        "/sbin/ifconfig kleene0 description kleene:3f2a9c0d1e7b",
        "/sbin/ifconfig kleene0 up",
    )
    assert results[2].output == "sim: injected failure: /sbin/ifconfig kleene0 up\n"

    ok("/sbin/ifconfig kleene0 destroy")
    assert ok("ifconfig") == fresh


def test_orphan_epair_is_found_by_its_description(ok: Ok) -> None:
    ok("ifconfig epair create")
    ok("ifconfig epair0a description kleene:aaaaaaaaaaaa")
    blocks = ok("/sbin/ifconfig -a").split("\n")
    assert "\tdescription: kleene:aaaaaaaaaaaa" in blocks
    ok("/sbin/ifconfig epair0a destroy")
    assert "epair" not in ok("ifconfig")
